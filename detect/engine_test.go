package detect

import (
	"context"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/segment"
)

// Invented, format-valid values.
const (
	replicateKey = "r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R"
	githubPAT    = "ghp_0OGr4hTxoF54Fzbka8FRCztUjAwyuh1vauWv"
)

func newEngine(t testing.TB, user ...string) *Engine {
	t.Helper()
	var cfgs [][]byte
	for _, u := range user {
		cfgs = append(cfgs, []byte(u))
	}
	set, err := rules.Load(cfgs...)
	if err != nil {
		t.Fatal(err)
	}
	return New(set)
}

func scanText(t *testing.T, e *Engine, file, text string) []Finding {
	t.Helper()
	return e.Scan(context.Background(), file, []byte(text), []segment.Segment{segment.Plain(text, 0, segment.Location{Kind: "file"})})
}

func TestLocationsAcrossLines(t *testing.T) {
	e := newEngine(t)
	// gitleaks counts columns differently on the first line and the others;
	// the engine must land on the exact byte either way.
	text := "x = 1\n  é token = \"" + replicateKey + "\"\nlast " + githubPAT
	fs := scanText(t, e, "a.py", text)
	if len(fs) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	want := []struct {
		rule          string
		line, col, ec int
		secret        string
	}{
		{"replicate-api-token", 2, 14, 53, replicateKey},
		{"github-pat", 3, 6, 45, githubPAT},
	}
	for i, w := range want {
		f := fs[i]
		if f.RuleID != w.rule || f.StartLine != w.line || f.StartColumn != w.col || f.EndColumn != w.ec || f.Secret != w.secret {
			t.Errorf("finding %d = %s %d:%d-%d %q", i, f.RuleID, f.StartLine, f.StartColumn, f.EndColumn, f.Secret)
		}
		if text[f.Offset:f.EndOffset] != w.secret {
			t.Errorf("raw span %q", text[f.Offset:f.EndOffset])
		}
	}
}

func TestWindowsKeepFindingsInLargeSegments(t *testing.T) {
	e := newEngine(t)
	filler := strings.Repeat("loss 0.123 accuracy 0.98 epoch done\n", 2000)
	pem := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEowIBAAKCAQEAq7Zx3Lm9Pd2Wq8Vn4Jt6Yk1Rb5Hs0Gf3Ue7Io2Pa9Sd4Fg8Hj1Kl6Zx\n", 20) + "-----END RSA PRIVATE KEY-----\n"
	text := filler + "token = \"" + replicateKey + "\"\n" + filler + pem + filler + githubPAT + "\n"
	if len(e.win.windows(text)) == 0 {
		t.Fatal("expected windows for a large segment")
	}
	got := map[string]int{}
	for _, f := range scanText(t, e, "train.log", text) {
		got[f.RuleID]++
		if text[f.Offset:f.EndOffset] != f.Secret {
			t.Errorf("%s: raw span %q != secret", f.RuleID, text[f.Offset:f.EndOffset])
		}
	}
	for _, id := range []string{"replicate-api-token", "private-key", "github-pat"} {
		if got[id] != 1 {
			t.Errorf("%s found %d times in a windowed segment (all: %v)", id, got[id], got)
		}
	}
	// A segment without keywords is not scanned at all.
	if w := e.win.windows(filler); w == nil || len(w) != 0 {
		t.Errorf("windows(filler) = %v, want empty", w)
	}
}

func TestContextAndFilters(t *testing.T) {
	e := newEngine(t)
	seg := segment.Plain(replicateKey, 10, segment.Location{Kind: "yaml", KeyPath: "env.REPLICATE_API_TOKEN"})
	seg.Context = "REPLICATE_API_TOKEN"
	raw := []byte(strings.Repeat(" ", 10) + replicateKey)
	fs := e.Scan(context.Background(), "a.yaml", raw, []segment.Segment{seg})
	if len(fs) != 1 || fs[0].Offset != 10 || fs[0].StartColumn != 11 || fs[0].Location.KeyPath != "env.REPLICATE_API_TOKEN" || fs[0].Match != replicateKey {
		t.Fatalf("context finding = %+v", fs)
	}
	// A secret-looking key name is context only, never a finding itself.
	seg2 := segment.Plain("plain value", 0, segment.Location{Kind: "yaml"})
	seg2.Context = replicateKey
	if fs := e.Scan(context.Background(), "a.yaml", []byte("plain value"), []segment.Segment{seg2}); len(fs) != 0 {
		t.Errorf("finding inside context: %+v", fs)
	}
	none := []string{
		"t = \"" + replicateKey + "\"  # lifeguard:allow",
		"t = \"" + replicateKey + "\"  # gitleaks:allow",
		"![x](data:image/png;base64,AAAA" + replicateKey + ")",
		"t = \"r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
	}
	for _, text := range none {
		if fs := scanText(t, e, "a.md", text); len(fs) != 0 {
			t.Errorf("%q: %+v", text, fs)
		}
	}
}

func TestDedupePrefersSpecificRule(t *testing.T) {
	user := `
[[rules]]
id = "generic-test-token"
description = "generic"
regex = '''token = "([A-Za-z0-9_]{20,})"'''
secretGroup = 1
keywords = ["token"]
`
	e := newEngine(t, user)
	fs := scanText(t, e, "a.py", `token = "`+replicateKey+`"`)
	if len(fs) != 1 || fs[0].RuleID != "replicate-api-token" {
		t.Fatalf("findings = %+v", fs)
	}
}

func TestFingerprintAndRedact(t *testing.T) {
	if a, b := Fingerprint("r", "f", "s", 0), Fingerprint("r", "f", "s", 1); a == b || len(a) != 16 {
		t.Errorf("fingerprints %s %s", a, b)
	}
	tests := []struct{ in, out string }{{"sk-proj-abc", "sk-p…"}, {"abc", "…"}, {"éèàüx", "éèàü…"}, {"", ""}}
	for _, tc := range tests {
		if got := Redact(tc.in); got != tc.out {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.out)
		}
	}
	f := Finding{Secret: "sk-proj-abcdef", Match: `key="sk-proj-abcdef"`}.Redacted()
	if f.Secret != "sk-p…" || f.Match != `key="sk-p…"` {
		t.Errorf("Redacted = %q %q", f.Secret, f.Match)
	}
}
