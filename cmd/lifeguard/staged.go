package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/fix"
	"github.com/lifeguard-dev/lifeguard/gitsource"
	"github.com/lifeguard-dev/lifeguard/report"
	"github.com/lifeguard-dev/lifeguard/scanner"
	"github.com/lifeguard-dev/lifeguard/shell"
)

// runStaged scans what the next commit adds: the index against HEAD.
func runStaged(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("staged", "[flags] [REPO]  (default: the repository holding the current folder)", e)
	var out outputFlags
	out.register(fs)
	var lim limitFlags
	lim.register(fs, "files")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(pos) > 1 {
		return fail(e, "staged takes at most one repository, got %d arguments", len(pos))
	}
	if err := out.validate(); err != nil {
		return fail(e, "%v", err)
	}
	maxSize, err := lim.resolve()
	if err != nil {
		return fail(e, "%v", err)
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	repo, err := gitsource.Open(ctx, dir)
	if err != nil {
		return fail(e, "%v", err)
	}
	set, err := loadRules(out.config, repo.Top)
	if err != nil {
		return fail(e, "%v", err)
	}
	sc := scanner.New(detect.New(set), scanner.Options{MaxFileSize: maxSize, Workers: lim.workers})
	res, sum, err := gitsource.Staged(ctx, repo, gitsource.Options{Scanner: sc, MaxFileSize: maxSize, Workers: lim.workers})
	if err != nil {
		return fail(e, "%v", err)
	}
	if !out.noRedact {
		report.ScrubWarnings(res)
	}
	ignored, err := applyIgnore(e, repo.Top, res)
	if err != nil {
		return fail(e, "%v", err)
	}
	printNotes(e, res, sum.Notes)
	if code := writeReport(e, out, res, set); code != exitClean {
		return code
	}
	if ignored > 0 {
		fmt.Fprintf(e.stderr, "lifeguard: %d finding(s) ignored by .lifeguardignore/.gitleaksignore\n", ignored)
	}
	if sum.Kept > 0 {
		fmt.Fprintf(e.stderr, "lifeguard: %d secret(s) already committed in the changed files are not reported (this commit does not add them); `lifeguard history` lists them.\n", sum.Kept)
	}
	if len(res.Findings) == 0 {
		return exitClean
	}
	blockMessage(e.stderr, res.Findings)
	return out.exitCode
}

// blockMessage tells the person committing what was found and the ways on.
// Every secret is redacted, also where it stands in a file name.
func blockMessage(out io.Writer, fs []detect.Finding) {
	w := &strings.Builder{}
	defer func() { io.WriteString(out, detect.NewScrubber(fs).Text(w.String())) }()
	fmt.Fprintf(w, "\nlifeguard: commit blocked: it adds %d secret(s):\n", len(fs))
	listFindings(w, fs)
	var edit []detect.Finding
	var untrack []string // generated files: no reference to put in, stop versioning them
	for _, f := range fs {
		if u, _, ok := fix.Generated(f.File); ok {
			if !slices.Contains(untrack, shell.Arg(u)) {
				untrack = append(untrack, shell.Arg(u))
			}
		} else {
			edit = append(edit, f)
		}
	}
	fmt.Fprintf(w, "\nHow to proceed:\n")
	if len(edit) > 0 {
		fmt.Fprintf(w, `  - Move each secret out of the file and reference it instead:
        lifeguard fix %s
    proposes the change (add --apply to write it); then 'git add' the file again and rotate the secret.
`, strings.Join(files(edit), " "))
	}
	if len(untrack) > 0 {
		fmt.Fprintf(w, `  - MLflow and W&B write these files on every run: stop versioning them and rotate the secret:
        git rm -r --cached %s
    (lifeguard fix --apply on them adds the .gitignore lines)
`, strings.Join(untrack, " "))
	}
	fmt.Fprintf(w, `  - A false positive? Put 'lifeguard:allow' (or 'gitleaks:allow') in a comment on its line,
    or accept it by fingerprint (stable across edits and rebases):
%s  - To commit anyway (not recommended): git commit --no-verify
`, ignoreLines(fs))
}

// listFindings prints one line per finding: where, rule, redacted secret.
func listFindings(w io.Writer, fs []detect.Finding) {
	sc := detect.NewScrubber(fs)
	for _, f := range fs {
		f = sc.Finding(f)
		where := report.Where(f)
		if where != "" {
			where = " (" + where + ")"
		}
		commit := ""
		if f.Commit != "" {
			commit = fmt.Sprintf(" in commit %.12s %q", f.Commit, f.Message)
		}
		fmt.Fprintf(w, "  %s:%d%s  %s  %s%s\n", report.Printable(f.File), f.StartLine, report.Printable(where), f.RuleID, f.Secret, commit)
	}
}

func ignoreLines(fs []detect.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		// At the top of the working tree, wherever the command is typed.
		fmt.Fprintf(&b, "        echo '%s  # %s %s' >> \"$(git rev-parse --show-toplevel)/.lifeguardignore\"\n", f.Fingerprint, report.Printable(f.File), f.RuleID)
	}
	return b.String()
}

func files(fs []detect.Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.File] {
			seen[f.File] = true
			out = append(out, shell.Arg(f.File))
		}
	}
	sort.Strings(out)
	return out
}
