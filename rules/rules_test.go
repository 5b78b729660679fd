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

// TestURLEncodedServiceAccount: an Airflow GCP connection URI carries the
// key file URL-encoded; it is one service-account finding, on the key.
func TestURLEncodedServiceAccount(t *testing.T) {
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	text := "AIRFLOW_CONN_GCP='google-cloud-platform://?extra__google_cloud_platform__keyfile_dict=%7B%22type%22%3A%20%22service_account%22%2C%20%22private_key%22%3A%20%22-----BEGIN%20PRIVATE%20KEY-----%5CnMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQtgLBeIi2CS05Rcd%5CnYirLyhYCd%2F8EoZNnKs%2Bc5Fmnu5LhjIXN0MqDj6AFgjJGn4YDL0fFXdlOm%5Cn-----END%20PRIVATE%20KEY-----%5Cn%22%2C%20%22client_email%22%3A%20%22pipeline-sa%40llm-eval-123456.iam.gserviceaccount.com%22%7D'"
	fs := scan(t, detect.New(set), text)
	if len(fs) != 1 || fs[0].RuleID != "gcp-service-account" || !strings.HasPrefix(fs[0].Secret, "-----BEGIN%20PRIVATE%20KEY-----%5CnMIIEvQ") || !strings.HasSuffix(fs[0].Secret, "-----END%20PRIVATE%20KEY-----") {
		var got []string
		for _, f := range fs {
			got = append(got, f.RuleID+":"+f.Secret)
		}
		t.Errorf("got %v, want one gcp-service-account finding on the encoded key", got)
	}
}

// TestContextSegments: a bare value whose name lives elsewhere in the file (a
// widget's description, the variable a cell evaluates) is found when the
// format passes that name as the segment's Context.
func TestContextSegments(t *testing.T) {
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng := detect.New(set)
	tests := []struct{ context, value, rule string }{
		{"Mistral Api Key:", "nBCQWmxixYl6oHgicWM73C1jte63a80L", "mistral-api-key"},
		{"wandb_api_key", "7b28dd7c5bfefbfcd613fd69a3d4a0447600a0d5", "wandb-api-key"},
		{"Aws Secret Access Key:", "1zSXH/Wl0L85+Lid7RNUvqn57eT+KeVAgC5Os497", "aws-secret-access-key"},
		{"Db Password:", "iWI9s@l^wpkRNbWo", "secret-named-key"},
	}
	for _, tt := range tests {
		seg := segment.Plain(tt.value, 0, segment.Location{Kind: "text"})
		seg.Context = tt.context
		fs := eng.Scan(context.Background(), "w.ipynb", []byte(tt.value), []segment.Segment{seg})
		if len(fs) != 1 || fs[0].RuleID != tt.rule || fs[0].Secret != tt.value || fs[0].Offset != 0 {
			t.Errorf("context %q: got %+v, want one %s finding on the value", tt.context, fs, tt.rule)
		}
	}
}
