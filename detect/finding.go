package detect

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Finding is one secret found in one place. The JSON field names
// file, start_line, rule_id, secret and match are a public contract.
type Finding struct {
	RuleID      string `json:"rule_id"`
	Description string `json:"description"`
	File        string `json:"file"`
	// RepoPath is the file's path relative to the project root (the git
	// working tree's top), whatever folder the scan ran in: what SARIF and
	// CI annotations name. Empty when File already is that path (staged,
	// history) or the file lies outside the root.
	RepoPath    string           `json:"repo_path,omitempty"`
	StartLine   int              `json:"start_line"`
	StartColumn int              `json:"start_column"`
	EndLine     int              `json:"end_line"`
	EndColumn   int              `json:"end_column"`
	Secret      string           `json:"secret"`
	Match       string           `json:"match"`
	Fingerprint string           `json:"fingerprint"`
	Entropy     float64          `json:"entropy"`
	Tags        []string         `json:"tags,omitempty"`
	Location    segment.Location `json:"location"`
	// Git origin, for history and range scans.
	Commit  string `json:"commit,omitempty"`
	Author  string `json:"author,omitempty"`
	Email   string `json:"email,omitempty"`
	Date    string `json:"date,omitempty"`
	Message string `json:"message,omitempty"`
	// PresentAtHead says, for history findings, whether HEAD still holds
	// the secret in some file (false: removed since, but still in history;
	// unset when HEAD names no commit).
	PresentAtHead *bool `json:"present_at_head,omitempty"`

	// PairedWith is the fingerprint of the other half of one credential (an
	// AWS access key id and the secret access key beside it): each half is
	// reported on its own, and this links them.
	PairedWith string `json:"paired_with,omitempty"`

	// Offset and EndOffset are the secret's raw byte span in the file.
	Offset    int `json:"offset"`
	EndOffset int `json:"end_offset"`
	// Segment is the decoded text the secret was found in; fixes use it.
	Segment *segment.Segment `json:"-"`
	// SegmentOffset is the secret's offset in Segment.Text.
	SegmentOffset int  `json:"-"`
	rank          int  `json:"-"`
	dropped       bool `json:"-"`
}

// Redact shortens a secret to its first four characters and an ellipsis.
func Redact(s string) string {
	if s == "" {
		return s
	}
	n, i := 0, 0
	for i < len(s) && n < 4 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	if i >= len(s) && len(s) <= 4 {
		return "…"
	}
	return s[:i] + "…"
}

// Redacted returns a copy with the secret hidden in Secret and Match.
func (f Finding) Redacted() Finding {
	r := Redact(f.Secret)
	if f.Secret != "" {
		f.Match = strings.ReplaceAll(f.Match, f.Secret, r)
	}
	f.Secret = r
	return f
}

// minScrub is the shortest secret hidden inside other text: shorter ones
// (a six-letter password) would mangle ordinary words in paths.
const minScrub = 8

// Scrubber hides a scan's secrets wherever else they appear: a key path
// (a token used as a map key), a file name, a parser's message quoting the
// line it choked on. A finding's own Secret and Match get Redact's form.
type Scrubber struct {
	r *strings.Replacer
}

// NewScrubber scrubs the secrets of fs.
func NewScrubber(fs []Finding) *Scrubber {
	seen := map[string]bool{}
	var secrets []string
	for _, f := range fs {
		if len(f.Secret) >= minScrub && !seen[f.Secret] {
			seen[f.Secret] = true
			secrets = append(secrets, f.Secret)
		}
	}
	// Longest first: a secret that contains another is hidden whole.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, Redact(s))
	}
	return &Scrubber{r: strings.NewReplacer(pairs...)}
}

// Text returns t with every secret redacted.
func (s *Scrubber) Text(t string) string { return s.r.Replace(t) }

// Finding returns f redacted, with every secret also hidden in its file
// name, match and location.
func (s *Scrubber) Finding(f Finding) Finding {
	f = f.Redacted()
	f.File = s.Text(f.File)
	f.RepoPath = s.Text(f.RepoPath)
	f.Match = s.Text(f.Match)
	f.Location.KeyPath = s.Text(f.Location.KeyPath)
	f.Location.CellID = s.Text(f.Location.CellID)
	return f
}
