// Package ignore reads the lists of findings a project has accepted:
// .lifeguardignore (Lifeguard fingerprints) and .gitleaksignore (gitleaks'
// "file:rule:line" and "commit:file:rule:line" forms, also accepted in
// .lifeguardignore).
//
// A Lifeguard fingerprint depends on the rule, the path, the secret and its
// occurrence in the file — not on the commit or the line — so an entry
// survives rebases, squash merges and edits above the secret. gitleaks'
// forms name a line, so they break when lines move; they are read so that a
// project moving from gitleaks keeps its list.
package ignore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
)

// Files are the names read from a project's root, in order.
var Files = []string{".lifeguardignore", ".gitleaksignore"}

// List is a set of ignored findings.
type List struct {
	fingerprints map[string]bool
	located      map[location]bool
	// Warnings are lines that could not be read as an entry.
	Warnings []string
}

type location struct {
	commit, file, rule string
	line               int
}

var (
	fingerprintRE = regexp.MustCompile(`^[0-9a-f]{16}$`)
	commitRE      = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)
)

// New returns an empty list.
func New() *List {
	return &List{fingerprints: map[string]bool{}, located: map[location]bool{}}
}

// Load reads the ignore files in root; missing files are fine.
func Load(root string) (*List, error) {
	l := New()
	for _, name := range Files {
		p := filepath.Join(root, name)
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		l.Add(name, data)
	}
	return l, nil
}

// Add reads entries from data, one per line: a Lifeguard fingerprint, or
// gitleaks' [commit:]file:rule:line. Text after '#' is a comment; anything
// after the entry on its line is ignored too, so a fingerprint can be
// followed by a note.
func (l *List) Add(name string, data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i == 0 || (i > 0 && (line[i-1] == ' ' || line[i-1] == '\t')) {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		first := strings.Fields(line)[0]
		if fingerprintRE.MatchString(first) {
			l.fingerprints[first] = true
			continue
		}
		if loc, ok := parseLocated(line); ok {
			l.located[loc] = true
			continue
		}
		l.Warnings = append(l.Warnings, fmt.Sprintf("%s:%d: %q is neither a Lifeguard fingerprint (16 hex digits) nor gitleaks' [commit:]file:rule:line", name, n, line))
	}
	if err := sc.Err(); err != nil {
		l.Warnings = append(l.Warnings, fmt.Sprintf("%s: %v", name, err))
	}
}

// parseLocated reads [commit:]file:rule:line from the right, so a path may
// itself hold colons.
func parseLocated(s string) (location, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return location{}, false
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 1 {
		return location{}, false
	}
	rest := s[:i]
	j := strings.LastIndexByte(rest, ':')
	if j <= 0 || j == len(rest)-1 {
		return location{}, false
	}
	loc := location{rule: rest[j+1:], line: n, file: rest[:j]}
	if c, f, ok := strings.Cut(loc.file, ":"); ok && commitRE.MatchString(c) && f != "" {
		loc.commit, loc.file = c, f
	}
	loc.file = cleanPath(loc.file)
	return loc, true
}

func cleanPath(p string) string {
	return strings.TrimPrefix(filepath.ToSlash(p), "./")
}

// Len is the number of entries.
func (l *List) Len() int { return len(l.fingerprints) + len(l.located) }

// Ignored reports whether the list holds f.
func (l *List) Ignored(f detect.Finding) bool {
	if l == nil {
		return false
	}
	if l.fingerprints[f.Fingerprint] {
		return true
	}
	if len(l.located) == 0 {
		return false
	}
	loc := location{file: cleanPath(f.File), rule: f.RuleID, line: f.StartLine}
	if l.located[loc] {
		return true
	}
	if f.Commit != "" {
		loc.commit = f.Commit
		return l.located[loc]
	}
	return false
}

// Filter returns the findings the list does not hold and how many it dropped.
func (l *List) Filter(fs []detect.Finding) ([]detect.Finding, int) {
	if l == nil || l.Len() == 0 {
		return fs, 0
	}
	kept := fs[:0:0]
	for _, f := range fs {
		if !l.Ignored(f) {
			kept = append(kept, f)
		}
	}
	return kept, len(fs) - len(kept)
}
