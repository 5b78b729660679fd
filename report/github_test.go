package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
	"github.com/lifeguard-dev/lifeguard/segment"
	"github.com/lifeguard-dev/lifeguard/shell"
)

// Invented, format-valid secrets.
const (
	hfToken     = "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"
	openaiToken = "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"
)

func ghResult() *scanner.Result {
	ec, gone := 7, false
	return &scanner.Result{
		Findings: []detect.Finding{
			{
				RuleID: "huggingface-access-token", Description: "Hugging Face access token",
				File: "configs/b.yaml", StartLine: 3, StartColumn: 16, EndLine: 3, EndColumn: 52,
				Secret: hfToken, Match: "hub_token: " + hfToken,
				Location: segment.Location{Kind: "yaml", KeyPath: "model.hub_token", Line: 3},
			},
			{
				RuleID: "openai-api-key", Description: "OpenAI API key",
				File: "notebooks/a|b, c:d.ipynb", StartLine: 11, StartColumn: 20, EndLine: 11, EndColumn: 183,
				Secret: openaiToken, Match: openaiToken,
				Location: segment.Location{Kind: "notebook", Cell: 1, CellID: "x1", ExecutionCount: &ec, Part: "source", Line: 2},
				Commit:   "5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80",
			},
			{
				RuleID: "huggingface-access-token", Description: "Hugging Face access token",
				File: "old.py", StartLine: 1, StartColumn: 7, EndLine: 1, EndColumn: 43,
				Secret: hfToken, Location: segment.Location{Kind: "file", Line: 1},
				Commit: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", PresentAtHead: &gone,
			},
		},
		Stats: scanner.Stats{Files: 2, Bytes: 2048},
	}
}

func TestStepSummary(t *testing.T) {
	var buf bytes.Buffer
	if err := StepSummary(&buf, ghResult(), Options{}, "commits 1a2b3c4..5d6e7f8"); err != nil {
		t.Fatal(err)
	}
	want := "### Lifeguard: 3 secrets found\n\n" +
		"Scanned commits 1a2b3c4..5d6e7f8: 2 file(s), 2.0 KB.\n\n" +
		"| File | Location | Rule | Secret | Commit | Fix |\n| --- | --- | --- | --- | --- | --- |\n" +
		"| `configs/b.yaml` | 3:16, model.hub\\_token, line 3 | `huggingface-access-token` | `hf_C…` |  | `lifeguard fix configs/b.yaml` |\n" +
		"| `notebooks/a\\|b, c:d.ipynb` | 11:20, cell 1 \\[id x1\\] In \\[7\\], source, line 2 | `openai-api-key` | `sk-p…` | `5d6e7f8091a2` | `lifeguard fix 'notebooks/a\\|b, c:d.ipynb'` |\n" +
		"| `old.py` | 1:7 | `huggingface-access-token` | `hf_C…` | `0a1b2c3d4e5f` | removed since; revoke it |\n" +
		"\nSecrets are redacted. Revoke and rotate each one: it stays usable, and stays in git history, until it is revoked. " +
		"`lifeguard fix FILE` replaces it with a secret-store reference; mark a false positive with a `lifeguard:allow` comment on its line.\n\n"
	if got := buf.String(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
	assertNoSecret(t, buf.String())
}

func TestStepSummaryClean(t *testing.T) {
	res := &scanner.Result{
		Skipped:  []scanner.Skipped{{File: "big.ipynb", Reason: "larger than --max-file-size (10 bytes)"}},
		Warnings: []scanner.Warning{{File: "bad.ipynb", Message: "not valid JSON <here>"}},
		Stats:    scanner.Stats{Files: 4, Bytes: 3 << 20},
	}
	var buf bytes.Buffer
	if err := StepSummary(&buf, res, Options{}, ""); err != nil {
		t.Fatal(err)
	}
	want := "### Lifeguard: no secrets found\n\n" +
		"Scanned 4 file(s), 3.0 MB.\n\n" +
		"\n<details><summary>1 skipped, 1 warning(s)</summary>\n\n" +
		"- skipped `big.ipynb`: larger than --max-file-size (10 bytes)\n" +
		"- warning `bad.ipynb`: not valid JSON \\<here\\>\n" +
		"\n</details>\n\n"
	if got := buf.String(); got != want {
		t.Errorf("summary:\n%q\nwant:\n%q", got, want)
	}
}

func TestStepSummaryCapsRows(t *testing.T) {
	res := &scanner.Result{}
	for i := 0; i < MaxSummaryRows+5; i++ {
		res.Findings = append(res.Findings, detect.Finding{RuleID: "r", File: "f.py", StartLine: i + 1, StartColumn: 1, Secret: hfToken})
	}
	var buf bytes.Buffer
	if err := StepSummary(&buf, res, Options{}, ""); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "| `f.py` |"); n != MaxSummaryRows {
		t.Errorf("%d rows, want %d", n, MaxSummaryRows)
	}
	if !strings.Contains(buf.String(), "\n5 more not shown") {
		t.Errorf("no 'more' line:\n%s", buf.String())
	}
}

func TestAnnotations(t *testing.T) {
	var buf bytes.Buffer
	if err := Annotations(&buf, ghResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=configs/b.yaml,line=3,col=16,title=Lifeguard%3A huggingface-access-token::" +
		"Hugging Face access token hf_C… (model.hub_token, line 3). Fix: lifeguard fix configs/b.yaml, then revoke and rotate the secret.\n" +
		"::error file=notebooks/a|b%2C c%3Ad.ipynb,line=11,col=20,title=Lifeguard%3A openai-api-key::" +
		"OpenAI API key sk-p… (cell 1 [id x1] In [7], source, line 2), added in commit 5d6e7f8091a2. " +
		"Fix: lifeguard fix 'notebooks/a|b, c:d.ipynb', then revoke and rotate the secret.\n" +
		"::error file=old.py,line=1,col=7,title=Lifeguard%3A huggingface-access-token::" +
		"Hugging Face access token hf_C…, added in commit 0a1b2c3d4e5f. It was removed since but stays in git history: revoke and rotate it.\n"
	if got := buf.String(); got != want {
		t.Errorf("annotations:\n%s\nwant:\n%s", got, want)
	}
	assertNoSecret(t, buf.String())
}

func TestAnnotationsEscapeAndScrub(t *testing.T) {
	// A secret used as a key name shows up in the key path too; a newline in
	// a path must not start a second workflow command.
	res := &scanner.Result{Findings: []detect.Finding{{
		RuleID: "huggingface-access-token", File: "x\n::warning::%y.yaml", StartLine: 2, EndLine: 4, StartColumn: 1,
		Secret: hfToken, Location: segment.Location{Kind: "yaml", KeyPath: "tokens." + hfToken},
	}}}
	var buf bytes.Buffer
	if err := Annotations(&buf, res, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=x%0A%3A%3Awarning%3A%3A%25y.yaml,line=2,endLine=4,col=1,title=Lifeguard%3A huggingface-access-token::" +
		"huggingface-access-token hf_C… (tokens.hf_C…). Fix: lifeguard fix 'x%0A::warning::%25y.yaml', then revoke and rotate the secret.\n"
	if got := buf.String(); got != want {
		t.Errorf("annotations:\n%q\nwant:\n%q", got, want)
	}
	assertNoSecret(t, buf.String())
}

func TestAnnotationsShowSecrets(t *testing.T) {
	var buf bytes.Buffer
	if err := Annotations(&buf, ghResult(), Options{ShowSecrets: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), " "+hfToken+" (") {
		t.Errorf("ShowSecrets: full secret missing:\n%s", buf.String())
	}
}

func TestEscapes(t *testing.T) {
	tests := []struct {
		fn       func(string) string
		in, want string
	}{
		{escapeData, "100%\r\nok: a,b", "100%25%0D%0Aok: a,b"},
		{escapeProperty, "100%\r\nok: a,b", "100%25%0D%0Aok%3A a%2Cb"},
		{mdCode, "a`b", "``a`b``"},
		{mdCode, "`a|b", "`` `a\\|b ``"},
		{mdCode, "", ""},
		{mdText, "a_b [c] <d> e|f", "a\\_b \\[c\\] \\<d\\> e\\|f"},
		{shell.Arg, "$(rm -rf x)", "'$(rm -rf x)'"},
		{Printable, "nb/a.ipynb", "nb/a.ipynb"},
		{Printable, "x\x1b[2K\rclean.py", `"x\x1b[2K\rclean.py"`},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%q -> %q, want %q", tt.in, got, tt.want)
		}
	}
}

func assertNoSecret(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{hfToken, openaiToken, hfToken[:8], openaiToken[:8]} {
		if strings.Contains(out, s) {
			t.Errorf("output contains secret prefix %q:\n%s", s, out)
		}
	}
}
