// Package gitsource yields what git holds — the staged index, commit ranges,
// whole histories — to the scanner, and decides which findings a commit adds.
// It is the only package that knows git.
//
// It runs git plumbing rather than go-git, because of measurements on the
// 500-commit bench repository (bench/history.sh, 2 cores): go-git takes 12 s
// to walk the commits and diff each tree with its parent, `git log --raw`
// well under 0.1 s; `git cat-file --batch` reads the 2,212 changed blobs
// (35 MB) in 0.16 s, go-git in 0.7 s. go-git also cannot read split or
// sparse indexes and ignores GIT_INDEX_FILE, which `git commit -a` and
// `git commit <paths>` rely on.
// Every command runs with user settings that change output neutralised.
package gitsource

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Repo is a git repository: a working tree or a bare repository.
type Repo struct {
	// Top is the working tree's top folder; empty for a bare repository.
	Top string
	// GitDir is the absolute git directory.
	GitDir string
	// Bare says the repository has no working tree.
	Bare bool
	// dir is where commands run.
	dir string
}

// Open finds the repository holding dir.
func Open(ctx context.Context, dir string) (*Repo, error) {
	if dir == "" {
		dir = "."
	}
	r := &Repo{dir: dir}
	out, err := r.output(ctx, "rev-parse", "--is-bare-repository", "--absolute-git-dir")
	if err != nil {
		return nil, fmt.Errorf("%s is not a git repository: %w", dir, err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("git rev-parse in %s: unexpected output %q", dir, out)
	}
	r.Bare = lines[0] == "true"
	r.GitDir = lines[1]
	if !r.Bare {
		out, err := r.output(ctx, "rev-parse", "--show-toplevel")
		if err != nil {
			return nil, fmt.Errorf("finding the working tree of %s: %w", dir, err)
		}
		r.Top = strings.TrimRight(string(out), "\n")
		r.dir = r.Top
	} else {
		r.dir = r.GitDir
	}
	return r, nil
}

// Dir is where the repository's commands run (the working tree or, for a
// bare repository, the git directory).
func (r *Repo) Dir() string { return r.dir }

// neutral are settings that would change the output we parse; they override
// whatever the user, the system or the repository configured.
var neutral = []string{
	"-c", "core.quotepath=off",
	"-c", "color.ui=never",
	"-c", "color.diff=never",
	"-c", "diff.noprefix=false",
	"-c", "diff.mnemonicPrefix=false",
	"-c", "diff.relative=false",
	"-c", "diff.renames=false",
	"-c", "diff.ignoreSubmodules=none",
	"-c", "log.showSignature=false",
	"-c", "log.showRoot=true",
	"-c", "i18n.logOutputEncoding=UTF-8",
	"-c", "core.precomposeUnicode=true",
}

// Command returns a git command in the repository with neutral settings.
func (r *Repo) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "git", append(append([]string{}, neutral...), args...)...)
	cmd.Dir = r.dir
	cmd.Env = gitEnv()
	return cmd
}

// gitEnv is the process environment without variables that change git's
// output, keeping those a hook receives (GIT_DIR, GIT_INDEX_FILE, …).
func gitEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_PAGER", "PAGER", "GIT_CONFIG_PARAMETERS",
			"GIT_CONFIG_COUNT", "GIT_DIFF_PATH_COUNTER", "GIT_DIFF_PATH_TOTAL", "GIT_TRACE", "GIT_TRACE2":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
}

func (r *Repo) output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := r.Command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

// Output runs git and returns its standard output.
func (r *Repo) Output(ctx context.Context, args ...string) ([]byte, error) {
	return r.output(ctx, args...)
}

// Resolve returns the commit a revision names, or "" when it names none
// (an unborn HEAD, no MERGE_HEAD).
func (r *Repo) Resolve(ctx context.Context, rev string) (string, error) {
	out, err := r.output(ctx, "rev-parse", "-q", "--verify", "--end-of-options", rev+"^{commit}")
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", nil
	}
	return strings.TrimSpace(string(out)), nil
}

// HeadCommit is the commit HEAD names, or "" for a branch with no commit
// yet (a new repository). A HEAD that names a ref or object git cannot read
// (a corrupt repository) is an error, not an empty history.
func (r *Repo) HeadCommit(ctx context.Context) (string, error) {
	id, err := r.Resolve(ctx, "HEAD")
	if err != nil || id != "" {
		return id, err
	}
	ref, err := r.output(ctx, "symbolic-ref", "-q", "HEAD")
	if err != nil {
		return "", fmt.Errorf("HEAD names no readable commit (%w); is the repository damaged? (git fsck)", err)
	}
	name := strings.TrimSpace(string(ref))
	if _, err := r.output(ctx, "show-ref", "--verify", "-q", name); err == nil {
		return "", fmt.Errorf("HEAD is %s, whose commit cannot be read; is the repository damaged? (git fsck)", name)
	}
	return "", nil // unborn branch
}

// EmptyTree is the id of the empty tree in the repository's hash.
func (r *Repo) EmptyTree(ctx context.Context) (string, error) {
	cmd := r.Command(ctx, "hash-object", "-t", "tree", "--stdin")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git hash-object: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// HooksDir is where git looks for hooks (core.hooksPath when set).
func (r *Repo) HooksDir(ctx context.Context) (string, error) {
	out, err := r.output(ctx, "rev-parse", "--git-path", "hooks")
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.dir, p)
	}
	return filepath.Clean(p), nil
}

// Shallow reports whether the repository is a shallow clone.
func (r *Repo) Shallow(ctx context.Context) bool {
	out, err := r.output(ctx, "rev-parse", "--is-shallow-repository")
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// isZero reports an all-zero object id (git's "no object").
func isZero(oid string) bool {
	return oid == "" || strings.Trim(oid, "0") == ""
}
