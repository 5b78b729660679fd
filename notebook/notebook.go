// Package notebook turns a Jupyter notebook (.ipynb) into segments: each
// cell's source, every text-like output and the metadata, decoded from JSON
// and mapped back to raw file offsets. Image outputs and attachments are
// counted but not scanned: they hold no typed secrets and only produce noise.
package notebook

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/lifeguard-dev/lifeguard/jsonpos"
	"github.com/lifeguard-dev/lifeguard/segment"
)

// Kind is the location kind of notebook segments.
const Kind = "notebook"

// Result is a parsed notebook.
type Result struct {
	Segments []segment.Segment
	// Version is the nbformat version, e.g. "4.5" or "3.0".
	Version string
	Cells   int
	// NotText counts outputs and attachments that were not scanned as text
	// (images, PDFs and other binary mime bundles).
	NotText int
	// Root is the parsed document, with raw offsets, for rewrites.
	Root *jsonpos.Value
	// Language is the kernel's language, lower case ("python", "r"), from
	// metadata.kernelspec.language or metadata.language_info.name; "" when
	// the notebook does not say.
	Language string
}

// ErrNotNotebook is returned for valid JSON that is not an nbformat document.
var ErrNotNotebook = errors.New("not a Jupyter notebook (no cells or worksheets)")

// Parse parses raw notebook bytes.
func Parse(data []byte) (*Result, error) {
	root, err := jsonpos.Parse(data)
	if err != nil {
		return nil, err
	}
	if root.Kind != jsonpos.Object {
		return nil, ErrNotNotebook
	}
	p := &parser{data: data, res: &Result{Root: root}, handled: map[int]bool{}}
	major, _ := root.Get("nbformat").Int(data)
	minor, _ := root.Get("nbformat_minor").Int(data)
	p.res.Version = fmt.Sprintf("%d.%d", major, minor)
	switch cells, ws := root.Get("cells"), root.Get("worksheets"); {
	case cells != nil && cells.Kind == jsonpos.Array:
		// About a source and an output per cell: sized once, not doubled.
		p.res.Segments = make([]segment.Segment, 0, 2*len(cells.Elems)+8)
		for i, c := range cells.Elems {
			p.cell(i+1, c, false)
		}
		p.res.Cells = len(cells.Elems)
	case ws != nil && ws.Kind == jsonpos.Array:
		n := 0
		for _, w := range ws.Elems {
			if cs := w.Get("cells"); cs != nil && cs.Kind == jsonpos.Array {
				for _, c := range cs.Elems {
					n++
					p.cell(n, c, true)
				}
			}
		}
		p.res.Cells = n
	default:
		return nil, ErrNotNotebook
	}
	meta := root.Get("metadata")
	p.metadata(meta, segment.Location{Kind: Kind, Part: "metadata"}, "metadata", 0)
	p.rest(root, "")
	if lang := meta.Get("kernelspec").Get("language").Text(data); lang != "" {
		p.res.Language = strings.ToLower(lang)
	} else {
		p.res.Language = strings.ToLower(meta.Get("language_info").Get("name").Text(data))
	}
	return p.res, nil
}

type parser struct {
	data []byte
	res  *Result
	b    segment.Builder
	path []pathPart // the rest pass's position
	// handled holds the raw start of each value read (or skipped on
	// purpose: images, ids, kernel metadata); the rest pass passes over them.
	handled map[int]bool
}

// residualMin is the shortest leftover string worth a segment: shorter ones
// are output types, stream names and flags, never a typed secret.
const residualMin = 8

// rest emits every string the structured pass did not read or skip on
// purpose: an output's own metadata, an evalue beside its traceback,
// unknown keys and output types, text under an unknown mime type, and
// values where the format expected others. Its location is the JSON path.
// The path is kept as a stack and spelled out only for a leaf that is
// scanned: most values are passed over.
func (p *parser) rest(v *jsonpos.Value, key string) {
	if v == nil || p.handled[v.Start] {
		return
	}
	switch v.Kind {
	case jsonpos.Object:
		for i := range v.Members {
			m := &v.Members[i]
			if m.TokenLikeKey() && !p.handled[m.KeyStart] {
				p.leaf(m.KeyValue(), "")
			}
			p.path = append(p.path, pathPart{key: m.Key})
			p.rest(m.Value, m.Key)
			p.path = p.path[:len(p.path)-1]
		}
	case jsonpos.Array:
		for i, e := range v.Elems {
			p.path = append(p.path, pathPart{index: i, isIndex: true})
			p.rest(e, key)
			p.path = p.path[:len(p.path)-1]
		}
	case jsonpos.String:
		if v.End-v.Start-2 >= residualMin {
			p.leaf(v, key)
		}
	}
}

// pathPart is one step of a JSON path: a key or an array index.
type pathPart struct {
	key     string
	index   int
	isIndex bool
}

func (p *parser) pathString() string {
	var b strings.Builder
	for _, s := range p.path {
		if s.isIndex {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		} else {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.key)
		}
	}
	return b.String()
}

func (p *parser) leaf(v *jsonpos.Value, key string) {
	p.b.Reset()
	_ = v.Decode(p.data, &ansiFilter{out: &p.b})
	if p.b.Len() == 0 {
		return
	}
	s := p.b.Segment(segment.Location{Kind: Kind, Part: "other", KeyPath: p.pathString()})
	s.Context = key
	p.res.Segments = append(p.res.Segments, s)
}

// shown is a string value as a terminal shows it (ANSI codes removed).
func (p *parser) shown(v *jsonpos.Value) string {
	if v == nil || v.Kind != jsonpos.String {
		return ""
	}
	p.b.Reset()
	_ = v.Decode(p.data, &ansiFilter{out: &p.b})
	return p.b.Segment(segment.Location{}).Text
}

func (p *parser) done(vs ...*jsonpos.Value) {
	for _, v := range vs {
		if v != nil {
			p.handled[v.Start] = true
		}
	}
}

func (p *parser) cell(n int, c *jsonpos.Value, v3 bool) {
	if c == nil || c.Kind != jsonpos.Object {
		return
	}
	loc := segment.Location{Kind: Kind, Cell: n, CellID: c.Get("id").Text(p.data), CellType: c.Get("cell_type").Text(p.data)}
	countKey := "execution_count"
	srcKey := "source"
	if v3 {
		countKey = "prompt_number"
		if loc.CellType == "code" {
			srcKey = "input"
		}
	}
	if ec, ok := c.Get(countKey).Int(p.data); ok {
		loc.ExecutionCount = &ec
	}
	src := loc
	src.Part = "source"
	n0 := len(p.res.Segments)
	p.text(c.Get(srcKey), src, false)
	// A cell whose last line is an expression (`mistral_api_key`,
	// `os.environ["HF_TOKEN"]`) displays that value as its result: the
	// expression names the otherwise bare value.
	var result string
	if len(p.res.Segments) > n0 {
		result = lastExpression(p.res.Segments[n0].Text)
	}

	if outs := c.Get("outputs"); outs != nil && outs.Kind == jsonpos.Array {
		for j, o := range outs.Elems {
			ol := loc
			ol.Part = "output"
			ol.Output = j + 1
			p.output(o, ol, v3, result)
		}
	}
	if att := c.Get("attachments"); att != nil && att.Kind == jsonpos.Object {
		p.res.NotText += len(att.Members)
		p.done(att)
	}
	if id := c.Get("id"); id != nil && id.Kind == jsonpos.String && id.End-id.Start-2 > 36 {
		// Jupyter writes ids of 8 to 36 characters; a longer one is text
		// someone put there, and is read (a token would otherwise be shown
		// in every location as the cell's id).
		idLoc := loc
		idLoc.Part = "id"
		p.text(id, idLoc, false)
	}
	p.done(c.Get("id"))
	md := loc
	md.Part = "metadata"
	p.metadata(c.Get("metadata"), md, "metadata", 0)
}

func (p *parser) output(o *jsonpos.Value, loc segment.Location, v3 bool, result string) {
	if o == nil || o.Kind != jsonpos.Object {
		return
	}
	loc.OutputType = o.Get("output_type").Text(p.data)
	switch loc.OutputType {
	case "stream":
		p.text(o.Get("text"), loc, false)
	case "error", "pyerr":
		if tb := o.Get("traceback"); tb != nil && tb.Kind == jsonpos.Array && len(tb.Elems) > 0 {
			n0 := len(p.res.Segments)
			p.lines(tb, loc)
			// The traceback's last line repeats the value; one it does not
			// repeat is left to the rest pass.
			ev := o.Get("evalue")
			if t := p.shown(ev); t == "" || len(p.res.Segments) > n0 && strings.Contains(p.res.Segments[n0].Text, t) {
				p.done(ev)
			}
		} else {
			// Without a traceback the value is the only place the text lives.
			p.text(o.Get("evalue"), loc, true)
		}
	default: // execute_result, display_data, pyout, update_display_data
		bundle := o.Get("data")
		if v3 {
			bundle = o
		}
		if bundle == nil || bundle.Kind != jsonpos.Object {
			return
		}
		for _, m := range bundle.Members {
			mime := m.Key
			if v3 {
				switch mime {
				case "output_type", "prompt_number", "metadata", "execution_count":
					continue
				}
				mime = v3Mime(mime)
			}
			if !textLike(mime) {
				p.res.NotText++
				p.done(m.Value)
				continue
			}
			ml := loc
			ml.MimeType = mime
			switch m.Value.Kind {
			case jsonpos.String, jsonpos.Array:
				n0 := len(p.res.Segments)
				p.text(m.Value, ml, true)
				if loc.OutputType == "execute_result" && len(p.res.Segments) > n0 {
					p.res.Segments[n0].Context = result
				}
			case jsonpos.Object:
				// application/json and widget views hold structured data.
				ml.Part = "output"
				p.metadata(m.Value, ml, mime, 0)
			}
		}
	}
}

func v3Mime(k string) string {
	switch k {
	case "text":
		return "text/plain"
	case "html", "markdown", "latex":
		return "text/" + k
	case "json":
		return "application/json"
	case "javascript":
		return "application/javascript"
	case "svg":
		return "image/svg+xml"
	case "png", "jpeg", "gif":
		return "image/" + k
	case "pdf":
		return "application/pdf"
	}
	return k
}

// textLike reports whether a mime bundle entry is text a person could have
// typed or printed: anything but media and known binary types (an unknown
// type such as application/x-sql or VS Code's stdout is text). SVG is XML
// but produced by plotting libraries; it is treated as an image.
func textLike(mime string) bool {
	for _, p := range []string{"image/", "audio/", "video/", "font/", "model/"} {
		if strings.HasPrefix(mime, p) {
			return false
		}
	}
	switch mime {
	case "application/pdf", "application/octet-stream", "application/zip", "application/gzip", "application/wasm":
		return false
	}
	return true
}

// text emits a segment for a string or a list of strings joined as Jupyter
// joins them (concatenation: each element carries its own newline).
func (p *parser) text(v *jsonpos.Value, loc segment.Location, ansi bool) {
	if v == nil {
		return
	}
	if v.Kind == jsonpos.String || v.Kind == jsonpos.Array {
		p.done(v)
	}
	p.b.Reset()
	// Decoded text is never longer than its JSON; each line of a list starts
	// an anchor, and most end with an escaped newline.
	p.b.Grow(v.End-v.Start, 2*len(v.Elems)+2)
	var e jsonpos.Emitter = &p.b
	if loc.MimeType == "text/html" {
		// A value in an HTML table is written with entities (&amp;): scan
		// what the browser shows.
		e = htmlFilter{out: e}
	}
	if ansi || loc.Part == "output" {
		e = &ansiFilter{out: e}
	}
	switch v.Kind {
	case jsonpos.String:
		_ = v.Decode(p.data, e)
	case jsonpos.Array:
		for _, s := range v.Elems {
			if s.Kind == jsonpos.String {
				_ = s.Decode(p.data, e)
			}
		}
	default:
		return
	}
	if p.b.Len() > 0 {
		p.res.Segments = append(p.res.Segments, p.b.Segment(loc))
	}
}

// lines emits a traceback: a list of lines, each without its newline.
func (p *parser) lines(v *jsonpos.Value, loc segment.Location) {
	p.done(v)
	p.b.Reset()
	f := &ansiFilter{out: &p.b}
	for i, s := range v.Elems {
		if s.Kind != jsonpos.String {
			continue
		}
		if i > 0 {
			p.b.AddSynthetic("\n", s.Start)
		}
		_ = s.Decode(p.data, f)
		f.state = 0
	}
	if p.b.Len() > 0 {
		p.res.Segments = append(p.res.Segments, p.b.Segment(loc))
	}
}

// skipMeta lists metadata keys that Jupyter and editors generate and that
// never hold a typed secret (kernel names, interpreter hashes, timings).
var skipMeta = map[string]bool{
	"kernelspec": true, "language_info": true, "vscode": true, "ExecuteTime": true,
	"execution": true, "collapsed": true, "scrolled": true, "colab_type": true,
	"toc": true, "nbconvert_exporter": true, "pygments_lexer": true, "interpreter": true,
}

// metadata emits one segment per string leaf, with its key path and the key
// as context so that key-named rules can see it.
func (p *parser) metadata(v *jsonpos.Value, loc segment.Location, path string, depth int) {
	if v == nil || depth > 64 {
		return // deeper levels are left to the rest pass
	}
	switch v.Kind {
	case jsonpos.Object:
		label := widgetLabel(p.data, v)
		for i := range v.Members {
			m := &v.Members[i]
			if skipMeta[m.Key] {
				p.done(m.Value)
				continue
			}
			if m.TokenLikeKey() {
				// A token used as a key is scanned too, named by its parent.
				p.handled[m.KeyStart] = true
				p.b.Reset()
				_ = m.KeyValue().Decode(p.data, &p.b)
				l := loc
				l.KeyPath = path
				p.res.Segments = append(p.res.Segments, p.b.Segment(l))
			}
			n0 := len(p.res.Segments)
			p.metadata(m.Value, loc, path+"."+m.Key, depth+1)
			if label != "" && m.Key == "value" && len(p.res.Segments) == n0+1 {
				// An input widget's value is named by its label ("Mistral Api Key:").
				p.res.Segments[n0].Context = label
			}
		}
	case jsonpos.Array:
		for i, e := range v.Elems {
			p.metadata(e, loc, path+"["+strconv.Itoa(i)+"]", depth+1)
		}
	case jsonpos.String:
		p.done(v)
		p.b.Reset()
		_ = v.Decode(p.data, &p.b)
		if p.b.Len() == 0 {
			return
		}
		l := loc
		l.KeyPath = path
		s := p.b.Segment(l)
		s.Context = lastKey(path)
		p.res.Segments = append(p.res.Segments, s)
	}
}

// widgetLabel returns the label of an object that holds a widget's state: a
// short one-line description beside a value.
func widgetLabel(data []byte, v *jsonpos.Value) string {
	if val := v.Get("value"); val == nil || val.Kind != jsonpos.String {
		return ""
	}
	for _, k := range [...]string{"description", "label", "placeholder"} {
		if t := v.Get(k).Text(data); t != "" && len(t) <= 120 && !strings.ContainsAny(t, "\n<") {
			return t
		}
	}
	return ""
}

// lastExpression returns the last non-empty line of a cell's source when it
// is a bare expression Jupyter would display (a name, attribute, subscript or
// call), or "" for statements, assignments and long lines.
func lastExpression(src string) string {
	src = strings.TrimRight(src, " \t\r\n")
	line := src
	if i := strings.LastIndexByte(src, '\n'); i >= 0 {
		line = src[i+1:]
	}
	line = strings.TrimSpace(line)
	if line == "" || len(line) > 120 || line[0] == '#' || line[0] == '!' || line[0] == '%' {
		return ""
	}
	if i := strings.IndexByte(line, '='); i >= 0 && !strings.Contains(line, "==") {
		if i == 0 || !strings.ContainsRune("!<>", rune(line[i-1])) {
			return "" // assignments display nothing
		}
	}
	return line
}

func lastKey(path string) string {
	path = strings.TrimRight(path, "]0123456789[")
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// ansiFilter drops ANSI escape sequences (colours in tracebacks and progress
// bars) while keeping the raw mapping of everything else.
type ansiFilter struct {
	out   jsonpos.Emitter
	state int // 0 text, 1 after ESC, 2 inside CSI
}

func (f *ansiFilter) Add(text string, rawOff int) {
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch f.state {
		case 0:
			if c == 0x1b {
				if i > start {
					f.out.Add(text[start:i], rawOff+start)
				}
				f.state = 1
			}
			continue
		case 1:
			if c == '[' {
				f.state = 2
			} else {
				f.state = 0
			}
		case 2:
			if c >= 0x40 && c <= 0x7e {
				f.state = 0
			}
		}
		start = i + 1
	}
	if f.state == 0 && start < len(text) {
		f.out.Add(text[start:], rawOff+start)
	}
}

func (f *ansiFilter) AddMapped(text string, rawOff, rawLen int) {
	if text == "\x1b" {
		f.state = 1
		return
	}
	if f.state != 0 {
		// An escaped character inside a sequence: feed it through the state machine.
		f.Add(text, rawOff)
		return
	}
	f.out.AddMapped(text, rawOff, rawLen)
}

// htmlFilter decodes HTML character references (&amp; &lt; &#39; &#x2F;),
// each mapped to the raw bytes it was written as.
type htmlFilter struct{ out jsonpos.Emitter }

func (f htmlFilter) Add(text string, rawOff int) {
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '&' {
			continue
		}
		end := strings.IndexByte(text[i:min(len(text), i+12)], ';')
		if end < 0 {
			continue
		}
		ref := text[i : i+end+1]
		dec := html.UnescapeString(ref)
		if dec == ref {
			continue
		}
		if i > start {
			f.out.Add(text[start:i], rawOff+start)
		}
		f.out.AddMapped(dec, rawOff+i, len(ref))
		i += end
		start = i + 1
	}
	if start < len(text) {
		f.out.Add(text[start:], rawOff+start)
	}
}

func (f htmlFilter) AddMapped(text string, rawOff, rawLen int) { f.out.AddMapped(text, rawOff, rawLen) }
