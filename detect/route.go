package detect

import (
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
	gdetect "github.com/zricethezav/gitleaks/v8/detect"

	"github.com/lifeguard-dev/lifeguard/rules"
)

// Routing: gitleaks runs every rule whose keyword occurs anywhere in a
// fragment over the whole fragment, and pays a pass over all its rules for
// each fragment. A notebook yields dozens of small segments, and one common
// keyword ("key", "token") makes every generic regex read a whole log. So
// each rule gets a gitleaks detector of its own, one keyword search finds
// which rules a text can match, and each of those runs only over windows
// around its own keywords: whole lines, one line of context each side, and
// as many more lines as a match can span, read from the rule's regex (a
// newline-capable atom repeated n times spans n lines; a match of at most c
// characters reaches no line farther than c characters). This keeps gitleaks' results
// for rules whose match contains or sits next to a keyword, which is what
// keywords are for.
const (
	windowMinSegment = 256 // smaller texts are scanned whole
	contextLines     = 1   // lines kept before and after a keyword's line
	wideSpan         = 16 << 10
	// spaceLines and spaceRun are what an unbounded run of white space
	// (\s*) counts for, in lines and characters: a value sits a newline and
	// an indent away from its key, not pages.
	spaceLines = 2
	spaceRun   = 64
	// manyLines is where a rule's line span counts as unbounded.
	manyLines = 64
)

type router struct {
	trie *ahocorasick.Trie
	// kwRules[i] lists the rules that keyword i enables.
	kwRules [][]kwRule
	kws     []string
	rules   []*routed
	// whole runs the rules without keywords, which gitleaks runs on every
	// fragment; nil when there are none.
	whole *gdetect.Detector
}

// kwRule is a rule a keyword enables; exact, when set, is how the keyword
// must be written (rules.Rule.KeywordsMatchCase).
type kwRule struct {
	rule  int
	exact string
}

// routed is one rule's detector and the bounds of its matches, built on
// first use: a pre-commit hook that scans ten files needs a few rules, and
// building them all would double its start-up.
type routed struct {
	once sync.Once
	cfg  config.Config
	det  *gdetect.Detector
	// lines is how many lines a match can span beyond the keyword's own
	// (manyLines: no bound); reach bounds its length in characters (wideSpan:
	// no bound).
	lines, reach int
	// lead[k] bounds how many characters a match holds before keyword k
	// (-1: the regex does not say; the window then reaches back as far as
	// a whole match).
	lead map[string]int
}

func (rt *routed) init() {
	rt.once.Do(func() {
		rt.det = gdetect.NewDetector(rt.cfg)
		rt.lines, rt.reach = manyLines, wideSpan
		rt.lead = map[string]int{}
		var rule config.Rule
		for _, r := range rt.cfg.Rules {
			rule = r
		}
		re, err := syntax.Parse(rule.Regex.String(), syntax.Perl)
		for k := range rt.cfg.Keywords {
			rt.lead[k] = -1
		}
		if err != nil {
			return
		}
		re = re.Simplify()
		rt.lines, rt.reach = reNewlines(re), reRunes(re)
		for k := range rt.cfg.Keywords {
			rt.lead[k] = keywordLead(re, k)
		}
	})
}

func newRouter(cfg config.Config, meta map[string]rules.Rule) *router {
	r := &router{}
	kwIndex := map[string]int{}
	var kws []string
	ids := make([]string, 0, len(cfg.Rules))
	for id := range cfg.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var keywordless map[string]config.Rule
	for _, id := range ids {
		rule := cfg.Rules[id]
		if rule.Regex == nil {
			// A path-only rule reports a file, not a secret: nothing for
			// segments (gitleaks' pkcs12-file).
			continue
		}
		if len(rule.Keywords) == 0 {
			if keywordless == nil {
				keywordless = map[string]config.Rule{}
			}
			keywordless[id] = rule
			continue
		}
		sub := cfg
		sub.Rules = map[string]config.Rule{id: rule}
		sub.OrderedRules = []string{id}
		sub.Keywords = map[string]struct{}{}
		exact := map[string]string{} // lower-case keyword → as the pack writes it
		if meta[id].KeywordsMatchCase {
			for _, k := range meta[id].Keywords {
				if k != strings.ToLower(k) {
					exact[strings.ToLower(k)] = k
				}
			}
		}
		for _, k := range rule.Keywords {
			k = strings.ToLower(k)
			sub.Keywords[k] = struct{}{}
			i, ok := kwIndex[k]
			if !ok {
				i = len(kws)
				kwIndex[k] = i
				kws = append(kws, k)
				r.kwRules = append(r.kwRules, nil)
			}
			if n := len(r.kwRules[i]); n == 0 || r.kwRules[i][n-1].rule != len(r.rules) {
				r.kwRules[i] = append(r.kwRules[i], kwRule{len(r.rules), exact[k]})
			}
		}
		r.rules = append(r.rules, &routed{cfg: sub})
	}
	if keywordless != nil {
		sub := cfg
		sub.Rules = keywordless
		sub.Keywords = map[string]struct{}{}
		r.whole = gdetect.NewDetector(sub)
	}
	r.kws = kws
	r.trie = ahocorasick.NewTrieBuilder().AddStrings(kws).Build()
	return r
}

type span struct{ start, end int }

// keyHit is keyword kw of a rule found at pos.
type keyHit struct{ rule, kw, pos, end int }

// each calls fn with a detector and the span of text it must scan, for
// every rule that text can match.
func (r *router) each(text string, fn func(det *gdetect.Detector, sp span)) {
	if r.whole != nil {
		fn(r.whole, span{0, len(text)})
	}
	lower := make([]byte, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	holes := dataPayloads(text)
	var hits []keyHit
	r.trie.Walk(lower, func(end, n, pattern int64) bool {
		pos := int(end - n + 1)
		if inside(holes, pos) {
			return true
		}
		for _, kr := range r.kwRules[pattern] {
			if kr.exact == "" || text[pos:end+1] == kr.exact {
				hits = append(hits, keyHit{kr.rule, int(pattern), pos, int(end + 1)})
			}
		}
		return true
	})
	if len(hits) == 0 {
		return
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].rule != hits[j].rule {
			return hits[i].rule < hits[j].rule
		}
		return hits[i].pos < hits[j].pos
	})
	for i := 0; i < len(hits); {
		j := i
		for j < len(hits) && hits[j].rule == hits[i].rule {
			j++
		}
		rt := r.rules[hits[i].rule]
		rt.init()
		spans := []span{{0, len(text)}}
		if len(text) >= windowMinSegment {
			spans = rt.windows(text, hits[i:j], r.kws)
		}
		for _, sp := range cut(spans, holes) {
			fn(rt.det, sp)
		}
		i = j
	}
}

// minPayload is the shortest data: URI payload worth leaving out.
const minPayload = 64

// dataPayloads returns the base64 payloads of data: URIs in text (inline
// images in HTML and Markdown): no finding is reported inside one
// (inDataURI), so no rule needs to read one.
func dataPayloads(text string) []span {
	var out []span
	for off := 0; ; {
		i := strings.Index(text[off:], "base64,")
		if i < 0 {
			return out
		}
		start := off + i + len("base64,")
		end := start
		for end < len(text) && isB64(text[end]) {
			end++
		}
		if end-start >= minPayload {
			out = append(out, span{start, end})
		}
		off = end
	}
}

func inside(holes []span, pos int) bool {
	for _, h := range holes {
		if h.start <= pos && pos < h.end {
			return true
		}
	}
	return false
}

// cut removes holes (sorted, disjoint) from spans (sorted, disjoint).
func cut(spans, holes []span) []span {
	if len(holes) == 0 {
		return spans
	}
	var out []span
	for _, s := range spans {
		for _, h := range holes {
			if h.end <= s.start || h.start >= s.end {
				continue
			}
			if h.start > s.start {
				out = append(out, span{s.start, h.start})
			}
			s.start = h.end
			if s.start >= s.end {
				break
			}
		}
		if s.start < s.end {
			out = append(out, s)
		}
	}
	return out
}

// windows merges the windows around a rule's keyword hits (sorted by
// position); most of the text in windows is scanned whole.
func (rt *routed) windows(text string, hits []keyHit, kws []string) []span {
	var spans []span
	total := 0
	for _, h := range hits {
		s := rt.window(text, h, rt.lead[kws[h.kw]])
		if k := len(spans) - 1; k >= 0 && s.start <= spans[k].end {
			if s.end > spans[k].end {
				total += s.end - spans[k].end
				spans[k].end = s.end
			}
			continue
		}
		spans = append(spans, s)
		total += s.end - s.start
	}
	if total > len(text)*3/4 {
		return []span{{0, len(text)}} // mostly keywords: one pass is cheaper
	}
	return spans
}

func (rt *routed) window(text string, h keyHit, lead int) span {
	if rt.lines >= manyLines && rt.reach >= wideSpan {
		return span{lineStart(text, max(0, h.pos-wideSpan), 0), lineEnd(text, min(len(text), h.end+wideSpan), 0)}
	}
	n := contextLines + min(rt.lines, manyLines)
	start, end := lineStart(text, h.pos, n), lineEnd(text, h.pos, n)
	if lead >= 0 {
		// The match holds the keyword: it starts on the keyword's line or
		// within lead characters before it.
		start = max(start, lineStart(text, back(text, h.pos, lead), 0))
		if rt.reach < wideSpan {
			end = min(end, lineEnd(text, forward(text, h.end, rt.reach), 0))
		}
		return span{start, end}
	}
	if rt.reach < wideSpan {
		start = max(start, lineStart(text, back(text, h.pos, rt.reach), 0))
		end = min(end, lineEnd(text, forward(text, h.end, rt.reach), 0))
	}
	return span{min(start, lineStart(text, h.pos, contextLines)), max(end, lineEnd(text, h.pos, contextLines))}
}

// keywordLead bounds how many characters a match of re holds before an
// occurrence of keyword kw, from the first element of its top-level
// sequence (in each alternative) that spells kw; -1 when none does.
func keywordLead(re *syntax.Regexp, kw string) int {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op == syntax.OpAlternate {
		lead := 0
		for _, alt := range re.Sub {
			l := keywordLead(alt, kw)
			if l < 0 {
				return -1
			}
			lead = max(lead, l)
		}
		return lead
	}
	seq := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		seq = re.Sub
	}
	n := 0
	for _, s := range seq {
		n = min(wideSpan, n+reRunes(s))
		if spells(s, kw) {
			return n
		}
	}
	return -1
}

// spells reports whether a literal in re holds kw (in any case).
func spells(re *syntax.Regexp, kw string) bool {
	if re.Op == syntax.OpLiteral {
		return strings.Contains(strings.ToLower(string(re.Rune)), kw)
	}
	for _, s := range re.Sub {
		if spells(s, kw) {
			return true
		}
	}
	return false
}

// back returns the offset n characters before pos (or 0).
func back(text string, pos, n int) int {
	for ; n > 0 && pos > 0; n-- {
		pos--
		for pos > 0 && !utf8.RuneStart(text[pos]) {
			pos--
		}
	}
	return pos
}

// forward returns the offset n characters after pos (or len(text)).
func forward(text string, pos, n int) int {
	for ; n > 0 && pos < len(text); n-- {
		pos++
		for pos < len(text) && !utf8.RuneStart(text[pos]) {
			pos++
		}
	}
	return pos
}

// bound folds a regex into an upper bound on some measure of its matches:
// leaf measures one literal or character class, unbounded a repeat of sub
// without an upper count, and the result is capped at limit.
type bound struct {
	leaf      func(*syntax.Regexp) int
	unbounded func(b bound, sub *syntax.Regexp) int
	limit     int
}

func (b bound) of(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return min(b.limit, b.leaf(re))
	case syntax.OpStar, syntax.OpPlus:
		return min(b.limit, b.unbounded(b, re.Sub[0]))
	case syntax.OpRepeat:
		if re.Max < 0 {
			return min(b.limit, b.unbounded(b, re.Sub[0]))
		}
		return min(b.limit, re.Max*b.of(re.Sub[0]))
	case syntax.OpQuest, syntax.OpCapture:
		return b.of(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n = min(b.limit, n+b.of(s))
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			n = max(n, b.of(s))
		}
		return n
	}
	return 0 // empty-width assertions and empty matches
}

// lineBound counts the newlines a match can hold (manyLines: no bound).
var lineBound = bound{limit: manyLines,
	leaf: func(re *syntax.Regexp) int {
		switch re.Op {
		case syntax.OpAnyChar:
			return 1
		case syntax.OpLiteral:
			return strings.Count(string(re.Rune), "\n")
		case syntax.OpCharClass:
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
					return 1
				}
			}
		}
		return 0
	},
	unbounded: func(b bound, sub *syntax.Regexp) int {
		switch {
		case b.of(sub) == 0:
			return 0 // a long token stays on its line
		case onlySpace(sub):
			return spaceLines
		}
		return manyLines
	},
}

// runeBound counts the characters a match can hold (wideSpan: no bound).
var runeBound = bound{limit: wideSpan,
	leaf: func(re *syntax.Regexp) int {
		if re.Op == syntax.OpLiteral {
			return len(re.Rune)
		}
		return 1
	},
	unbounded: func(_ bound, sub *syntax.Regexp) int {
		if onlySpace(sub) {
			return spaceRun
		}
		return wideSpan
	},
}

func reNewlines(re *syntax.Regexp) int { return lineBound.of(re) }
func reRunes(re *syntax.Regexp) int    { return runeBound.of(re) }

// onlySpace reports a character class within ASCII white space.
func onlySpace(re *syntax.Regexp) bool {
	if re.Op != syntax.OpCharClass {
		return false
	}
	for i := 0; i+1 < len(re.Rune); i += 2 {
		for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
			if !strings.ContainsRune(" \t\n\v\f\r", c) {
				return false
			}
		}
	}
	return true
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
