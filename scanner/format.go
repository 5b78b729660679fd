package scanner

import (
	"bytes"
	"io"
	"path"
	"strings"

	"github.com/lifeguard-dev/lifeguard/modelfile"
	"github.com/lifeguard-dev/lifeguard/notebook"
	"github.com/lifeguard-dev/lifeguard/registry"
	"github.com/lifeguard-dev/lifeguard/segment"
	"github.com/lifeguard-dev/lifeguard/structured"
)

// Format turns one file into segments. Formats know nothing of rules.
type Format interface {
	// Name is a short label used in warnings and stats ("notebook", "yaml", …).
	Name() string
	// Detect reports whether the format applies, from the path and the first
	// bytes of the file (content, not only the extension).
	Detect(path string, head []byte) bool
	// Segments parses data. alsoPlain asks the scanner to run the plain-text
	// pass as well (structure adds context; the line scan still sees comments).
	// An error makes the scanner fall back to plain text with a warning.
	Segments(path string, data []byte) (segs []segment.Segment, alsoPlain bool, err error)
}

// HeaderFormat is a Format for large binary files whose secrets can only sit
// in a bounded header (model weights). The scanner lets it read just that
// header instead of the whole file and does not apply --max-file-size: a
// 10 GB .safetensors costs a few KB of I/O. Segments then receives the
// header bytes, which are a prefix of the file.
type HeaderFormat interface {
	Format
	ReadHeader(path string, r io.ReaderAt, size int64) ([]byte, error)
}

// DefaultFormats returns the formats Lifeguard understands, most specific first.
func DefaultFormats() []Format {
	fs := []Format{notebookFormat{}}
	for _, k := range []string{modelfile.KindSafetensors, modelfile.KindGGUF, modelfile.KindPickle} {
		fs = append(fs, modelFormat{k})
	}
	for _, k := range []string{registry.KindMLflow, registry.KindHFToken, registry.KindFrontMatter} {
		fs = append(fs, registryFormat{k})
	}
	for _, k := range []string{structured.KindYAML, structured.KindJSON, structured.KindINI, structured.KindEnv, structured.KindNetrc} {
		fs = append(fs, structuredFormat{k})
	}
	return fs
}

// modelFormat reads the metadata header of a model file.
type modelFormat struct{ kind string }

func (f modelFormat) Name() string { return f.kind }

func (f modelFormat) Detect(p string, head []byte) bool { return modelfile.Sniff(p, head) == f.kind }

func (f modelFormat) ReadHeader(_ string, r io.ReaderAt, size int64) ([]byte, error) {
	return modelfile.ReadHeader(f.kind, r, size)
}

func (f modelFormat) Segments(_ string, data []byte) ([]segment.Segment, bool, error) {
	segs, err := modelfile.Segments(f.kind, data)
	return segs, false, err
}

// registryFormat reads MLflow param/tag files, Hugging Face token files and
// model-card front matter.
type registryFormat struct{ kind string }

func (f registryFormat) Name() string { return f.kind }

func (f registryFormat) Detect(p string, head []byte) bool { return registry.Sniff(p, head) == f.kind }

func (f registryFormat) Segments(p string, data []byte) ([]segment.Segment, bool, error) {
	segs, err := registry.Segments(f.kind, p, data)
	return segs, true, err
}

// structuredFormat scans each value of a configuration file with its key
// path as context, in addition to the plain line scan.
type structuredFormat struct{ kind string }

func (f structuredFormat) Name() string { return f.kind }

func (f structuredFormat) Detect(p string, head []byte) bool {
	return structured.Sniff(p, head) == f.kind
}

func (f structuredFormat) Segments(_ string, data []byte) ([]segment.Segment, bool, error) {
	segs, err := structured.Parser(f.kind)(data)
	if err != nil {
		if f.kind == structured.KindYAML && bytes.Contains(data, []byte("{{")) {
			// A Helm or Jinja template is not YAML until rendered: the
			// plain pass reads it, without a warning for every chart.
			return nil, true, nil
		}
		return nil, false, err
	}
	return segs, true, nil
}

type notebookFormat struct{}

func (notebookFormat) Name() string { return notebook.Kind }

func (notebookFormat) Detect(p string, head []byte) bool {
	if strings.EqualFold(path.Ext(p), ".ipynb") {
		return true
	}
	// A notebook saved under another name, or piped in, is still a JSON
	// object whose first keys are its cells (Jupyter writes keys sorted, so
	// "nbformat" comes last) or, for v3, its worksheets.
	h := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	return len(h) > 0 && h[0] == '{' &&
		(bytes.Contains(head, []byte(`"cells"`)) || bytes.Contains(head, []byte(`"worksheets"`))) &&
		(bytes.Contains(head, []byte(`"cell_type"`)) || bytes.Contains(head, []byte(`"nbformat"`)))
}

func (notebookFormat) Segments(_ string, data []byte) ([]segment.Segment, bool, error) {
	res, err := notebook.Parse(data)
	if err != nil {
		return nil, false, err
	}
	return res.Segments, false, nil
}
