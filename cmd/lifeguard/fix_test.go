package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFixCommand(t *testing.T) {
	dir := t.TempDir()
	key := "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"
	src := "import openai\n\nclient = openai.OpenAI(api_key=\"" + key + "\")\n"
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	// Defaults come from the [fix] table.
	if err := os.WriteFile(filepath.Join(dir, ".lifeguard.toml"), []byte("[fix]\nprovider = \"databricks\"\nvault_path = \"ml-prod\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runIt := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"fix"}, args...), &env{stdout: &out, stderr: &errb})
		return code, out.String(), errb.String()
	}

	code, out, _ := runIt(dir)
	if code != exitFindings {
		t.Fatalf("dry run exit = %d, want %d\n%s", code, exitFindings, out)
	}
	wantLine := `+client = openai.OpenAI(api_key=dbutils.secrets.get(scope="ml-prod", key="OPENAI_API_KEY"))`
	if !strings.Contains(out, wantLine) || !strings.Contains(out, "databricks secrets put-secret ml-prod OPENAI_API_KEY --string-value 'sk-Q…'") {
		t.Errorf("dry run output:\n%s", out)
	}
	if strings.Contains(out, key) {
		t.Error("secret shown without --show-secrets")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "app.py")); string(got) != src {
		t.Error("dry run wrote the file")
	}

	code, out, _ = runIt(dir, "--provider", "env", "--apply", "--show-secrets")
	if code != exitClean {
		t.Fatalf("apply exit = %d\n%s", code, out)
	}
	if !strings.Contains(out, "export OPENAI_API_KEY='"+key+"'") || !strings.Contains(out, "lifeguard history") {
		t.Errorf("apply output:\n%s", out)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "app.py"))
	if want := "import openai\nimport os\n\nclient = openai.OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n"; string(got) != want {
		t.Errorf("after apply:\n%s", got)
	}
	if st, _ := os.Stat(filepath.Join(dir, "app.py")); st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}

	code, out, _ = runIt(dir, "--apply", "--format", "json")
	if code != exitClean || !strings.Contains(out, `"changes": []`) {
		t.Errorf("second apply: exit %d\n%s", code, out)
	}

	if code, _, errs := runIt(dir, "--provider", "nope"); code != exitError || !strings.Contains(errs, "unknown provider") {
		t.Errorf("bad provider: exit %d %s", code, errs)
	}
	if code, _, errs := runIt(dir, "--provider", "gcp"); code != exitError || !strings.Contains(errs, "--vault-path") {
		t.Errorf("gcp without project: exit %d %s", code, errs)
	}
}
