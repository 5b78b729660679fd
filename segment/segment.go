// Package segment defines the unit every format produces and the detection
// engine consumes: decoded text plus a map back to the raw bytes of the file.
package segment

import (
	"sort"
	"unsafe"
)

// Location is where a finding sits in terms a person recognises. Formats fill
// in what they know; the engine fills Line.
type Location struct {
	// Kind names the format that produced the segment: "file", "notebook", "yaml", …
	Kind string `json:"kind"`
	// Notebook fields. Cell and Output are 1-based, as Jupyter shows them.
	Cell           int    `json:"cell,omitempty"`
	CellID         string `json:"cell_id,omitempty"`
	CellType       string `json:"cell_type,omitempty"`
	ExecutionCount *int   `json:"execution_count,omitempty"`
	Part           string `json:"part,omitempty"` // source, output, metadata
	Output         int    `json:"output,omitempty"`
	OutputType     string `json:"output_type,omitempty"`
	MimeType       string `json:"mime_type,omitempty"`
	// KeyPath is the path of the value in a structured document,
	// e.g. jobs.train.env.OPENAI_API_KEY or metadata.papermill.parameters.token.
	KeyPath string `json:"key_path,omitempty"`
	// Line is the 1-based line within the segment's text (cell source, output…).
	Line int `json:"line,omitempty"`
}

// Anchor ties an offset in a segment's text to an offset in the raw file.
// Between anchors, text and raw advance byte for byte.
type Anchor struct{ Text, Raw int }

// Segment is decoded text with a map back to the raw file.
type Segment struct {
	Text string
	Loc  Location
	// Context is text the engine shows the rules in front of Text (for example
	// the key a value is stored under), so that context rules can fire on a
	// bare value. Findings inside Context are discarded.
	Context string
	anchors []Anchor
}

// Plain returns a segment whose text is the raw bytes starting at rawOff.
func Plain(text string, rawOff int, loc Location) Segment {
	return Segment{Text: text, Loc: loc, anchors: []Anchor{{0, rawOff}}}
}

// RawOffset maps an offset in Text to an offset in the raw file.
func (s *Segment) RawOffset(textOff int) int {
	if len(s.anchors) == 0 {
		return textOff
	}
	i := sort.Search(len(s.anchors), func(i int) bool { return s.anchors[i].Text > textOff }) - 1
	if i < 0 {
		i = 0
	}
	a := s.anchors[i]
	return a.Raw + (textOff - a.Text)
}

// Builder assembles a segment's text from pieces whose raw positions are known.
type Builder struct {
	buf     []byte
	anchors []Anchor
	lastRaw int // raw offset the next byte would have if mapping stayed 1:1
}

// Reset empties the builder for reuse.
func (b *Builder) Reset() { b.buf = b.buf[:0]; b.anchors = b.anchors[:0]; b.lastRaw = -1 }

// Len is the length of the text built so far.
func (b *Builder) Len() int { return len(b.buf) }

// Add appends text whose bytes are copied one for one from raw offset rawOff.
func (b *Builder) Add(text string, rawOff int) {
	if text == "" {
		return
	}
	if len(b.anchors) == 0 || rawOff != b.lastRaw {
		b.anchors = append(b.anchors, Anchor{len(b.buf), rawOff})
	}
	b.buf = append(b.buf, text...)
	b.lastRaw = rawOff + len(text)
}

// AddMapped appends text that stands for rawLen raw bytes at rawOff (an escape
// sequence, say). All of it maps to rawOff.
func (b *Builder) AddMapped(text string, rawOff, rawLen int) {
	if text == "" {
		return
	}
	if len(b.anchors) == 0 || rawOff != b.lastRaw {
		// Otherwise the run before already maps here, byte for byte: one
		// anchor per escape instead of two (a long output is mostly "\n").
		b.anchors = append(b.anchors, Anchor{len(b.buf), rawOff})
	}
	b.buf = append(b.buf, text...)
	// Force a new anchor after the piece.
	b.anchors = append(b.anchors, Anchor{len(b.buf), rawOff + rawLen})
	b.lastRaw = rawOff + rawLen
}

// AddSynthetic appends text that has no place in the raw file (a separator the
// format implies, such as the newline between traceback frames). It maps to rawOff.
func (b *Builder) AddSynthetic(text string, rawOff int) { b.AddMapped(text, rawOff, 0) }

// Grow makes room for n more bytes of text and about anchors more anchors,
// so that a long value is built in one allocation instead of by doubling.
func (b *Builder) Grow(n, anchors int) {
	if n > cap(b.buf)-len(b.buf) {
		b.buf = append(make([]byte, 0, len(b.buf)+n), b.buf...)
	}
	if anchors > cap(b.anchors)-len(b.anchors) {
		b.anchors = append(make([]Anchor, 0, len(b.anchors)+anchors), b.anchors...)
	}
}

// handOff is the text length from which Segment gives the segment the
// builder's buffer instead of a copy: a 60 MB output is then held once.
const handOff = 64 << 10

// Segment returns the built segment. The builder may be reused after Reset.
func (b *Builder) Segment(loc Location) Segment {
	src := b.anchors
	var anchors []Anchor
	if len(b.buf) >= handOff {
		anchors = b.anchors[:0] // collapsed in place, then handed off with the text
		b.anchors = nil
	} else {
		anchors = make([]Anchor, 0, len(src))
	}
	for _, a := range src {
		// Collapse anchors at the same text offset: the last one wins.
		if n := len(anchors); n > 0 && anchors[n-1].Text == a.Text {
			anchors[n-1] = a
			continue
		}
		anchors = append(anchors, a)
	}
	var text string
	if len(b.buf) >= handOff {
		// The segment takes the buffer; the builder starts a new one.
		text = unsafe.String(unsafe.SliceData(b.buf), len(b.buf))
		b.buf = nil
	} else {
		text = string(b.buf)
	}
	return Segment{Text: text, Loc: loc, anchors: anchors}
}
