package detect

import (
	"sort"
	"strings"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
)

// Windowing: gitleaks runs each rule whose keyword occurs anywhere in a
// fragment over the whole fragment, so one common keyword ("key", "token")
// makes every generic regex read a whole log or CSV file. Rules only match
// near their keywords, so large segments are cut into windows around keyword
// hits (whole lines, with lines of context) and only those are scanned. This
// keeps gitleaks' semantics: a match always contains or sits next to its keyword.
const (
	windowMinSegment = 1 << 10 // smaller segments are scanned whole
	contextLines     = 1       // lines kept before and after a keyword's line
	wideSpan         = 16 << 10
)

type windower struct {
	trie *ahocorasick.Trie
	// wide[i] marks keyword i as belonging to a rule that can match across
	// many lines (PEM blocks, JSON key files): its window spans wideSpan bytes.
	wide []bool
	// whole is set when a rule has no keywords: gitleaks then runs it on
	// every fragment, so windowing would change results.
	whole bool
}

func newWindower(cfg config.Config) *windower {
	wideKW := map[string]bool{}
	w := &windower{}
	for _, r := range cfg.Rules {
		if r.Regex == nil {
			continue
		}
		if len(r.Keywords) == 0 {
			w.whole = true
		}
		if multiline(r.Regex.String()) {
			for _, k := range r.Keywords {
				wideKW[strings.ToLower(k)] = true
			}
		}
	}
	kws := make([]string, 0, len(cfg.Keywords))
	for k := range cfg.Keywords {
		kws = append(kws, strings.ToLower(k))
	}
	sort.Strings(kws)
	for _, k := range kws {
		w.wide = append(w.wide, wideKW[k])
	}
	w.trie = ahocorasick.NewTrieBuilder().AddStrings(kws).Build()
	return w
}

func multiline(src string) bool {
	for _, m := range []string{`\s\S`, `\S\s`, `(?s`, `\n`, `\r`, `[^`} {
		if strings.Contains(src, m) {
			if m == `[^` && !strings.Contains(src, `(?s`) {
				continue // [^x] crosses newlines but rules use it within a line
			}
			return true
		}
	}
	return false
}

type span struct{ start, end int }

// windows returns the spans of text worth scanning, or nil to scan it whole.
func (w *windower) windows(text string) []span {
	if w.whole || len(text) < windowMinSegment {
		return nil
	}
	lower := make([]byte, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	var spans []span
	total := 0
	w.trie.Walk(lower, func(end, n, pattern int64) bool {
		pos := int(end - n + 1)
		var s span
		if w.wide[pattern] {
			s = span{lineStart(text, max(0, pos-wideSpan), 0), lineEnd(text, min(len(text), pos+wideSpan), 0)}
		} else {
			s = span{lineStart(text, pos, contextLines), lineEnd(text, pos, contextLines)}
		}
		if k := len(spans) - 1; k >= 0 && s.start <= spans[k].end {
			if s.end > spans[k].end {
				total += s.end - spans[k].end
				spans[k].end = s.end
			}
			return true
		}
		spans = append(spans, s)
		total += s.end - s.start
		return true
	})
	if total > len(text)*3/4 {
		return nil // mostly keywords: one pass is cheaper
	}
	if spans == nil {
		spans = []span{}
	}
	return spans
}

// lineStart returns the start of the line holding pos, moved back by n lines.
func lineStart(text string, pos, n int) int {
	i := pos
	for {
		j := strings.LastIndexByte(text[:i], '\n')
		if j < 0 {
			return 0
		}
		if n == 0 {
			return j + 1
		}
		n--
		i = j
	}
}

// lineEnd returns the end (after the newline) of the line holding pos, moved on by n lines.
func lineEnd(text string, pos, n int) int {
	i := pos
	for {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			return len(text)
		}
		if n == 0 {
			return i + j + 1
		}
		n--
		i += j + 1
	}
}
