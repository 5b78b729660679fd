package gitsource

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// Summary tells what a git scan covered beyond its findings.
type Summary struct {
	Commits int // commits scanned (history, push)
	Files   int // changed files scanned
	// Kept counts secrets in changed files that an older version already
	// held, so they are not reported as added (`lifeguard history` lists them).
	Kept int
	// Merge says a merge is in progress (staged): secrets from any parent count as old.
	Merge bool
	// Initial says the repository has no commit yet (staged).
	Initial bool
	// Notes are things the scan could not see (shallow history, submodules).
	Notes []string
}

// Staged scans what the next commit will add: the index (GIT_INDEX_FILE
// when set, as during `git commit -a` or `git commit <paths>`) against HEAD,
// never the working tree. During a merge each file is compared with its
// version in HEAD and in every MERGE_HEAD, so only the resolution's own
// secrets count. A renamed or copied file is compared with nothing at its
// new path, so its secrets count as added there.
func Staged(ctx context.Context, r *Repo, opts Options) (*scanner.Result, *Summary, error) {
	opts.defaults()
	start := time.Now()
	if r.Bare {
		return nil, nil, fmt.Errorf("%s is a bare repository: it has no index to scan", r.GitDir)
	}
	sum := &Summary{}
	head, err := r.HeadCommit(ctx)
	if err != nil {
		return nil, nil, err
	}
	if head == "" {
		sum.Initial = true
		if head, err = r.EmptyTree(ctx); err != nil {
			return nil, nil, err
		}
	}
	changes, err := r.diffIndex(ctx, head)
	if err != nil {
		return nil, nil, err
	}
	// Parents beyond HEAD while a merge is in progress.
	var others []map[string]string
	for _, mh := range mergeHeads(r.GitDir) {
		id, err := r.Resolve(ctx, mh)
		if err != nil || id == "" {
			continue
		}
		sum.Merge = true
		cs, err := r.diffIndex(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		m := map[string]string{}
		for _, c := range cs {
			m[c.Path] = c.Old[0]
		}
		others = append(others, m)
	}

	res := &scanner.Result{Findings: []detect.Finding{}, Skipped: []scanner.Skipped{}, Warnings: []scanner.Warning{}}
	res.Stats.Formats = map[string]int64{}
	need := map[string][]string{}
	type item struct {
		c    Change
		olds []string
	}
	var items []item
	for _, c := range changes {
		switch {
		case strings.Contains(c.Status, "U"):
			res.Skipped = append(res.Skipped, scanner.Skipped{File: c.Path, Reason: "unmerged: resolve the conflict and `git add` it, then it is scanned"})
			continue
		case c.Deleted(), c.Mode == modeSymlink:
			continue
		case c.Mode == modeGitlink:
			sum.Notes = append(sum.Notes, fmt.Sprintf("%s is a submodule: its own commits are scanned in its repository, not here", c.Path))
			continue
		}
		olds := []string{c.Old[0]}
		unchanged := false
		for _, m := range others {
			old, changed := m[c.Path]
			if !changed {
				unchanged = true // the file is exactly as in that parent: it adds nothing
				break
			}
			olds = append(olds, old)
		}
		if unchanged {
			continue
		}
		items = append(items, item{c, olds})
		need[c.New] = appendUnique(need[c.New], c.Path)
		for _, o := range olds {
			if !isZero(o) {
				need[o] = appendUnique(need[o], c.Path)
			}
		}
	}
	blobs := newBlobSet(opts)
	if err := blobs.scan(ctx, r, need, nil); err != nil {
		return nil, nil, err
	}
	for _, it := range items {
		p := it.c.Path
		blobs.notes(it.c.New, p, "", res)
		var olds [][]detect.Finding
		for _, o := range it.olds {
			olds = append(olds, blobs.findings(o, p))
		}
		add, kept := added(blobs.findings(it.c.New, p), olds...)
		sum.Kept += kept
		res.Findings = append(res.Findings, add...)
		sum.Files++
		if br := blobs.blobs[it.c.New]; br != nil {
			res.Stats.Bytes += max(br.size, 0)
			if sc, ok := br.byFormat[br.format[p]]; ok {
				if sc.format == "binary" {
					res.Stats.Binary++
				} else {
					res.Stats.Formats[sc.format]++
				}
			}
		}
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Offset < b.Offset
	})
	res.Stats.Files = int64(sum.Files)
	res.Stats.Skipped = int64(len(res.Skipped))
	res.Stats.Findings = len(res.Findings)
	res.Stats.DurationMS = time.Since(start).Milliseconds()
	return res, sum, nil
}

// diffIndex lists what the index changes against a tree-ish. Renames are
// off so a renamed file is scanned in full at its new path.
func (r *Repo) diffIndex(ctx context.Context, base string) ([]Change, error) {
	out, err := r.output(ctx, "diff-index", "--cached", "--raw", "-z", "--no-renames",
		"--no-ext-diff", "--no-textconv", "--no-color", "--ignore-submodules=none", "--end-of-options", base)
	if err != nil {
		return nil, err
	}
	cs, err := parseRaw(out)
	if err != nil {
		return nil, fmt.Errorf("git diff-index: %w", err)
	}
	return cs, nil
}

// mergeHeads names the commits being merged, from MERGE_HEAD.
func mergeHeads(gitDir string) []string {
	data, err := os.ReadFile(filepath.Join(gitDir, "MERGE_HEAD"))
	if err != nil {
		return nil
	}
	return strings.Fields(string(data))
}

func appendUnique(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}
