package notebook

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lifeguard-dev/lifeguard/jsonpos"
)

// Editor rewrites an nbformat 4 notebook by splicing raw byte ranges of the
// original file: a cell's source strings and its outputs list. Everything it
// does not touch (indent, key order, escaping, other cells, the trailing
// newline) stays byte for byte, so a diff shows only the changed cells.
type Editor struct {
	data    []byte
	cells   []*jsonpos.Value
	sources map[int]string       // cell (1-based) → new source text
	clear   map[int]map[int]bool // cell → outputs (1-based) to remove
}

// ErrNotV4 is returned for notebooks older than nbformat 4 (worksheets),
// which Lifeguard reads but does not rewrite.
var ErrNotV4 = errors.New("only nbformat 4 notebooks can be rewritten")

// NewEditor returns an editor for data, parsed as res (from Parse(data)).
func NewEditor(data []byte, res *Result) (*Editor, error) {
	if res == nil || res.Root == nil {
		return nil, errors.New("notebook: no parse result")
	}
	cells := res.Root.Get("cells")
	if cells == nil || cells.Kind != jsonpos.Array {
		return nil, ErrNotV4
	}
	return &Editor{data: data, cells: cells.Elems, sources: map[int]string{}, clear: map[int]map[int]bool{}}, nil
}

// Cells is the number of cells.
func (e *Editor) Cells() int { return len(e.cells) }

func (e *Editor) cell(n int) (*jsonpos.Value, error) {
	if n < 1 || n > len(e.cells) || e.cells[n-1].Kind != jsonpos.Object {
		return nil, fmt.Errorf("notebook: no cell %d", n)
	}
	return e.cells[n-1], nil
}

// CellType returns the cell_type of cell n (1-based).
func (e *Editor) CellType(n int) string {
	c, err := e.cell(n)
	if err != nil {
		return ""
	}
	return c.Get("cell_type").Text(e.data)
}

// Source returns the source of cell n as Jupyter joins it, including edits
// made with SetSource.
func (e *Editor) Source(n int) (string, error) {
	if s, ok := e.sources[n]; ok {
		return s, nil
	}
	c, err := e.cell(n)
	if err != nil {
		return "", err
	}
	lines, err := e.sourceLines(c)
	if err != nil {
		return "", fmt.Errorf("cell %d: %w", n, err)
	}
	return strings.Join(lines, ""), nil
}

func (e *Editor) sourceLines(c *jsonpos.Value) ([]string, error) {
	v := c.Get("source")
	switch {
	case v == nil:
		return nil, errors.New("no source")
	case v.Kind == jsonpos.String:
		return []string{v.Text(e.data)}, nil
	case v.Kind == jsonpos.Array:
		out := make([]string, len(v.Elems))
		for i, s := range v.Elems {
			if s.Kind != jsonpos.String {
				return nil, fmt.Errorf("source line %d is a %s", i+1, s.Kind)
			}
			out[i] = s.Text(e.data)
		}
		return out, nil
	}
	return nil, fmt.Errorf("source is a %s", v.Kind)
}

// SetSource replaces the source of cell n.
func (e *Editor) SetSource(n int, text string) error {
	c, err := e.cell(n)
	if err != nil {
		return err
	}
	if _, err := e.sourceLines(c); err != nil {
		return fmt.Errorf("cell %d: %w", n, err)
	}
	e.sources[n] = text
	return nil
}

// ClearOutput removes output o (1-based) of cell n from its outputs list.
// The cell's execution_count and other outputs stay.
func (e *Editor) ClearOutput(n, o int) error {
	c, err := e.cell(n)
	if err != nil {
		return err
	}
	outs := c.Get("outputs")
	if outs == nil || outs.Kind != jsonpos.Array || o < 1 || o > len(outs.Elems) {
		return fmt.Errorf("notebook: cell %d has no output %d", n, o)
	}
	if e.clear[n] == nil {
		e.clear[n] = map[int]bool{}
	}
	e.clear[n][o] = true
	return nil
}

type splice struct {
	start, end int
	text       string
}

// Bytes returns the rewritten notebook.
func (e *Editor) Bytes() []byte {
	var sp []splice
	for n, text := range e.sources {
		c := e.cells[n-1]
		if s, ok := e.sourceSplice(c.Get("source"), text); ok {
			sp = append(sp, s)
		}
	}
	for n, drop := range e.clear {
		sp = append(sp, e.outputsSplice(e.cells[n-1].Get("outputs"), drop))
	}
	sort.Slice(sp, func(i, j int) bool { return sp[i].start > sp[j].start })
	out := append([]byte(nil), e.data...)
	for _, s := range sp {
		out = append(out[:s.start], append([]byte(s.text), out[s.end:]...)...)
	}
	return out
}

// splitLines splits text as nbformat stores sources: each line keeps its "\n".
func splitLines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n")
}

func fixLast(lines []string, text string) []string {
	if strings.HasSuffix(text, "\n") && len(lines) > 0 {
		lines[len(lines)-1] += "\n"
	}
	return lines
}

// sourceSplice rewrites a source value. A list keeps the raw bytes of every
// line that did not change (matched by longest common subsequence) and the
// separators between lines that stay neighbours.
func (e *Editor) sourceSplice(v *jsonpos.Value, text string) (splice, bool) {
	if v.Kind == jsonpos.String {
		if v.Text(e.data) == text {
			return splice{}, false
		}
		return splice{v.Start, v.End, Quote(text)}, true
	}
	old := v.Elems
	newLines := fixLast(splitLines(text), text)
	if len(old) == 0 || len(newLines) == 0 {
		if len(newLines) == 0 {
			return splice{v.Start, v.End, "[]"}, true
		}
		q := make([]string, len(newLines))
		for i, l := range newLines {
			q[i] = Quote(l)
		}
		return splice{v.Start, v.End, "[" + strings.Join(q, ", ") + "]"}, true
	}
	oldText := make([]string, len(old))
	for i, s := range old {
		oldText[i] = s.Text(e.data)
	}
	match := lcs(oldText, newLines) // new index → old index or -1
	sep := ", "
	if len(old) > 1 {
		sep = string(e.data[old[0].End:old[1].Start])
	} else if ws := string(e.data[v.Start+1 : old[0].Start]); strings.TrimSpace(ws) == "" && ws != "" {
		sep = "," + ws
	}
	var b strings.Builder
	prev := -2
	for j, l := range newLines {
		i := match[j]
		if j > 0 {
			if i >= 0 && prev >= 0 && i == prev+1 {
				b.Write(e.data[old[prev].End:old[i].Start])
			} else {
				b.WriteString(sep)
			}
		}
		if i >= 0 {
			b.Write(e.data[old[i].Start:old[i].End])
		} else {
			b.WriteString(Quote(l))
		}
		prev = i
	}
	return splice{old[0].Start, old[len(old)-1].End, b.String()}, true
}

// lcs matches lines of b to equal lines of a, keeping order.
func lcs(a, b []string) []int {
	m := make([]int, len(b))
	for j := range m {
		m[j] = -1
	}
	// Common prefix and suffix first; the table covers only the middle.
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		m[p] = p
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		m[len(b)-1-s] = len(a) - 1 - s
		s++
	}
	am, bm := a[p:len(a)-s], b[p:len(b)-s]
	if len(am) == 0 || len(bm) == 0 || len(am)*len(bm) > 4_000_000 {
		return m
	}
	t := make([][]int, len(am)+1)
	for i := range t {
		t[i] = make([]int, len(bm)+1)
	}
	for i := len(am) - 1; i >= 0; i-- {
		for j := len(bm) - 1; j >= 0; j-- {
			if am[i] == bm[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	for i, j := 0, 0; i < len(am) && j < len(bm); {
		switch {
		case am[i] == bm[j]:
			m[p+j] = p + i
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			i++
		default:
			j++
		}
	}
	return m
}

// outputsSplice removes the outputs in drop, keeping the raw bytes of the
// others and the separators in front of them.
func (e *Editor) outputsSplice(v *jsonpos.Value, drop map[int]bool) splice {
	var kept []int
	for i := range v.Elems {
		if !drop[i+1] {
			kept = append(kept, i)
		}
	}
	if len(kept) == 0 {
		return splice{v.Start, v.End, "[]"}
	}
	els := v.Elems
	var b strings.Builder
	for k, i := range kept {
		if k > 0 {
			b.Write(e.data[els[i-1].End:els[i].Start])
		}
		b.Write(e.data[els[i].Start:els[i].End])
	}
	return splice{els[0].Start, els[len(els)-1].End, b.String()}
}

// Quote encodes s as nbformat writes JSON strings (Python's json.dumps with
// ensure_ascii=False): quotes, backslashes and control characters escaped,
// everything else as is.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}
