package structured

import (
	"strings"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Env returns one segment per variable of a dotenv file (.env, .env.local,
// *.env, .envrc): KEY=value, export KEY=value, quoted values spanning lines.
// Values are mapped byte for byte (escapes are left as written, so a secret
// keeps its raw spelling). The parser is line-based and never fails.
func Env(data []byte) ([]segment.Segment, error) {
	var segs []segment.Segment
	ls := splitLines(data)
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		ind := leadingWS(l.text)
		t := l.text[ind:]
		off := l.off + ind
		if t == "" || t[0] == '#' {
			continue
		}
		if strings.HasPrefix(t, "export ") {
			n := 7 + leadingWS(t[7:])
			t, off = t[n:], off+n
		}
		eq := strings.IndexByte(t, '=')
		if eq <= 0 || !isEnvName(strings.TrimRight(t[:eq], " \t")) {
			continue
		}
		key := strings.TrimRight(t[:eq], " \t")
		v := t[eq+1:]
		voff := off + eq + 1
		lw := leadingWS(v)
		v, voff = v[lw:], voff+lw
		var val string
		switch {
		case v != "" && (v[0] == '"' || v[0] == '\''):
			q := v[0]
			// The value may run over several lines until its closing quote.
			start := voff + 1
			end := closingQuote(data, start, q)
			if end < 0 {
				val = strings.TrimRight(v[1:], " \t")
				break
			}
			val = string(data[start:end])
			for i+1 < len(ls) && ls[i+1].off <= end {
				i++
			}
			voff = start
		default:
			if c := strings.Index(v, " #"); c >= 0 {
				v = v[:c]
			}
			val = strings.TrimRight(v, " \t")
		}
		if skipValue(val) {
			continue
		}
		segs = append(segs, plainValue(val, voff, segment.Location{Kind: KindEnv, KeyPath: key}, key))
	}
	return segs, nil
}

// closingQuote returns the offset of the quote q closing a value that starts
// at from, skipping backslash escapes inside double quotes; -1 if none.
func closingQuote(data []byte, from int, q byte) int {
	for i := from; i < len(data); i++ {
		switch data[i] {
		case '\\':
			if q == '"' {
				i++
			}
		case q:
			return i
		}
	}
	return -1
}

func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '.' || c == '-' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}
