package fix

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/fix")

// testRules adds a URL-credentials rule, so the URL case does not depend on
// which pack rule (if any) reports passwords in URLs.
const testRules = `
[[rules]]
id = "test-url-password"
description = "password in a URL (test rule)"
regex = '''[a-z][a-z0-9+.-]*://[A-Za-z0-9._%-]+:([^@\s/'"]{8,})@[A-Za-z0-9.-]+'''
secretGroup = 1
keywords = ["://"]
`

// kinds maps each golden kind to the input's name in testdata, where it
// sits in the scanned tree, and files that exist around it.
var kinds = []struct {
	kind, input, path string
	extra             map[string]string
}{
	{"python", "input.py", "src/train.py", nil},
	{"notebook", "input.ipynb", "notebooks/explore.ipynb", nil},
	{"workflow", "input.yml", ".github/workflows/train.yml", nil},
	{"manifest", "input.yaml", "k8s/job.yaml", nil},
	{"env", "input.env", ".env", nil},
	{"dvc", "input.config", ".dvc/config", map[string]string{".dvc/.gitignore": "/config.local\n/tmp\n/cache\n"}},
	{"url", "input.py", "db.py", nil},
	{"generated", "input.yaml", "wandb/run-20240611_101500-k3x9/files/config.yaml", map[string]string{".gitignore": "__pycache__/\n"}},
}

var vaultPaths = map[string]string{"gcp": "acme-ml", "azure": "acme-kv"}

func loadTestRules(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.Load([]byte(testRules))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func scanDir(t *testing.T, eng *detect.Engine, dir string) []detect.Finding {
	t.Helper()
	res, err := scanner.New(eng, scanner.Options{Workers: 1}).ScanPaths(context.Background(), []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o640); err != nil {
			t.Fatal(err)
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./fix -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestGolden runs fix for every provider × file kind: the diff, the summary,
// the file after apply, a clean re-scan, and apply twice == once.
func TestGolden(t *testing.T) {
	set := loadTestRules(t)
	eng := detect.New(set)
	for _, prov := range Providers {
		for _, k := range kinds {
			t.Run(prov+"/"+k.kind, func(t *testing.T) {
				gdir := filepath.Join("..", "testdata", "fix", prov, k.kind)
				inPath := filepath.Join(gdir, k.input)
				if *update {
					canon, err := os.ReadFile(filepath.Join("..", "testdata", "fix", "inputs", k.kind, k.input))
					if err != nil {
						t.Fatal(err)
					}
					golden(t, inPath, canon)
				}
				input, err := os.ReadFile(inPath)
				if err != nil {
					t.Fatal(err)
				}
				dir := t.TempDir()
				tree := map[string][]byte{k.path: input}
				for p, s := range k.extra {
					tree[p] = []byte(s)
				}
				writeTree(t, dir, tree)
				findings := scanDir(t, eng, dir)
				if len(findings) == 0 {
					t.Fatal("the input has no findings")
				}
				plan, err := Build(findings, Options{Provider: prov, VaultPath: vaultPaths[prov], Root: dir, Rules: set})
				if err != nil {
					t.Fatal(err)
				}
				rel := func(s string) string { return strings.ReplaceAll(s, filepath.ToSlash(dir)+"/", "") }
				var diffs strings.Builder
				for _, c := range plan.Changes {
					diffs.WriteString(plan.Diff(c, false))
				}
				golden(t, filepath.Join(gdir, "expected.diff"), []byte(rel(diffs.String())))
				var sum bytes.Buffer
				if err := plan.WriteText(&sum, false, nil); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join(gdir, "expected.summary"), []byte(rel(sum.String())))
				for _, s := range plan.Secrets {
					if strings.Contains(sum.String(), s.Value) || strings.Contains(diffs.String(), s.Value) {
						t.Errorf("secret %s shown in full without --show-secrets", s.Name)
					}
				}

				res, err := plan.Apply()
				if err != nil || len(res.Skipped) > 0 {
					t.Fatalf("apply: %v %v", err, res.Skipped)
				}
				target := filepath.Join(dir, filepath.FromSlash(k.path))
				after, err := os.ReadFile(target)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join(gdir, "expected"+filepath.Ext(k.input)), after)
				if st, _ := os.Stat(target); st.Mode().Perm() != 0o640 {
					t.Errorf("mode after apply = %v, want 0640", st.Mode().Perm())
				}

				// Re-scan: none of the fixed secrets is found again.
				fixed := map[string]bool{}
				for _, c := range plan.Changes {
					for _, n := range c.Names {
						for _, s := range plan.Secrets {
							if s.Name == n {
								fixed[s.Value] = true
							}
						}
					}
				}
				if k.kind == "generated" {
					for _, s := range plan.Secrets {
						fixed[s.Value] = true
					}
				}
				again := scanDir(t, eng, dir)
				for _, f := range again {
					if fixed[f.Secret] {
						t.Errorf("re-scan still finds %s at %s:%d", f.RuleID, rel(f.File), f.StartLine)
					}
				}

				// Apply twice is the same as once.
				snapshot := readTree(t, dir)
				plan2, err := Build(again, Options{Provider: prov, VaultPath: vaultPaths[prov], Root: dir, Rules: set})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := plan2.Apply(); err != nil {
					t.Fatal(err)
				}
				if got := readTree(t, dir); !equalTrees(got, snapshot) {
					t.Errorf("a second apply changed files")
				}
			})
		}
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
