package gitsource

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// Revs selects commits the way `git log` does.
type Revs struct {
	// Args are revisions and ranges ("A..B", "main", "^old"); empty means
	// every ref (--all).
	Args []string
	// Not excludes commits reachable from these revisions.
	Not []string
	// NotRemotes excludes commits reachable from this remote's tracking
	// refs (what the remote is known to have).
	NotRemotes string
	Since      string // --since
}

func (v Revs) gitArgs() []string {
	var a []string
	if v.Since != "" {
		a = append(a, "--since="+v.Since)
	}
	if v.NotRemotes != "" {
		// --not flips the refs that follow until the next --not.
		a = append(a, "--not", "--remotes="+v.NotRemotes, "--not")
	}
	if len(v.Args) == 0 {
		a = append(a, "--all")
	}
	// Revisions come from users and hooks: never read them as options.
	a = append(a, "--end-of-options")
	a = append(a, v.Args...)
	for _, n := range v.Not {
		a = append(a, "^"+n)
	}
	return a
}

// Log lists the selected commits, oldest first (parents before children),
// with the files each changes. A merge lists only the files that differ
// from every parent: what its resolution itself wrote.
func (r *Repo) Log(ctx context.Context, revs Revs) ([]Commit, error) {
	// `git log --raw` rather than go-git: see the package comment.
	args := []string{"log", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames",
		"--root", "-c", "--raw", "-z", "--no-abbrev", "--topo-order", "--reverse",
		"--no-show-signature", "--no-mailmap", "--format=" + logFormat}
	args = append(args, revs.gitArgs()...)
	cmd := r.Command(ctx, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("git log: %s", strings.TrimSpace(stderr.String()))
	}
	return parseLog(out)
}

// History scans the selected commits and reports each secret once, at the
// commit that introduced it (oldest first): a secret counts as introduced
// where a file's new version holds it more often than the file did in every
// parent. Each unique blob is scanned once however many commits hold it.
// Findings carry the commit, author, date and subject, and whether the
// secret is still in the file at HEAD.
func History(ctx context.Context, r *Repo, revs Revs, opts Options) (*scanner.Result, *Summary, error) {
	opts.defaults()
	start := time.Now()
	commits, err := r.Log(ctx, revs)
	if err != nil {
		return nil, nil, err
	}
	sum := &Summary{Commits: len(commits)}
	res := &scanner.Result{Findings: []detect.Finding{}, Skipped: []scanner.Skipped{}, Warnings: []scanner.Warning{}}
	res.Stats.Formats = map[string]int64{}
	if r.Shallow(ctx) {
		sum.Notes = append(sum.Notes, "shallow clone: commits before the shallow boundary are not in this repository, "+
			"and the oldest commit here shows its whole tree as added; run `git fetch --unshallow` to scan everything")
	}

	need := map[string][]string{}
	submodules := map[string]bool{}
	for _, c := range commits {
		for _, ch := range c.Changes {
			if ch.Deleted() || ch.Mode == modeSymlink {
				continue
			}
			if ch.Mode == modeGitlink {
				submodules[ch.Path] = true
				continue
			}
			need[ch.New] = appendUnique(need[ch.New], ch.Path)
			for _, o := range ch.Old {
				if !isZero(o) {
					need[o] = appendUnique(need[o], ch.Path)
				}
			}
		}
	}
	for p := range submodules {
		sum.Notes = append(sum.Notes, fmt.Sprintf("%s is a submodule: scanned the superproject only; scan the submodule's own repository for its history", p))
	}
	blobs := newBlobSet(opts)
	total := int64(len(need))
	var progress func()
	if opts.Progress != nil {
		var mu sync.Mutex
		var last time.Time
		progress = func() {
			mu.Lock() // called from the scanning workers
			defer mu.Unlock()
			if time.Since(last) < 100*time.Millisecond {
				return
			}
			last = time.Now()
			opts.Progress(Progress{Commits: len(commits), Blobs: blobs.nblobs.Load(), BlobsTotal: total, Bytes: blobs.nbytes.Load()})
		}
	}
	if err := blobs.scan(ctx, r, need, progress); err != nil {
		return nil, nil, err
	}
	if opts.Progress != nil {
		opts.Progress(Progress{Commits: len(commits), Blobs: blobs.nblobs.Load(), BlobsTotal: total, Bytes: blobs.nbytes.Load()})
	}

	reported := map[string]int{} // fingerprint → index in res.Findings
	noted := map[string]bool{}
	for _, c := range commits {
		for _, ch := range c.Changes {
			if ch.Deleted() || ch.Mode == modeSymlink || ch.Mode == modeGitlink {
				continue
			}
			if !noted[ch.New+"\x00"+ch.Path] {
				noted[ch.New+"\x00"+ch.Path] = true
				blobs.notes(ch.New, ch.Path, short(c.SHA), res)
			}
			var olds [][]detect.Finding
			for _, o := range ch.Old {
				olds = append(olds, blobs.findings(o, ch.Path))
			}
			add, kept := added(blobs.findings(ch.New, ch.Path), olds...)
			sum.Kept += kept
			for _, f := range add {
				if _, dup := reported[f.Fingerprint]; dup {
					continue // re-added later (a revert, another branch): reported where it first entered
				}
				f.Commit, f.Author, f.Email, f.Date, f.Message = c.SHA, c.Author, c.Email, c.Date, c.Subject
				reported[f.Fingerprint] = len(res.Findings)
				res.Findings = append(res.Findings, f)
			}
		}
	}
	if err := markHead(ctx, r, blobs, res.Findings); err != nil {
		return nil, nil, err
	}
	for _, br := range blobs.blobs {
		res.Stats.Bytes += max(br.size, 0)
		for _, sc := range br.byFormat {
			if sc.format == "binary" {
				res.Stats.Binary++
			} else {
				res.Stats.Formats[sc.format]++
			}
		}
	}
	res.Stats.Files = blobs.nblobs.Load()
	res.Stats.Skipped = int64(len(res.Skipped))
	res.Stats.Findings = len(res.Findings)
	res.Stats.DurationMS = time.Since(start).Milliseconds()
	return res, sum, nil
}

// markHead records, for each finding, whether HEAD still holds its secret,
// in that file or in any other file a finding names (a renamed or copied
// file carries it on). A secret that is gone from HEAD still needs
// rotating: history keeps it.
func markHead(ctx context.Context, r *Repo, blobs *blobSet, fs []detect.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	head, err := r.Resolve(ctx, "HEAD")
	if err != nil {
		return err
	}
	if head == "" {
		return nil // HEAD names no commit (an unborn or dangling branch): unknown, left unset
	}
	paths := map[string]string{} // path at HEAD → blob
	want := map[string]bool{}
	for _, f := range fs {
		want[f.File] = true
	}
	cmd := r.Command(ctx, "ls-tree", "-r", "-z", "--full-tree", head)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git ls-tree: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git ls-tree: %w", err)
	}
	br := bufio.NewReaderSize(out, 64<<10)
	for {
		line, err := br.ReadString(0)
		if err == io.EOF {
			break
		}
		if err != nil {
			cmd.Wait()
			return fmt.Errorf("git ls-tree: %w", err)
		}
		meta, path, ok := strings.Cut(strings.TrimSuffix(line, "\x00"), "\t")
		f := strings.Fields(meta)
		if ok && len(f) == 3 && f[1] == "blob" && want[path] {
			paths[path] = f[2]
		}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git ls-tree: %w", err)
	}
	need := map[string][]string{}
	for p, oid := range paths {
		need[oid] = appendUnique(need[oid], p)
	}
	if err := blobs.scan(ctx, r, need, nil); err != nil {
		return err
	}
	atHead := map[string]bool{} // rule and secret
	for p, oid := range paths {
		for _, f := range blobs.findings(oid, p) {
			atHead[f.RuleID+"\x00"+f.Secret] = true
		}
	}
	for i := range fs {
		v := atHead[fs[i].RuleID+"\x00"+fs[i].Secret]
		fs[i].PresentAtHead = &v
	}
	return nil
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
