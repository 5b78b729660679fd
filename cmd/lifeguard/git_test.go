package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Invented, format-valid secrets.
const (
	gitTestAWS = "AKIAQ7RZ2MXW4TLBVN3K"
	gitTestGH  = "ghp_R8tKq2Wm5Zx7Vb3Nc9Lj4Hs6Gf1Ay0Ue8Io2"
)

// gitHermetic makes git ignore the machine's configuration.
func gitHermetic(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Test Bot", "GIT_AUTHOR_EMAIL": "test-bot@example.invalid",
		"GIT_COMMITTER_NAME": "Test Bot", "GIT_COMMITTER_EMAIL": "test-bot@example.invalid",
	} {
		t.Setenv(k, v)
	}
}

// sh runs a command in dir and returns its combined output and exit code.
func sh(t *testing.T, dir string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out), 0
}

func mustGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, code := sh(t, dir, "git", args...)
	if code != 0 {
		t.Fatalf("git %v: exit %d\n%s", args, code, out)
	}
	return strings.TrimSpace(out)
}

func gitTestRepo(t *testing.T) string {
	t.Helper()
	gitHermetic(t)
	dir := t.TempDir()
	mustGit(t, dir, "init", "-q", "-b", "main")
	writeFile(t, dir, "README.md", "# demo\n")
	mustGit(t, dir, "add", ".")
	mustGit(t, dir, "commit", "-q", "-m", "start")
	return dir
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// lifeguardBinary builds the command once for tests that run real hooks.
func lifeguardBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lifeguard-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "lifeguard")
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{err, string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

type buildError struct {
	err error
	out string
}

func (b *buildError) Error() string { return "go build: " + b.err.Error() + "\n" + b.out }

func TestStagedCLI(t *testing.T) {
	dir := gitTestRepo(t)
	writeFile(t, dir, "config/app.txt", "aws "+gitTestAWS+"\n")
	mustGit(t, dir, "add", ".")

	code, out, stderr := runCLI(t, "", "staged", dir, "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			File        string `json:"file"`
			StartLine   int    `json:"start_line"`
			RuleID      string `json:"rule_id"`
			Secret      string `json:"secret"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(rep.Findings) != 1 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	f := rep.Findings[0]
	if f.File != "config/app.txt" || f.StartLine != 1 || f.RuleID != "aws-access-token" || f.Secret != "AKIA…" {
		t.Errorf("finding = %+v", f)
	}
	for _, want := range []string{
		"commit blocked: it adds 1 secret(s)",
		"config/app.txt:1  aws-access-token  AKIA…",
		"lifeguard fix config/app.txt",
		"'lifeguard:allow' (or 'gitleaks:allow')",
		"echo '" + f.Fingerprint + "  # config/app.txt aws-access-token' >> \"$(git rev-parse --show-toplevel)/.lifeguardignore\"",
		"git commit --no-verify",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(out+stderr, gitTestAWS) {
		t.Error("secret shown unredacted")
	}

	// Accepting the fingerprint lets the commit through.
	writeFile(t, dir, ".lifeguardignore", f.Fingerprint+"  # test key\n")
	code, _, stderr = runCLI(t, "", "staged", dir)
	if code != exitClean || !strings.Contains(stderr, "1 finding(s) ignored") {
		t.Errorf("with .lifeguardignore: exit %d\n%s", code, stderr)
	}

	// A generated MLflow file has nothing to reference: the way on is to
	// stop versioning it, not a fix that would change nothing.
	writeFile(t, dir, "exp/mlruns/0/abc/params/token", gitTestGH+"\n")
	mustGit(t, dir, "add", "exp/mlruns")
	code, _, stderr = runCLI(t, "", "staged", dir)
	if code != exitFindings || !strings.Contains(stderr, "git rm -r --cached exp/mlruns/") || strings.Contains(stderr, "lifeguard fix exp/mlruns") {
		t.Errorf("generated file: exit %d\n%s", code, stderr)
	}
}

func TestHistoryCLI(t *testing.T) {
	dir := gitTestRepo(t)
	writeFile(t, dir, "a.env", "GITHUB_TOKEN="+gitTestGH+"\n")
	mustGit(t, dir, "add", ".")
	mustGit(t, dir, "commit", "-q", "-m", "add token")
	mustGit(t, dir, "rm", "-q", "a.env")
	mustGit(t, dir, "commit", "-q", "-m", "remove token")

	code, out, stderr := runCLI(t, "", "history", dir, "--format", "json", "--no-redact")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			File, Secret, Commit, Message, Author, Email string
			RuleID                                       string `json:"rule_id"`
			PresentAtHead                                *bool  `json:"present_at_head"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	head1 := mustGit(t, dir, "rev-parse", "HEAD~1")
	if len(rep.Findings) != 1 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	f := rep.Findings[0]
	if f.File != "a.env" || f.RuleID != "github-pat" || f.Secret != gitTestGH || f.Commit != head1 ||
		f.Message != "add token" || f.Author != "Test Bot" || f.Email != "test-bot@example.invalid" ||
		f.PresentAtHead == nil || *f.PresentAtHead {
		t.Errorf("finding = %+v", f)
	}
	if !strings.Contains(stderr, "3 commit(s) scanned, 1 secret(s) introduced; 1 no longer at HEAD but still in history (rotate them)") {
		t.Errorf("stderr:\n%s", stderr)
	}
	code, _, _ = runCLI(t, "", "history", dir, "--range", "HEAD~1..HEAD")
	if code != exitClean {
		t.Errorf("range with only the removal: exit %d", code)
	}
	// A bare repository reads the ignore files committed at HEAD.
	fp := stderrFingerprint(t, dir)
	writeFile(t, dir, ".lifeguardignore", fp+"  # revoked test token\n")
	mustGit(t, dir, "add", ".lifeguardignore")
	mustGit(t, dir, "commit", "-q", "-m", "accept revoked token")
	bare := filepath.Join(t.TempDir(), "b.git")
	mustGit(t, dir, "clone", "-q", "--bare", dir, bare)
	code, _, stderr = runCLI(t, "", "history", bare)
	if code != exitClean || !strings.Contains(stderr, "1 ignored by .lifeguardignore") {
		t.Errorf("bare with committed .lifeguardignore: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "history", dir, "--range", "--upload-pack=x")
	if code != exitError {
		t.Errorf("option-looking range accepted: exit %d %s", code, stderr)
	}
}

// stderrFingerprint returns the fingerprint history reports in dir.
func stderrFingerprint(t *testing.T, dir string) string {
	t.Helper()
	_, out, _ := runCLI(t, "", "history", dir, "--format", "json")
	var rep struct {
		Findings []struct {
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Findings) == 0 {
		t.Fatalf("history json: %v\n%s", err, out)
	}
	return rep.Findings[0].Fingerprint
}

// TestHooksEndToEnd installs the hooks into a repository that uses
// core.hooksPath and already has a hook, then commits and pushes for real.
func TestHooksEndToEnd(t *testing.T) {
	bin := lifeguardBinary(t)
	dir := gitTestRepo(t)
	mustGit(t, dir, "config", "core.hooksPath", ".githooks")
	writeFile(t, dir, ".githooks/pre-commit", "#!/bin/sh\necho existing hook ran\n")
	if err := os.Chmod(filepath.Join(dir, ".githooks/pre-commit"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, code := sh(t, dir, bin, "hooks", "install")
	if code != 0 || !strings.Contains(out, filepath.Join(dir, ".githooks", "pre-commit")+": installed; the existing hook runs first") {
		t.Fatalf("install: exit %d\n%s", code, out)
	}

	writeFile(t, dir, "notes.md", "ok\n")
	mustGit(t, dir, "add", "notes.md")
	out, code = sh(t, dir, "git", "commit", "-m", "clean")
	if code != 0 || !strings.Contains(out, "existing hook ran") {
		t.Fatalf("clean commit: exit %d\n%s", code, out)
	}

	writeFile(t, dir, "keys.txt", "token: "+gitTestGH+"\n")
	mustGit(t, dir, "add", "keys.txt")
	out, code = sh(t, dir, "git", "commit", "-m", "leak")
	if code == 0 || !strings.Contains(out, "commit blocked") || !strings.Contains(out, "keys.txt:1  github-pat  ghp_…") {
		t.Fatalf("secret commit: exit %d\n%s", code, out)
	}
	// `git commit -a` gives the hook a temporary index: still blocked.
	writeFile(t, dir, "notes.md", "ok\nAWS="+gitTestAWS+"\n")
	mustGit(t, dir, "reset", "-q", "keys.txt")
	out, code = sh(t, dir, "git", "commit", "-a", "-m", "leak -a")
	if code == 0 || !strings.Contains(out, "notes.md:2  aws-access-token") {
		t.Fatalf("commit -a: exit %d\n%s", code, out)
	}
	mustGit(t, dir, "add", "keys.txt")
	mustGit(t, dir, "commit", "-q", "--no-verify", "-m", "leak anyway")

	// The pre-push hook stops the commit that bypassed pre-commit.
	remote := filepath.Join(t.TempDir(), "origin.git")
	mustGit(t, dir, "init", "-q", "--bare", remote)
	mustGit(t, dir, "remote", "add", "origin", remote)
	out, code = sh(t, dir, "git", "push", "-q", "origin", "HEAD~1:refs/heads/main")
	if code != 0 {
		t.Fatalf("clean push: exit %d\n%s", code, out)
	}
	mustGit(t, dir, "fetch", "-q", "origin")
	out, code = sh(t, dir, "git", "push", "origin", "main")
	if code == 0 || !strings.Contains(out, "push blocked") || !strings.Contains(out, "1 commit(s) scanned") {
		t.Fatalf("push with secret: exit %d\n%s", code, out)
	}

	out, code = sh(t, dir, bin, "hooks", "uninstall")
	if code != 0 || !strings.Contains(out, "restored the hook that was there before") {
		t.Fatalf("uninstall: exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".githooks/pre-commit"))
	if err != nil || string(data) != "#!/bin/sh\necho existing hook ran\n" {
		t.Errorf("original hook not restored: %q %v", data, err)
	}
}

// TestPreCommitFramework runs the real pre-commit framework with this
// checkout as the hook repository.
func TestPreCommitFramework(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not on PATH (Debian package pre-commit; .ci/run installs it)")
	}
	gitHermetic(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// A hook repository holding this checkout's files as they are now,
	// committed, since pre-commit clones a revision.
	hookRepo := t.TempDir()
	files, code := sh(t, root, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if code != 0 {
		t.Fatalf("git ls-files: %s", files)
	}
	for _, f := range strings.Split(strings.TrimRight(files, "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the working tree
		}
		writeFile(t, hookRepo, f, string(data))
	}
	mustGit(t, hookRepo, "init", "-q", "-b", "main")
	mustGit(t, hookRepo, "add", ".")
	mustGit(t, hookRepo, "commit", "-q", "-m", "snapshot")
	rev := mustGit(t, hookRepo, "rev-parse", "HEAD")

	dir := gitTestRepo(t)
	writeFile(t, dir, ".pre-commit-config.yaml", "repos:\n- repo: "+hookRepo+"\n  rev: "+rev+"\n  hooks:\n  - id: lifeguard\n  - id: lifeguard-pre-push\n")
	mustGit(t, dir, "add", ".pre-commit-config.yaml")
	mustGit(t, dir, "commit", "-q", "-m", "pre-commit config")
	// Keep pre-commit's cache and Go's module cache out of $HOME; reuse the
	// module cache this test already has.
	t.Setenv("PRE_COMMIT_HOME", filepath.Join(t.TempDir(), "pre-commit-home"))
	if gomodcache, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		t.Setenv("GOMODCACHE", strings.TrimSpace(string(gomodcache)))
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	if out, code := sh(t, dir, "pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "pre-push"); code != 0 {
		t.Fatalf("pre-commit install: %s", out)
	}

	writeFile(t, dir, "clean.txt", "nothing to see\n")
	mustGit(t, dir, "add", "clean.txt")
	if out, code := sh(t, dir, "git", "commit", "-m", "clean"); code != 0 {
		t.Fatalf("clean commit blocked: exit %d\n%s", code, out)
	}
	writeFile(t, dir, "keys.txt", "token: "+gitTestGH+"\n")
	mustGit(t, dir, "add", "keys.txt")
	out, code := sh(t, dir, "git", "commit", "-m", "leak")
	if code == 0 || !strings.Contains(out, "commit blocked") || !strings.Contains(out, "keys.txt:1  github-pat  ghp_…") {
		t.Fatalf("secret commit: exit %d\n%s", code, out)
	}

	// Committed past the hook, the secret is stopped at the first push to an
	// empty remote under another name than origin: pre-commit passes no refs
	// then, since the push includes the root commit.
	mustGit(t, dir, "commit", "-q", "--no-verify", "-m", "leak")
	remote := filepath.Join(t.TempDir(), "remote.git")
	mustGit(t, dir, "init", "-q", "--bare", remote)
	mustGit(t, dir, "remote", "add", "upstream", remote)
	out, code = sh(t, dir, "git", "push", "upstream", "main")
	if code == 0 || !strings.Contains(out, "push blocked") || !strings.Contains(out, "keys.txt:1  github-pat  ghp_…") {
		t.Fatalf("first push: exit %d\n%s", code, out)
	}
	if _, code := sh(t, dir, "git", "--git-dir", remote, "rev-parse", "--verify", "-q", "refs/heads/main"); code == 0 {
		t.Error("the push went through")
	}
}

// TestScanInRepository: inside a git working tree, scan reads the ignore and
// config files at the top, whatever folder it is given and wherever it runs;
// a file git tracks is scanned though .gitignore matches it; and scan,
// staged and history give a finding the same fingerprint.
func TestScanInRepository(t *testing.T) {
	dir := gitTestRepo(t)
	writeFile(t, dir, ".gitignore", "mlruns/\n*.env\n")
	writeFile(t, dir, "proj/mlruns/0/params/token", gitTestGH+"\n")
	writeFile(t, dir, "proj/local.env", "AWS_ACCESS_KEY_ID="+gitTestAWS+"\n")
	mustGit(t, dir, "add", ".gitignore")
	mustGit(t, dir, "add", "-f", "proj/mlruns/0/params/token")
	fpStaged := stderrFingerprintOf(t, dir, "staged", dir)

	// The tracked file is found from the top, a subfolder, with a trailing
	// slash and by absolute path; the untracked ignored .env is not.
	t.Chdir(dir)
	for _, args := range [][]string{{"."}, {"proj"}, {"proj/"}, {filepath.Join(dir, "proj")}} {
		fp := stderrFingerprintOf(t, dir, "scan", args...)
		if fp != fpStaged {
			t.Errorf("scan %v: fingerprint %s, staged gave %s", args, fp, fpStaged)
		}
	}
	t.Chdir(filepath.Join(dir, "proj"))
	if fp := stderrFingerprintOf(t, dir, "scan", "."); fp != fpStaged {
		t.Errorf("scan from a subfolder: fingerprint %s, staged gave %s", fp, fpStaged)
	}

	// Accepted at the top, it is accepted wherever the scan starts.
	writeFile(t, dir, ".lifeguardignore", fpStaged+"  # revoked\n")
	for _, args := range [][]string{{"."}, {dir}, {"mlruns"}} {
		code, out, stderr := runCLI(t, "", append([]string{"scan", "--format", "json"}, args...)...)
		if code != exitClean {
			t.Errorf("scan %v after accepting: exit %d\n%s%s", args, code, out, stderr)
		}
	}

	// A --since git would read as "now" scans nothing: it is refused.
	code, _, stderr := runCLI(t, "", "history", dir, "--since", "yesterdy")
	if code != exitError || !strings.Contains(stderr, `--since "yesterdy" is not a date git understands`) {
		t.Errorf("--since typo: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "history", dir, "--since", "2 weeks ago"); code != exitClean {
		t.Errorf("--since '2 weeks ago': exit %d\n%s", code, stderr)
	}
}

// stderrFingerprintOf runs a command with --format json and returns the
// fingerprint of its only finding.
func stderrFingerprintOf(t *testing.T, dir, cmd string, args ...string) string {
	t.Helper()
	full := append([]string{cmd, "--format", "json"}, args...)
	if cmd == "staged" {
		full = []string{cmd, "--format", "json", dir}
	}
	_, out, stderr := runCLI(t, "", full...)
	var rep struct {
		Findings []struct {
			Fingerprint string `json:"fingerprint"`
			File        string `json:"file"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Findings) != 1 {
		t.Fatalf("%s %v: %v\n%s\n%s", cmd, args, err, out, stderr)
	}
	return rep.Findings[0].Fingerprint
}

// What a history scan could not see is in the JSON report too, not only on
// stderr: a script reading the report learns the clone was shallow.
func TestHistoryNotesInJSON(t *testing.T) {
	dir := gitTestRepo(t)
	writeFile(t, dir, "b.txt", "b\n")
	mustGit(t, dir, "add", ".")
	mustGit(t, dir, "commit", "-q", "-m", "two")
	shallow := filepath.Join(t.TempDir(), "shallow")
	mustGit(t, dir, "clone", "-q", "--depth", "1", "file://"+dir, shallow)
	_, out, _ := runCLI(t, "", "history", shallow, "--format", "json")
	var rep struct {
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Notes) == 0 || !strings.Contains(strings.Join(rep.Notes, " "), "shallow") {
		t.Errorf("notes %q (%v)\n%s", rep.Notes, err, out)
	}
}

// Each path is scanned with its own repository's root: in `scan A B` the
// second repository's tracked files and fingerprints are its own; and a
// repository reached through a symlink is the same repository.
func TestScanSeveralRepositories(t *testing.T) {
	gitHermetic(t)
	base := t.TempDir()
	mk := func(name string) string {
		dir := filepath.Join(base, name)
		mustGit(t, base, "init", "-q", "-b", "main", name)
		writeFile(t, dir, ".gitignore", "gen/\n")
		writeFile(t, dir, "gen/tracked.py", "token = \""+gitTestGH+"\"\n")
		mustGit(t, dir, "add", "-f", ".")
		mustGit(t, dir, "commit", "-q", "-m", "x")
		return dir
	}
	mk("A")
	b := mk("B")
	os.Symlink(b, filepath.Join(base, "linkB"))
	alone := stderrFingerprintOf(t, b, "scan", b)
	t.Chdir(base)
	_, out, stderr := runCLI(t, "", "scan", "--format", "json", "A", "B", "linkB/gen/tracked.py")
	var rep struct {
		Findings []struct {
			File        string `json:"file"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.File] = f.Fingerprint
	}
	if len(got) != 2 || got["B/gen/tracked.py"] != alone || got["A/gen/tracked.py"] == "" {
		t.Errorf("findings %v; B alone gives %s (the symlinked path is the same file)", got, alone)
	}
}

// The blocked-commit message redacts a secret wherever it stands, also in
// the file name of its suggested commands.
func TestBlockMessageRedactsFileNames(t *testing.T) {
	dir := gitTestRepo(t)
	name := "key_" + gitTestGH + ".txt"
	writeFile(t, dir, name, "token "+gitTestGH+"\n")
	mustGit(t, dir, "add", ".")
	code, _, stderr := runCLI(t, "", "staged", dir)
	if code != exitFindings || strings.Contains(stderr, gitTestGH) || !strings.Contains(stderr, "lifeguard fix key_ghp_….txt") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// A linked worktree reads the repository's info/exclude (its .git is a
// file); a file inside a submodule that the submodule tracks is scanned
// from the superproject though a .gitignore matches it.
func TestScanWorktreeAndSubmodule(t *testing.T) {
	dir := gitTestRepo(t)
	os.MkdirAll(filepath.Join(dir, ".git", "info"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "info", "exclude"), []byte("local-notes.txt\n"), 0o644)
	wt := filepath.Join(t.TempDir(), "wt")
	mustGit(t, dir, "worktree", "add", "-q", wt)
	writeFile(t, wt, "local-notes.txt", "token "+gitTestGH+"\n")
	if code, out, _ := runCLI(t, "", "scan", wt); code != exitClean {
		t.Errorf("worktree: info/exclude not applied: exit %d\n%s", code, out)
	}

	sub := gitTestRepo(t)
	writeFile(t, sub, ".gitignore", "out/\n")
	writeFile(t, sub, "out/forced.py", "k = \""+gitTestGH+"\"\n")
	mustGit(t, sub, "add", "-f", ".")
	mustGit(t, sub, "commit", "-q", "-m", "sub")
	super := gitTestRepo(t)
	mustGit(t, super, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "libs/lib")
	if code, out, _ := runCLI(t, "", "scan", super); code != exitFindings || !strings.Contains(out, "libs/lib/out/forced.py") {
		t.Errorf("submodule: exit %d\n%s", code, out)
	}
}
