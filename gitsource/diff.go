package gitsource

import (
	"bytes"
	"fmt"
	"strings"
)

// Modes of tree entries that are not scanned as files.
const (
	modeGitlink = "160000" // a submodule's commit
	modeSymlink = "120000"
)

// Change is one path a commit (or the index) changes, as `git diff --raw`
// reports it with renames off: a renamed file is a deletion and an addition,
// so its content counts as added at the new path.
type Change struct {
	Path   string
	Mode   string   // new mode; "000000" when deleted
	New    string   // new blob; all zeros when deleted
	Old    []string // the path's blob in each parent; all zeros where absent
	Status string   // A, M, D, T, U (unmerged) per parent
}

// Deleted reports that the change removes the path.
func (c Change) Deleted() bool { return isZero(c.New) && !strings.Contains(c.Status, "U") }

// parseRawEntry parses one raw header (":old new oldsha newsha S" or, for
// combined diffs of merges, "::m1 m2 m oid1 oid2 oid SS").
func parseRawEntry(h string) (Change, error) {
	k := 0
	for k < len(h) && h[k] == ':' {
		k++
	}
	f := strings.Fields(h[k:])
	if k == 0 || len(f) != 2*(k+1)+1 {
		return Change{}, fmt.Errorf("unexpected raw diff entry %q", h)
	}
	c := Change{Mode: f[k], New: f[2*k+1], Status: f[2*k+2]}
	c.Old = append(c.Old, f[k+1:2*k+1]...)
	return c, nil
}

// parseRaw parses `git diff-index --raw -z` output.
func parseRaw(out []byte) ([]Change, error) {
	toks := bytes.Split(out, []byte{0})
	var cs []Change
	for i := 0; i < len(toks); i++ {
		t := strings.TrimLeft(string(toks[i]), "\n")
		if t == "" {
			continue
		}
		c, err := parseRawEntry(t)
		if err != nil {
			return nil, err
		}
		if i+1 >= len(toks) {
			return nil, fmt.Errorf("raw diff entry %q without a path", t)
		}
		i++
		c.Path = string(toks[i])
		cs = append(cs, c)
	}
	return cs, nil
}

// Commit is one commit and what it changes.
type Commit struct {
	SHA     string
	Parents []string
	Author  string
	Email   string
	Date    string // author date, ISO 8601
	Subject string
	Changes []Change
}

// logFormat starts each commit with \x01 and separates fields with \x02,
// bytes that do not occur in names, dates or subjects.
const logFormat = "%x01%H%x02%P%x02%an%x02%ae%x02%aI%x02%s"

// parseLog parses `git log --format=logFormat --raw -z -c` output.
func parseLog(out []byte) ([]Commit, error) {
	toks := bytes.Split(out, []byte{0})
	var cs []Commit
	for i := 0; i < len(toks); i++ {
		t := strings.TrimLeft(string(toks[i]), "\n")
		switch {
		case t == "":
		case t[0] == '\x01':
			f := strings.Split(t[1:], "\x02")
			if len(f) != 6 {
				return nil, fmt.Errorf("git log: unexpected commit header %q", t)
			}
			cs = append(cs, Commit{SHA: f[0], Parents: strings.Fields(f[1]), Author: f[2], Email: f[3], Date: f[4], Subject: f[5]})
		case t[0] == ':':
			if len(cs) == 0 || i+1 >= len(toks) {
				return nil, fmt.Errorf("git log: stray raw entry %q", t)
			}
			c, err := parseRawEntry(t)
			if err != nil {
				return nil, fmt.Errorf("git log: %w", err)
			}
			i++
			c.Path = string(toks[i])
			last := &cs[len(cs)-1]
			last.Changes = append(last.Changes, c)
		default:
			return nil, fmt.Errorf("git log: unexpected output %q", t)
		}
	}
	return cs, nil
}
