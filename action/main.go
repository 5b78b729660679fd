// Command action is the glue behind Lifeguard's GitHub Action (action.yml):
// it reads the event GitHub sets up, decides what to scan (the commits of a
// pull request or push, the full history, or the working tree), makes sure
// those commits are in the clone, runs the ordinary lifeguard CLI with SARIF,
// step summary and annotation output, and sets the step's outputs. Secrets
// never pass through it: lifeguard redacts them in everything it writes.
//
// Inputs come from the environment as the composite action sets them:
// INPUT_MODE, INPUT_PATHS, INPUT_CONFIG, INPUT_FAIL_ON_FINDINGS,
// INPUT_SARIF_FILE, with GitHub's GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
// GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and RUNNER_TEMP. LIFEGUARD names the
// lifeguard binary (default: lifeguard on PATH).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Getenv, os.Stdout, os.Stderr))
}

// config is the action's inputs and the runner's files.
type config struct {
	mode, config, sarif, summary, output string
	paths                                []string
	failOnFindings                       bool
	lifeguard                            string
}

func readConfig(getenv func(string) string) (config, error) {
	c := config{
		mode:      strings.TrimSpace(getenv("INPUT_MODE")),
		config:    strings.TrimSpace(getenv("INPUT_CONFIG")),
		sarif:     strings.TrimSpace(getenv("INPUT_SARIF_FILE")),
		summary:   getenv("GITHUB_STEP_SUMMARY"),
		output:    getenv("GITHUB_OUTPUT"),
		paths:     strings.Fields(getenv("INPUT_PATHS")),
		lifeguard: getenv("LIFEGUARD"),
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("INPUT_FAIL_ON_FINDINGS"))); v {
	case "", "true", "yes", "1":
		c.failOnFindings = true
	case "false", "no", "0":
	default:
		return c, fmt.Errorf("input fail-on-findings: %q is not true or false", v)
	}
	if c.sarif == "" {
		dir := getenv("RUNNER_TEMP")
		if dir == "" {
			dir = os.TempDir()
		}
		c.sarif = filepath.Join(dir, "lifeguard.sarif")
	}
	if len(c.paths) == 0 {
		c.paths = []string{"."}
	}
	if c.lifeguard == "" {
		c.lifeguard = "lifeguard"
	}
	return c, nil
}

func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "lifeguard-action: "+format+"\n", args...) }
	// Errors become an ::error:: annotation so they show on the run's page.
	failf := func(format string, args ...any) int {
		fmt.Fprintf(stdout, "::error title=Lifeguard::%s\n", escapeData(fmt.Sprintf(format, args...)))
		return 2
	}
	cfg, err := readConfig(getenv)
	if err != nil {
		return failf("%v", err)
	}
	var payload []byte
	if p := getenv("GITHUB_EVENT_PATH"); p != "" {
		if payload, err = os.ReadFile(p); err != nil {
			return failf("reading the event payload: %v", err)
		}
	}
	pl, err := plan(getenv("GITHUB_EVENT_NAME"), payload, cfg.mode)
	if err != nil {
		return failf("%v", err)
	}
	if pl.Kind != kindTree && len(cfg.paths) > 0 && !(len(cfg.paths) == 1 && cfg.paths[0] == ".") {
		logf("input paths applies to mode working-tree only; scanning %s", pl.Scope)
	}
	g := gitRunner{stderr: stderr}
	if pl, err = prepare(ctx, g, pl, logf); err != nil {
		return failf("%v (check out with actions/checkout and fetch-depth: 0)", err)
	}
	logf("scanning %s", pl.Scope)

	args, err := lifeguardArgs(pl, cfg)
	if err != nil {
		return failf("%v", err)
	}
	cmd := exec.CommandContext(ctx, cfg.lifeguard, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr // annotations on stdout, notes on stderr
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return failf("running lifeguard: %v", err)
	}
	if code != 0 && code != 1 {
		return failf("lifeguard %s exited with code %d", args[0], code)
	}
	n, err := countResults(cfg.sarif)
	if err != nil {
		return failf("reading the SARIF report: %v", err)
	}
	if cfg.summary != "" {
		if err := appendFile(cfg.summary, fmt.Sprintf("<sub>Lifeguard scanned %s.</sub>\n\n", mdEscape(pl.Scope))); err != nil {
			return failf("writing the step summary: %v", err)
		}
	}
	if cfg.output != "" {
		if err := appendFile(cfg.output, fmt.Sprintf("findings=%d\nsarif-file=%s\n", n, oneLine(cfg.sarif))); err != nil {
			return failf("writing step outputs: %v", err)
		}
	}
	if n > 0 {
		logf("%d secret(s) found in %s", n, pl.Scope)
		if cfg.failOnFindings {
			return 1
		}
	}
	return 0
}

// lifeguardArgs is the lifeguard command line for a plan.
func lifeguardArgs(pl Plan, cfg config) ([]string, error) {
	var args []string
	switch pl.Kind {
	case kindRange:
		args = []string{"history", "--range", pl.Base + ".." + pl.Head}
	case kindCommits:
		args = []string{"history", "--branch", pl.Head}
	case kindHistory:
		args = []string{"history"}
	case kindTree:
		args = []string{"scan"}
	case kindNone:
		// Still write an (empty) SARIF report so that upload steps work:
		// scan an empty folder.
		empty, err := os.MkdirTemp("", "lifeguard-empty-")
		if err != nil {
			return nil, err
		}
		args = []string{"scan", "--format", "sarif", "--report", cfg.sarif}
		if cfg.summary != "" {
			args = append(args, "--step-summary", cfg.summary)
		}
		return append(args, empty), nil
	default:
		return nil, fmt.Errorf("unknown plan %q", pl.Kind)
	}
	args = append(args, "--format", "sarif", "--report", cfg.sarif, "--annotations")
	if cfg.summary != "" {
		args = append(args, "--step-summary", cfg.summary)
	}
	if cfg.config != "" {
		args = append(args, "--config", cfg.config)
	}
	if pl.Kind == kindTree {
		args = append(append(args, "--"), cfg.paths...)
	}
	return args, nil
}

// countResults counts the results in a SARIF log.
func countResults(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var log struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	n := 0
	for _, r := range log.Runs {
		n += len(r.Results)
	}
	return n, nil
}

// appendFile appends to a runner file ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY)
// in one write; other steps share these files.
func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		if strings.ContainsRune("\\`*_[]<>|&~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
