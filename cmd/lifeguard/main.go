// Command lifeguard keeps secrets out of notebooks, pipelines and model
// registries. This package only parses flags, wires packages and sets exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"github.com/lifeguard-dev/lifeguard/scanner"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// buildVersion is the -ldflags version; else the module version go install
// recorded (v1.2.3, or a pseudo-version) or, in a checkout, the commit.
func buildVersion(v string, info func() (*debug.BuildInfo, bool)) string {
	if v != "dev" {
		return v
	}
	bi, ok := info()
	if !ok {
		return v
	}
	if mv := bi.Main.Version; mv != "" && mv != "(devel)" {
		return mv
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return v
	}
	return v + " (" + rev + modified + ")"
}

// Exit codes.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env *env) int
}

// env is the process's standard streams, so commands can be tested in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stderrTTY says whether stderr is a terminal (progress, colour).
	stderrTTY, stdoutTTY bool
}

func commands() []command {
	return []command{
		{"scan", "scan files and folders for secrets", runScan},
		{"staged", "scan what the next commit adds (pre-commit hook)", runStaged},
		{"history", "scan a repository's git history or a commit range", runHistory},
		{"hooks", "install or uninstall Lifeguard's git hooks", runHooks},
		{"fix", "propose (or --apply) vault references in place of secrets", runFix},
		{"rules", "list the active rules", runRules},
		{"version", "print the version", func(_ context.Context, _ []string, e *env) int {
			fmt.Fprintln(e.stdout, "lifeguard", buildVersion(version, debug.ReadBuildInfo))
			return exitClean
		}},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		stderrTTY: isTerminal(os.Stderr), stdoutTTY: isTerminal(os.Stdout)}
	os.Exit(run(ctx, os.Args[1:], e))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitError
		}
		return exitClean
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], e)
		}
	}
	fmt.Fprintf(e.stderr, "lifeguard: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: lifeguard <command> [flags] [args]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'lifeguard <command> -h' for a command's flags.")
}

// parseInterspersed parses flags that may come before or after positional
// arguments (lifeguard scan DIR --format json).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: lifeguard %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// flagError turns a flag parsing error into an exit code.
func flagError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	return exitError
}

func fail(e *env, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintln(e.stderr, "lifeguard: "+strings.TrimSpace(msg))
	return exitError
}

// limitFlags are --max-file-size and --workers, shared by the scanning commands.
type limitFlags struct {
	maxSize int64
	workers int
}

func (l *limitFlags) register(fs *flag.FlagSet, what string) {
	fs.Int64Var(&l.maxSize, "max-file-size", scanner.DefaultMaxFileSize, "skip (and list) "+what+" larger than this many bytes (0: no limit)")
	fs.IntVar(&l.workers, "workers", 0, "parallel workers (default 0: number of CPUs)")
}

// resolve checks the values and returns the scanner's file-size limit
// (negative for none).
func (l *limitFlags) resolve() (int64, error) {
	switch {
	case l.maxSize < 0:
		return 0, fmt.Errorf("--max-file-size %d: want a number of bytes, or 0 for no limit", l.maxSize)
	case l.workers < 0:
		return 0, fmt.Errorf("--workers %d: want a number of workers, or 0 for one per CPU", l.workers)
	case l.maxSize == 0:
		return -1, nil
	}
	return l.maxSize, nil
}
