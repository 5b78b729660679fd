package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// Cases from public bug reports (testdata/cases/NNN, copied from the shared
// case set): each file must yield exactly the listed findings (rule id, raw
// line, secret) and never report a must-not-flag string.
func TestCases(t *testing.T) {
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	sc := scanner.New(detect.New(set), scanner.Options{Formats: scanner.DefaultFormats()})
	type want struct {
		rule   string
		line   int
		secret string
	}
	tests := []struct {
		dir       string
		files     map[string][]want
		mustNotIn []string
	}{
		{"006", map[string][]want{"input.ipynb": {
			{"alpaca-api-key-id", 13, "PKOXTH4EUDFNHZLH7NHT"},
			{"alpaca-secret-key", 14, "rhDwbw7hHwCVTz9Kol5HAQjwihLs0ooVAzbVwgm8"},
			{"openai-api-key", 36, "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"},
			{"wandb-api-key", 37, "f4056a30514fb88e10c99a9c8a7cef27c347afda"},
		}}, []string{`os.environ.get("ALPACA_API_KEY")`, `os.environ.get("ALPACA_SECRET_KEY")`, "TOKENIZERS_PARALLELISM=false", "false"}},
		// One service-account finding per file, on the private key (the PEM
		// finding of the same span is merged into it).
		{"010", map[string][]want{
			"input.ipynb": {{"gcp-service-account", 24, "qXQvugDXN/5MrQRakiehLCYl80P/BchSDBdruK3x9TDBLJEuRASgtDibQirszFjf"}},
			"sa-key.json": {{"gcp-service-account", 5, "qXQvugDXN/5MrQRakiehLCYl80P/BchSDBdruK3x9TDBLJEuRASgtDibQirszFjf"}},
		}, []string{"batch-predict@demo-vertex-project.iam.gserviceaccount.com", "demo-vertex-project"}},
		{"013", map[string][]want{
			"finetune.py": {{"huggingface-access-token", 5, "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"}},
			".env":        {{"huggingface-access-token", 1, "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"}},
		}, []string{"HF_HUB_ENABLE_HF_TRANSFER", "acme-ml/sentiment-distil", "/mnt/cache/hf"}},
		{"015", map[string][]want{".env": {
			{"openai-api-key", 2, "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"},
			{"openai-api-key", 3, "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"},
			{"openai-api-key", 4, "sk-None-sTYdcFdaYobqvn6Fy5nQ7r4EXDAvEhlSEL0MuOYGhj0fY0GQlbjwxAW6ZIT3BlbkFJ310pXI2TFOGlWFPVzPAFsxG-4zoQTh7vMcHMQFU5f_WEB014fn561SyaQA"},
			{"openai-api-key", 5, "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"},
		}}, []string{"sk-proj-..."}},
		{"017", map[string][]want{".env": {
			{"anthropic-api-key", 1, "sk-ant-api03-9o2xrhfmiLhzFpsyNCC_uOftNsOex39BusGXXaqCw9v8YbQO0pNzu8w3NUyImWJQstGPl1212OiHaUINZ-hV2eYKIFL_PAA"},
			{"openai-api-key", 2, "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"},
		}}, []string{"sk-ant-api03-REPLACE_ME"}},
		{"019", map[string][]want{
			"connections/aoai.yaml": {{"azure-openai-api-key", 4, "f0M90vtKJA3YVdE1LK4sjD3ui7GfHUqsaisVE8liSjtfjjevWXUIJQQJ99BOACO8foQXJ3w3AAAFACOGOPPJ"}},
			"chat_legacy.py":        {{"azure-openai-api-key", 4, "5753af8cf78deff122f2f906be3a0eb2"}},
		}, []string{"https://contoso-ml-eastus2.openai.azure.com/", "2024-10-21"}},
		{"021", map[string][]want{"ga_reporting.py": nil},
			[]string{"ServiceAccountCredentials", "/var/run/secrets/ga/service_account.json", `"type": "service_account"`, "<redacted>"}},
		{"045", map[string][]want{"finetune.ipynb": {
			{"mistral-api-key", 22, "YtsYVZWskQ7W3fUjdVesLrTWtBoNvjHD"},
		}}, []string{"T5ForConditionalGeneration", "AutoTokenizer", "google/flan-t5-base"}},
	}
	for _, tt := range tests {
		for name, wants := range tt.files {
			t.Run(tt.dir+"/"+name, func(t *testing.T) {
				data, err := os.ReadFile(filepath.Join("..", "testdata", "cases", tt.dir, name))
				if err != nil {
					t.Fatal(err)
				}
				res := sc.ScanBlob(context.Background(), name, data)
				var got []string
				for _, f := range res.Findings {
					got = append(got, f.RuleID+"|"+itoa(f.StartLine)+"|"+f.Secret)
					for _, m := range tt.mustNotIn {
						if strings.Contains(f.Secret, m) || strings.Contains(m, f.Secret) {
							t.Errorf("must-not-flag %q reported as %s %q", m, f.RuleID, f.Secret)
						}
					}
				}
				var exp []string
				for _, w := range wants {
					exp = append(exp, w.rule+"|"+itoa(w.line)+"|"+w.secret)
				}
				sort.Strings(got)
				sort.Strings(exp)
				// Case 010's secret is one line of the key: the finding must
				// contain it; the others are exact.
				if tt.dir == "010" {
					if len(got) != 1 || !strings.HasPrefix(got[0], "gcp-service-account|"+itoa(wants[0].line)+"|") || !strings.Contains(got[0], wants[0].secret) {
						t.Errorf("got %v, want one gcp-service-account finding at line %d containing %q", got, wants[0].line, wants[0].secret)
					}
					return
				}
				if strings.Join(got, "\n") != strings.Join(exp, "\n") {
					t.Errorf("findings:\n got %v\nwant %v", got, exp)
				}
			})
		}
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
