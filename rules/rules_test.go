package rules_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/segment"
)

func scan(t *testing.T, eng *detect.Engine, text string) []detect.Finding {
	t.Helper()
	seg := segment.Plain(text, 0, segment.Location{Kind: "text"})
	return eng.Scan(context.Background(), "example.txt", []byte(text), []segment.Segment{seg})
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// TestPackExamples runs every example of every pack rule through the real
// engine (gitleaks' rules underneath, Lifeguard's filters and deduplication
// on top): a true positive must be reported by that rule, with the whole
// token as the secret; a false positive must not be reported by it.
func TestPackExamples(t *testing.T) {
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng := detect.New(set)
	pack, err := rules.Pack()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range pack {
		t.Run(r.ID, func(t *testing.T) {
			if len(r.TPs) < 3 || len(r.FPs) < 3 {
				t.Errorf("%s has %d true-positive and %d false-positive examples, want at least 3 of each", r.ID, len(r.TPs), len(r.FPs))
			}
			if _, ok := set.Config.Rules[r.ID]; !ok {
				t.Fatalf("rule %s is not in the loaded set", r.ID)
			}
			for _, tp := range r.TPs {
				var got []string
				found := false
				for _, f := range scan(t, eng, tp) {
					got = append(got, f.RuleID+":"+f.Secret)
					if f.RuleID != r.ID {
						continue
					}
					found = true
					i := strings.Index(tp, f.Secret)
					if i < 0 || len(f.Secret) < 8 {
						t.Errorf("tp %q: secret %q is not a token of the example", tp, f.Secret)
						continue
					}
					// The whole token, not a cut of it.
					if i > 0 && isTokenByte(tp[i-1]) && isTokenByte(f.Secret[0]) {
						t.Errorf("tp %q: secret %q starts inside a token", tp, f.Secret)
					}
					if e := i + len(f.Secret); e < len(tp) && isTokenByte(tp[e]) && isTokenByte(f.Secret[len(f.Secret)-1]) {
						t.Errorf("tp %q: secret %q stops inside a token", tp, f.Secret)
					}
				}
				if !found {
					t.Errorf("tp not found by %s: %q (findings: %v)", r.ID, tp, got)
				}
			}
			for _, fp := range r.FPs {
				for _, f := range scan(t, eng, fp) {
					if f.RuleID == r.ID {
						t.Errorf("fp reported by %s: %q (secret %q)", r.ID, fp, f.Secret)
					}
				}
			}
		})
	}
}

// TestExactSecrets pins the reported secret for one example per shape that
// needs care: context rules, pairs, URL passwords and multi-line keys.
func TestExactSecrets(t *testing.T) {
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng := detect.New(set)
	tests := []struct {
		name, text, rule, secret string
	}{
		{"mistral by env name", `os.environ["MISTRAL_API_KEY"] = "YtsYVZWskQ7W3fUjdVesLrTWtBoNvjHD"`, "mistral-api-key", "YtsYVZWskQ7W3fUjdVesLrTWtBoNvjHD"},
		{"wandb in env dump", "WANDB_API_KEY=f4056a30514fb88e10c99a9c8a7cef27c347afda\n", "wandb-api-key", "f4056a30514fb88e10c99a9c8a7cef27c347afda"},
		{"azure openai legacy in client", "client = AzureOpenAI(\n    api_key=\"5753af8cf78deff122f2f906be3a0eb2\",\n)", "azure-openai-api-key", "5753af8cf78deff122f2f906be3a0eb2"},
		{"aws pair in markdown", "`AKIAGAEZWDOY2YOBQBQ3`, `6KQ0IZ2O1XtXX0saEGWEzolegZP4O6a88RWEWTiY`", "aws-secret-access-key", "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"},
		{"url password", "DATABASE_URL=postgresql://airflow:Ddmh_JKub_n9KK5f2qprI@db:5432/features", "url-credential", "Ddmh_JKub_n9KK5f2qprI"},
		{"k8s name/value", "- name: DB_PASSWORD\n  value: nrwQthhuWAhBR5j\n", "secret-named-key", "nrwQthhuWAhBR5j"},
		{"value on the next line", "password:\n  Xk29fLqP0zTr7wVb\n", "secret-named-key", "Xk29fLqP0zTr7wVb"},
		{"alpaca pair", "PKOXTH4EUDFNHZLH7NHT\nrhDwbw7hHwCVTz9Kol5HAQjwihLs0ooVAzbVwgm8\n", "alpaca-secret-key", "rhDwbw7hHwCVTz9Kol5HAQjwihLs0ooVAzbVwgm8"},
		{"together hex under name", "- name: TOGETHER_API_KEY\n  value: 041dff02cee737443e210471948d33296c87009e8a7f770d9106fd287db7f1ad", "together-api-key", "041dff02cee737443e210471948d33296c87009e8a7f770d9106fd287db7f1ad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range scan(t, eng, tt.text) {
				got = append(got, f.RuleID+":"+f.Secret)
			}
			sort.Strings(got)
			want := tt.rule + ":" + tt.secret
			for _, g := range got {
				if g == want {
					return
				}
			}
			t.Errorf("want %s, got %v", want, got)
		})
	}
}

// TestOverridesGitleaks checks that a pack rule with a gitleaks id replaces
// gitleaks' rule (one rule per id, origin lifeguard) and that the tuned
// generic rule keeps gitleaks' allowlists.
func TestOverridesGitleaks(t *testing.T) {
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"openai-api-key", "huggingface-access-token", "generic-api-key", "stripe-access-token", "gcp-api-key"} {
		if got := set.Origin(id); got != rules.OriginLifeguard {
			t.Errorf("%s origin = %s, want lifeguard", id, got)
		}
	}
	if n := len(set.Config.Rules["generic-api-key"].Allowlists); n < 2 {
		t.Errorf("generic-api-key has %d allowlists, want gitleaks' kept (>= 2)", n)
	}
	if set.Origin("private-key") != rules.OriginGitleaks {
		t.Errorf("private-key should stay gitleaks'")
	}
}
