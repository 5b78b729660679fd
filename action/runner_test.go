package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// Invented, format-valid Hugging Face tokens: one committed on main before
// the pull request, one added by the pull request.
const (
	oldToken = "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"
	newToken = "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"
)

// The notebook the pull request adds: the token is in a cell's output.
const notebook = `{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "c1",
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "logged in with ` + newToken + `\n"
     ]
    }
   ],
   "source": [
    "from huggingface_hub import login\n",
    "login()"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
`

// actionFile is the part of action.yml a runner reads.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// runner runs action.yml's script steps the way a GitHub runner does: each
// `run:` written to a file and run with `bash --noprofile --norc -eo pipefail`,
// ${{ }} expressions replaced, GITHUB_* variables and files set, fresh
// GITHUB_OUTPUT per step, GITHUB_PATH lines prepended to PATH for later
// steps. `uses:` steps (actions/setup-go) are skipped: Go is already here.
type runner struct {
	t         *testing.T
	root      string // the action's folder (this checkout)
	action    actionFile
	workspace string
	temp      string // RUNNER_TEMP
	env       map[string]string
	inputs    map[string]string
	path      []string // from GITHUB_PATH
	steps     map[string]map[string]string
	stdout    bytes.Buffer
	stderr    bytes.Buffer
}

var exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func (r *runner) expand(s string) string {
	return exprRE.ReplaceAllStringFunc(s, func(m string) string {
		e := exprRE.FindStringSubmatch(m)[1]
		switch {
		case e == "github.action_path":
			return r.root
		case e == "github.action_ref":
			return "test"
		case strings.HasPrefix(e, "inputs."):
			name := strings.TrimPrefix(e, "inputs.")
			in, ok := r.action.Inputs[name]
			if !ok {
				r.t.Fatalf("action.yml uses undeclared input %q", name)
			}
			if v, ok := r.inputs[name]; ok {
				return v
			}
			return in.Default
		case strings.HasPrefix(e, "steps."):
			parts := strings.Split(e, ".") // steps.ID.outputs.NAME
			if len(parts) != 4 || parts[2] != "outputs" {
				r.t.Fatalf("unsupported expression %q", e)
			}
			return r.steps[parts[1]][parts[3]]
		}
		r.t.Fatalf("action.yml uses an expression this runner does not know: %q", e)
		return ""
	})
}

// runSteps runs the script steps from index from; it returns the exit code
// of the first failing step (the runner stops there) or 0.
func (r *runner) runSteps(from, to int) int {
	t := r.t
	for i, st := range r.action.Runs.Steps[from:to] {
		if st.Uses != "" {
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %d (%s): shell %q; composite steps here must use bash", from+i, st.Name, st.Shell)
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %s pastes an expression into its script (script injection); pass it through env", st.Name)
		}
		stepDir := t.TempDir()
		script := filepath.Join(stepDir, "script.sh")
		files := map[string]string{}
		for _, k := range []string{"GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV", "GITHUB_STATE"} {
			files[k] = filepath.Join(stepDir, strings.ToLower(k))
			if err := os.WriteFile(files[k], nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(script, []byte(r.expand(st.Run)), 0o755); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{}
		for k, v := range r.env {
			env[k] = v
		}
		for k, v := range files {
			env[k] = v
		}
		env["GITHUB_ACTION_PATH"] = r.root
		env["PATH"] = strings.Join(append(append([]string{}, r.path...), r.env["PATH"]), string(os.PathListSeparator))
		for k, v := range st.Env {
			env[k] = r.expand(v)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = r.workspace
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Stdout, cmd.Stderr = &r.stdout, &r.stderr
		err := cmd.Run()
		if st.ID != "" {
			r.steps[st.ID] = readOutputs(t, files["GITHUB_OUTPUT"])
		}
		for _, line := range readLines(t, files["GITHUB_PATH"]) {
			r.path = append([]string{line}, r.path...)
		}
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		} else if err != nil {
			t.Fatalf("step %s: %v", st.Name, err)
		}
	}
	return 0
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// readOutputs parses a GITHUB_OUTPUT file: name=value and name<<DELIM blocks.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			out[name] = val
		} else if line != "" {
			t.Errorf("GITHUB_OUTPUT line %q is neither name=value nor name<<DELIM", line)
		}
	}
	return out
}

var (
	installOnce sync.Once
	installPath []string
	installTemp string
	installLog  string
	installCode int
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func loadAction(t *testing.T) (actionFile, int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using %q, want composite", a.Runs.Using)
	}
	scan := -1
	for i, st := range a.Runs.Steps {
		if st.ID == "scan" {
			scan = i
		}
	}
	if scan < 0 {
		t.Fatal("action.yml has no step with id scan")
	}
	return a, scan
}

// baseEnv is the environment of every step: this process's, with git made
// hermetic and Go on PATH.
func baseEnv(t *testing.T) map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && !strings.HasPrefix(k, "GITHUB_") && !strings.HasPrefix(k, "INPUT_") && !strings.HasPrefix(k, "RUNNER_") {
			env[k] = v
		}
	}
	if _, err := exec.LookPath("go"); err != nil {
		env["PATH"] = filepath.Join(runtime.GOROOT(), "bin") + string(os.PathListSeparator) + env["PATH"]
	}
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Test Bot", "GIT_AUTHOR_EMAIL": "test-bot@example.invalid",
		"GIT_COMMITTER_NAME": "Test Bot", "GIT_COMMITTER_EMAIL": "test-bot@example.invalid",
		"CI": "true", "GITHUB_ACTIONS": "true", "NO_COLOR": "1",
	} {
		env[k] = v
	}
	return env
}

// installAction runs the steps before the scan step (building lifeguard and
// the glue from this checkout, as the action does at its ref) once.
func installAction(t *testing.T) ([]string, string) {
	t.Helper()
	installOnce.Do(func() {
		a, scan := loadAction(t)
		dir, err := os.MkdirTemp("", "lifeguard-action-test-")
		if err != nil {
			t.Fatal(err)
		}
		installTemp = dir
		r := &runner{t: t, root: repoRoot(t), action: a, workspace: dir, temp: dir, env: baseEnv(t), steps: map[string]map[string]string{}}
		r.env["RUNNER_TEMP"] = dir
		installCode = r.runSteps(0, scan)
		installPath, installLog = r.path, r.stdout.String()+r.stderr.String()
	})
	if installCode != 0 {
		t.Fatalf("install steps failed (exit %d):\n%s", installCode, installLog)
	}
	return installPath, installTemp
}

func TestMain(m *testing.M) {
	code := m.Run()
	if installTemp != "" {
		os.RemoveAll(installTemp)
	}
	os.Exit(code)
}

func git(t *testing.T, env map[string]string, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// history is the origin repository: main has a token from before the pull
// request (A) and a later clean commit (D); feature branches at A, adds a
// notebook with a token in an output (B), then a clean commit (C).
type history struct {
	origin     string
	A, B, C, D string
}

func makeOrigin(t *testing.T, env map[string]string) history {
	t.Helper()
	src := t.TempDir()
	git(t, env, src, "init", "-q", "-b", "main")
	write(t, src, "README.md", "# demo\n")
	write(t, src, "config.yaml", "model:\n  name: acme/tox\n  hub_token: "+oldToken+"\n")
	git(t, env, src, "add", ".")
	git(t, env, src, "commit", "-q", "-m", "start")
	var h history
	h.A = git(t, env, src, "rev-parse", "HEAD")
	git(t, env, src, "checkout", "-q", "-b", "feature")
	write(t, src, "notebooks/train.ipynb", notebook)
	git(t, env, src, "add", ".")
	git(t, env, src, "commit", "-q", "-m", "add training notebook")
	h.B = git(t, env, src, "rev-parse", "HEAD")
	write(t, src, "README.md", "# demo\n\nTraining notes.\n")
	git(t, env, src, "commit", "-q", "-am", "notes")
	h.C = git(t, env, src, "rev-parse", "HEAD")
	git(t, env, src, "checkout", "-q", "main")
	write(t, src, "LICENSE", "MIT\n")
	git(t, env, src, "add", ".")
	git(t, env, src, "commit", "-q", "-m", "licence")
	h.D = git(t, env, src, "rev-parse", "HEAD")
	h.origin = filepath.Join(t.TempDir(), "origin.git")
	git(t, env, src, "clone", "-q", "--bare", src, h.origin)
	git(t, env, h.origin, "config", "uploadpack.allowAnySHA1InWant", "true")
	return h
}

// The token's position in the notebook, as annotations and SARIF give it.
func notebookPos() (line, col int) {
	for i, l := range strings.Split(notebook, "\n") {
		if j := strings.Index(l, newToken); j >= 0 {
			return i + 1, len([]rune(l[:j])) + 1
		}
	}
	panic("token not in notebook")
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), "testdata", "schemas", "sarif-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type sarifResult struct {
	RuleID    string `json:"ruleId"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI string } `json:"artifactLocation"`
			Region           struct{ StartLine, StartColumn int }
		} `json:"physicalLocation"`
	} `json:"locations"`
	Properties map[string]any `json:"properties"`
}

func TestActionRunner(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	binPath, _ := installAction(t)
	env := baseEnv(t)
	h := makeOrigin(t, env)
	schema := compileSchema(t)
	nbLine, nbCol := notebookPos()
	zero := strings.Repeat("0", 40)

	prPayload := fmt.Sprintf(`{"action":"synchronize","number":7,"pull_request":{"number":7,"base":{"ref":"main","sha":%q},"head":{"ref":"feature","sha":%q}},"repository":{"default_branch":"main"}}`, h.D, h.C)
	push := func(before string, created, forced, deleted bool, after string) string {
		return fmt.Sprintf(`{"ref":"refs/heads/feature","before":%q,"after":%q,"created":%t,"deleted":%t,"forced":%t,"repository":{"default_branch":"main"},"commits":[]}`,
			before, after, created, deleted, forced)
	}
	nbAnnotation := fmt.Sprintf("::error file=notebooks/train.ipynb,line=%d,col=%d,title=Lifeguard%%3A huggingface-access-token::", nbLine, nbCol)

	tests := []struct {
		name      string
		event     string
		payload   string
		shallow   bool // actions/checkout's default fetch-depth: 1
		inputs    map[string]string
		wantCode  int
		wantFiles []string // SARIF result URIs, in order
		wantScope string   // in the summary
		wantLog   string   // in stderr
	}{
		{name: "pull request", event: "pull_request", payload: prPayload, wantCode: 1,
			wantFiles: []string{"notebooks/train.ipynb"}, wantScope: "pull request #7, commits " + h.D[:7] + ".." + h.C[:7]},
		{name: "pull request, shallow checkout", event: "pull_request", payload: prPayload, shallow: true, wantCode: 1,
			wantFiles: []string{"notebooks/train.ipynb"}, wantScope: "pull request #7"},
		{name: "pull request, fail-on-findings false", event: "pull_request", payload: prPayload,
			inputs: map[string]string{"fail-on-findings": "false"}, wantCode: 0, wantFiles: []string{"notebooks/train.ipynb"}},
		{name: "push", event: "push", payload: push(h.A, false, false, false, h.C), wantCode: 1,
			wantFiles: []string{"notebooks/train.ipynb"}, wantScope: "push to feature, commits " + h.A[:7] + ".." + h.C[:7]},
		{name: "push creating a branch", event: "push", payload: push(zero, true, false, false, h.C), shallow: true, wantCode: 1,
			wantFiles: []string{"notebooks/train.ipynb"}, wantScope: "push creating feature: commits not on main"},
		{name: "force push, old head gone", event: "push", payload: push(strings.Repeat("1", 40), false, true, false, h.C), shallow: true, wantCode: 1,
			wantFiles: []string{"notebooks/train.ipynb"}, wantScope: "force push to feature", wantLog: "cannot be fetched; scanning the commits not on main"},
		{name: "force push", event: "push", payload: push(h.D, false, true, false, h.C), wantCode: 1,
			wantFiles: []string{"notebooks/train.ipynb"}, wantScope: "force push to feature, commits " + h.D[:7] + ".." + h.C[:7]},
		{name: "push deleting a branch", event: "push", payload: push(h.C, false, false, true, zero), wantCode: 0,
			wantFiles: nil, wantScope: "push deleting feature: no commits"},
		{name: "schedule: full history", event: "schedule", payload: `{"schedule":"0 3 * * 1"}`, wantCode: 1,
			wantFiles: []string{"config.yaml", "notebooks/train.ipynb"}, wantScope: "the full git history"},
		{name: "workflow_dispatch: working tree", event: "workflow_dispatch", payload: `{"inputs":{}}`,
			inputs: map[string]string{"mode": "working-tree", "paths": "notebooks\nconfig.yaml"}, wantCode: 1,
			wantFiles: []string{"config.yaml", "notebooks/train.ipynb"}, wantScope: "the working tree"},
		{name: "bad mode", event: "push", payload: push(h.A, false, false, false, h.C), inputs: map[string]string{"mode": "everything"},
			wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), "ws")
			if tt.shallow {
				git(t, env, "", "clone", "-q", "--depth", "1", "--branch", "feature", "file://"+h.origin, ws)
			} else {
				git(t, env, "", "clone", "-q", "--branch", "feature", "file://"+h.origin, ws)
			}
			temp := t.TempDir()
			eventPath := filepath.Join(temp, "event.json")
			write(t, temp, "event.json", tt.payload)
			summary := filepath.Join(temp, "step_summary.md")
			write(t, temp, "step_summary.md", "")
			a, scan := loadAction(t)
			r := &runner{t: t, root: repoRoot(t), action: a, workspace: ws, temp: temp, env: baseEnv(t),
				inputs: tt.inputs, path: binPath, steps: map[string]map[string]string{}}
			for k, v := range map[string]string{
				"GITHUB_EVENT_NAME": tt.event, "GITHUB_EVENT_PATH": eventPath, "GITHUB_STEP_SUMMARY": summary,
				"GITHUB_WORKSPACE": ws, "RUNNER_TEMP": temp, "GITHUB_REPOSITORY": "acme/demo",
			} {
				r.env[k] = v
			}
			code := r.runSteps(scan, len(a.Runs.Steps))
			stdout, stderr := r.stdout.String(), r.stderr.String()
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			md, err := os.ReadFile(summary)
			if err != nil {
				t.Fatal(err)
			}
			outputs := map[string]string{}
			for name, o := range a.Outputs {
				outputs[name] = r.expand(o.Value)
			}
			outFile, _ := json.Marshal(outputs)
			var sarif []byte
			if p := outputs["sarif-file"]; p != "" {
				if sarif, err = os.ReadFile(p); err != nil {
					t.Fatal(err)
				}
			}
			// Nothing the action writes holds a secret.
			for what, s := range map[string]string{"stdout": stdout, "stderr": stderr, "summary": string(md), "outputs": string(outFile), "SARIF": string(sarif)} {
				for _, tok := range []string{oldToken, newToken} {
					if strings.Contains(s, tok[:8]) {
						t.Errorf("%s contains the secret %s…:\n%s", what, tok[:8], s)
					}
				}
			}
			if tt.wantCode == 2 {
				if !strings.Contains(stdout, "::error title=Lifeguard::input mode: \"everything\" is not one of auto, history, working-tree") {
					t.Errorf("no error annotation for a bad mode:\n%s", stdout)
				}
				return
			}

			// Outputs.
			if want := fmt.Sprint(len(tt.wantFiles)); outputs["findings"] != want {
				t.Errorf("output findings=%q, want %s", outputs["findings"], want)
			}
			if want := filepath.Join(temp, "lifeguard.sarif"); outputs["sarif-file"] != want {
				t.Errorf("output sarif-file=%q, want %s", outputs["sarif-file"], want)
			}

			// SARIF: schema-valid, results where expected.
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(sarif))
			if err != nil {
				t.Fatalf("SARIF: %v", err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Errorf("SARIF does not validate: %v", err)
			}
			var log struct {
				Runs []struct {
					Results []sarifResult `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(sarif, &log); err != nil {
				t.Fatal(err)
			}
			var files []string
			for _, res := range log.Runs[0].Results {
				l := res.Locations[0].PhysicalLocation
				files = append(files, l.ArtifactLocation.URI)
				if res.RuleID != "huggingface-access-token" {
					t.Errorf("rule %s, want huggingface-access-token", res.RuleID)
				}
				if l.ArtifactLocation.URI == "notebooks/train.ipynb" && (l.Region.StartLine != nbLine || l.Region.StartColumn != nbCol) {
					t.Errorf("notebook result at %d:%d, want %d:%d", l.Region.StartLine, l.Region.StartColumn, nbLine, nbCol)
				}
			}
			if strings.Join(files, " ") != strings.Join(tt.wantFiles, " ") {
				t.Errorf("SARIF results in %q, want %q", files, tt.wantFiles)
			}

			// Annotations: one per finding, on stdout where the runner reads them.
			var ann []string
			for _, l := range strings.Split(stdout, "\n") {
				if strings.HasPrefix(l, "::error ") {
					ann = append(ann, l)
				}
			}
			if len(ann) != len(tt.wantFiles) {
				t.Errorf("%d annotations, want %d:\n%s", len(ann), len(tt.wantFiles), stdout)
			}
			hasNB := false
			for _, l := range ann {
				if strings.HasPrefix(l, nbAnnotation) {
					hasNB = true
					if !strings.Contains(l, "::Hugging Face") || !strings.Contains(l, " hf_q… (cell 1 [id c1] In [1], output 1 (stream), line 1)") {
						t.Errorf("notebook annotation message: %s", l)
					}
				}
			}
			if slices.Contains(tt.wantFiles, "notebooks/train.ipynb") && !hasNB {
				t.Errorf("no annotation starting %s:\n%s", nbAnnotation, stdout)
			}

			// Summary: the table, the redacted secret, the fix command, the scope.
			s := string(md)
			if len(tt.wantFiles) == 0 {
				if !strings.HasPrefix(s, "### Lifeguard: no secrets found") {
					t.Errorf("summary:\n%s", s)
				}
			} else {
				if !strings.Contains(s, "| File | Location | Rule | Secret | Commit | Fix |") && !strings.Contains(s, "| File | Location | Rule | Secret | Fix |") {
					t.Errorf("summary has no findings table:\n%s", s)
				}
				for _, f := range tt.wantFiles {
					if !strings.Contains(s, "| `"+f+"` | ") {
						t.Errorf("summary has no row for %s:\n%s", f, s)
					}
				}
				if slices.Contains(tt.wantFiles, "notebooks/train.ipynb") &&
					!strings.Contains(s, "| `hf_q…` |") {
					t.Errorf("summary has no redacted notebook secret:\n%s", s)
				}
			}
			if !strings.Contains(s, "<sub>Lifeguard scanned "+tt.wantScope) {
				t.Errorf("summary scope: want %q in\n%s", tt.wantScope, s)
			}
			if tt.wantLog != "" && !strings.Contains(stderr, tt.wantLog) {
				t.Errorf("stderr: want %q in\n%s", tt.wantLog, stderr)
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("summary:\n%s\nstdout:\n%s\nstderr:\n%s", s, stdout, stderr)
			}
		})
	}
}
