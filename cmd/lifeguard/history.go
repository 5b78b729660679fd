package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/gitsource"
	"github.com/lifeguard-dev/lifeguard/ignore"
	"github.com/lifeguard-dev/lifeguard/report"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// runHistory scans commits: all refs, a range, or the commits a push sends.
func runHistory(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("history", "[flags] [REPO]  (default: every commit reachable from any ref)", e)
	var out outputFlags
	out.register(fs)
	var ranges, branches stringList
	fs.Var(&ranges, "range", "scan only these commits, e.g. main..feature or BASE..HEAD (repeatable)")
	fs.Var(&branches, "branch", "scan only commits reachable from this branch (repeatable)")
	all := fs.Bool("all", false, "scan every commit reachable from any ref (the default without --range or --branch)")
	since := fs.String("since", "", "scan only commits more recent than this date (as git log --since)")
	prePush := fs.String("pre-push", "", "pre-push hook mode: scan the commits being pushed to this remote, read from standard input as git passes them")
	var lim limitFlags
	lim.register(fs, "blobs")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(pos) > 1 {
		return fail(e, "history takes at most one repository, got %d arguments", len(pos))
	}
	if err := out.validate(); err != nil {
		return fail(e, "%v", err)
	}
	maxSize, err := lim.resolve()
	if err != nil {
		return fail(e, "%v", err)
	}
	if *all && (len(ranges) > 0 || len(branches) > 0) {
		return fail(e, "--all cannot be combined with --range or --branch")
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	repo, err := gitsource.Open(ctx, dir)
	if err != nil {
		return fail(e, "%v", err)
	}
	if strings.HasPrefix(*since, "-") {
		return fail(e, "--since %q is not a date", *since)
	}
	if *since != "" {
		if err := repo.CheckSince(ctx, *since); err != nil {
			return fail(e, "%v", err)
		}
	}
	revs := gitsource.Revs{Since: *since}
	for _, r := range append(ranges, branches...) {
		if strings.HasPrefix(r, "-") {
			return fail(e, "%q is not a revision or range", r)
		}
		revs.Args = append(revs.Args, r)
	}
	if *prePush != "" || gitsource.PreCommitPushRef(os.Getenv) != "" {
		if len(revs.Args) > 0 {
			return fail(e, "--pre-push cannot be combined with --range or --branch")
		}
		revs, err = gitsource.PushRevs(ctx, repo, *prePush, e.stdin, os.Getenv)
		if err != nil {
			return fail(e, "%v", err)
		}
		if len(revs.Args) == 0 {
			return exitClean // deleting refs pushes no commits
		}
	}
	root := repo.Top
	set, err := loadRules(out.config, root)
	if err != nil {
		return fail(e, "%v", err)
	}
	prog := newProgress(e, out.progress)
	sc := scanner.New(detect.New(set), scanner.Options{MaxFileSize: maxSize, Workers: lim.workers})
	res, sum, err := gitsource.History(ctx, repo, revs, gitsource.Options{
		Scanner: sc, MaxFileSize: maxSize, Workers: lim.workers, Progress: prog.history,
	})
	prog.done()
	if err != nil {
		return fail(e, "%v", err)
	}
	if !out.noRedact {
		report.ScrubWarnings(res)
	}
	var ignored int
	if root != "" {
		ignored, err = applyIgnore(e, root, res)
	} else {
		ignored, err = applyIgnoreAtHead(ctx, e, repo, res)
	}
	if err != nil {
		return fail(e, "%v", err)
	}
	printNotes(e, res, sum.Notes)
	if code := writeReport(e, out, res, set); code != exitClean {
		return code
	}
	gone, unknown := 0, 0
	for _, f := range res.Findings {
		switch {
		case f.PresentAtHead == nil:
			unknown++
		case !*f.PresentAtHead:
			gone++
		}
	}
	if unknown > 0 {
		fmt.Fprintf(e.stderr, "lifeguard: note: HEAD names no commit, so whether %d secret(s) are still present is not known\n", unknown)
	}
	fmt.Fprintf(e.stderr, "lifeguard: %d commit(s) scanned, %d secret(s) introduced", sum.Commits, len(res.Findings))
	if gone > 0 {
		fmt.Fprintf(e.stderr, "; %d no longer at HEAD but still in history (rotate them)", gone)
	}
	if ignored > 0 {
		fmt.Fprintf(e.stderr, "; %d ignored by .lifeguardignore/.gitleaksignore", ignored)
	}
	fmt.Fprintln(e.stderr)
	if len(res.Findings) == 0 {
		return exitClean
	}
	if *prePush != "" || gitsource.PreCommitPushRef(os.Getenv) != "" {
		pushBlockMessage(e.stderr, res.Findings)
	}
	return out.exitCode
}

func pushBlockMessage(out io.Writer, fs []detect.Finding) {
	w := &strings.Builder{}
	defer func() { io.WriteString(out, detect.NewScrubber(fs).Text(w.String())) }()
	fmt.Fprintf(w, "\nlifeguard: push blocked: the commits being pushed add %d secret(s):\n", len(fs))
	listFindings(w, fs)
	fmt.Fprintf(w, `
How to proceed:
  - The secret is in a commit: a later commit that deletes it still pushes it. Rewrite the
    local commits (git rebase -i, git commit --amend) to remove it, moving it to the environment
    or a secret store (lifeguard fix %s proposes the change), and rotate it.
  - A false positive? Put 'lifeguard:allow' (or 'gitleaks:allow') in a comment on its line,
    or accept it by fingerprint:
%s  - To push anyway (not recommended): git push --no-verify
`, strings.Join(files(fs), " "), ignoreLines(fs))
}

// applyIgnore drops findings listed in root's .lifeguardignore and
// .gitleaksignore and returns how many it dropped.
func applyIgnore(e *env, root string, res *scanner.Result) (int, error) {
	l, err := ignore.Load(root)
	if err != nil {
		return 0, err
	}
	return filterIgnored(e, l, res), nil
}

// applyIgnoreAtHead reads the ignore files committed at HEAD, for a bare
// repository, which has no working tree to read them from.
func applyIgnoreAtHead(ctx context.Context, e *env, repo *gitsource.Repo, res *scanner.Result) (int, error) {
	l := ignore.New()
	for _, name := range ignore.Files {
		data, err := repo.Output(ctx, "cat-file", "blob", "HEAD:"+name)
		if err != nil {
			continue // not committed
		}
		l.Add(name, data)
	}
	return filterIgnored(e, l, res), nil
}

func filterIgnored(e *env, l *ignore.List, res *scanner.Result) int {
	for _, w := range l.Warnings {
		fmt.Fprintf(e.stderr, "lifeguard: warning: %s\n", w)
	}
	var n int
	res.Findings, n = l.Filter(res.Findings)
	res.Stats.Findings = len(res.Findings)
	return n
}

func printNotes(e *env, res *scanner.Result, notes []string) {
	res.Notes = append(res.Notes, notes...)
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "lifeguard: note: %s\n", n)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "lifeguard: warning: %s: %s\n", report.Printable(w.File), report.Printable(w.Message))
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(e.stderr, "lifeguard: skipped %s: %s\n", report.Printable(s.File), s.Reason)
	}
}
