package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Invented secrets in testdata/cases/039.
var case039Secrets = []string{
	"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",
	"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",
	"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",
	"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",
}

func TestScanCIReports(t *testing.T) {
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sarif := filepath.Join(dir, "out.sarif")
	code, stdout, stderr := runCLI(t, "", "scan", "../../testdata/cases/039/scripts",
		"--format", "sarif", "--report", sarif, "--step-summary", summary, "--annotations")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	wantAnn := "::error file=testdata/cases/039/scripts/c.py,line=1,col=13,title=Lifeguard%3A huggingface-access-token::"
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], wantAnn) || !strings.Contains(lines[1], "title=Lifeguard%3A openai-api-key::") {
		t.Errorf("annotations on stdout:\n%s\nwant 2 lines, the first starting %s", stdout, wantAnn)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(md), "earlier step\n### Lifeguard: 2 secrets found\n\nScanned paths ../../testdata/cases/039/scripts: 1 file(s)") {
		t.Errorf("summary not appended as expected:\n%s", md)
	}
	if !strings.Contains(string(md), "| `../../testdata/cases/039/scripts/c.py` | 2:") {
		t.Errorf("summary has no row for c.py line 2:\n%s", md)
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	// Code scanning maps results by repository path, wherever the scan ran.
	if !strings.Contains(string(data), `"uri": "testdata/cases/039/scripts/c.py"`) || strings.Contains(string(data), `"uri": "../`) {
		t.Errorf("SARIF URIs are not repository-relative:\n%s", data)
	}
	for _, out := range []string{stdout, stderr, string(md), string(data)} {
		for _, s := range case039Secrets {
			if strings.Contains(out, s[:8]) {
				t.Errorf("output holds secret %s…", s[:8])
			}
		}
	}
}

// With a machine-readable report on stdout, annotations move to stderr.
func TestScanAnnotationsKeepJSONParseable(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "scan", "../../testdata/cases/039/scripts", "--format", "json", "--annotations")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Errorf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if n := strings.Count("\n"+stderr, "\n::error file="); n != 2 {
		t.Errorf("%d annotations on stderr, want 2:\n%s", n, stderr)
	}
}
