package scanner

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unicode/utf16"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/rules"
)

// escapedRule lets tests check a secret that holds characters JSON escapes.
const escapedRule = `
[[rules]]
id = "test-escaped-token"
description = "test token that may hold quotes and backslashes"
regex = '''lgt_[A-Za-z0-9"\\]{24}'''
keywords = ["lgt_"]
`

func newScanner(t testing.TB, opts Options, user ...string) *Scanner {
	t.Helper()
	var cfgs [][]byte
	for _, u := range user {
		cfgs = append(cfgs, []byte(u))
	}
	set, err := rules.Load(cfgs...)
	if err != nil {
		t.Fatal(err)
	}
	return New(detect.New(set), opts)
}

func scan(t testing.TB, s *Scanner, paths ...string) *Result {
	t.Helper()
	res, err := s.ScanPaths(context.Background(), paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

type want struct {
	rule      string
	line, col int
	endCol    int
	where     string // cell/part/output/line as "c2 output1 l2"
	secret    string // prefix
}

func whereOf(f detect.Finding) string {
	l := f.Location
	s := fmt.Sprintf("c%d %s", l.Cell, l.Part)
	if l.Output > 0 {
		s += strconv.Itoa(l.Output)
	}
	if l.KeyPath != "" {
		s += " " + l.KeyPath
	}
	return s + fmt.Sprintf(" l%d", l.Line)
}

func TestScanNotebookLocations(t *testing.T) {
	s := newScanner(t, Options{}, escapedRule)
	res := scan(t, s, "../testdata/notebook/mixed.ipynb")
	wants := []want{
		{"github-pat", 11, 7, 46, "c1 source l3", "ghp_0OGr4hTxoF54Fzbka8FRCztUjAwyuh1vauWv"},
		{"huggingface-access-token", 27, 22, 58, "c2 output1 l2", "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"},
		{"openai-api-key", 44, 39, 134, "c2 source l2", "sk-proj-j8TPQxjq4i9DoV8gz4FkQ1okTBGzvAmwufUxbvJDT3BlbkFJ"},
		{"aws-access-token", 57, 46, 65, "c3 output1 l2", "AKIAPHKQDLMTTNS4LRWB"},
		{"", 57, 92, 131, "c3 output1 l3", "Gebcy8F5n3+YNBDRzrZSgqbjG3uhkWKFLf6xuI5a"},
		{"anthropic-api-key", 76, 87, 194, "c4 output1 l6", "sk-ant-api03-HUQPFeNBTxaQWk8JzFalHlsZfYcMMDktXP-tKsf2rcDk"},
		{"replicate-api-token", 93, 10, 49, "c5 output1 l1", "r8_DDXh5Jmtf7EbsDe0G9Cryn687neLfjVHq8xiM"},
		{"test-escaped-token", 110, 22, 51, "c6 source l1", `lgt_BGumXx"Y9B4b\ZWOz648JJnU`},
		{"replicate-api-token", 130, 25, 64, "c0 metadata metadata.papermill.parameters.replicate_token l1", "r8_1zh87mTa5Vsqxezy3Lex7BWr2drgd1QsO7jpr"},
	}
	// The AWS secret key's rule id depends on the pack (gitleaks has none
	// for a bare secret key); the location must still be exact.
	checkFindings(t, res, wants)
	// Cell id and execution count are reported for cells that have them.
	if f := res.Findings[2]; f.Location.CellID != "f00dcafe" || f.Location.ExecutionCount == nil || *f.Location.ExecutionCount != 3 {
		t.Errorf("cell identity = %q %v", f.Location.CellID, f.Location.ExecutionCount)
	}
	// The secret with an escaped quote and backslash is exact, and redacts to its first 4 characters.
	esc := res.Findings[7]
	if esc.Secret != `lgt_BGumXx"Y9B4b\ZWOz648JJnU` || esc.Redacted().Secret != "lgt_…" || strings.Contains(esc.Redacted().Match, "BGum") {
		t.Errorf("escaped secret %q redacted %q match %q", esc.Secret, esc.Redacted().Secret, esc.Redacted().Match)
	}
	if res.Stats.NotText != 0 && res.Stats.Formats["notebook"] != 1 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

// A bare value in an execute_result is named by the expression that shows it,
// and a widget's value by its label; a tokenizer's repr or a run id is not a
// secret for being shown. HTML outputs are read as the browser shows them.
func TestScanNotebookNamedValues(t *testing.T) {
	res := scan(t, newScanner(t, Options{}), "../testdata/notebook/named.ipynb")
	wants := []want{
		{"mistral-api-key", 12, 10, 41, "c1 output1 l1", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oO"},
		// HTML entities are decoded: the secret is what the table shows, the
		// columns span what the file holds (Qv7&amp;kP2…).
		{"secret-named-key", 102, 17, 36, "c5 output1 l4", "Qv7&kP2#mW9x!Lr4"},
		{"wandb-api-key", 136, 18, 57, "c0 metadata metadata.widgets.application/vnd.jupyter.widget-state+json.state.0b1c.state.value l1", "1c17149d439536b3216fdaeeb975729fae923d5a"},
	}
	checkFindings(t, res, wants)
	for i, f := range res.Findings {
		if f.Secret != wants[i].secret {
			t.Errorf("finding %d secret %q, want %q", i, f.Secret, wants[i].secret)
		}
	}
}

// checkFindings compares findings, in order, with wants: rule (any when
// empty), exact single-line location, and secret prefix.
func checkFindings(t *testing.T, res *Result, wants []want) {
	t.Helper()
	if len(res.Findings) != len(wants) {
		for _, f := range res.Findings {
			t.Logf("%s %d:%d %s %q", f.RuleID, f.StartLine, f.StartColumn, whereOf(f), f.Secret)
		}
		t.Fatalf("got %d findings, want %d", len(res.Findings), len(wants))
	}
	for i, w := range wants {
		f := res.Findings[i]
		if (w.rule != "" && f.RuleID != w.rule) || f.StartLine != w.line || f.StartColumn != w.col || f.EndLine != w.line || f.EndColumn != w.endCol ||
			whereOf(f) != w.where || !strings.HasPrefix(f.Secret, w.secret) {
			t.Errorf("finding %d = %s %d:%d-%d %q %q, want %s %d:%d-%d %q %q", i, f.RuleID, f.StartLine, f.StartColumn, f.EndColumn, whereOf(f), f.Secret,
				w.rule, w.line, w.col, w.endCol, w.where, w.secret)
		}
	}
}

func TestFingerprintStableWhenLinesAdded(t *testing.T) {
	dir := t.TempDir()
	body := "api = \"r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R\"\n"
	p := filepath.Join(dir, "a.py")
	s := newScanner(t, Options{})
	os.WriteFile(p, []byte(body), 0o644)
	before := scan(t, s, p).Findings
	os.WriteFile(p, []byte("import os\n\n# config\n"+body), 0o644)
	after := scan(t, s, p).Findings
	if len(before) != 1 || len(after) != 1 {
		t.Fatalf("findings %d/%d", len(before), len(after))
	}
	if before[0].Fingerprint != after[0].Fingerprint || before[0].StartLine == after[0].StartLine {
		t.Errorf("fingerprint %s→%s, line %d→%d", before[0].Fingerprint, after[0].Fingerprint, before[0].StartLine, after[0].StartLine)
	}
}

// TestCases runs the notebook cases from public bug reports kept in testdata/cases.
func TestCases(t *testing.T) {
	rawLine := regexp.MustCompile(`raw line (\d+)`)
	cellRe := regexp.MustCompile(`^cell (\d+)`)
	for _, id := range []string{"001", "004", "008"} {
		t.Run(id, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", "cases", id)
			var exp struct {
				Files map[string][]struct {
					RuleKind string `json:"rule_kind"`
					Where    string `json:"where"`
					Secret   string `json:"secret"`
				} `json:"files"`
				MustNotFlag []string `json:"must_not_flag"`
			}
			data, err := os.ReadFile(filepath.Join(dir, "expect.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &exp); err != nil {
				t.Fatal(err)
			}
			s := newScanner(t, Options{})
			for file, wants := range exp.Files {
				res := scan(t, s, filepath.Join(dir, file))
				if len(res.Findings) != len(wants) {
					for _, f := range res.Findings {
						t.Logf("%s %d %q", f.RuleID, f.StartLine, f.Secret)
					}
					t.Fatalf("%s: %d findings, want %d", file, len(res.Findings), len(wants))
				}
				for i, w := range wants {
					f := res.Findings[i]
					line, _ := strconv.Atoi(rawLine.FindStringSubmatch(w.Where)[1])
					cell, _ := strconv.Atoi(cellRe.FindStringSubmatch(w.Where)[1])
					if f.RuleID != w.RuleKind || f.Secret != w.Secret || f.StartLine != line || f.Location.Cell != cell+1 {
						t.Errorf("%s: got %s line %d cell %d %q, want %s line %d cell %d %q", file, f.RuleID, f.StartLine, f.Location.Cell, f.Secret, w.RuleKind, line, cell+1, w.Secret)
					}
				}
				for _, f := range res.Findings {
					for _, bad := range exp.MustNotFlag {
						if strings.Contains(f.Secret, bad) || strings.Contains(bad, f.Secret) {
							t.Errorf("flagged %q (%s)", bad, f.RuleID)
						}
					}
				}
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	key := "r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R"
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("broken.ipynb", `{"cells": [{"cell_type": "code", "source": "token = '`+key+`'`)
	write("notnb.ipynb", `{"name": "x", "token": "`+key+`"}`)
	write("latin1.py", "# caf\xe9\ntoken = \""+key+"\"\n")
	write("bin.dat", "\x00\x01\x02"+key)
	write("big.txt", strings.Repeat("a", 2048))
	os.Symlink(dir, filepath.Join(dir, "loop"))
	os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "dangling"))
	os.Symlink(filepath.Join(dir, "cycle-b"), filepath.Join(dir, "cycle-a"))
	os.Symlink(filepath.Join(dir, "cycle-a"), filepath.Join(dir, "cycle-b"))
	s := newScanner(t, Options{MaxFileSize: 1024})
	res := scan(t, s, dir)

	got := map[string]int{}
	for _, f := range res.Findings {
		got[filepath.Base(f.File)]++
		if f.RuleID != "replicate-api-token" || f.Secret != key {
			t.Errorf("%s: %s %q", f.File, f.RuleID, f.Secret)
		}
	}
	// Unparseable notebooks are scanned as plain text; invalid UTF-8 is scanned too.
	for _, name := range []string{"broken.ipynb", "notnb.ipynb", "latin1.py"} {
		if got[name] != 1 {
			t.Errorf("%s: %d findings, want 1", name, got[name])
		}
	}
	warned := map[string]string{}
	for _, w := range res.Warnings {
		warned[filepath.Base(w.File)] = w.Message
	}
	if !strings.Contains(warned["broken.ipynb"], "scanned as plain text") || !strings.Contains(warned["broken.ipynb"], "invalid JSON at byte") {
		t.Errorf("broken.ipynb warning = %q", warned["broken.ipynb"])
	}
	if !strings.Contains(warned["notnb.ipynb"], "not a Jupyter notebook") {
		t.Errorf("notnb.ipynb warning = %q", warned["notnb.ipynb"])
	}
	skipped := map[string]string{}
	for _, sk := range res.Skipped {
		skipped[filepath.Base(sk.File)] = sk.Reason
	}
	want := map[string]string{
		"big.txt":  "larger than --max-file-size (1024 bytes)",
		"loop":     "symlink to a directory (not followed)",
		"dangling": "broken symlink (target does not exist)",
		"cycle-a":  "symlink not followed: too many levels of symbolic links",
	}
	for name, reason := range want {
		if skipped[name] != reason {
			t.Errorf("skipped[%s] = %q, want %q", name, skipped[name], reason)
		}
	}
	if res.Stats.Binary != 1 {
		t.Errorf("binary = %d, want 1", res.Stats.Binary)
	}
}

func TestPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode; the reason mapping is covered by TestReadReason")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "secret.env")
	os.WriteFile(p, []byte("x"), 0o000)
	res := scan(t, newScanner(t, Options{}), dir)
	if len(res.Skipped) != 1 || res.Skipped[0].Reason != "permission denied" {
		t.Fatalf("skipped = %+v", res.Skipped)
	}
}

func TestReadReason(t *testing.T) {
	_, err := os.ReadFile(filepath.Join(t.TempDir(), "gone"))
	if got := readReason(err); got != "disappeared before it could be read" {
		t.Errorf("readReason = %q", got)
	}
	if got := readReason(&os.PathError{Op: "open", Path: "x", Err: os.ErrPermission}); got != "permission denied" {
		t.Errorf("readReason = %q", got)
	}
}

func TestGitignoreAndStdin(t *testing.T) {
	dir := t.TempDir()
	key := "r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R"
	os.MkdirAll(filepath.Join(dir, "sub", "build"), 0o755)
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("*.log\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", ".gitignore"), []byte("build/\n"), 0o644)
	for _, p := range []string{"a.py", "x.log", "sub/b.py", "sub/build/c.py", ".git/config"} {
		os.WriteFile(filepath.Join(dir, p), []byte("t = \""+key+"\"\n"), 0o644)
	}
	files := func(res *Result) string {
		var names []string
		for _, f := range res.Findings {
			rel, _ := filepath.Rel(dir, f.File)
			names = append(names, filepath.ToSlash(rel))
		}
		return strings.Join(names, ",")
	}
	if got := files(scan(t, newScanner(t, Options{}), dir)); got != "a.py,sub/b.py" {
		t.Errorf("with .gitignore: %s", got)
	}
	if got := files(scan(t, newScanner(t, Options{NoGitignore: true}), dir)); got != "a.py,sub/b.py,sub/build/c.py,x.log" {
		t.Errorf("--no-gitignore: %s", got)
	}
	res, err := newScanner(t, Options{}).ScanPaths(context.Background(), []string{"-"}, bytes.NewReader([]byte("x\nk="+key)))
	if err != nil || len(res.Findings) != 1 || res.Findings[0].File != "-" || res.Findings[0].StartLine != 2 || res.Findings[0].StartColumn != 3 {
		t.Fatalf("stdin: %v %+v", err, res.Findings)
	}
}

// With a Root, .gitignore files above the scanned folder apply, a trailing
// slash changes nothing, tracked files are scanned though ignored, and a
// file named twice is scanned once.
func TestGitignoreUnderRoot(t *testing.T) {
	dir := t.TempDir()
	key := "r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R"
	for _, p := range []string{".git/info", "sub/build", "sub/mlruns", "sub/deep"} {
		os.MkdirAll(filepath.Join(dir, p), 0o755)
	}
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("*.log\nmlruns/\nsub/deep/*.env\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".git/info/exclude"), []byte("*.tmp\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", ".gitignore"), []byte("build/\n"), 0o644)
	for _, p := range []string{"sub/a.py", "sub/x.log", "sub/y.tmp", "sub/build/c.py", "sub/mlruns/p", "sub/mlruns/q", "sub/deep/d.env", "sub/deep/e.py"} {
		os.WriteFile(filepath.Join(dir, p), []byte("t = \""+key+"\"\n"), 0o644)
	}
	os.Symlink("e.py", filepath.Join(dir, "sub/deep/link.py"))
	tracked := map[string]bool{"sub/mlruns/q": true, "sub/x.log": true}
	isTracked := func(rel string, isDir bool) bool {
		for p := range tracked {
			if p == rel || isDir && strings.HasPrefix(p, rel+"/") {
				return true
			}
		}
		return false
	}
	files := func(res *Result) string {
		var names []string
		for _, f := range res.Findings {
			names = append(names, f.File)
		}
		return strings.Join(names, ",")
	}
	sub := filepath.Join(dir, "sub")
	tests := []struct {
		name  string
		opts  Options
		paths []string
		want  string
	}{
		{"no root: only the folder's own .gitignore", Options{}, []string{sub},
			sub + "/a.py," + sub + "/deep/d.env," + sub + "/deep/e.py," + sub + "/mlruns/p," + sub + "/mlruns/q," + sub + "/x.log," + sub + "/y.tmp"},
		{"root: every .gitignore above and info/exclude", Options{Root: dir}, []string{sub},
			sub + "/a.py," + sub + "/deep/e.py"},
		{"trailing slash", Options{Root: dir}, []string{sub + "/"},
			sub + "/a.py," + sub + "/deep/e.py"},
		{"tracked files are scanned though ignored", Options{Root: dir, Tracked: isTracked}, []string{sub},
			sub + "/a.py," + sub + "/deep/e.py," + sub + "/mlruns/q," + sub + "/x.log"},
		{"overlapping paths scan a file once", Options{Root: dir}, []string{sub, sub + "/a.py", sub + "/deep"},
			sub + "/a.py," + sub + "/deep/e.py"},
		{"a symlink to a scanned file is the same file", Options{Root: dir}, []string{sub + "/deep"},
			sub + "/deep/e.py"},
		{"an ignored folder named on the command line is scanned", Options{Root: dir}, []string{sub + "/mlruns"},
			sub + "/mlruns/p," + sub + "/mlruns/q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := files(scan(t, newScanner(t, tt.opts), tt.paths...)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A fingerprint depends on the path relative to Root, not on how the path
// was typed or where the command ran; findings keep the path as given.
func TestFingerprintRelativeToRoot(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "nb"), 0o755)
	os.WriteFile(filepath.Join(dir, "nb", "a.py"), []byte("t = \"r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R\"\n"), 0o644)
	want := detect.Fingerprint("replicate-api-token", "nb/a.py", "r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R", 0)
	t.Chdir(dir)
	for _, tc := range []struct{ path, file string }{
		{"nb", "nb/a.py"},
		{"nb/", "nb/a.py"},
		{"./nb", "nb/a.py"},
		{filepath.Join(dir, "nb"), filepath.ToSlash(filepath.Join(dir, "nb", "a.py"))},
		{"nb/a.py", "nb/a.py"},
		{".", "nb/a.py"},
	} {
		res := scan(t, newScanner(t, Options{Root: dir}), tc.path)
		if len(res.Findings) != 1 {
			t.Fatalf("%s: %d findings", tc.path, len(res.Findings))
		}
		if f := res.Findings[0]; f.Fingerprint != want || f.File != tc.file {
			t.Errorf("%s: %s %s, want %s %s", tc.path, f.File, f.Fingerprint, tc.file, want)
		}
	}
}

func TestMissingPathIsAnError(t *testing.T) {
	_, err := newScanner(t, Options{}).ScanPaths(context.Background(), []string{filepath.Join(t.TempDir(), "nope")}, nil)
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("err = %v", err)
	}
}

// Standard input is recognised by content (a notebook), or by the name
// --stdin-name gives it (a workflow, which only its path identifies).
func TestStdinFormat(t *testing.T) {
	nb, err := os.ReadFile("../testdata/demo/notebooks/finetune_classifier.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	wf, err := os.ReadFile("../testdata/demo/.github/workflows/train.yml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, stdinName string
		data            []byte
		wantFile        string
		wantWhere       string // location of the first finding
	}{
		{"notebook by content", "", nb, "-", "cell 2 source line 5"},
		{"workflow by name", ".github/workflows/train.yml", wf, ".github/workflows/train.yml", "jobs.train.env.GROQ_API_KEY"},
		{"workflow without a name is plain text", "", wf, "-", "line 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := newScanner(t, Options{StdinName: tt.stdinName}).ScanPaths(context.Background(), []string{"-"}, bytes.NewReader(tt.data))
			if err != nil || len(res.Findings) == 0 {
				t.Fatalf("%v, %d findings", err, len(res.Findings))
			}
			f := res.Findings[0]
			where := fmt.Sprintf("line %d", f.StartLine)
			if f.Location.KeyPath != "" {
				where = f.Location.KeyPath
			} else if f.Location.Cell > 0 {
				where = fmt.Sprintf("cell %d %s line %d", f.Location.Cell, f.Location.Part, f.Location.Line)
			}
			if f.File != tt.wantFile || where != tt.wantWhere {
				t.Errorf("first finding %s at %q, want %s at %q", f.File, where, tt.wantFile, tt.wantWhere)
			}
		})
	}
}

// Nothing that is not a regular file is read: a FIFO would block the scan
// and a device (a committed symlink to /dev/zero) would never end. Standard
// input is capped by the size limit too.
func TestSpecialFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yml"), 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.txt"))
	os.Symlink("pipe.yml", filepath.Join(dir, "link.txt"))
	os.WriteFile(filepath.Join(dir, "ok.py"), []byte("x = 1\n"), 0o644)
	s := newScanner(t, Options{})
	check := func(res *Result, want string) {
		t.Helper()
		var got []string
		for _, sk := range res.Skipped {
			got = append(got, filepath.Base(sk.File)+": "+sk.Reason)
		}
		if strings.Join(got, "; ") != want {
			t.Errorf("skipped %q\nwant    %q", strings.Join(got, "; "), want)
		}
	}
	check(scan(t, s, dir), "link.txt: not a regular file (a FIFO); pipe.yml: not a regular file (a FIFO); zero.txt: not a regular file (a character device)")
	check(scan(t, s, filepath.Join(dir, "pipe.yml")), "pipe.yml: not a regular file (a FIFO)")

	small := newScanner(t, Options{MaxFileSize: 1000})
	res, err := small.ScanPaths(context.Background(), []string{"-"}, io.LimitReader(zeroReader{}, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	check(res, "-: larger than --max-file-size (1000 bytes)")
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// A folder named through a symlink is walked.
func TestSymlinkedFolderArgument(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "real"), 0o755)
	os.WriteFile(filepath.Join(dir, "real", "a.py"), []byte("t = \"r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R\"\n"), 0o644)
	if err := os.Symlink("real", filepath.Join(dir, "link")); err != nil {
		t.Skip(err)
	}
	res := scan(t, newScanner(t, Options{}), filepath.Join(dir, "link"))
	if len(res.Findings) != 1 || res.Findings[0].File != filepath.ToSlash(filepath.Join(dir, "link", "a.py")) {
		t.Errorf("findings %+v", res.Findings)
	}
}

// Text saved as UTF-16 with a byte-order mark (PowerShell's Out-File) is
// decoded and scanned, not skipped as binary.
func TestUTF16(t *testing.T) {
	const key = "r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R"
	text := "# from PowerShell\r\nREPLICATE_API_TOKEN=" + key + "\r\n"
	encode := func(order binary.AppendByteOrder, bom []byte) []byte {
		out := append([]byte(nil), bom...)
		for _, u := range utf16.Encode([]rune(text)) {
			out = order.AppendUint16(out, u)
		}
		return out
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "le.env"), encode(binary.LittleEndian, []byte{0xFF, 0xFE}), 0o644)
	os.WriteFile(filepath.Join(dir, "be.py"), encode(binary.BigEndian, []byte{0xFE, 0xFF}), 0o644)
	res := scan(t, newScanner(t, Options{}), dir)
	if len(res.Findings) != 2 || res.Stats.Binary != 0 {
		t.Fatalf("findings %+v, binary %d", res.Findings, res.Stats.Binary)
	}
	for _, f := range res.Findings {
		if f.Secret != key || f.StartLine != 2 || f.RuleID != "replicate-api-token" {
			t.Errorf("%s: %s %q line %d", f.File, f.RuleID, f.Secret, f.StartLine)
		}
	}
}
