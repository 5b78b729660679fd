package fix

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/notebook"
)

var topImportRe = regexp.MustCompile(`(?m)^(import|from)[ \t]+\S`)

// pythonMagics are cell magics whose cell body is still Python.
var pythonMagics = map[string]bool{"time": true, "timeit": true, "capture": true, "prun": true, "python": true, "python3": true, "debug": true}

// cellMagic is the name of the cell magic a cell starts with ("bash" for
// %%bash), or "".
func cellMagic(src string) string {
	t := strings.TrimLeft(src, " \t\r\n")
	if !strings.HasPrefix(t, "%%") {
		return ""
	}
	t = t[2:]
	if i := strings.IndexAny(t, " \t\r\n"); i >= 0 {
		t = t[:i]
	}
	return t
}

// notebook rewrites code cells that hold secrets and clears the outputs that
// show one, splicing the raw JSON so the rest of the file stays as it was.
func (b *builder) notebook(file string, data []byte, fs []detect.Finding) {
	res, err := notebook.Parse(data)
	if err != nil {
		b.propose(file, fs, fmt.Sprintf("not a notebook Lifeguard can parse (%v)", err))
		return
	}
	ed, err := notebook.NewEditor(data, res)
	if err != nil {
		b.propose(file, fs, err.Error())
		return
	}
	type work struct {
		targets []target
		fs      []detect.Finding
	}
	cells := map[int]*work{}
	var names []string
	for _, f := range fs {
		loc := f.Location
		switch {
		case loc.Kind != notebook.Kind || loc.Cell == 0:
			b.propose(file, []detect.Finding{f}, "in the notebook's metadata")
		case loc.Part == "output":
			if err := ed.ClearOutput(loc.Cell, loc.Output); err != nil {
				b.propose(file, []detect.Finding{f}, err.Error())
				continue
			}
			s := b.secret(f, "", false, "")
			names = appendUniq(names, s.Name)
		case loc.Part == "source" && ed.CellType(loc.Cell) == "code" && res.Language != "" && res.Language != "python":
			b.propose(file, []detect.Finding{f}, fmt.Sprintf("cell %d runs %s, and Lifeguard rewrites Python only", loc.Cell, res.Language))
		case loc.Part == "source" && ed.CellType(loc.Cell) == "code":
			src, err := ed.Source(loc.Cell)
			if err != nil {
				b.propose(file, []detect.Finding{f}, err.Error())
				continue
			}
			if m := cellMagic(src); m != "" && !pythonMagics[m] {
				b.propose(file, []detect.Finding{f}, fmt.Sprintf("cell %d is a %%%%%s cell, not Python", loc.Cell, m))
				continue
			}
			off := -1
			if seg := f.Segment; seg != nil && seg.Text == src && f.SegmentOffset+len(f.Secret) <= len(src) &&
				src[f.SegmentOffset:f.SegmentOffset+len(f.Secret)] == f.Secret {
				off = f.SegmentOffset
			} else if strings.Count(src, f.Secret) == 1 {
				off = strings.Index(src, f.Secret)
			}
			if off < 0 {
				b.propose(file, []detect.Finding{f}, fmt.Sprintf("cell %d changed since the scan", loc.Cell))
				continue
			}
			ctx, _ := pyName(src, off, off+len(f.Secret))
			s := b.secret(f, ctx, false, b.prov.name)
			w := cells[loc.Cell]
			if w == nil {
				w = &work{}
				cells[loc.Cell] = w
			}
			w.targets = append(w.targets, target{start: off, end: off + len(f.Secret), name: s.Name, idx: len(w.fs)})
			w.fs = append(w.fs, f)
		default:
			b.propose(file, []detect.Finding{f}, fmt.Sprintf("in %s cell %d (%s); remove it by hand", ed.CellType(loc.Cell), loc.Cell, loc.Part))
		}
	}
	var order []int
	for c := range cells {
		order = append(order, c)
	}
	sort.Ints(order)
	newSrc := map[int]string{}
	type need struct {
		im   string
		cell int
	}
	var needs []need
	seen := map[string]bool{}
	for _, c := range order {
		w := cells[c]
		src, _ := ed.Source(c)
		out, imports, failed := rewritePython(src, w.targets, b.prov)
		for i, f := range w.fs {
			if why, bad := failed[i]; bad {
				b.proposeOne(f, w.targets[i].name, fmt.Sprintf("cell %d: %s", c, why))
			} else {
				names = appendUniq(names, w.targets[i].name)
			}
		}
		if out != src {
			newSrc[c] = out
		}
		for _, im := range imports {
			if !seen[im] {
				seen[im] = true
				needs = append(needs, need{im, c})
			}
		}
	}
	source := func(c int) string {
		if s, ok := newSrc[c]; ok {
			return s
		}
		s, _ := ed.Source(c)
		return s
	}
	firstCode := 0
	for c := 1; c <= ed.Cells(); c++ {
		if ed.CellType(c) == "code" {
			firstCode = c
			break
		}
	}
	for _, n := range needs {
		have := false
		for c := 1; c <= ed.Cells() && !have; c++ {
			have = ed.CellType(c) == "code" && hasImport(source(c), n.im)
		}
		if have {
			continue
		}
		// With the other imports: the first code cell if it imports, else
		// the cell that uses the name.
		at := n.cell
		if firstCode > 0 && topImportRe.MatchString(source(firstCode)) {
			at = firstCode
		}
		newSrc[at] = addImports(source(at), []string{n.im})
	}
	for c, s := range newSrc {
		if err := ed.SetSource(c, s); err != nil {
			b.propose(file, cells[c].fs, err.Error())
		}
	}
	after := ed.Bytes()
	if len(names) > 0 && string(after) != string(data) {
		b.addChange(&Change{Path: file, Kind: KindNotebook, Before: data, After: after, Names: names})
	}
}
