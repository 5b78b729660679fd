package hooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInstallChainUninstall(t *testing.T) {
	dir := t.TempDir()
	other := "#!/bin/sh\necho other hook\n"
	if err := os.WriteFile(filepath.Join(dir, "pre-commit"), []byte(other), 0o755); err != nil {
		t.Fatal(err)
	}
	acts, err := Install(dir, "/opt/life guard/lifeguard", false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"pre-commit: installed; the existing hook runs first as " + filepath.Join(dir, "pre-commit.lifeguard-chained"),
		"pre-push: installed",
	}
	for i, a := range acts {
		if got := filepath.Base(a.Hook) + ": " + a.Did; i >= len(want) || got != want[i] {
			t.Errorf("action %d = %q, want %q", i, got, want[i])
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "pre-commit"))
	if err != nil {
		t.Fatal(err)
	}
	script := string(data)
	for _, s := range []string{"#!/bin/sh\n" + Marker + " pre-commit:", `lifeguard='/opt/life guard/lifeguard'`, `exec "$lifeguard" staged`, `chained="$(dirname "$0")/pre-commit.lifeguard-chained"`} {
		if !strings.Contains(script, s) {
			t.Errorf("pre-commit script lacks %q:\n%s", s, script)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "pre-commit.lifeguard-chained")); string(got) != other {
		t.Errorf("chained hook = %q", got)
	}
	if st, _ := os.Stat(filepath.Join(dir, "pre-push")); st == nil || st.Mode()&0o111 == 0 {
		t.Error("pre-push not executable")
	}

	// Installing again updates in place and keeps the chain.
	acts, err = Install(dir, "/usr/bin/lifeguard", false)
	if err != nil || acts[0].Did != "updated" || acts[1].Did != "updated" {
		t.Fatalf("reinstall: %+v, %v", acts, err)
	}

	acts, err = Uninstall(dir)
	if err != nil {
		t.Fatal(err)
	}
	if acts[0].Did != "removed; restored the hook that was there before" || acts[1].Did != "removed" {
		t.Errorf("uninstall: %+v", acts)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "pre-commit")); string(got) != other {
		t.Errorf("restored hook = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "pre-push")); !os.IsNotExist(err) {
		t.Errorf("pre-push still there: %v", err)
	}
	// Uninstall leaves other tools' hooks alone.
	acts, err = Uninstall(dir)
	if err != nil || len(acts) != 1 || acts[0].Did != "left alone: not Lifeguard's" {
		t.Errorf("second uninstall: %+v, %v", acts, err)
	}
}

func TestInstallForce(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"pre-push", "pre-push.lifeguard-chained"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Install(dir, "/bin/lifeguard", false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("install over a hook and a chained one: err = %v", err)
	}
	acts, err := Install(dir, "/bin/lifeguard", true)
	if err != nil {
		t.Fatal(err)
	}
	if acts[1].Did != "replaced the existing hook" || !IsLifeguard(filepath.Join(dir, "pre-push")) {
		t.Errorf("force: %+v", acts)
	}
}

func TestScriptUnknown(t *testing.T) {
	if _, err := Script("post-merge", "/bin/lifeguard"); err == nil {
		t.Error("no error for an unknown hook")
	}
}
