package detect

import (
	"context"
	"fmt"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"testing"

	gdetect "github.com/zricethezav/gitleaks/v8/detect"

	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/segment"
)

// Invented, format-valid values.
const (
	replicateKey = "r8_Wq3Zt7Yp2Lk9Xc4Vb8Nm1As6Df0Gh5Jk3Lq7R"
	githubPAT    = "ghp_0OGr4hTxoF54Fzbka8FRCztUjAwyuh1vauWv"
	hfToken      = "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"
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
	scanned, calls := 0, 0
	e.route.each(text, func(_ *gdetect.Detector, sp span) { scanned += sp.end - sp.start; calls++ })
	if scanned == 0 || scanned > len(text)/4 {
		t.Fatalf("routing scans %d of %d bytes in %d calls, want a small part", scanned, len(text), calls)
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
	e.route.each(filler, func(_ *gdetect.Detector, sp span) { t.Errorf("filler scanned at %v", sp) })
}

func TestRouteWindows(t *testing.T) {
	e := newEngine(t)
	lines := make([]string, 100)
	for i := range lines {
		lines[i] = fmt.Sprintf("step %03d loss 0.5 %s", i, strings.Repeat("=", 80))
	}
	lines[50] = "hf = \"" + hfToken + "\""
	text := strings.Join(lines, "\n") + "\n"
	var got []string
	e.route.each(text, func(det *gdetect.Detector, sp span) {
		for id := range det.Config.Rules {
			got = append(got, fmt.Sprintf("%s %q", id, text[sp.start:sp.end]))
		}
	})
	// hf_ enables only the Hugging Face rule, over its line and one line of
	// context each side (its match cannot reach farther).
	want := []string{fmt.Sprintf("huggingface-access-token %q", lines[49]+"\n"+lines[50]+"\n"+lines[51]+"\n")}
	if !slices.Equal(got, want) {
		t.Errorf("routed %q, want %q", got, want)
	}
}

func TestMatchSpan(t *testing.T) {
	tests := []struct {
		re           string
		lines, runes int
	}{
		{`hf_[A-Za-z0-9]{34}`, 0, 37},
		{`key\s*=\s*"([a-z]{8})"`, 2 * spaceLines, 3 + 2*spaceRun + 11},
		{`key[^\n]*=(\w+)`, 0, wideSpan},
		{`(?i)token[\s:=]{1,3}([\w]{10,150})`, 3, 158},
		{`-----BEGIN[\s\S]{64,}?-----END`, manyLines, wideSpan},
		{`api_key(?:\r?\n[ \t]*)?=(\w+)`, 1, wideSpan},
		{`(?s)a.{0,10}b`, 10, 12},
		{`é{2}`, 0, 2}, // characters, not bytes
	}
	for _, tt := range tests {
		re, err := syntax.Parse(tt.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		re = re.Simplify()
		if l, c := reNewlines(re), reRunes(re); l != tt.lines || c != tt.runes {
			t.Errorf("span of %q = %d lines, %d characters; want %d, %d", tt.re, l, c, tt.lines, tt.runes)
		}
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

func TestKeywordLead(t *testing.T) {
	tests := []struct {
		re, kw string
		want   int
	}{
		{`(?i:api[_. -]?key|secret)\s*=\s*(\w{8,})`, "key", 7},
		{`(?i)\b[\w.-]{0,50}?(?:access|key)[ \t]{0,3}=`, "key", 56},
		{`(?:^|[^A-Za-z0-9])(hf_[A-Za-z0-9]{34})`, "hf_", 38},
		{`(?:PK[A-Z0-9]{18}|alpaca[\w-]{0,4}key)`, "pk", -1}, // the alpaca branch matches without pk
		{`(?:PK[A-Z0-9]{18}|x_pk=[A-Z0-9]{18})`, "pk", 5},    // the literal x_pk= as a whole
		{`(?:PK[A-Z0-9]{18}|AK[A-Z0-9]{18})`, "pk", -1},      // one alternative lacks the keyword
		{`[A-Za-z0-9]{40}`, "wandb", -1},
	}
	for _, tt := range tests {
		re, err := syntax.Parse(tt.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := keywordLead(re.Simplify(), tt.kw); got != tt.want {
			t.Errorf("keywordLead(%q, %q) = %d, want %d", tt.re, tt.kw, got, tt.want)
		}
	}
}

// Inline images are left out of what rules read; findings around them stay.
func TestDataPayloadsCut(t *testing.T) {
	img := strings.Repeat("iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAIAAAD6wG44AAAQK0lEQVR4nO2dhzfV", 4)
	text := `<img src="data:image/png;base64,` + img + `">` + "\ntoken = \"" + replicateKey + "\"\n"
	holes := dataPayloads(text)
	start := strings.Index(text, img)
	if len(holes) != 1 || holes[0] != (span{start, start + len(img)}) {
		t.Fatalf("dataPayloads = %v, want [{%d %d}]", holes, start, start+len(img))
	}
	if got := cut([]span{{0, len(text)}}, holes); len(got) != 2 || got[0] != (span{0, start}) || got[1] != (span{start + len(img), len(text)}) {
		t.Errorf("cut = %v", got)
	}
	e := newEngine(t)
	fs := scanText(t, e, "out.html", text)
	if len(fs) != 1 || fs[0].RuleID != "replicate-api-token" || fs[0].Secret != replicateKey {
		t.Errorf("findings = %+v", fs)
	}
}

// Alpaca's PK… key id enables its rules only written in capitals: "pk" is
// in every other word (pkg, spkg) and would run them on everything.
func TestKeywordsMatchCase(t *testing.T) {
	e := newEngine(t)
	routed := func(text string) []string {
		var ids []string
		e.route.each(text, func(det *gdetect.Detector, _ span) {
			for id := range det.Config.Rules {
				if strings.HasPrefix(id, "alpaca") {
					ids = append(ids, id)
				}
			}
		})
		slices.Sort(ids)
		return ids
	}
	if got := routed("import pkgutil; x = spk.load()"); len(got) != 0 {
		t.Errorf("lower-case pk routed to %v", got)
	}
	if got := routed("APCA_API_KEY_ID=PKOXTH4EUDFNHZLH7NHT"); !slices.Equal(got, []string{"alpaca-api-key-id", "alpaca-secret-key"}) {
		t.Errorf("PK routed to %v", got)
	}
	if got := routed("alpaca_key = load()"); !slices.Equal(got, []string{"alpaca-api-key-id", "alpaca-secret-key"}) {
		t.Errorf("alpaca routed to %v", got)
	}
}

// When gitleaks' generic rule and the secret-named-key context rule report
// the same value, the context rule's id is kept (as gitleaks' own filter did
// when both ran in one pass).
func TestGenericRanksLast(t *testing.T) {
	e := newEngine(t)
	fs := scanText(t, e, "conn.json", `{"conn_type": "generic", "password": "P4x3BP@-dqWCONvB"}`)
	if len(fs) != 1 || fs[0].RuleID != "secret-named-key" {
		t.Errorf("findings = %+v", fs)
	}
}

// An AWS key id and the secret key beside it are two findings linked as one
// credential; a key id far from any secret stays on its own.
func TestCredentialPairs(t *testing.T) {
	e := newEngine(t)
	text := "[default]\naws_access_key_id = AKIAPHKQDLMTTNS4LRWB\naws_secret_access_key = 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\n" +
		"[prod]\naws_access_key_id = AKIAQ2XZTYW7ND5KLM3R\naws_secret_access_key = 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\n" +
		strings.Repeat("# note\n", 10) + "AWS_ACCESS_KEY_ID=AKIAZ7WQ3EXR5TYU2IOP\n"
	fs := scanText(t, e, "credentials", text)
	type pair struct{ rule, with string }
	var got []pair
	byPrint := map[string]Finding{}
	for _, f := range fs {
		byPrint[f.Fingerprint] = f
	}
	for _, f := range fs {
		got = append(got, pair{f.RuleID + "@" + strconv.Itoa(f.StartLine), byPrint[f.PairedWith].RuleID + "@" + strconv.Itoa(byPrint[f.PairedWith].StartLine)})
	}
	want := []pair{
		{"aws-access-token@2", "aws-secret-access-key@3"},
		{"aws-secret-access-key@3", "aws-access-token@2"},
		{"aws-access-token@5", "aws-secret-access-key@6"},
		{"aws-secret-access-key@6", "aws-access-token@5"},
		{"aws-access-token@17", "@0"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("pairs = %v, want %v", got, want)
	}
}

func TestLinePositions(t *testing.T) {
	tests := []struct {
		raw       string
		off       int
		line, col int
	}{
		{"ab\ncd", 3, 2, 1},
		{"ab\r\ncd", 4, 2, 1},
		{"ab\rcd\rex", 6, 3, 1},       // classic Mac line ends
		{"ab\r\x00\n\x00cd", 6, 2, 2}, // UTF-16 CRLF: the CR is not a line end
		{"é\nxé", 5, 2, 3},            // columns count characters
	}
	for _, tt := range tests {
		var idx lineIndex
		idx.build([]byte(tt.raw))
		if l, c := idx.position([]byte(tt.raw), tt.off); l != tt.line || c != tt.col {
			t.Errorf("%q at %d: %d:%d, want %d:%d", tt.raw, tt.off, l, c, tt.line, tt.col)
		}
	}
}
