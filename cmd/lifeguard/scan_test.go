package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// demoOpenAIKey is the invented key in testdata/demo's notebook.
const demoOpenAIKey = "sk-proj-huG8GP38g4o5MNJAYKJ1UXXFWXLCpaNfhs0gCa05T3BlbkFJRFRunzqw7wZyVGOeUvfJIssDj4PTTKtb2TxxDBfz"

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

func TestScanJSONContract(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scan", "../../testdata/demo", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Skipped  []any            `json:"skipped"`
		Stats    map[string]any   `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Skipped == nil || doc.Stats == nil {
		t.Fatal("skipped and stats must be present")
	}
	var nb map[string]any
	for _, f := range doc.Findings {
		for _, k := range []string{"rule_id", "description", "file", "start_line", "start_column", "end_line", "end_column", "secret", "match", "fingerprint", "entropy", "location"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding lacks %q: %v", k, f)
			}
		}
		if f["file"] == "../../testdata/demo/notebooks/finetune_classifier.ipynb" && f["rule_id"] == "openai-api-key" {
			nb = f
		}
	}
	if nb == nil {
		t.Fatal("no openai-api-key finding in the demo notebook")
	}
	loc := nb["location"].(map[string]any)
	if nb["start_line"] != 23.0 || nb["start_column"] != 39.0 || nb["secret"] != "sk-p…" || !strings.Contains(nb["match"].(string), "sk-p…") ||
		loc["kind"] != "notebook" || loc["cell"] != 2.0 || loc["part"] != "source" || loc["line"] != 5.0 || loc["execution_count"] != 1.0 || loc["cell_id"] != "daafca56" {
		t.Errorf("notebook finding = %v", nb)
	}
	if strings.Contains(out, demoOpenAIKey[:20]) {
		t.Error("JSON output leaks a secret")
	}
}

func TestScanRedactionAndFlags(t *testing.T) {
	nb := "../../testdata/demo/notebooks/finetune_classifier.ipynb"
	code, out, _ := runCLI(t, "", "scan", "--no-redact", "--format", "json", nb)
	if code != 1 || !strings.Contains(out, demoOpenAIKey) {
		t.Errorf("--no-redact: exit %d, full key shown %v", code, strings.Contains(out, demoOpenAIKey))
	}
	code, out, _ = runCLI(t, "", "scan", "--no-color", nb)
	if code != 1 || strings.Contains(out, demoOpenAIKey[:12]) || !strings.Contains(out, "23:39 openai-api-key  cell 2 [id daafca56] In [1], source, line 5") || strings.Contains(out, "\x1b[") {
		t.Errorf("text output:\n%s", out)
	}
	if code, _, _ := runCLI(t, "", "scan", "--exit-code", "7", nb); code != 7 {
		t.Errorf("--exit-code 7: exit %d", code)
	}
	report := filepath.Join(t.TempDir(), "out.sarif")
	code, out, stderr := runCLI(t, "", "scan", nb, "--format", "sarif", "--report", report)
	data, err := os.ReadFile(report)
	if code != 1 || out != "" || err != nil || !json.Valid(data) || !bytes.Contains(data, []byte(`"version": "2.1.0"`)) {
		t.Errorf("--report: exit %d stdout %q err %v", code, out, err)
	}
	if want := "lifeguard: 6 finding(s) in 1 file(s) scanned; sarif report written to " + report + "\n"; stderr != want {
		t.Errorf("--report: stderr %q, want %q", stderr, want)
	}
	if bytes.Contains(data, []byte(demoOpenAIKey[:12])) {
		t.Error("SARIF leaks a secret")
	}
}

func TestScanExitCodes(t *testing.T) {
	clean := t.TempDir()
	os.WriteFile(filepath.Join(clean, "a.py"), []byte("print('hello')\n"), 0o644)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		err   string
	}{
		{"clean", "", []string{"scan", clean}, 0, ""},
		{"stdin finding", "HF_TOKEN=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\n", []string{"scan", "-"}, 1, ""},
		{"missing path", "", []string{"scan", filepath.Join(clean, "nope")}, 2, "no such file or directory"},
		{"bad format", "", []string{"scan", "--format", "xml", clean}, 2, `unknown --format "xml"`},
		{"bad flag", "", []string{"scan", "--bogus"}, 2, "flag provided but not defined"},
		{"bad config", "", []string{"scan", "--config", filepath.Join(clean, "none.toml"), clean}, 2, "reading --config"},
		{"unknown command", "", []string{"scna"}, 2, `unknown command "scna"`},
		{"help", "", []string{"scan", "-h"}, 0, "Usage: lifeguard scan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.err) {
				t.Errorf("exit %d stderr %q, want %d and %q", code, stderr, tc.code, tc.err)
			}
		})
	}
}

func TestScanUserConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("id = ACME-9f3a1c7e5b2d8046\n"), 0o644)
	cfg := `[[rules]]
id = "acme-id"
description = "ACME internal id"
regex = '''ACME-[0-9a-f]{16}'''
keywords = ["acme-"]
`
	os.WriteFile(filepath.Join(dir, ".lifeguard.toml"), []byte(cfg), 0o644)
	code, out, stderr := runCLI(t, "", "scan", dir, "--format", "json", "--no-redact")
	if code != 1 || !strings.Contains(out, `"rule_id": "acme-id"`) || !strings.Contains(out, `"secret": "ACME-9f3a1c7e5b2d8046"`) {
		t.Errorf(".lifeguard.toml rule: exit %d\n%s\n%s", code, out, stderr)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n"), 0o644)
	if code, _, stderr := runCLI(t, "", "scan", "--config", bad, dir); code != 2 || !strings.Contains(stderr, "invalid rule configuration") {
		t.Errorf("bad regex: exit %d %q", code, stderr)
	}
	// A TOML error names the file it is in.
	os.WriteFile(bad, []byte("[[rules]]\nid = \n"), 0o644)
	if code, _, stderr := runCLI(t, "", "scan", "--config", bad, dir); code != 2 || !strings.Contains(stderr, "loading rules: "+bad+": toml: line 2") {
		t.Errorf("bad TOML: exit %d %q", code, stderr)
	}
}

func TestLimitFlags(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "big.txt"), []byte(strings.Repeat("x", 2000)+"\n"), 0o644)
	tests := []struct {
		args    []string
		code    int
		wantErr string
	}{
		{[]string{"--exit-code", "256"}, 2, "--exit-code 256: want 0 to 255"},
		{[]string{"--exit-code", "-1"}, 2, "--exit-code -1: want 0 to 255"},
		{[]string{"--workers", "-1"}, 2, "--workers -1: want a number of workers, or 0 for one per CPU"},
		{[]string{"--max-file-size", "-5"}, 2, "--max-file-size -5: want a number of bytes, or 0 for no limit"},
		{[]string{"--max-file-size", "1000"}, 0, "skipped " + filepath.ToSlash(filepath.Join(dir, "big.txt")) + ": larger than --max-file-size (1000 bytes)"},
		{[]string{"--max-file-size", "0", "--workers", "0"}, 0, ""},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", append(append([]string{"scan"}, tt.args...), dir)...)
		if code != tt.code || tt.wantErr != "" && !strings.Contains(stderr, tt.wantErr) || tt.wantErr == "" && stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, stderr)
		}
	}
}

func TestBuildVersion(t *testing.T) {
	info := func(main string, settings ...debug.BuildSetting) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Version: main}, Settings: settings}, true
		}
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "309d7e6a1b2c3d4e5f60718293a4b5c6d7e8f901"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	tests := []struct {
		name, ldflags string
		info          func() (*debug.BuildInfo, bool)
		want          string
	}{
		{"ldflags win", "v1.0.0", info("v0.9.0"), "v1.0.0"},
		{"go install module@version", "dev", info("v0.3.1"), "v0.3.1"},
		{"checkout build", "dev", info("(devel)", rev), "dev (309d7e6a1b2c)"},
		{"checkout with edits", "dev", info("(devel)", rev, dirty), "dev (309d7e6a1b2c+dirty)"},
		{"no build info", "dev", none, "dev"},
	}
	for _, tt := range tests {
		if got := buildVersion(tt.ldflags, tt.info); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"hooks", "frob"}, 2, `lifeguard hooks: unknown action "frob"`},
		{[]string{"hooks", "-h"}, 0, "Usage: lifeguard hooks install [--force] [--lifeguard PATH] [REPO]"},
		{[]string{"hooks", "uninstall", "--force"}, 2, "flag provided but not defined: -force"},
		{[]string{"rules", "extra"}, 2, `rules takes no arguments, got ["extra"]`},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, stderr)
		}
	}
}

// A token used as a map key is found itself, and hidden wherever it shows
// up (the key path of the value under it, the text, JSON, SARIF reports,
// annotations, warnings).
func TestSecretsUsedAsKeys(t *testing.T) {
	const hf = "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"
	const gh = "ghp_1OGMmjxWkI9X7H6aMuFbh7x41Ztpdp4K8ffU"
	header := `{"__metadata__":{"` + hf + `":"` + gh + `"}}`
	st := make([]byte, 8, 8+len(header))
	binary.LittleEndian.PutUint64(st, uint64(len(header)))
	st = append(st, header...)
	dir := t.TempDir()
	files := map[string]string{
		"nb.ipynb":      `{"cells": [], "metadata": {"creds": {"` + hf + `": {"token": "` + gh + `"}}}, "nbformat": 4, "nbformat_minor": 5}`,
		"m.safetensors": string(st),
		"tokens.json":   `{"tokens": {"` + hf + `": {"api_key": "` + gh + `"}}}`,
		"tokens.yml":    "tokens:\n  " + hf + ":\n    api_key: " + gh + "\n",
		"broken.yml":    "a: &x 1\ntoken: *" + hf + "\n",
	}
	for name, text := range files {
		writeFile(t, dir, name, text)
	}
	code, out, _ := runCLI(t, "", "scan", dir, "--format", "json", "--no-redact")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Findings []struct {
			File   string `json:"file"`
			RuleID string `json:"rule_id"`
			Secret string `json:"secret"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	keyFound := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Secret == hf && f.RuleID == "huggingface-access-token" {
			keyFound[filepath.Base(f.File)] = true
		}
	}
	for name := range files {
		if !keyFound[name] {
			t.Errorf("%s: the token used as a key is not reported (%v)", name, keyFound)
		}
	}
	for _, args := range [][]string{{"--format", "json"}, {"--format", "sarif"}, {"--no-color", "--annotations"}} {
		_, out, stderr := runCLI(t, "", append([]string{"scan", dir}, args...)...)
		for _, secret := range []string{hf, gh} {
			if strings.Contains(out+stderr, secret) {
				t.Errorf("%v prints %s in full", args, secret[:8])
			}
		}
	}
}

func TestReportMode(t *testing.T) {
	nb := filepath.Join("..", "..", "testdata", "demo", "notebooks", "finetune_classifier.ipynb")
	dir := t.TempDir()
	tests := []struct {
		name     string
		existing os.FileMode // 0: no file yet
		args     []string
		want     os.FileMode
	}{
		{"new, redacted", 0, nil, 0o644},
		{"new, secrets shown", 0, []string{"--no-redact"}, 0o600},
		{"existing private file stays private", 0o600, nil, 0o600},
		{"existing file keeps its mode", 0o640, []string{"--no-redact"}, 0o640},
	}
	for i, tt := range tests {
		p := filepath.Join(dir, fmt.Sprintf("r%d.json", i))
		if tt.existing != 0 {
			os.WriteFile(p, []byte("{}"), tt.existing)
			os.Chmod(p, tt.existing)
		}
		runCLI(t, "", append([]string{"scan", nb, "--format", "json", "--report", p}, tt.args...)...)
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != tt.want {
			t.Errorf("%s: mode %v (%v), want %v", tt.name, st.Mode().Perm(), err, tt.want)
		}
	}
}

// A report written into the scanned folder is not scanned by the next run.
func TestReportNotRescanned(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.env"), []byte("GITHUB_TOKEN=ghp_R8tKq2Wm5Zx7Vb3Nc9Lj4Hs6Gf1Ay0Ue8Io2\n"), 0o644)
	report := filepath.Join(dir, "report.json")
	for i := 0; i < 2; i++ {
		runCLI(t, "", "scan", dir, "--format", "json", "--no-redact", "--report", report)
	}
	data, _ := os.ReadFile(report)
	var rep struct {
		Findings []struct{ File string } `json:"findings"`
	}
	if err := json.Unmarshal(data, &rep); err != nil || len(rep.Findings) != 1 {
		t.Errorf("second run: %v %+v", err, rep.Findings)
	}
}
