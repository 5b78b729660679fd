package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lifeguard-dev/lifeguard/atomicfile"
	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/gitsource"
	"github.com/lifeguard-dev/lifeguard/report"
	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// outputFlags are shared by every command that reports findings.
type outputFlags struct {
	format   string
	report   string
	noRedact bool
	noColor  bool
	exitCode int
	config   string
	progress bool
	// CI reports (GitHub Actions): a Markdown summary appended to a file
	// ($GITHUB_STEP_SUMMARY) and workflow-command annotations.
	stepSummary string
	annotations bool
	// scope says what was scanned, for the summary ("commits A..B"); set by
	// the command, not a flag.
	scope string
}

func (o *outputFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&o.format, "format", "text", "output format: text, json or sarif")
	fs.StringVar(&o.report, "report", "", "write the report to this file instead of standard output")
	fs.BoolVar(&o.noRedact, "no-redact", false, "show secrets in full (they are redacted by default)")
	fs.BoolVar(&o.noColor, "no-color", false, "disable colour in text output")
	fs.IntVar(&o.exitCode, "exit-code", exitFindings, "exit code when secrets are found")
	fs.StringVar(&o.config, "config", "", "gitleaks-format TOML that extends or overrides the rules (default: .lifeguard.toml at the project root: the git working tree's top, else the scanned folder)")
	fs.BoolVar(&o.progress, "progress", false, "show progress on stderr even when it is not a terminal")
	fs.StringVar(&o.stepSummary, "step-summary", "", "also append a Markdown summary to this file (in GitHub Actions: $GITHUB_STEP_SUMMARY)")
	fs.BoolVar(&o.annotations, "annotations", false, "also print GitHub Actions annotations (::error file=…,line=…::) on standard output (standard error when a json or sarif report goes to standard output)")
}

// loadRules builds the rule set from the embedded pack, the user's --config
// and .lifeguard.toml found in root.
func loadRules(configPath, root string) (*rules.Set, error) {
	var user []rules.UserConfig
	if configPath != "" {
		data, err := os.ReadFile(configPath)
		if err != nil {
			return nil, fmt.Errorf("reading --config: %w", err)
		}
		user = append(user, rules.UserConfig{Name: configPath, Data: data})
	} else if root != "" {
		p := filepath.Join(root, ".lifeguard.toml")
		if data, err := os.ReadFile(p); err == nil {
			user = append(user, rules.UserConfig{Name: p, Data: data})
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
	}
	set, err := rules.LoadConfigs(user...)
	if err != nil {
		return nil, fmt.Errorf("loading rules: %w", err)
	}
	return set, nil
}

// configRoot is the folder whose .lifeguard.toml applies: the first path if
// it is a folder, else the current folder.
func configRoot(paths []string) string {
	if len(paths) > 0 && paths[0] != "-" {
		if st, err := os.Stat(paths[0]); err == nil && st.IsDir() {
			return paths[0]
		}
	}
	return "."
}

// project is what the scanned paths belong to: the folder whose
// .lifeguard.toml and .lifeguardignore apply and against which findings are
// fingerprinted (the top of the git working tree holding the first path,
// else configRoot), and which files git tracks there.
type project struct {
	root    string
	tracked func(rel string, dir bool) bool
}

func findProject(ctx context.Context, paths []string) project {
	root := configRoot(paths)
	dir := root
	if root == "." && len(paths) > 0 && paths[0] != "-" {
		dir = filepath.Dir(paths[0]) // a file: the repository holding it
	}
	repo, err := gitsource.Open(ctx, dir)
	if err != nil || repo.Bare {
		return project{root: root} // not in a working tree (or no git): the folder decides
	}
	root = repo.Top
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, repo.Top); err == nil {
			root = rel // "." or "../..": shorter in messages and diffs
		}
	}
	return project{root: root, tracked: repo.TrackedFunc(ctx)}
}

// projectPaths are command-line paths that belong to one project.
type projectPaths struct {
	proj  project
	paths []string
}

// groupByProject groups paths by the project each belongs to, in order of
// first appearance. A path inside a root already found needs no git call.
func groupByProject(ctx context.Context, paths []string) []*projectPaths {
	var groups []*projectPaths
	for _, p := range paths {
		var g *projectPaths
		if abs, err := filepath.Abs(p); err == nil && p != "-" {
			for _, c := range groups {
				if root, err := filepath.Abs(c.proj.root); err == nil && c.proj.tracked != nil &&
					(abs == root || strings.HasPrefix(abs, root+string(filepath.Separator))) {
					g = c
					break
				}
			}
		}
		if g == nil {
			proj := findProject(ctx, []string{p})
			for _, c := range groups {
				if c.proj.root == proj.root {
					g = c
					break
				}
			}
			if g == nil {
				g = &projectPaths{proj: proj}
				groups = append(groups, g)
			}
		}
		g.paths = append(g.paths, p)
	}
	return groups
}

func runScan(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("scan", "[flags] [PATH...]  (default '.'; '-' reads standard input)", e)
	var out outputFlags
	out.register(fs)
	noGitignore := fs.Bool("no-gitignore", false, "scan files that .gitignore excludes")
	var lim limitFlags
	lim.register(fs, "files")
	stdinName := fs.String("stdin-name", "", "scan standard input ('-') as a file of this path, so its format is known (e.g. .github/workflows/ci.yml)")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	out.scope = "paths " + strings.Join(paths, ", ")
	if len(paths) == 1 && paths[0] == "." {
		out.scope = "the working tree"
	}
	if err := out.validate(); err != nil {
		return fail(e, "%v", err)
	}
	maxSize, err := lim.resolve()
	if err != nil {
		return fail(e, "%v", err)
	}
	// Paths from different repositories are scanned each with their own
	// root: its rules, ignore files, tracked files and fingerprints.
	start := time.Now()
	prog := newProgress(e, out.progress)
	res := &scanner.Result{Findings: []detect.Finding{}, Skipped: []scanner.Skipped{}, Warnings: []scanner.Warning{},
		Stats: scanner.Stats{Formats: map[string]int64{}}}
	var set *rules.Set
	ignored := 0
	for _, g := range groupByProject(ctx, paths) {
		gset, err := loadRules(out.config, g.proj.root)
		if err != nil {
			return fail(e, "%v", err)
		}
		if set == nil {
			set = gset // reports describe rules from the first project's set
		}
		sc := scanner.New(detect.New(gset), scanner.Options{
			MaxFileSize: maxSize, NoGitignore: *noGitignore, Workers: lim.workers, Progress: prog.update,
			Root: g.proj.root, Tracked: g.proj.tracked, StdinName: *stdinName,
			Own: []string{out.report, out.stepSummary},
		})
		gres, err := sc.ScanPaths(ctx, g.paths, e.stdin)
		if err != nil {
			prog.done()
			return fail(e, "%v", err)
		}
		if !out.noRedact {
			report.ScrubWarnings(gres)
		}
		n, err := applyIgnore(e, g.proj.root, gres)
		if err != nil {
			prog.done()
			return fail(e, "%v", err)
		}
		ignored += n
		res.Merge(gres)
	}
	prog.done()
	res.Stats.DurationMS = time.Since(start).Milliseconds()
	if ignored > 0 {
		fmt.Fprintf(e.stderr, "lifeguard: %d finding(s) ignored by .lifeguardignore/.gitleaksignore\n", ignored)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "lifeguard: warning: %s: %s\n", report.Printable(w.File), report.Printable(w.Message))
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(e.stderr, "lifeguard: skipped %s: %s\n", report.Printable(s.File), s.Reason)
	}
	if code := writeReport(e, out, res, set); code != exitClean {
		return code
	}
	if len(res.Findings) > 0 {
		return out.exitCode
	}
	return exitClean
}

// validate checks the flags' values.
func (o *outputFlags) validate() error {
	if o.exitCode < 0 || o.exitCode > 255 {
		// The shell sees only the low 8 bits: 256 would read as success.
		return fmt.Errorf("--exit-code %d: want 0 to 255", o.exitCode)
	}
	return checkFormat(o.format)
}

func checkFormat(f string) error {
	for _, ok := range report.Formats {
		if f == ok {
			return nil
		}
	}
	return fmt.Errorf("unknown --format %q (want %s)", f, strings.Join(report.Formats, ", "))
}

// writeReport writes res to --report (atomically) or standard output.
func writeReport(e *env, out outputFlags, res *scanner.Result, set *rules.Set) int {
	opts := report.Options{
		ShowSecrets: out.noRedact,
		Color:       !out.noColor && out.report == "" && e.stdoutTTY && os.Getenv("NO_COLOR") == "",
		Version:     version,
		RuleHelp:    ruleHelp(set),
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, out.format, res, opts); err != nil {
		return fail(e, "writing report: %v", err)
	}
	if out.report == "" {
		if _, err := io.Copy(e.stdout, &buf); err != nil {
			return fail(e, "writing report: %v", err)
		}
	} else if err := atomicfile.Write(out.report, buf.Bytes(), reportMode(out)); err != nil {
		return fail(e, "writing report: %v", err)
	} else {
		// The console would otherwise say nothing at all.
		fmt.Fprintf(e.stderr, "lifeguard: %d finding(s) in %d file(s) scanned; %s report written to %s\n",
			len(res.Findings), res.Stats.Files, out.format, out.report)
	}
	return writeCIReports(e, out, res, opts)
}

// reportMode keeps an existing report's permissions (a 0600 file stays
// private); a new report holding unredacted secrets is private to its owner.
func reportMode(out outputFlags) os.FileMode {
	if st, err := os.Stat(out.report); err == nil {
		return st.Mode().Perm()
	}
	if out.noRedact {
		return 0o600
	}
	return 0o644
}

// writeCIReports writes the --step-summary and --annotations outputs.
func writeCIReports(e *env, out outputFlags, res *scanner.Result, opts report.Options) int {
	opts.Color = false
	if out.stepSummary != "" {
		var buf bytes.Buffer
		if err := report.StepSummary(&buf, res, opts, out.scope); err != nil {
			return fail(e, "writing step summary: %v", err)
		}
		// Appended, not replaced: other steps write to the same summary file.
		f, err := os.OpenFile(out.stepSummary, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fail(e, "writing step summary: %v", err)
		}
		_, err = f.Write(buf.Bytes())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(e, "writing step summary: %v", err)
		}
	}
	if out.annotations {
		w := e.stdout
		if out.report == "" && out.format != "text" {
			w = e.stderr // keep a json or sarif report on stdout parseable
		}
		if err := report.Annotations(w, res, opts); err != nil {
			return fail(e, "writing annotations: %v", err)
		}
	}
	return exitClean
}

func ruleHelp(set *rules.Set) func(string) string {
	return func(id string) string {
		r, ok := set.Rules[id]
		if !ok || r.EnvName == "" {
			return ""
		}
		return fmt.Sprintf("%s. Move it out of the file (for example to the environment variable %s or a secret store; `lifeguard fix` proposes the change) and rotate it: git history still holds it.", r.Description, r.EnvName)
	}
}
