package scanner

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
)

// caseWant is a finding a structured-format case must produce. rule lists
// the acceptable rule ids ("|"-separated: the case's kind and the pack's
// name for it); until the pack has one of them, the finding is expected
// under interim (the rule that fires today), or not at all when interim is "".
type caseWant struct {
	file, rule, interim string
	keyPath             string
	line, col           int
	offset              int // raw byte offset, checked when > 0 (binary files)
	secret              string
}

func TestStructuredCases(t *testing.T) {
	tests := []struct {
		id    string
		wants []caseWant
		not   []string
		// lines where a finding must never be reported (alias uses).
		badLines []int
	}{
		{id: "022", wants: []caseWant{
			{"argo-finetune.yaml", "wandb-api-key", "generic-api-key", "spec.templates[0].script.source", 13, 33, 0, "4f95d84c0798c063ea02734695d5969eb4d1e58d"},
			{"argo-finetune.yaml", "huggingface-access-token", "", "spec.templates[0].script.source", 14, 27, 0, "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"},
			{"argo-finetune.yaml", "langsmith-api-key", "", "spec.templates[0].script.env[name=LANGSMITH_API_KEY].value", 18, 20, 0, "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"},
			{"argo-finetune.yaml", "groq-api-key", "", "spec.templates[1].container.args", 24, 21, 0, "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"},
		}, not: []string{"ghcr.io/acme/judge:1.4", "llama-3.1-70b"}},
		{id: "024", wants: []caseWant{
			{"docker-compose.yaml", "url-embedded-credentials", "", "x-airflow-common.environment.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", 5, 62, 0, "rlXS5EKL8lE-5JdoZc_z"},
			{"docker-compose.yaml", "airflow-fernet-key", "generic-api-key", "x-airflow-common.environment.AIRFLOW__CORE__FERNET_KEY", 6, 33, 0, "jkBUV1DIOT5bRWsEHE4Eg1ZrG0JorSmYSKh715hZnQM="},
			{"docker-compose.yaml", "generic-api-key|secret-named-key", "", "x-airflow-common.environment.AIRFLOW__WEBSERVER__SECRET_KEY", 7, 38, 0, "8469e790c0f57ded56665bd2c0934a05"},
		}, not: []string{"*airflow-common", "*airflow-env"}, badLines: []int{15, 18, 21, 24, 26}},
		{id: "028", wants: []caseWant{
			{".dvc/config", "azure-storage-connection-string|azure-storage-account-key", "generic-api-key", `remote "azstore".connection_string`, 5, 94, 0, "GmCKWJK/4egaEfWxzCQv1i7S0Ja5JJXzcaeEKG7PtnmWN1qrarq3myr7YcS6TyllfSEoZMQicV8Nyxy11SJfnQ=="},
		}, not: []string{"azure://datasets/v2", "mldatasetsdemo", "core.windows.net"}},
		{id: "041", wants: []caseWant{
			{"model.pkl", "huggingface-access-token", "", "hub_token", 0, 0, 93, "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"},
			{"model.safetensors", "wandb-api-key", "generic-api-key", "__metadata__.wandb_api_key", 0, 0, 56, "387722ed243bc23fb1b736253e3304cb014018e9"},
		}, not: []string{"distilbert-base-uncased", "churn-ft-07"}},
	}
	s := newScanner(t, Options{})
	ids := s.Engine().Rules().Rules
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", "cases", tt.id)
			res := scan(t, s, dir)
			if len(res.Warnings)+len(res.Skipped) > 0 {
				t.Errorf("warnings %v, skipped %v", res.Warnings, res.Skipped)
			}
			var bySecret = map[string][]detect.Finding{}
			for _, f := range res.Findings {
				if filepath.Base(f.File) == "expect.json" {
					continue // it repeats every secret; the inputs are the files beside it
				}
				bySecret[f.Secret] = append(bySecret[f.Secret], f)
				for _, bad := range tt.not {
					if strings.Contains(f.Secret, bad) || strings.Contains(f.Match, bad) {
						t.Errorf("flagged %q (%s)", bad, f.RuleID)
					}
				}
				for _, l := range tt.badLines {
					if f.StartLine == l {
						t.Errorf("%s reported at alias line %d", f.RuleID, l)
					}
				}
			}
			for _, w := range tt.wants {
				var accept []string
				for _, r := range strings.Split(w.rule, "|") {
					if _, ok := ids[r]; ok {
						accept = append(accept, r)
					}
				}
				if len(accept) == 0 {
					if w.interim == "" {
						t.Logf("waits on rule %s: %s", w.rule, w.secret[:8])
						continue
					}
					accept = []string{w.interim}
				}
				rule := strings.Join(accept, "|")
				fs := bySecret[w.secret]
				if len(fs) != 1 {
					t.Errorf("%s: %d findings of %s…, want exactly 1", w.file, len(fs), w.secret[:8])
					continue
				}
				f := fs[0]
				if filepath.Base(f.File) != filepath.Base(w.file) || !slices.Contains(accept, f.RuleID) || f.Location.KeyPath != w.keyPath {
					t.Errorf("got %s %s %q, want %s %s %q", f.File, f.RuleID, f.Location.KeyPath, w.file, rule, w.keyPath)
				}
				if w.offset > 0 && f.Offset != w.offset {
					t.Errorf("%s: offset %d, want %d", f.RuleID, f.Offset, w.offset)
				}
				if w.line > 0 && (f.StartLine != w.line || f.StartColumn != w.col) {
					t.Errorf("%s: at %d:%d, want %d:%d", f.RuleID, f.StartLine, f.StartColumn, w.line, w.col)
				}
			}
		})
	}
}

// writeBigNotebook writes case 042's notebook with an image payload of n
// base64 bytes and a Groq key in cell 2 on raw line 32.
func writeBigNotebook(t *testing.T, dir string, n int) string {
	t.Helper()
	raw := make([]byte, n*3/4)
	if _, err := rand.Read(raw); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"id\": \"c0ffee01\",\n   \"metadata\": {},\n   \"outputs\": [\n    {\n     \"data\": {\n      \"image/png\": \"iVBORw0KGgoAAAANSUhEUgAA")
	b.WriteString(base64.StdEncoding.EncodeToString(raw))
	b.WriteString("\",\n      \"text/plain\": [\n       \"<Figure size 6400x4800 with 1 Axes>\"\n      ]\n     },\n     \"metadata\": {},\n     \"output_type\": \"display_data\"\n    }\n   ],\n   \"source\": [\n    \"plot_embeddings(umap_2d)\"\n   ]\n  },\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 2,\n   \"id\": \"c0ffee02\",\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"import os\\n\",\n    \"os.environ[\\\"GROQ_API_KEY\\\"] = \\\"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\\\"\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n")
	p := filepath.Join(dir, "big.ipynb")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Case 042: a notebook above the size limit is listed as skipped, never a
// silent clean result; under the limit its last cell is read.
func TestLargeNotebookScannedOrReported(t *testing.T) {
	dir := t.TempDir()
	p := writeBigNotebook(t, dir, 3<<20)

	res := scan(t, newScanner(t, Options{}), dir)
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings, want the Groq key", len(res.Findings))
	}
	f := res.Findings[0]
	if (f.RuleID != "groq-api-key" && f.RuleID != "generic-api-key") || f.StartLine != 32 || f.Location.Cell != 2 || f.Location.Line != 2 {
		t.Errorf("got %s at line %d cell %d line %d, want groq-api-key at raw line 32, cell 2, line 2", f.RuleID, f.StartLine, f.Location.Cell, f.Location.Line)
	}

	res = scan(t, newScanner(t, Options{MaxFileSize: 1 << 20}), dir)
	if len(res.Findings) != 0 || len(res.Skipped) != 1 || res.Skipped[0].File != p ||
		!strings.Contains(res.Skipped[0].Reason, "larger than --max-file-size") || res.Stats.Skipped != 1 {
		t.Errorf("with a 1 MB limit: findings %d, skipped %+v", len(res.Findings), res.Skipped)
	}
}

// A 10 GB model file (sparse: no disk is used) costs only its header.
func TestModelHeaderOnly(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "testdata", "cases", "041", "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "huge.safetensors")
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, 10<<30); err != nil {
		t.Skipf("no sparse files here: %v", err)
	}
	res := scan(t, newScanner(t, Options{}), dir)
	if len(res.Skipped) != 0 || len(res.Findings) != 1 || res.Findings[0].Location.KeyPath != "__metadata__.wandb_api_key" {
		t.Fatalf("skipped %+v, findings %+v", res.Skipped, res.Findings)
	}
	if res.Stats.Bytes > 4096 {
		t.Errorf("read %d bytes of a 10 GB file", res.Stats.Bytes)
	}
}

// gitleaks' global allowlist skips *.bin by name; a pickle saved as
// pytorch_model.bin is read as a pickle, and its findings are kept.
func TestPickleNamedBin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "formats", "model", "config.pkl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pytorch_model.bin"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "notes.bin"), []byte("token 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\n"), 0o644)
	res := scan(t, newScanner(t, Options{}), dir)
	var got []string
	for _, f := range res.Findings {
		got = append(got, filepath.Base(f.File)+" "+f.RuleID+" "+f.Location.KeyPath)
	}
	// notes.bin is text, not a model: the allowlist still applies to it.
	if want := "pytorch_model.bin huggingface-access-token hub_token"; strings.Join(got, "; ") != want {
		t.Errorf("findings %q, want %q", got, want)
	}
	// A user's own path allowlist still applies to model files.
	user := "[[allowlists]]\npaths = ['pytorch_model\\.bin$']\n"
	if res := scan(t, newScanner(t, Options{}, user), dir); len(res.Findings) != 0 {
		t.Errorf("user allowlist ignored: %+v", res.Findings)
	}
}

// Structured scanning adds to the line scan: a secret in a comment, or in a
// file that does not parse, is still found, and each secret once.
func TestStructuredAddsToPlain(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"ok.yaml":     "a: 1\n# OPENAI_API_KEY=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\nb: 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\n",
		"broken.yaml": "a: [\nHF_TOKEN: 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\n",
		"chart.yaml":  "name: {{ .Release.Name }}-llm\nkey: 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\n",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := scan(t, newScanner(t, Options{}), dir)
	got := map[string]string{}
	for _, f := range res.Findings {
		k := filepath.Base(f.File) + ":" + f.Secret[:6]
		if _, dup := got[k]; dup {
			t.Errorf("%s reported twice", k)
		}
		got[k] = f.RuleID + " " + f.Location.KeyPath
	}
	want := map[string]string{
		"ok.yaml:sk-Qf3":     "openai-api-key ",
		"ok.yaml:hf_iLE":     "huggingface-access-token b",
		"broken.yaml:hf_oGs": "huggingface-access-token ",
		"chart.yaml:hf_qAU":  "huggingface-access-token ",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if len(res.Warnings) != 1 || !strings.HasSuffix(res.Warnings[0].File, "broken.yaml") || !strings.Contains(res.Warnings[0].Message, "not parsed as yaml") {
		t.Errorf("warnings %+v, want one for broken.yaml", res.Warnings)
	}
}

// One fixture per pipeline and registry format: the rule, the key path a
// person knows the value by, and the raw line and column. References beside
// the secrets (${OPENAI_API_KEY}, valueFrom, run ids, commit SHAs) are not
// findings.
func TestPipelineAndRegistryFixtures(t *testing.T) {
	wants := []struct {
		file, rule, keyPath string
		line, col           int
		secret              string
	}{
		{"pipelines/airflow-connections.yaml", "secret-named-key", "feature_store.password", 8, 13, "3ABsCwfO9YZINpuYc2Tv"},
		{"pipelines/azureml-job.yml", "azure-openai-api-key", "environment_variables.AZURE_OPENAI_API_KEY", 7, 25, "ff902831287ab4580dcf81f618211292"},
		{"pipelines/kubeflow-pipeline.yaml", "langsmith-api-key", "deploymentSpec.executors.exec-evaluate.container.env[name=LANGSMITH_API_KEY].value", 17, 18, "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"},
		{"pipelines/sagemaker-pipeline.json", "wandb-api-key", "Steps[0].Arguments.Environment.WANDB_API_KEY", 21, 29, "fad0a24975e06fb62da0ce65317daf02137918ce"},
		{"pipelines/values.yaml", "anthropic-api-key", "secrets.anthropicApiKey", 8, 20, "sk-ant-api03-dVVIfzEABqrRSkqLeGUh7WopjGgUE5hKvH6XMOTdkfLBQUMekwukDZ_qGtwjyclvwp95YQhLf35w0e0t0ctqOYqlNUBlUAA"},
		{"registry/hf-model/config.json", "huggingface-access-token", "hub_token", 6, 17, "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"},
		{"registry/mlruns/1/9b1e44/MLmodel", "huggingface-access-token", "metadata.hub_token", 14, 14, "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"},
		{"registry/mlruns/1/9b1e44/meta.yaml", "url-credential", "artifact_uri", 1, 30, "IEnomef2mSJ5CMTIeg"},
		{"registry/wandb/run-20250101_120000-abc123/files/output.log", "openai-api-key", "", 5, 30, "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"},
		{"registry/wandb/run-20250101_120000-abc123/files/wandb-metadata.json", "groq-api-key", "args[3]", 9, 10, "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"},
	}
	root := filepath.Join("..", "testdata", "formats")
	var paths []string
	for _, w := range wants {
		paths = append(paths, filepath.Join(root, w.file))
	}
	res := scan(t, newScanner(t, Options{}), paths...)
	if len(res.Findings) != len(wants) {
		for _, f := range res.Findings {
			t.Logf("%s %s %s %d:%d", f.File, f.RuleID, f.Location.KeyPath, f.StartLine, f.StartColumn)
		}
		t.Fatalf("got %d findings, want %d", len(res.Findings), len(wants))
	}
	for i, w := range wants {
		f := res.Findings[i]
		if f.File != filepath.Join(root, w.file) || f.RuleID != w.rule || f.Location.KeyPath != w.keyPath || f.StartLine != w.line || f.StartColumn != w.col || f.Secret != w.secret {
			t.Errorf("finding %d = %s %s %q %d:%d %q, want %+v", i, f.File, f.RuleID, f.Location.KeyPath, f.StartLine, f.StartColumn, f.Secret, w)
		}
	}
}
