// Package detect runs the rule set over segments with the gitleaks detector,
// then applies Lifeguard's filters (placeholders, inline data URIs, allow
// comments), maps each match back to the raw file and fingerprints it.
package detect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zricethezav/gitleaks/v8/config"
	gdetect "github.com/zricethezav/gitleaks/v8/detect"

	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/segment"
)

// AllowMarker on a line suppresses findings on it (gitleaks:allow also works).
const AllowMarker = "lifeguard:allow"

// Engine scans segments. It is safe for concurrent use.
type Engine struct {
	set   *rules.Set
	route *router
	// pathAllowlists decide from the path alone that a file is allowed; the
	// engine checks them once per file rather than once per segment. The
	// first defaultPaths of them are gitleaks' defaults.
	pathAllowlists []*config.Allowlist
	defaultPaths   int
}

// New returns an engine for a rule set.
func New(set *rules.Set) *Engine {
	cfg := set.Config
	e := &Engine{set: set}
	n := min(set.DefaultAllowlists, len(cfg.Allowlists))
	restDef, pathsDef := splitPathAllowlists(cfg.Allowlists[:n])
	restUser, pathsUser := splitPathAllowlists(cfg.Allowlists[n:])
	cfg.Allowlists = append(restDef, restUser...)
	e.pathAllowlists = append(pathsDef, pathsUser...)
	e.defaultPaths = len(pathsDef)
	e.route = newRouter(cfg, set.Rules)
	return e
}

// splitPathAllowlists takes the path checks out of global allowlists whose
// path alone allows a file. gitleaks evaluates them (one large regex) on
// every fragment; a notebook yields dozens of fragments.
func splitPathAllowlists(all []*config.Allowlist) (rest, byPath []*config.Allowlist) {
	for _, a := range all {
		other := len(a.Regexes) > 0 || len(a.StopWords) > 0 || len(a.Commits) > 0
		if len(a.Paths) == 0 || (a.MatchCondition == config.AllowlistMatchAnd && other) {
			rest = append(rest, a)
			continue
		}
		byPath = append(byPath, a)
		if other {
			b := &config.Allowlist{Description: a.Description, MatchCondition: a.MatchCondition, Commits: a.Commits,
				RegexTarget: a.RegexTarget, Regexes: a.Regexes, StopWords: a.StopWords}
			if err := b.Validate(); err == nil {
				rest = append(rest, b)
			}
		}
	}
	return rest, byPath
}

// PathAllowed reports whether the rule set's global allowlists exclude a
// file by its path (images, lock files, vendored code, …).
func (e *Engine) PathAllowed(file string) bool {
	for _, a := range e.pathAllowlists {
		if a.PathAllowed(file) {
			return true
		}
	}
	return false
}

// Rules returns the engine's rule set.
func (e *Engine) Rules() *rules.Set { return e.set }

// Scan finds secrets in the segments of one file. raw is the file's bytes,
// used to turn offsets into line and column; file is the path reported.
func (e *Engine) Scan(ctx context.Context, file string, raw []byte, segs []segment.Segment) []Finding {
	if e.PathAllowed(file) {
		return nil
	}
	return e.ScanClaimed(ctx, file, raw, segs)
}

// ScanClaimed is Scan for a file a format has recognised by its content
// and read in its own way (a pickle named pytorch_model.bin): the global
// path allowlists of gitleaks' defaults, which exist to skip binary files
// by name, do not apply; Lifeguard's and the user's do.
func (e *Engine) ScanClaimed(ctx context.Context, file string, raw []byte, segs []segment.Segment) []Finding {
	for _, a := range e.pathAllowlists[e.defaultPaths:] {
		if a.PathAllowed(file) {
			return nil // the user's own allowlists still apply
		}
	}
	var out []Finding
	for i := range segs {
		if ctx.Err() != nil {
			return nil
		}
		out = append(out, e.scanSegment(ctx, file, &segs[i])...)
	}
	return finish(file, raw, dedupe(out))
}

func (e *Engine) scanSegment(ctx context.Context, file string, seg *segment.Segment) []Finding {
	text, prefix := seg.Text, 0
	if seg.Context != "" {
		// Show the rules "key = value" so that key-named context rules fire
		// on a value stored under a secret-looking key.
		text = seg.Context + " = " + seg.Text
		prefix = len(seg.Context) + 3
	}
	var out []Finding
	e.route.each(text, func(det *gdetect.Detector, sp span) {
		if ctx.Err() == nil {
			out = append(out, e.scanText(ctx, det, file, seg, text[sp.start:sp.end], sp.start, prefix)...)
		}
	})
	return out
}

// scanText runs a detector over text, which is full[base:] for full the
// segment's text behind a context prefix of prefix bytes (0 without one).
func (e *Engine) scanText(ctx context.Context, det *gdetect.Detector, file string, seg *segment.Segment, text string, base, prefix int) []Finding {
	gfs := det.DetectContext(ctx, gdetect.Fragment{Raw: text, FilePath: file})
	if len(gfs) == 0 {
		return nil
	}
	var nl []int // newline offsets in text, computed on demand
	var out []Finding
	for _, gf := range gfs {
		if gf.Secret == "" {
			continue
		}
		if nl == nil {
			nl = newlines(text)
		}
		mstart := matchOffset(text, nl, gf.StartLine, gf.StartColumn, gf.Match)
		if mstart < 0 {
			continue
		}
		si := strings.Index(gf.Match, gf.Secret)
		if si < 0 {
			si = 0
		}
		sstart := base + mstart + si
		if sstart < prefix {
			continue // the secret is the context itself
		}
		toff := sstart - prefix
		sec := gf.Secret
		if toff+len(sec) > len(seg.Text) {
			continue
		}
		if isPlaceholder(sec) || inDataURI(seg.Text, toff) || allowed(seg.Text, toff) {
			continue
		}
		match := gf.Match
		if base+mstart < prefix {
			match = match[prefix-base-mstart:]
		}
		loc := seg.Loc
		loc.Line = 1 + strings.Count(seg.Text[:toff], "\n")
		f := Finding{
			RuleID:        gf.RuleID,
			Description:   gf.Description,
			File:          file,
			Secret:        sec,
			Match:         match,
			Entropy:       round2(shannon(sec)),
			Tags:          gf.Tags,
			Location:      loc,
			Offset:        seg.RawOffset(toff),
			EndOffset:     seg.RawOffset(toff+len(sec)-1) + 1,
			Segment:       seg,
			SegmentOffset: toff,
			rank:          e.rank(gf.RuleID),
		}
		if len(f.Tags) == 0 {
			f.Tags = nil
		}
		out = append(out, f)
	}
	return out
}

// rank orders rules for deduplication: a provider-specific rule from
// Lifeguard's pack or the user beats gitleaks' specific rule, which beats a
// context rule, which beats a generic one.
func (e *Engine) rank(id string) int {
	if rules.IsGeneric(id) {
		// gitleaks' own generic rule is the last resort: any other rule
		// naming the same secret says more (as gitleaks' filter has it).
		if strings.Contains(id, "generic") {
			return 0
		}
		return 1
	}
	switch e.set.Origin(id) {
	case rules.OriginUser:
		return 4
	case rules.OriginLifeguard:
		return 3
	}
	return 2
}

func newlines(s string) []int {
	var nl []int
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			nl = append(nl, i)
		}
	}
	if nl == nil {
		nl = []int{}
	}
	return nl
}

// matchOffset recovers the byte offset of a gitleaks match from its 0-based
// line and its column (gitleaks counts columns from the previous newline for
// every line but the first), checking the text really holds the match there.
func matchOffset(text string, nl []int, line, col int, match string) int {
	guess := col - 1
	if line > 0 && line-1 < len(nl) {
		guess = nl[line-1] + col - 1
	}
	for _, d := range []int{0, 1, -1} {
		g := guess + d
		if g >= 0 && g+len(match) <= len(text) && text[g:g+len(match)] == match {
			return g
		}
	}
	// Fall back to a search from the start of the reported line.
	from := 0
	if line > 0 && line-1 < len(nl) {
		from = nl[line-1]
	}
	if i := strings.Index(text[from:], match); i >= 0 {
		return from + i
	}
	return strings.Index(text, match)
}

// allowed reports an allow marker on the text line holding off.
func allowed(text string, off int) bool {
	ls := strings.LastIndexByte(text[:off], '\n') + 1
	le := strings.IndexByte(text[off:], '\n')
	if le < 0 {
		le = len(text)
	} else {
		le += off
	}
	l := text[ls:le]
	return strings.Contains(l, AllowMarker) || strings.Contains(l, "gitleaks:allow")
}

// dedupe keeps one finding per overlapping raw span: the best-ranked rule,
// then the longer secret.
func dedupe(fs []Finding) []Finding {
	if len(fs) < 2 {
		return fs
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.rank != b.rank {
			return a.rank > b.rank
		}
		if len(a.Secret) != len(b.Secret) {
			return len(a.Secret) > len(b.Secret)
		}
		return a.RuleID < b.RuleID
	})
	kept := fs[:0:0]
	for _, f := range fs {
		overlap := false
		for _, k := range kept {
			if f.Offset < k.EndOffset && k.Offset < f.EndOffset {
				overlap = true
				break
			}
		}
		if !overlap {
			kept = append(kept, f)
		}
	}
	return kept
}

// finish sorts findings by position, fills raw line and column, and
// fingerprints them.
func finish(file string, raw []byte, fs []Finding) []Finding {
	if len(fs) == 0 {
		return nil
	}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Offset != fs[j].Offset {
			return fs[i].Offset < fs[j].Offset
		}
		return fs[i].RuleID < fs[j].RuleID
	})
	var idx lineIndex
	idx.build(raw)
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		f.StartLine, f.StartColumn = idx.position(raw, f.Offset)
		f.EndLine, f.EndColumn = idx.position(raw, max(f.EndOffset-1, f.Offset))
		key := f.RuleID + "\x00" + f.Secret
		n := seen[key]
		seen[key] = n + 1
		f.Fingerprint = Fingerprint(f.RuleID, file, f.Secret, n)
	}
	pairHalves(fs)
	return fs
}

// credentialPairs are rules whose findings are two halves of one
// credential: key id first, secret second.
var credentialPairs = [][2]string{
	{"aws-access-token", "aws-secret-access-key"},
	{"alpaca-api-key-id", "alpaca-secret-key"},
}

// pairLines is how near, in lines, two halves must be to be one credential
// (a credentials file, two env lines, a printed dict).
const pairLines = 3

// pairHalves links each key id to the nearest unpaired secret of its kind
// within pairLines lines. fs is sorted by position.
func pairHalves(fs []Finding) {
	for _, pr := range credentialPairs {
		for i := range fs {
			if fs[i].RuleID != pr[0] || fs[i].PairedWith != "" {
				continue
			}
			best, dist := -1, pairLines+1
			for j := range fs {
				if fs[j].RuleID != pr[1] || fs[j].PairedWith != "" {
					continue
				}
				if d := abs(fs[j].StartLine - fs[i].StartLine); d < dist {
					best, dist = j, d
				}
			}
			if best >= 0 {
				fs[i].PairedWith, fs[best].PairedWith = fs[best].Fingerprint, fs[i].Fingerprint
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Fingerprint identifies a finding independently of line numbers and commits:
// the rule, the path, the secret and which occurrence of it in the file this is.
func Fingerprint(ruleID, file, secret string, occurrence int) string {
	h := sha256.New()
	h.Write([]byte(ruleID))
	h.Write([]byte{0})
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(occurrence)))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

type lineIndex struct{ starts []int }

func (l *lineIndex) build(raw []byte) {
	l.starts = append(l.starts[:0], 0)
	// A file with no LF at all ends its lines with CR (classic Mac), as
	// editors show it; elsewhere a CR is part of CRLF (in UTF-16 too).
	nl := byte('\n')
	if bytes.IndexByte(raw, '\n') < 0 {
		nl = '\r'
	}
	for i, c := range raw {
		if c == nl {
			l.starts = append(l.starts, i+1)
		}
	}
}

// position returns the 1-based line and 1-based column (in characters) of a
// raw offset.
func (l *lineIndex) position(raw []byte, off int) (int, int) {
	if off > len(raw) {
		off = len(raw)
	}
	i := sort.SearchInts(l.starts, off+1) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, utf8.RuneCount(raw[l.starts[i]:off]) + 1
}

func shannon(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
