package ignore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
)

const commit = "cd5226711335c68be1e720b318b7bc3135a30eb2"

func TestIgnored(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".lifeguardignore", "# accepted test keys\n0123456789abcdef  # notebooks/demo.ipynb openai-api-key\n\nnot an entry\n")
	write(".gitleaksignore", "config/app.env:aws-access-token:2\n"+
		commit+":legacy/old_settings.py:aws-secret-access-key:2\n"+
		"./c:/win path.txt:generic-api-key:7\n")
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 4 {
		t.Errorf("Len = %d, want 4", l.Len())
	}
	if len(l.Warnings) != 1 || l.Warnings[0] != `.lifeguardignore:4: "not an entry" is neither a Lifeguard fingerprint (16 hex digits) nor gitleaks' [commit:]file:rule:line` {
		t.Errorf("Warnings = %q", l.Warnings)
	}
	tests := []struct {
		name string
		f    detect.Finding
		want bool
	}{
		{"fingerprint", detect.Finding{Fingerprint: "0123456789abcdef", File: "x", StartLine: 9}, true},
		{"other fingerprint", detect.Finding{Fingerprint: "0123456789abcdee", File: "x"}, false},
		{"file:rule:line", detect.Finding{File: "config/app.env", RuleID: "aws-access-token", StartLine: 2}, true},
		{"file:rule:line in a commit", detect.Finding{File: "config/app.env", RuleID: "aws-access-token", StartLine: 2, Commit: commit}, true},
		{"moved line", detect.Finding{File: "config/app.env", RuleID: "aws-access-token", StartLine: 3}, false},
		{"other rule", detect.Finding{File: "config/app.env", RuleID: "generic-api-key", StartLine: 2}, false},
		{"commit form", detect.Finding{File: "legacy/old_settings.py", RuleID: "aws-secret-access-key", StartLine: 2, Commit: commit}, true},
		{"commit form, other commit", detect.Finding{File: "legacy/old_settings.py", RuleID: "aws-secret-access-key", StartLine: 2, Commit: "ab" + commit[2:]}, false},
		{"commit form, no commit", detect.Finding{File: "legacy/old_settings.py", RuleID: "aws-secret-access-key", StartLine: 2}, false},
		{"colon in path", detect.Finding{File: "c:/win path.txt", RuleID: "generic-api-key", StartLine: 7}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Ignored(tt.f); got != tt.want {
				t.Errorf("Ignored = %v, want %v", got, tt.want)
			}
		})
	}
	kept, dropped := l.Filter([]detect.Finding{tests[0].f, tests[1].f, tests[2].f})
	if dropped != 2 || len(kept) != 1 || kept[0].Fingerprint != "0123456789abcdee" {
		t.Errorf("Filter = %v, %d", kept, dropped)
	}
}

func TestLoadMissing(t *testing.T) {
	l, err := Load(t.TempDir())
	if err != nil || l.Len() != 0 || len(l.Warnings) != 0 {
		t.Fatalf("Load(empty) = %v, %v", l, err)
	}
	var nilList *List
	if nilList.Ignored(detect.Finding{Fingerprint: "0123456789abcdef"}) {
		t.Error("nil list ignores")
	}
}
