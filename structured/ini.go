package structured

import (
	"strings"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// line is one physical line of a file: its text without the line break and
// the raw offset where it starts.
type line struct {
	text string
	off  int
}

func splitLines(data []byte) []line {
	var ls []line
	start := 0
	for start <= len(data) {
		end := start
		for end < len(data) && data[end] != '\n' {
			end++
		}
		t := string(data[start:end])
		t = strings.TrimSuffix(t, "\r")
		ls = append(ls, line{t, start})
		if end >= len(data) {
			break
		}
		start = end + 1
	}
	return ls
}

// leadingWS returns the number of leading spaces and tabs.
func leadingWS(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// INI returns one segment per value of an INI-style file: .dvc/config and
// config.local, pip.conf, .pypirc, airflow.cfg, setup.cfg, AWS credentials,
// .gitconfig and flat TOML such as Streamlit's secrets.toml. Key paths are
// section.key, e.g. `remote "azstore".connection_string`. Indented lines
// indented deeper than their key continue its value, as configparser reads
// them. The parser is line-based and never fails.
func INI(data []byte) ([]segment.Segment, error) {
	var (
		segs    []segment.Segment
		b       segment.Builder
		section string
		key     string // key of the value being built, "" if none
		keyInd  int
	)
	flush := func() {
		if key == "" {
			return
		}
		seg := b.Segment(segment.Location{Kind: KindINI, KeyPath: iniPath(section, key)})
		seg.Context = key
		if !skipValue(seg.Text) {
			segs = append(segs, seg)
		}
		key = ""
	}
	for _, l := range splitLines(data) {
		ind := leadingWS(l.text)
		t := strings.TrimRight(l.text[ind:], " \t")
		if t == "" || t[0] == '#' || t[0] == ';' {
			flush()
			continue
		}
		if t[0] == '[' {
			flush()
			if e := strings.LastIndexByte(t, ']'); e > 0 {
				section = unquote(strings.TrimSpace(strings.Trim(t[:e+1], "[]")))
			}
			continue
		}
		sep := strings.IndexAny(t, "=:")
		if key != "" && ind > keyInd {
			// Continuation line of a multi-line value.
			if b.Len() > 0 {
				b.AddSynthetic("\n", l.off+ind)
			}
			b.Add(t, l.off+ind)
			continue
		}
		flush()
		if sep <= 0 {
			continue
		}
		k := strings.TrimSpace(t[:sep])
		v := t[sep+1:]
		voff := l.off + ind + sep + 1
		lw := leadingWS(v)
		v, voff = v[lw:], voff+lw
		if q, off, ok := stripQuotes(v); ok {
			v, voff = q, voff+off
		}
		key, keyInd = k, ind
		b.Reset()
		b.Add(v, voff)
	}
	flush()
	return segs, nil
}

func iniPath(section, key string) string {
	if section == "" {
		return key
	}
	return section + "." + key
}

// unquote strips one pair of matching quotes: DVC writes ['remote "s3"'].
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// stripQuotes returns the inside of a value wholly enclosed in matching
// quotes, with the offset of its first byte.
func stripQuotes(v string) (string, int, bool) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1], 1, true
	}
	return v, 0, false
}
