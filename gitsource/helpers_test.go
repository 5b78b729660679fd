package gitsource

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// Invented, format-valid secrets.
const (
	awsKey  = "AKIAQ7RZ2MXW4TLBVN3K"
	ghToken = "ghp_R8tKq2Wm5Zx7Vb3Nc9Lj4Hs6Gf1Ay0Ue8Io2"
	hfOld   = "hf_PqRsTuVwXyZaBcDeFgHiJkLmNoPqRsTuVw"
	hfNew   = "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"
)

// hermetic makes git ignore the machine's configuration and fixes identities.
func hermetic(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Test Bot", "GIT_AUTHOR_EMAIL": "test-bot@example.invalid",
		"GIT_COMMITTER_NAME": "Test Bot", "GIT_COMMITTER_EMAIL": "test-bot@example.invalid",
		"GIT_AUTHOR_DATE": "2024-03-01T10:00:00Z", "GIT_COMMITTER_DATE": "2024-03-01T10:00:00Z",
		"GIT_INDEX_FILE": "", "GIT_DIR": "", "GIT_WORK_TREE": "",
	} {
		t.Setenv(k, v)
		if v == "" {
			os.Unsetenv(k)
		}
	}
}

type testRepo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *testRepo {
	t.Helper()
	hermetic(t)
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	r.git("config", "commit.gpgsign", "false")
	return r
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return runGit(r.t, r.dir, args...)
}

func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// gitMayFail runs git and returns its output and error.
func gitMayFail(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (r *testRepo) write(path, text string) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages paths (all when none) and commits.
func (r *testRepo) commit(msg string, paths ...string) string {
	r.t.Helper()
	if len(paths) == 0 {
		r.git("add", "-A")
	} else {
		r.git(append([]string{"add", "--"}, paths...)...)
	}
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func (r *testRepo) commitFile(path, text, msg string) string {
	r.t.Helper()
	r.write(path, text)
	return r.commit(msg, path)
}

func (r *testRepo) open() *Repo {
	r.t.Helper()
	repo, err := Open(context.Background(), r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	return repo
}

func testOptions(t *testing.T) Options {
	t.Helper()
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	return Options{Scanner: scanner.New(detect.New(set), scanner.Options{}), Workers: 2}
}

// got is a finding reduced to what tests compare.
type got struct {
	File, Rule, Secret string
	Line               int
	Where              string // notebook cell/part/line, key path
	Commit             string // commit subject, for history
	AtHead             string // "yes", "no" or "" for staged
}

func (g got) String() string {
	return fmt.Sprintf("%s:%d %s %s [%s] %s %s", g.File, g.Line, g.Rule, g.Secret, g.Where, g.Commit, g.AtHead)
}

func summarize(fs []detect.Finding) []string {
	var out []string
	for _, f := range fs {
		g := got{File: f.File, Rule: f.RuleID, Secret: f.Secret, Line: f.StartLine, Commit: f.Message}
		if l := f.Location; l.Cell > 0 {
			g.Where = fmt.Sprintf("cell %d %s %d line %d", l.Cell, l.Part, l.Output, l.Line)
		}
		if f.PresentAtHead != nil {
			g.AtHead = map[bool]string{true: "yes", false: "no"}[*f.PresentAtHead]
		}
		out = append(out, g.String())
	}
	sort.Strings(out)
	return out
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// notebook returns a small notebook with one code cell and one stream output.
func notebook(source, output string) string {
	return fmt.Sprintf(`{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "c1",
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      %q
     ]
    }
   ],
   "source": [
    %q
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
`, output, source)
}

// runCase runs a case's setup.sh into a new folder and returns the
// repository path it prints.
func runCase(t *testing.T, name string) string {
	t.Helper()
	hermetic(t)
	script, err := filepath.Abs(filepath.Join("..", "testdata", "cases", name, "setup.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script, t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("case %s setup: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}
