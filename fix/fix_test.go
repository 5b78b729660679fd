package fix

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/jsonpos"
	"github.com/lifeguard-dev/lifeguard/notebook"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

const (
	openaiKey = "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"
	ghToken   = "ghp_Qx7Wm2Pz9Kd4Rt6Vb1Nc8Lj3Hs5Gf0Ay2Ue7"
)

// TestNotebookOnlyChangedCells checks that a fixed notebook is still
// nbformat 4 and that every byte outside the changed cells is the input's.
func TestNotebookOnlyChangedCells(t *testing.T) {
	set := loadTestRules(t)
	eng := detect.New(set)
	input, err := os.ReadFile(filepath.Join("..", "testdata", "fix", "env", "notebook", "input.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{"nb.ipynb": input})
	plan, err := Build(scanDir(t, eng, dir), Options{Root: dir, Rules: set})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Apply(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "nb.ipynb"))

	var doc struct {
		NBFormat int              `json:"nbformat"`
		Cells    []map[string]any `json:"cells"`
	}
	if err := json.Unmarshal(after, &doc); err != nil || doc.NBFormat != 4 || len(doc.Cells) != 4 {
		t.Fatalf("fixed notebook: err=%v nbformat=%d cells=%d", err, doc.NBFormat, len(doc.Cells))
	}
	res, err := notebook.Parse(after)
	if err != nil || res.Version != "4.5" {
		t.Fatalf("notebook.Parse after fix: %v %q", err, res.Version)
	}
	for i, c := range doc.Cells {
		if c["cell_type"] == "code" {
			if _, ok := c["execution_count"]; !ok {
				t.Errorf("cell %d lost execution_count", i+1)
			}
		}
	}
	if got := doc.Cells[2]["execution_count"]; got != float64(2) {
		t.Errorf("cell 3 execution_count = %v, want 2", got)
	}
	if outs := doc.Cells[2]["outputs"].([]any); len(outs) != 1 || outs[0].(map[string]any)["output_type"] != "execute_result" {
		t.Errorf("cell 3 outputs = %v, want only the execute_result", outs)
	}

	before, _ := jsonpos.Parse(input)
	now, _ := jsonpos.Parse(after)
	changed := map[int]bool{1: true, 2: true} // 0-based: import cell and key cell
	bc, nc := before.Get("cells").Elems, now.Get("cells").Elems
	for i := range bc {
		same := string(bc[i].Raw(input)) == string(nc[i].Raw(after))
		if !changed[i] && !same {
			t.Errorf("cell %d changed but holds no secret", i+1)
		}
		if changed[i] && same {
			t.Errorf("cell %d did not change", i+1)
		}
	}
	// Everything before the first cell and after the last is byte-identical,
	// trailing newline included.
	if string(input[:bc[0].Start]) != string(after[:nc[0].Start]) {
		t.Error("bytes before the cells changed")
	}
	if string(input[bc[len(bc)-1].End:]) != string(after[nc[len(nc)-1].End:]) {
		t.Error("bytes after the cells changed")
	}
	// Between cells, separators are kept.
	for i := 1; i < len(bc); i++ {
		if string(input[bc[i-1].End:bc[i].Start]) != string(after[nc[i-1].End:nc[i].Start]) {
			t.Errorf("separator before cell %d changed", i+1)
		}
	}
}

func TestChangedSinceReadIsNotTouched(t *testing.T) {
	set := loadTestRules(t)
	eng := detect.New(set)
	dir := t.TempDir()
	src := "import os\nkey = \"" + openaiKey + "\"\n"
	writeTree(t, dir, map[string][]byte{"a.py": []byte(src)})
	plan, err := Build(scanDir(t, eng, dir), Options{Root: dir, Rules: set})
	if err != nil || len(plan.Changes) != 1 {
		t.Fatalf("plan: %v %d changes", err, len(plan.Changes))
	}
	edited := src + "print(key)\n"
	if err := os.WriteFile(filepath.Join(dir, "a.py"), []byte(edited), 0o640); err != nil {
		t.Fatal(err)
	}
	res, err := plan.Apply()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 0 || !strings.Contains(res.Skipped[filepath.ToSlash(filepath.Join(dir, "a.py"))], "changed since it was read") {
		t.Errorf("apply = %+v, want a.py skipped as changed", res)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.py")); string(got) != edited {
		t.Error("a changed file was overwritten")
	}
}

// A value is never removed from .env before .env.local holds it.
func TestEnvNotRewrittenWhenLocalFileChanged(t *testing.T) {
	set := loadTestRules(t)
	eng := detect.New(set)
	dir := t.TempDir()
	env := "OPENAI_API_KEY=" + openaiKey + "\n"
	writeTree(t, dir, map[string][]byte{".env": []byte(env)})
	plan, err := Build(scanDir(t, eng, dir), Options{Root: dir, Rules: set})
	if err != nil {
		t.Fatal(err)
	}
	// Someone creates .env.local between the plan and the apply.
	writeTree(t, dir, map[string][]byte{".env.local": []byte("OTHER=1\n")})
	res, err := plan.Apply()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, ".env")); string(got) != env {
		t.Errorf(".env rewritten although its values could not be saved: %q (%+v)", got, res)
	}
}

func TestNames(t *testing.T) {
	n := newNamer()
	steps := []struct {
		secret, ctx, env, rule string
		keep                   bool
		want                   string
	}{
		{"s1", "api_key", "OPENAI_API_KEY", "openai-api-key", false, "OPENAI_API_KEY"},
		{"s1", "other", "", "generic-api-key", false, "OPENAI_API_KEY"}, // same secret, same name
		{"s2", "client_key", "OPENAI_API_KEY", "openai-api-key", false, "OPENAI_API_KEY_2"},
		{"s3", "aws_secret_access_key", "", "generic-api-key", false, "AWS_SECRET_ACCESS_KEY"},
		{"s4", "HF_TOKEN_PROD", "HF_TOKEN", "huggingface-access-token", false, "HF_TOKEN_PROD"},
		{"ghp_x", "gh", "", "github-pat", false, "GITHUB_TOKEN"},
		{"s5", "token", "", "generic-api-key", false, "TOKEN"},
		{"s8", "", "", "generic-api-key", false, "SECRET"},
		{"s6", "", "", "stripe-access-token", false, "STRIPE_ACCESS_TOKEN"},
		{"s7", "db.password", "", "generic-api-key", true, "DB_PASSWORD"},
	}
	for _, s := range steps {
		if got := n.name(s.secret, s.ctx, s.env, s.rule, s.keep); got != s.want {
			t.Errorf("name(%q, ctx %q, rule %s) = %s, want %s", s.secret, s.ctx, s.rule, got, s.want)
		}
	}
}

func TestURLUserinfo(t *testing.T) {
	for _, tt := range []struct{ s, secret, want string }{
		{"postgresql+psycopg2://u:pw123456@db:5432/x", "pw123456", "POSTGRES_PASSWORD"},
		{"mongodb+srv://app:s3cr3tpass@cluster0.example.net/db", "s3cr3tpass", "MONGODB_PASSWORD"},
		{"https://oauth2:glpat-abcdefabcdef@gitlab.com/acme/repo.git", "glpat-abcdefabcdef", "GITLAB_COM_TOKEN"},
		{"https://" + ghToken + "@github.com/acme/repo", ghToken, "GITHUB_COM_TOKEN"},
	} {
		i := strings.Index(tt.s, tt.secret)
		got, ok := urlUserinfo(tt.s, i, i+len(tt.secret))
		if !ok || got != tt.want {
			t.Errorf("urlUserinfo(%q) = %q %v, want %q", tt.s, got, ok, tt.want)
		}
	}
	if _, ok := urlUserinfo("key = abc123@home", 6, 12); ok {
		t.Error("a value followed by @ outside a URL is not URL credentials")
	}
}

func TestRewritePython(t *testing.T) {
	env, _ := newProvider("env", "")
	tests := []struct{ name, src, secret, want string }{
		{"double quoted", `k = "SECRET1234"`, "SECRET1234", `k = os.environ["NAME"]`},
		{"raw single quoted", `k = r'SECRET1234'`, "SECRET1234", `k = os.environ["NAME"]`},
		{"embedded keeps braces", `u = "x{1}:SECRET1234@h"`, "SECRET1234", `u = f"x{{1}}:{os.environ['NAME']}@h"`},
		{"already an f-string", `u = f'{a}:SECRET1234@h'`, "SECRET1234", `u = f'{a}:{os.environ["NAME"]}@h'`},
		{"triple quoted", "q = \"\"\"Bearer SECRET1234\n\"\"\"", "SECRET1234", "q = f\"\"\"Bearer {os.environ['NAME']}\n\"\"\""},
		{"comment is left", "# SECRET1234\nx = 1", "SECRET1234", "# SECRET1234\nx = 1"},
		{"bytes is left", `k = b"SECRET1234"`, "SECRET1234", `k = b"SECRET1234"`},
		{"hash inside a string is not a comment", `k = "#x" + "SECRET1234"`, "SECRET1234", `k = "#x" + os.environ["NAME"]`},
		{"module docstring is left", "\"\"\"Use SECRET1234.\n\"\"\"\nx = 1", "SECRET1234", "\"\"\"Use SECRET1234.\n\"\"\"\nx = 1"},
		{"function docstring is left", "def f():\n    'key SECRET1234'\n    return 1", "SECRET1234", "def f():\n    'key SECRET1234'\n    return 1"},
		{"argument on its own line is code", "f(\n    'SECRET1234',\n)", "SECRET1234", "f(\n    os.environ[\"NAME\"],\n)"},
		{"shell line is left", "!curl -H 'token SECRET1234' x", "SECRET1234", "!curl -H 'token SECRET1234' x"},
		{"line magic is left", "%env K='SECRET1234'", "SECRET1234", "%env K='SECRET1234'"},
		{"implicit concatenation", "u = (\"https://x?t=\"\n     \"SECRET1234\")", "SECRET1234", "u = (\"https://x?t=\"\n     f\"{os.environ['NAME']}\")"},
		{"implicit concatenation, middle part", "q = (\"x\"\n     \"SECRET1234\"\n     \"z\")", "SECRET1234", "q = (\"x\"\n     f\"{os.environ['NAME']}\"\n     \"z\")"},
		{"implicit concatenation on one line", `u = "p" "SECRET1234"`, "SECRET1234", `u = "p" f"{os.environ['NAME']}"`},
		{"a list is not concatenation", `u = ["p", "SECRET1234"]`, "SECRET1234", `u = ["p", os.environ["NAME"]]`},
		{"string in an f-string field is left", `h = f"Bearer {'SECRET1234'}"`, "SECRET1234", `h = f"Bearer {'SECRET1234'}"`},
		{"escaped braces are not a field", `h = f"{{x}} SECRET1234"`, "SECRET1234", `h = f"{{x}} {os.environ['NAME']}"`},
		{"match pattern is left", "match t:\n    case \"SECRET1234\":\n        pass", "SECRET1234", "match t:\n    case \"SECRET1234\":\n        pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := strings.Index(tt.src, tt.secret)
			got, _, _ := rewritePython(tt.src, []target{{start: i, end: i + len(tt.secret), name: "NAME"}}, env)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestAddImports(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"sorted into the block", "import json\nimport sys\nx = 1\n", "import json\nimport os\nimport sys\nx = 1\n"},
		{"already there", "import sys, os\n", "import sys, os\n"},
		{"after the docstring", "\"\"\"Doc.\"\"\"\nx = 1\n", "\"\"\"Doc.\"\"\"\nimport os\nx = 1\n"},
		{"after __future__", "from __future__ import annotations\nimport json\n", "from __future__ import annotations\nimport json\nimport os\n"},
		{"cell magic first", "%%time\nx = 1", "%%time\nimport os\nx = 1"},
		{"no final newline", "import json", "import json\nimport os"},
		{"CRLF file", "import json\r\nx = 1\r\n", "import json\r\nimport os\r\nx = 1\r\n"},
		{"after a byte-order mark", "\ufeffx = 1\n", "\ufeffimport os\nx = 1\n"},
		{"after __future__ without other imports", "from __future__ import annotations\n\nx = 1\n", "from __future__ import annotations\nimport os\n\nx = 1\n"},
		{"an import inside a function does not count", "def f():\n    import os\nx = 1\n", "import os\ndef f():\n    import os\nx = 1\n"},
		{"parenthesised import", "from a import (\n  b,\n  c,\n)\nx = 1\n", "from a import (\n  b,\n  c,\n)\nimport os\nx = 1\n"},
		// These crashed: a "(" in a comment, and a parenthesis never closed.
		{"'(' in a comment", "import openai  # the client (v1\nx = 1\n", "import openai  # the client (v1\nimport os\nx = 1\n"},
		{"never closed", "from os import (\n  path,\nx = 1\n", "from os import (\n  path,\nx = 1\nimport os\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := addImports(tt.src, []string{"import os"}); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDetectKind(t *testing.T) {
	for p, want := range map[string]Kind{
		"a/b.py": KindPython, "x.ipynb": KindNotebook, ".github/workflows/ci.yml": KindWorkflow,
		".env": KindEnv, "prod.env": KindEnv, ".env.example": KindOther, ".dvc/config": KindDVC,
		"mlruns/0/abc/params/key": KindGenerated, "wandb/run-1/files/config.yaml": KindGenerated,
		"README.md": KindOther,
	} {
		if got := DetectKind(p, nil); got != want {
			t.Errorf("DetectKind(%q) = %s, want %s", p, got, want)
		}
	}
	if got := DetectKind("deploy/job.yaml", []byte("apiVersion: batch/v1\nkind: Job\n")); got != KindManifest {
		t.Errorf("manifest: got %s", got)
	}
}

// The secret that gets a reference takes the plain name; an old copy left in
// a comment, which the fix cannot rewrite, takes the suffixed one.
func TestReferencedSecretNamedFirst(t *testing.T) {
	set := loadTestRules(t)
	dir := t.TempDir()
	const oldKey = "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"
	src := "# old key was " + oldKey + "\nimport openai\nclient = openai.OpenAI(api_key=\"" + openaiKey + "\")\n"
	writeTree(t, dir, map[string][]byte{"app.py": []byte(src)})
	plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
	if err != nil || len(plan.Changes) != 1 {
		t.Fatalf("plan: %v, %d changes", err, len(plan.Changes))
	}
	want := "# old key was " + oldKey + "\nimport openai\nimport os\nclient = openai.OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n"
	if got := string(plan.Changes[0].After); got != want {
		t.Errorf("after:\n%s\nwant:\n%s", got, want)
	}
	if len(plan.Proposals) != 1 || plan.Proposals[0].Name != "OPENAI_API_KEY_2" || plan.Proposals[0].Line != 1 {
		t.Errorf("proposals = %+v, want the comment's copy as OPENAI_API_KEY_2 at line 1", plan.Proposals)
	}
}

func TestAWSNamePrefix(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"", "lifeguard/OPENAI_API_KEY"},
		{"myteam", "myteam/OPENAI_API_KEY"},
		{"myteam/", "myteam/OPENAI_API_KEY"},
		{"ml-", "ml-OPENAI_API_KEY"},
	} {
		p, err := newProvider("aws", tc.path)
		if err != nil {
			t.Fatal(err)
		}
		expr, _ := p.python("OPENAI_API_KEY", '"')
		if want := `SecretId="` + tc.want + `"`; !strings.Contains(expr, want) {
			t.Errorf("--vault-path %q: %s, want %s", tc.path, expr, want)
		}
	}
}

// Apply rewrites a symlink's target and keeps the link; it leaves alone a
// file with other hard links (they would keep the secret) and a read-only one.
func TestApplyLinksAndReadOnly(t *testing.T) {
	set := loadTestRules(t)
	src := "import os\nkey = \"" + openaiKey + "\"\n"
	fixed := "import os\nkey = os.environ[\"OPENAI_API_KEY\"]\n"
	tests := []struct {
		name    string
		setup   func(dir string) // writes a.py (and its other names)
		skipped string           // reason a.py is skipped, "" if written
	}{
		{"symlink", func(dir string) {
			os.WriteFile(filepath.Join(dir, "real.txt"), []byte(src), 0o644)
			os.Symlink("real.txt", filepath.Join(dir, "a.py"))
		}, ""},
		{"hard link", func(dir string) {
			os.WriteFile(filepath.Join(dir, "a.py"), []byte(src), 0o644)
			os.Link(filepath.Join(dir, "a.py"), filepath.Join(dir, "other.txt"))
		}, "has 2 hard links; replacing it would leave the secret under the other names: edit it by hand"},
		{"read-only", func(dir string) {
			os.WriteFile(filepath.Join(dir, "a.py"), []byte(src), 0o444)
		}, "read-only (mode 0444); not touched: make it writable, or edit it by hand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(dir)
			a := filepath.Join(dir, "a.py")
			fs, err := scanner.New(detect.New(set), scanner.Options{Workers: 1}).ScanPaths(context.Background(), []string{a}, nil)
			if err != nil || len(fs.Findings) != 1 {
				t.Fatalf("scan: %v %+v", err, fs)
			}
			plan, err := Build(fs.Findings, Options{Root: dir, Rules: set})
			if err != nil {
				t.Fatal(err)
			}
			res, err := plan.Apply()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(a)
			if tt.skipped == "" {
				if string(got) != fixed || len(res.Written) != 1 {
					t.Errorf("written %v, a.py %q", res.Written, got)
				}
				if st, err := os.Lstat(a); err != nil || st.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the symlink was replaced by a file")
				}
				return
			}
			if res.Skipped[filepath.ToSlash(a)] != tt.skipped || string(got) != src {
				t.Errorf("skipped %q, a.py %q", res.Skipped, got)
			}
		})
	}
}

// Code that is not Python is never given Python: a cell of an R kernel, a
// %%bash cell. A %%time cell is still Python.
func TestNotebookNonPythonCells(t *testing.T) {
	set := loadTestRules(t)
	nb := func(lang, src string) string {
		return `{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ` + src + `}],
 "metadata": {"kernelspec": {"language": "` + lang + `", "name": "k"}}, "nbformat": 4, "nbformat_minor": 5}`
	}
	tests := []struct {
		name, lang, src string
		why             string // "" when rewritten
	}{
		{"R kernel", "R", `["Sys.setenv(OPENAI_API_KEY = \"` + openaiKey + `\")\n"]`, "cell 1 runs r, and Lifeguard rewrites Python only"},
		{"bash cell", "python", `["%%bash\n", "curl -H 'Authorization: Bearer ` + openaiKey + `' x\n"]`, "cell 1 is a %%bash cell, not Python"},
		{"time cell", "python", `["%%time\n", "key = \"` + openaiKey + `\"\n"]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, map[string][]byte{"a.ipynb": []byte(nb(tt.lang, tt.src))})
			plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
			if err != nil {
				t.Fatal(err)
			}
			if tt.why == "" {
				if len(plan.Changes) != 1 || len(plan.Proposals) != 0 {
					t.Errorf("changes %d, proposals %+v", len(plan.Changes), plan.Proposals)
				}
				return
			}
			if len(plan.Changes) != 0 || len(plan.Proposals) != 1 || !strings.Contains(plan.Proposals[0].Text, tt.why) {
				t.Errorf("changes %d, proposals %+v, want: %s", len(plan.Changes), plan.Proposals, tt.why)
			}
		})
	}
}

// A workflow in flow style stays valid YAML: the reference is quoted there.
func TestWorkflowFlowStyle(t *testing.T) {
	set := loadTestRules(t)
	dir := t.TempDir()
	src := "on: push\njobs: {b: {runs-on: ubuntu-latest, env: {GH_TOKEN: " + ghToken + "}, steps: [{run: echo}]}}\n"
	writeTree(t, dir, map[string][]byte{".github/workflows/ci.yml": []byte(src)})
	plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
	if err != nil || len(plan.Changes) != 1 {
		t.Fatalf("plan: %v, %d changes, proposals %+v", err, len(plan.Changes), plan.Proposals)
	}
	want := "on: push\njobs: {b: {runs-on: ubuntu-latest, env: {GH_TOKEN: \"${{ secrets.GH_TOKEN }}\"}, steps: [{run: echo}]}}\n"
	if got := string(plan.Changes[0].After); got != want || !validYAML(plan.Changes[0].After) {
		t.Errorf("after:\n%s\nwant:\n%s", got, want)
	}
}

// A secret that gets a reference takes the plain name even when a generated
// file sorting first holds another key of the same kind.
func TestReferencesNamedBeforeGenerated(t *testing.T) {
	set := loadTestRules(t)
	dir := t.TempDir()
	const other = "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"
	writeTree(t, dir, map[string][]byte{
		"a/mlruns/0/r1/params/openai_api_key": []byte(other + "\n"),
		"z/train.py":                          []byte("import os\nkey = \"" + openaiKey + "\"\n"),
	})
	plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
	if err != nil || len(plan.Changes) < 1 {
		t.Fatalf("plan: %v", err)
	}
	names := map[string]string{}
	for _, s := range plan.Secrets {
		names[s.Value] = s.Name
	}
	if names[openaiKey] != "OPENAI_API_KEY" || names[other] != "OPENAI_API_KEY_2" {
		t.Errorf("names %v", names)
	}
}

// The vault path reaches code and pasted commands: only name characters
// are accepted, and every argument is quoted where it needs it.
func TestVaultPathSafety(t *testing.T) {
	for _, bad := range []string{"secret/ml;touch PWNED;#", "p$(id)", "team's", "a\\b", "x`y`"} {
		if _, err := newProvider("vault", bad); err == nil || !strings.Contains(err.Error(), "is not allowed") {
			t.Errorf("--vault-path %q: err %v", bad, err)
		}
	}
	p, err := newProvider("1password", "Team Vault")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.storeCommand("1password", "HF_TOKEN", "hf_…"); got != "op item create --category=password --vault='Team Vault' --title=HF_TOKEN password='hf_…'" {
		t.Errorf("1password command %q", got)
	}
	p, _ = newProvider("gcp", "acme ml")
	if got := p.storeCommand("gcp", "HF_TOKEN", "hf_…"); got != "printf %s 'hf_…' | gcloud secrets create HF_TOKEN --project='acme ml' --data-file=-" {
		t.Errorf("gcp command %q", got)
	}
}

// In a workflow, a quoted literal already inside ${{ }} becomes the secrets
// context itself; an input's default, which cannot read secrets, is left.
func TestWorkflowExpressions(t *testing.T) {
	set := loadTestRules(t)
	dir := t.TempDir()
	src := "on:\n  workflow_dispatch:\n    inputs:\n      token:\n        default: " + ghToken + "\njobs:\n  a:\n    runs-on: ubuntu-latest\n    if: ${{ env.T != '" + ghToken + "' }}\n    steps:\n      - run: echo\n"
	writeTree(t, dir, map[string][]byte{".github/workflows/ci.yml": []byte(src)})
	plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
	if err != nil || len(plan.Changes) != 1 {
		t.Fatalf("plan: %v, %d changes, proposals %+v", err, len(plan.Changes), plan.Proposals)
	}
	if got := string(plan.Changes[0].After); !strings.Contains(got, "if: ${{ env.T != secrets.GH_TOKEN }}") || !strings.Contains(got, "default: "+ghToken) || !validYAML(plan.Changes[0].After) {
		t.Errorf("after:\n%s", got)
	}
	if len(plan.Proposals) != 1 || !strings.Contains(plan.Proposals[0].Text, "an input's default cannot read secrets") {
		t.Errorf("proposals %+v", plan.Proposals)
	}
}

// A Secret is created in the namespace of the pods that reference it.
func TestManifestNamespace(t *testing.T) {
	set := loadTestRules(t)
	dir := t.TempDir()
	src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: trainer\n  namespace: ml-prod\nspec:\n  containers:\n    - name: t\n      image: x\n      env:\n        - name: GITHUB_TOKEN\n          value: " + ghToken + "\n"
	writeTree(t, dir, map[string][]byte{"k8s/pod.yaml": []byte(src)})
	plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
	if err != nil || len(plan.Changes) != 1 || len(plan.K8s) != 1 {
		t.Fatalf("plan: %v %+v", err, plan)
	}
	if k := plan.K8s[0]; k.Namespace != "ml-prod" || !strings.Contains(k8sSecretManifest(k.Name, k.Namespace, k.Keys), "  namespace: ml-prod\n") {
		t.Errorf("Secret %+v", k)
	}
	cmds := plan.Commands(plan.Secrets[0], false)
	if len(cmds) != 1 || !strings.HasSuffix(cmds[0], " -n ml-prod") {
		t.Errorf("commands %q", cmds)
	}
}

// A token used as a key never names another secret (its upper-cased text
// would be printed and written), and a .env name that is a token is left.
func TestNoNameFromSecret(t *testing.T) {
	set := loadTestRules(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{
		"a.py": []byte("cfg = {\"" + ghToken + "\": \"" + openaiKey + "\"}\n"),
		".env": []byte(ghToken + "=x\nGH='" + ghToken + "' # note\n"),
	})
	plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
	if err != nil {
		t.Fatal(err)
	}
	upper := strings.ToUpper(ghToken[4:12])
	for _, s := range plan.Secrets {
		if strings.Contains(strings.ToUpper(s.Name), upper) {
			t.Errorf("secret named %s after a token", s.Name)
		}
	}
	for _, c := range plan.Changes {
		if strings.Contains(string(c.After), strings.ToUpper(ghToken)) || strings.Contains(string(c.After), "'${") {
			t.Errorf("%s: a token's upper-cased text is written:\n%s", c.Path, c.After)
		}
	}
	var why []string
	for _, p := range plan.Proposals {
		if p.File == filepath.ToSlash(filepath.Join(dir, ".env")) {
			why = append(why, p.Text)
		}
	}
	if len(why) == 0 || !strings.Contains(strings.Join(why, "\n"), "used as a variable's name") {
		t.Errorf(".env proposals %q", why)
	}
}

// A secret standing in a file name is redacted in the diff headers, the
// summary and the JSON plan too.
func TestSecretInFileName(t *testing.T) {
	set := loadTestRules(t)
	dir := t.TempDir()
	name := "key_" + ghToken + ".py"
	writeTree(t, dir, map[string][]byte{name: []byte("import os\nk = \"" + ghToken + "\"\n")})
	plan, err := Build(scanDir(t, detect.New(set), dir), Options{Root: dir, Rules: set})
	if err != nil {
		t.Fatal(err)
	}
	var text, js strings.Builder
	if err := plan.WriteText(&text, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := plan.WriteJSON(&js, false, nil); err != nil {
		t.Fatal(err)
	}
	for what, out := range map[string]string{"text": text.String(), "json": js.String()} {
		if strings.Contains(out, ghToken) || !strings.Contains(out, "key_ghp_….py") {
			t.Errorf("%s output:\n%s", what, out)
		}
	}
}
