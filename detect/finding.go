package detect

import (
	"strings"
	"unicode/utf8"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Finding is one secret found in one place. The JSON field names
// file, start_line, rule_id, secret and match are a public contract.
type Finding struct {
	RuleID      string           `json:"rule_id"`
	Description string           `json:"description"`
	File        string           `json:"file"`
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
