package fix

import (
	"regexp"
	"sort"
	"strings"
)

// pyString is a string literal in Python source: [start,end) spans prefix and
// quotes, [bodyStart,bodyEnd) what is between the quotes.
type pyString struct {
	start, end, bodyStart, bodyEnd int
	prefix                         string
	quote                          string
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func isStrPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf", "t", "tr", "rt":
		return true
	}
	return false
}

// pyStrings lists the string literals of Python source, skipping comments.
// It is a lexer for literals only: enough to find the literal around a secret.
func pyStrings(src string) []pyString {
	var out []pyString
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case isIdent(c):
			j := i
			for j < len(src) && isIdent(src[j]) {
				j++
			}
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && isStrPrefix(src[i:j]) {
				s, next := lexString(src, i, j)
				out = append(out, s)
				i = next
				continue
			}
			i = j
		case c == '"' || c == '\'':
			s, next := lexString(src, i, i)
			out = append(out, s)
			i = next
		default:
			i++
		}
	}
	return out
}

// lexString reads the literal whose prefix starts at start and quote at q.
func lexString(src string, start, q int) (pyString, int) {
	quote := src[q : q+1]
	if strings.HasPrefix(src[q:], strings.Repeat(quote, 3)) {
		quote = strings.Repeat(quote, 3)
	}
	s := pyString{start: start, prefix: src[start:q], quote: quote, bodyStart: q + len(quote)}
	i := s.bodyStart
	for i < len(src) {
		switch {
		case src[i] == '\\':
			i += 2
			continue
		case len(quote) == 1 && src[i] == '\n':
			// Unterminated: stop at the line end.
			s.bodyEnd, s.end = i, i
			return s, i
		case strings.HasPrefix(src[i:], quote):
			s.bodyEnd, s.end = i, i+len(quote)
			return s, s.end
		}
		i++
	}
	s.bodyEnd, s.end = len(src), len(src)
	return s, len(src)
}

var (
	pyAssignRe   = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_][\w\[\], .|]*)?(?::=|=)\s*$`)
	pySubRe      = regexp.MustCompile(`\[\s*[rRuU]?["']([^"'\n]+)["']\s*\]\s*=\s*$`)
	pyDictKeyRe  = regexp.MustCompile(`[rRuU]?["']([^"'\n]+)["']\s*:\s*$`)
	pyFirstArgRe = regexp.MustCompile(`\(\s*[rRuU]?["']([^"'\n]+)["']\s*,\s*$`)
)

// pyContext is the name the literal at start is assigned to: a variable,
// keyword argument, dict key, os.environ key or setdefault/putenv key.
func pyContext(src string, start int) string {
	lineStart := strings.LastIndexByte(src[:start], '\n') + 1
	before := src[lineStart:start]
	for _, re := range []*regexp.Regexp{pySubRe, pyFirstArgRe, pyDictKeyRe, pyAssignRe} {
		if m := re.FindStringSubmatch(before); m != nil {
			return m[1]
		}
	}
	return ""
}

// pyEdit is one replacement in Python source.
type pyEdit struct {
	start, end int
	text       string
}

// target is one secret to replace in a text, with the name it gets.
type target struct {
	start, end int // offsets of the secret in the text
	name       string
	idx        int // index of the site
}

// onlySpace reports whether s holds nothing but white space, line
// continuations and comments: what may separate implicitly joined literals.
func onlySpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\\':
		case '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		default:
			return false
		}
	}
	return true
}

// inFStringField reports whether off lies inside a replacement field {…}
// of the f-string l (a string literal within the field's expression).
func inFStringField(src string, l pyString, off int) bool {
	if !strings.ContainsAny(l.prefix, "fF") {
		return false
	}
	depth := 0
	for i := l.bodyStart; i < off && i < l.bodyEnd; i++ {
		switch {
		case depth == 0 && strings.HasPrefix(src[i:], "{{"), depth == 0 && strings.HasPrefix(src[i:], "}}"):
			i++ // an escaped brace
		case src[i] == '{':
			depth++
		case src[i] == '}' && depth > 0:
			depth--
		}
	}
	return depth > 0
}

// bareString reports whether l stands alone as a statement (a docstring):
// nothing before it on its line but indentation, after the end of a
// statement, and nothing after it but a comment. Made an f-string, a
// docstring would stop being one.
func bareString(src string, l pyString) bool {
	lineStart := strings.LastIndexByte(src[:l.start], '\n') + 1
	if strings.TrimLeft(src[lineStart:l.start], " \t") != "" {
		return false
	}
	prev := strings.TrimRight(src[:lineStart], " \t\r\n")
	if prev != "" && strings.ContainsRune("([{,+\\\"'", rune(prev[len(prev)-1])) {
		return false // continues an expression (or joins the literal before it)
	}
	rest := src[l.end:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSpace(rest)
	return rest == "" || rest[0] == '#'
}

// rewritePython replaces each target's literal with a reference. It returns
// the new source, the import lines the references need, and the sites it
// could not rewrite with the reason.
func rewritePython(src string, targets []target, prov provider) (string, []string, map[int]string) {
	lits := pyStrings(src)
	failed := map[int]string{}
	byLit := map[int][]target{}
	var litOrder []int
	for _, t := range targets {
		li := -1
		for k, l := range lits {
			if t.start >= l.bodyStart && t.end <= l.bodyEnd {
				li = k
				break
			}
		}
		if li < 0 {
			failed[t.idx] = "not inside a string literal (a comment or bare code); remove it by hand"
			continue
		}
		if strings.ContainsAny(lits[li].prefix, "bB") {
			failed[t.idx] = "inside a bytes literal; replace it by hand"
			continue
		}
		if line := strings.TrimLeft(src[strings.LastIndexByte(src[:lits[li].start], '\n')+1:], " \t"); line != "" && (line[0] == '!' || line[0] == '%') {
			failed[t.idx] = "on a shell (!) or magic (%) line, which IPython does not run as Python; move it by hand"
			continue
		}
		if bareString(src, lits[li]) {
			failed[t.idx] = "in a docstring or bare string, which is text, not code; remove it by hand"
			continue
		}
		if strings.HasPrefix(strings.TrimLeft(src[strings.LastIndexByte(src[:lits[li].start], '\n')+1:], " \t"), "case ") {
			failed[t.idx] = "a match pattern, which must be a literal; replace it by hand"
			continue
		}
		if inFStringField(src, lits[li], t.start) {
			failed[t.idx] = "a string inside an f-string's {…}; replace it by hand"
			continue
		}
		if _, ok := byLit[li]; !ok {
			litOrder = append(litOrder, li)
		}
		byLit[li] = append(byLit[li], t)
	}
	var edits []pyEdit
	importSet := map[string]bool{}
	var imports []string
	need := func(im []string) {
		for _, s := range im {
			if !importSet[s] {
				importSet[s] = true
				imports = append(imports, s)
			}
		}
	}
	for _, li := range litOrder {
		l, ts := lits[li], byLit[li]
		sort.Slice(ts, func(a, b int) bool { return ts[a].start < ts[b].start })
		isF := strings.ContainsAny(l.prefix, "fF")
		// Beside another literal ("a" "b": implicit concatenation) a bare
		// expression would be a syntax error; an f-string concatenates.
		joined := li > 0 && onlySpace(src[lits[li-1].end:l.start]) || li+1 < len(lits) && onlySpace(src[l.end:lits[li+1].start])
		if len(ts) == 1 && ts[0].start == l.bodyStart && ts[0].end == l.bodyEnd && !isF && !joined {
			expr, im := prov.python(ts[0].name, '"')
			need(im)
			edits = append(edits, pyEdit{l.start, l.end, expr})
			continue
		}
		// The secret is part of a longer string (a URL, a header): rebuild
		// the literal as an f-string with the reference in place.
		inner := byte('\'')
		if l.quote[0] == '\'' {
			inner = '"'
		}
		var b strings.Builder
		prefix := strings.NewReplacer("u", "", "U", "").Replace(l.prefix)
		if !isF {
			prefix += "f"
		}
		b.WriteString(prefix + l.quote)
		at := l.bodyStart
		lit := func(s string) {
			if !isF {
				s = strings.NewReplacer("{", "{{", "}", "}}").Replace(s)
			}
			b.WriteString(s)
		}
		for _, t := range ts {
			if t.start < at {
				failed[t.idx] = "overlaps another secret in the same string"
				continue
			}
			lit(src[at:t.start])
			expr, im := prov.python(t.name, inner)
			need(im)
			b.WriteString("{" + expr + "}")
			at = t.end
		}
		lit(src[at:l.bodyEnd])
		b.WriteString(l.quote)
		edits = append(edits, pyEdit{l.start, l.end, b.String()})
	}
	sort.Slice(edits, func(a, b int) bool { return edits[a].start > edits[b].start })
	out := src
	for _, e := range edits {
		out = out[:e.start] + e.text + out[e.end:]
	}
	return out, imports, failed
}

// hasImport reports whether src already has the import line im at module
// level (one inside a function or an if block does not serve the module).
func hasImport(src, im string) bool {
	var re string
	if strings.HasPrefix(im, "from ") {
		f := strings.Fields(im) // from M import N
		re = `(?m)^from[ \t]+` + regexp.QuoteMeta(f[1]) + `[ \t]+import[ \t(]+[^\n]*\b` + regexp.QuoteMeta(f[3]) + `\b`
	} else {
		mod := strings.TrimPrefix(im, "import ")
		re = `(?m)^import[ \t]+([\w.]+[ \t]*,[ \t]*)*` + regexp.QuoteMeta(mod) + `[ \t]*($|[,;#\n])`
	}
	return regexp.MustCompile(re).MatchString(src)
}

// addImports adds the missing import lines to src, with the other top-level
// imports (in sorted position within the first import block) or, without
// imports, at the top after the shebang, cell magic and module docstring.
func addImports(src string, imports []string) string {
	var missing []string
	for _, im := range imports {
		if !hasImport(src, im) {
			missing = append(missing, im)
		}
	}
	if len(missing) == 0 {
		return src
	}
	if rest, ok := strings.CutPrefix(src, "\ufeff"); ok {
		return "\ufeff" + addImports(rest, imports) // the BOM stays first
	}
	lines := strings.SplitAfter(src, "\n")
	isImport := func(l string) bool {
		return (strings.HasPrefix(l, "import ") || strings.HasPrefix(l, "from ")) && !strings.HasPrefix(l, "from __future__")
	}
	first := -1
	for i, l := range lines {
		if isImport(l) {
			first = i
			break
		}
	}
	var at []int // insertion line for each missing import
	if first >= 0 {
		end := first
		for end < len(lines) && isImport(lines[end]) {
			code, _, _ := strings.Cut(lines[end], "#") // a "(" in a comment opens nothing
			if strings.Contains(code, "(") && !strings.Contains(code, ")") {
				// A parenthesised import runs to its closing line (or, never
				// closed, to the end).
				for end+1 < len(lines) && !strings.Contains(lines[end+1], ")") {
					end++
				}
				end++
			}
			end++
		}
		n := len(lines)
		if lines[n-1] == "" {
			n-- // SplitAfter's empty piece after a final newline
		}
		end = min(end, n)
		for _, im := range missing {
			pos := end
			for i := first; i < end; i++ {
				if isImport(lines[i]) && strings.TrimRight(lines[i], "\r\n") > im {
					pos = i
					break
				}
			}
			at = append(at, pos)
		}
	} else {
		pos := pyHeaderEnd(lines)
		for range missing {
			at = append(at, pos)
		}
	}
	nl := "\n"
	if strings.Contains(src, "\r\n") {
		nl = "\r\n" // a Windows file keeps its line endings
	}
	var b strings.Builder
	for i := 0; i <= len(lines); i++ {
		for k, p := range at {
			if p != i {
				continue
			}
			if i == len(lines) && i > 0 && !strings.HasSuffix(lines[i-1], "\n") {
				// After a last line without a newline: keep the file (or
				// cell) ending without one.
				b.WriteString(nl + missing[k])
				continue
			}
			b.WriteString(missing[k] + nl)
		}
		if i < len(lines) {
			b.WriteString(lines[i])
		}
	}
	return b.String()
}

// pyHeaderEnd is the first line after a shebang, encoding line, cell magic,
// leading comments and a module docstring.
func pyHeaderEnd(lines []string) int {
	i := 0
	for i < len(lines) {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "#") || strings.HasPrefix(lines[i], "%%") {
			i++
			continue
		}
		break
	}
	if i < len(lines) {
		t := strings.TrimSpace(lines[i])
	docstring:
		for _, q := range []string{`"""`, `'''`} {
			if strings.HasPrefix(t, q) || strings.HasPrefix(strings.TrimLeft(t, "rRuU"), q) {
				if strings.Count(t, q) >= 2 {
					i++
					break docstring
				}
				for j := i + 1; j < len(lines); j++ {
					if strings.Contains(lines[j], q) {
						i = j + 1
						break docstring
					}
				}
			}
		}
	}
	// from __future__ imports must come first: go after them.
	for j := i; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		switch {
		case strings.HasPrefix(t, "from __future__"):
			i = j + 1
		case t == "" || strings.HasPrefix(t, "#"):
		default:
			return i
		}
	}
	return i
}

// pyName suggests the name for a secret at [start,end) of src.
func pyName(src string, start, end int) (ctx string, url bool) {
	lits := pyStrings(src)
	for _, l := range lits {
		if start >= l.bodyStart && end <= l.bodyEnd {
			body := src[l.bodyStart:l.bodyEnd]
			if n, ok := urlUserinfo(body, start-l.bodyStart, end-l.bodyStart); ok {
				c := normName(pyContext(src, l.start))
				for _, suf := range []string{"_URL", "_URI", "_DSN"} {
					if strings.HasSuffix(c, suf) && len(c) > len(suf) {
						return strings.TrimSuffix(c, suf) + strings.TrimPrefix(n[strings.LastIndexByte(n, '_'):], ""), true
					}
				}
				return n, true
			}
			return pyContext(src, l.start), false
		}
	}
	return "", false
}
