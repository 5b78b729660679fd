package gitsource

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TrackedFunc reports whether git tracks the file at a slash path relative
// to the working tree's top or, with dir, any file under that folder. The
// index is listed once, on the first call, so a scan that never meets an
// ignored path never runs git. If git cannot list it, nothing is tracked.
//
// Files inside a submodule count as tracked: the superproject's index knows
// only the submodule's commit, and a file missed would be a silent skip.
func (r *Repo) TrackedFunc(ctx context.Context) func(rel string, dir bool) bool {
	var once sync.Once
	var paths []string   // sorted, as git keeps its index
	var modules []string // submodule paths
	return func(rel string, dir bool) bool {
		once.Do(func() {
			out, err := r.output(ctx, "ls-files", "-z", "--cached", "--full-name", "--stage")
			if err != nil {
				return
			}
			for _, e := range bytes.Split(out, []byte{0}) {
				meta, p, ok := bytes.Cut(e, []byte{'\t'})
				if !ok || len(p) == 0 {
					continue
				}
				paths = append(paths, string(p))
				if bytes.HasPrefix(meta, []byte("160000 ")) {
					modules = append(modules, string(p))
				}
			}
			sort.Strings(paths)
		})
		for _, m := range modules {
			if strings.HasPrefix(rel, m+"/") {
				return true
			}
		}
		if dir {
			prefix := rel + "/"
			i := sort.SearchStrings(paths, prefix)
			return i < len(paths) && strings.HasPrefix(paths[i], prefix)
		}
		i := sort.SearchStrings(paths, rel)
		return i < len(paths) && paths[i] == rel
	}
}

// CheckSince rejects a --since date that git would silently read as "now"
// (git's approximate date parser takes any text), which would scan nothing
// and pass.
func (r *Repo) CheckSince(ctx context.Context, since string) error {
	out, err := r.output(ctx, "rev-parse", "--since="+since)
	if err != nil {
		return fmt.Errorf("--since %q: %w", since, err)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(string(out)), "--max-age="), 10, 64)
	if err != nil {
		return fmt.Errorf("--since %q: git read it as %q", since, out)
	}
	if time.Since(time.Unix(n, 0)) < 2*time.Second && !strings.EqualFold(strings.TrimSpace(since), "now") {
		return fmt.Errorf("--since %q is not a date git understands (it reads it as now); use e.g. 2024-01-31 or \"2 weeks ago\"", since)
	}
	return nil
}
