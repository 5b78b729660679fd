package gitsource

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func history(t *testing.T, dir string, revs Revs) ([]string, *Summary) {
	t.Helper()
	repo, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	res, sum, err := History(context.Background(), repo, revs, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	return summarize(res.Findings), sum
}

func TestHistory(t *testing.T) {
	r := newRepo(t)
	r.write("app.py", "x = 1\n")
	r.commit("start")
	r.write("app.py", "x = 1\nkey = \""+awsKey+"\"\n")
	r.commit("add key")
	r.write("app.py", "import os\nx = 1\nkey = \""+awsKey+"\"\n")
	r.commit("edit above the key")
	r.write("app.py", "import os\nx = 1\n")
	r.commit("remove key")
	r.write("app.py", "import os\nx = 1\nkey = \""+awsKey+"\"\n")
	r.commit("revert: key again")
	// A notebook re-executed with the same leaked output, then a new key.
	r.write("nb.ipynb", notebook("print(1)\n", "token "+hfOld+"\n"))
	r.commit("notebook")
	r.write("nb.ipynb", notebook("print(2)\n", "token "+hfOld+"\n"))
	r.commit("re-run notebook")
	r.write("nb.ipynb", notebook("login(\""+hfNew+"\")\n", "ok\n"))
	r.commit("login in notebook")
	// A rename carries its secret to a new path: reported at both, and
	// present at HEAD for both, since HEAD still holds it.
	r.write("old.env", "GITHUB_TOKEN="+ghToken+"\n")
	r.commit("token")
	r.git("mv", "old.env", "renamed.env")
	r.commit("rename")

	got, sum := history(t, r.dir, Revs{})
	equal(t, "full history", got, []string{
		"app.py:2 aws-access-token " + awsKey + " [] add key yes",
		"nb.ipynb:13 huggingface-access-token " + hfOld + " [cell 1 output 1 line 1] notebook no",
		"nb.ipynb:18 huggingface-access-token " + hfNew + " [cell 1 source 0 line 1] login in notebook yes",
		"old.env:1 github-pat " + ghToken + " [] token yes",
		"renamed.env:1 github-pat " + ghToken + " [] rename yes",
	})
	if sum.Commits != 10 {
		t.Errorf("Commits = %d, want 10", sum.Commits)
	}

	// A range sees only what its commits introduce (the GitHub Action's BASE..HEAD).
	got, sum = history(t, r.dir, Revs{Args: []string{"HEAD~3..HEAD"}})
	equal(t, "range", got, []string{
		"nb.ipynb:18 huggingface-access-token " + hfNew + " [cell 1 source 0 line 1] login in notebook yes",
		"old.env:1 github-pat " + ghToken + " [] token yes",
		"renamed.env:1 github-pat " + ghToken + " [] rename yes",
	})
	if sum.Commits != 3 {
		t.Errorf("range Commits = %d, want 3", sum.Commits)
	}
	// The re-added key is an introduction of its own in a range that starts after the removal.
	got, _ = history(t, r.dir, Revs{Args: []string{"HEAD~6..HEAD~5"}})
	equal(t, "revert range", got, []string{"app.py:3 aws-access-token " + awsKey + " [] revert: key again yes"})
}

// When HEAD names no commit (a bare clone whose HEAD points at a branch that
// does not exist), whether a secret is still present is unknown: left unset,
// not reported as removed.
func TestHistoryDanglingHEAD(t *testing.T) {
	r := newRepo(t)
	r.write("a.env", "GITHUB_TOKEN="+ghToken+"\n")
	r.commit("token")
	bare := filepath.Join(t.TempDir(), "b.git")
	r.git("clone", "-q", "--bare", r.dir, bare)
	r.git("--git-dir", bare, "symbolic-ref", "HEAD", "refs/heads/gone")
	got, _ := history(t, bare, Revs{})
	equal(t, "dangling HEAD", got, []string{"a.env:1 github-pat " + ghToken + " [] token "})
}

// TestHistoryMerge: a secret written in a merge's own conflict resolution
// is attributed to the merge; secrets from either side to their commits.
func TestHistoryMerge(t *testing.T) {
	r := newRepo(t)
	r.write("conf.env", "A=1\n")
	r.commit("base")
	r.git("checkout", "-q", "-b", "feature")
	r.write("conf.env", "A=2\nGITHUB_TOKEN="+ghToken+"\n")
	r.commit("feature token")
	r.git("checkout", "-q", "main")
	r.write("conf.env", "A=3\n")
	r.commit("main change")
	if _, err := gitMayFail(r.dir, "merge", "-q", "feature"); err == nil {
		t.Fatal("merge should conflict")
	}
	r.write("conf.env", "A=3\nGITHUB_TOKEN="+ghToken+"\nAWS="+awsKey+"\n")
	r.commit("merge feature")
	got, _ := history(t, r.dir, Revs{})
	equal(t, "merge", got, []string{
		"conf.env:2 github-pat " + ghToken + " [] feature token yes",
		"conf.env:3 aws-access-token " + awsKey + " [] merge feature yes",
	})
	// The merge alone: only its resolution's own secret.
	got, _ = history(t, r.dir, Revs{Args: []string{"HEAD^1..HEAD", "^HEAD^2"}})
	equal(t, "merge only", got, []string{"conf.env:3 aws-access-token " + awsKey + " [] merge feature yes"})
}

// TestHistoryBareShallowSubmoduleLFS: a bare repository, a shallow clone,
// a submodule and an LFS pointer each say what could not be scanned.
func TestHistoryBareShallowSubmoduleLFS(t *testing.T) {
	r := newRepo(t)
	r.write("a.env", "GITHUB_TOKEN="+ghToken+"\n")
	r.commit("token")
	r.write("model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")
	r.commit("lfs")
	sub := newRepo(t)
	sub.write("s.txt", "s\n")
	subHead := sub.commit("sub")
	r.git("update-index", "--add", "--cacheinfo", "160000,"+subHead+",vendor/sub")
	r.git("commit", "-q", "-m", "submodule")
	for i := 0; i < 3; i++ {
		r.write("n.txt", strings.Repeat("n", i+1)+"\n")
		r.commit("more")
	}

	bare := filepath.Join(t.TempDir(), "b.git")
	runGit(t, r.dir, "clone", "-q", "--bare", r.dir, bare)
	got, sum := history(t, bare, Revs{})
	equal(t, "bare", got, []string{"a.env:1 github-pat " + ghToken + " [] token yes"})
	notes := strings.Join(sum.Notes, "\n")
	if !strings.Contains(notes, "vendor/sub is a submodule") {
		t.Errorf("no submodule note: %q", sum.Notes)
	}

	shallow := filepath.Join(t.TempDir(), "shallow")
	runGit(t, r.dir, "clone", "-q", "--depth", "2", "file://"+r.dir, shallow)
	got, sum = history(t, shallow, Revs{})
	// The oldest commit the clone holds shows its whole tree as added; the
	// note says so.
	equal(t, "shallow", got, []string{"a.env:1 github-pat " + ghToken + " [] more yes"})
	if !strings.Contains(strings.Join(sum.Notes, "\n"), "shallow clone") {
		t.Errorf("shallow: notes %q", sum.Notes)
	}

	repo, err := Open(context.Background(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := History(context.Background(), repo, Revs{}, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || !strings.HasPrefix(res.Skipped[0].File, "model.bin @ ") || !strings.HasPrefix(res.Skipped[0].Reason, "Git LFS pointer") {
		t.Errorf("Skipped = %+v, want the LFS pointer", res.Skipped)
	}
}

// Case 032: the history scan finds the deleted legacy keys at the commit
// that added them, marked as gone from HEAD.
func TestCase032History(t *testing.T) {
	dir := runCase(t, "032")
	got, _ := history(t, dir, Revs{})
	for i, g := range got {
		got[i] = strings.Replace(g, " aws-secret-access-key ", " generic-api-key ", 1) // see case 030
	}
	equal(t, "case 032", got, []string{
		"legacy/old_settings.py:1 aws-access-token AKIAXCVCQX5EMEO7L33F [] legacy settings no",
		"legacy/old_settings.py:2 generic-api-key BOOzxbHTY/hXhKHJ8T8O1txS0bpqDTOG3/eSHpnB [] legacy settings no",
	})
}

// Case 034: after committing the rename, the range HEAD~1..HEAD reports
// the notebook's key at the new path.
func TestCase034RangeRename(t *testing.T) {
	dir := runCase(t, "034")
	runGit(t, dir, "commit", "-q", "-m", "rename")
	got, _ := history(t, dir, Revs{Args: []string{"HEAD~1..HEAD"}})
	equal(t, "case 034", got, []string{
		"notebooks/eval_de.ipynb:19 huggingface-access-token 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 [cell 2 source 0 line 2] rename yes",
	})
}

// Case 036: a key removed later is still reported, at the commit that
// added it, located in the old notebook's cell, and marked gone from HEAD.
func TestCase036DeletedLaterStillInHistory(t *testing.T) {
	dir := runCase(t, "036")
	got, _ := history(t, dir, Revs{})
	for i, g := range got {
		got[i] = strings.Replace(g, " wandb-api-key ", " generic-api-key ", 1) // a W&B rule may replace the generic one
	}
	equal(t, "case 036", got, []string{
		"notebooks/train.ipynb:11 generic-api-key a99f664d5ee7ffe8498c9bdb16bcc1177b27a8db [cell 1 source 0 line 2] train notebook no",
	})
}

// Case 043: pushing one commit on top of 5,000 scans one commit; the full
// history scan finds both keys.
func TestCase043PrePush(t *testing.T) {
	dir := runCase(t, "043")
	stdin, err := os.Open(filepath.Join(filepath.Dir(dir), "prepush-stdin.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	repo, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	revs, err := PushRevs(context.Background(), repo, "origin", stdin, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	got, sum := history(t, dir, revs)
	equal(t, "pre-push", got, []string{
		"config/together.env:1 together-api-key tgp_v1_uOfq7Vh4ji2DkgGvZZtYZQLSzjEyMo2zyw4d4O0XA4o [] add together config yes",
	})
	if sum.Commits != 1 {
		t.Errorf("pre-push scanned %d commits, want 1", sum.Commits)
	}

	// A new branch holding the same commit compares with what the remote has.
	head := runGit(t, dir, "rev-parse", "HEAD")
	line := "refs/heads/topic " + head + " refs/heads/topic " + strings.Repeat("0", 40) + "\n"
	revs, err = PushRevs(context.Background(), repo, "origin", strings.NewReader(line), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	_, sum = history(t, dir, revs)
	if sum.Commits != 1 {
		t.Errorf("new branch: scanned %d commits, want 1", sum.Commits)
	}

	got, sum = history(t, dir, Revs{})
	for i, g := range got {
		got[i] = strings.Replace(g, " generic-api-key ", " mistral-api-key ", 1) // until a Mistral rule with MISTRAL_API_KEY context lands
	}
	equal(t, "full history", got, []string{
		"config/llm.env:1 mistral-api-key rgBZqLfw4qmLSO6Pz0tLTVTajzB8LwAs [] run 42 yes",
		"config/together.env:1 together-api-key tgp_v1_uOfq7Vh4ji2DkgGvZZtYZQLSzjEyMo2zyw4d4O0XA4o [] add together config yes",
	})
	if sum.Commits != 5001 {
		t.Errorf("full history: %d commits, want 5001", sum.Commits)
	}
}

func TestPushRevs(t *testing.T) {
	r := newRepo(t)
	one := r.commitFile("a", "a\n", "one")
	two := r.commitFile("a", "b\n", "two")
	repo := r.open()
	zero := strings.Repeat("0", 40)
	unknown := strings.Repeat("ab", 20)
	tests := []struct {
		name  string
		stdin string
		env   map[string]string
		want  Revs
	}{
		{"update", "refs/heads/main " + two + " refs/heads/main " + one + "\n",
			nil, Revs{Args: []string{two}, Not: []string{one}, NotRemotes: "origin"}},
		{"new branch", "refs/heads/main " + two + " refs/heads/main " + zero + "\n",
			nil, Revs{Args: []string{two}, NotRemotes: "origin"}},
		{"force push over commits never fetched", "refs/heads/main " + two + " refs/heads/main " + unknown + "\n",
			nil, Revs{Args: []string{two}, NotRemotes: "origin"}},
		{"delete", "(delete) " + zero + " refs/heads/old " + one + "\n",
			nil, Revs{NotRemotes: "origin"}},
		{"pre-commit framework", "",
			map[string]string{"PRE_COMMIT_FROM_REF": one, "PRE_COMMIT_TO_REF": two, "PRE_COMMIT_REMOTE_NAME": "up"},
			Revs{Args: []string{two}, Not: []string{one}, NotRemotes: "up"}},
		// pre-commit sets no refs when the push includes the root commit.
		{"pre-commit framework, first push", "",
			map[string]string{"PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main", "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main", "PRE_COMMIT_REMOTE_NAME": "up"},
			Revs{Args: []string{"refs/heads/main"}, NotRemotes: "up"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PushRevs(context.Background(), repo, "origin", strings.NewReader(tt.stdin), func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.gitArgs(), " ") != strings.Join(tt.want.gitArgs(), " ") {
				t.Errorf("got %q, want %q", got.gitArgs(), tt.want.gitArgs())
			}
		})
	}
	if _, err := PushRevs(context.Background(), repo, "origin", strings.NewReader("garbage\n"), func(string) string { return "" }); err == nil {
		t.Error("bad stdin: no error")
	}
}
