// Package structured turns configuration files into segments, one per scalar
// value, each carrying its key path (jobs.train.env.OPENAI_API_KEY,
// spec.templates[0].container.env[name=HF_TOKEN].value) and the key name as
// context, mapped back to the exact raw bytes of the file. It covers YAML
// (multi-document, block scalars, anchors, flow style), JSON, INI-style
// files (.dvc/config, pip.conf, .pypirc, airflow.cfg, flat TOML), dotenv and
// .netrc. It knows nothing of rules: scanning and deciding are detect's job.
package structured

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Location kinds of the segments this package produces.
const (
	KindYAML  = "yaml"
	KindJSON  = "json"
	KindINI   = "ini"
	KindEnv   = "env"
	KindNetrc = "netrc"
)

// MaxParseSize bounds the files parsed for structure. Above it the scanner
// falls back to the plain-text pass (with a warning): a tree of a huge
// document would cost several times its size in memory.
const MaxParseSize = 16 << 20

// maxBlob is the length above which a value without any whitespace is taken
// for an encoded blob (an embedded image, a model weight) and left to the
// plain-text pass instead of being copied into a segment of its own.
const maxBlob = 64 << 10

// AppendKey extends a key path with a mapping key. Keys that would make the
// path ambiguous are quoted: metadata.annotations["example.com/token"].
func AppendKey(path, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\"' \t\n") {
		key = "[" + strconv.Quote(key) + "]"
		return path + key
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// AppendIndex extends a key path with a sequence index or a selector
// (name=HF_TOKEN) that names the element better than its position.
func AppendIndex(path string, i int, selector string) string {
	if selector != "" {
		return path + "[" + selector + "]"
	}
	return path + "[" + strconv.Itoa(i) + "]"
}

// referenceRE matches values that only point at a secret kept elsewhere:
// CI expressions, templates, shell substitutions, environment variables and
// configparser interpolation.
var referenceRE = regexp.MustCompile(`^(?:\$\{\{.*\}\}|\{\{.*\}\}|\$\(.*\)|\$\{[A-Za-z_][A-Za-z0-9_.]*(?:[:?=-][^}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*|%\([A-Za-z0-9_.-]+\)s|\{%.*%\})$`)

// IsReference reports whether a whole value is a reference to a secret, not
// a secret: ${{ secrets.X }}, {{ .Values.token }}, $(cat /run/token), ${VAR}.
func IsReference(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && len(v) < 4096 && referenceRE.MatchString(v)
}

// skipValue reports values not worth a segment of their own: empty ones,
// references, and huge blobs (the plain pass still reads those).
func skipValue(v string) bool {
	if strings.TrimSpace(v) == "" || IsReference(v) {
		return true
	}
	return len(v) > maxBlob && !strings.ContainsAny(v, " \t\n")
}

// lineIndex maps 1-based lines and rune columns to raw byte offsets.
type lineIndex struct {
	data   []byte
	starts []int
}

func newLineIndex(data []byte) *lineIndex {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{data: data, starts: starts}
}

// offset returns the byte offset of a 1-based line and 1-based rune column,
// or -1 when the position lies outside the data.
func (l *lineIndex) offset(line, col int) int {
	if line < 1 || line > len(l.starts) || col < 1 {
		return -1
	}
	off := l.starts[line-1]
	for c := 1; c < col; c++ {
		if off >= len(l.data) || l.data[off] == '\n' {
			return -1
		}
		_, n := decodeRune(l.data[off:])
		off += n
	}
	return off
}

// lineStart returns the offset of the start of a 1-based line, or len(data).
func (l *lineIndex) lineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(l.starts) {
		return len(l.data)
	}
	return l.starts[line-1]
}

func decodeRune(b []byte) (rune, int) {
	c := b[0]
	switch {
	case c < 0x80:
		return rune(c), 1
	case c&0xE0 == 0xC0 && len(b) >= 2:
		return 0, 2
	case c&0xF0 == 0xE0 && len(b) >= 3:
		return 0, 3
	case c&0xF8 == 0xF0 && len(b) >= 4:
		return 0, 4
	}
	return rune(c), 1
}

// plainValue returns a segment for a value copied 1:1 from raw offset off.
func plainValue(text string, off int, loc segment.Location, ctx string) segment.Segment {
	s := segment.Plain(text, off, loc)
	s.Context = ctx
	return s
}
