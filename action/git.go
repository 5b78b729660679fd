package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// gitRunner runs git in the current folder (the workspace).
type gitRunner struct {
	stderr io.Writer
}

func (g gitRunner) output(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	// Never prompt for credentials on a CI runner.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

func (g gitRunner) hasCommit(ctx context.Context, rev string) bool {
	_, err := g.output(ctx, "cat-file", "-e", rev+"^{commit}")
	return err == nil
}

func (g gitRunner) shallow(ctx context.Context) bool {
	out, err := g.output(ctx, "rev-parse", "--is-shallow-repository")
	return err == nil && out == "true"
}

// fetch fetches refspecs from origin, unshallowing a shallow clone: a range
// is only right when the history between its ends is all there.
func (g gitRunner) fetch(ctx context.Context, refspecs ...string) error {
	args := []string{"-c", "protocol.version=2", "fetch", "--no-tags", "--quiet"}
	if g.shallow(ctx) {
		args = append(args, "--unshallow")
	}
	args = append(args, "origin")
	_, err := g.output(ctx, append(args, refspecs...)...)
	return err
}

// prepare makes sure the commits a plan names are in the clone (actions/checkout
// fetches one commit by default), resolves a base branch to a commit, and
// falls back when a force push's old head is gone.
func prepare(ctx context.Context, g gitRunner, pl Plan, logf func(string, ...any)) (Plan, error) {
	switch pl.Kind {
	case kindNone, kindTree:
		return pl, nil
	case kindHistory:
		if g.shallow(ctx) {
			if err := g.fetch(ctx); err != nil {
				logf("could not fetch the full history (%v); scanning what this clone has", err)
			}
		}
		return pl, nil
	}
	var missing []string
	for _, sha := range []string{pl.Base, pl.Head} {
		if sha != "" && !g.hasCommit(ctx, sha) {
			missing = append(missing, sha)
		}
	}
	if len(missing) > 0 || (pl.BaseBranch == "" && g.shallow(ctx)) {
		if err := g.fetch(ctx, missing...); err != nil && pl.Fallback == "" {
			return pl, err
		} else if err != nil {
			logf("%v", err)
		}
	}
	if !g.hasCommit(ctx, pl.Head) {
		return pl, fmt.Errorf("commit %s is not in the clone and could not be fetched", short(pl.Head))
	}
	if pl.Base != "" && !g.hasCommit(ctx, pl.Base) {
		if pl.Fallback == "" {
			return pl, fmt.Errorf("commit %s is not in the clone and could not be fetched", short(pl.Base))
		}
		logf("the commit before the force push, %s, cannot be fetched; scanning the commits not on %s instead", short(pl.Base), pl.Fallback)
		pl.Scope += fmt.Sprintf(" (%s is gone: commits not on %s)", short(pl.Base), pl.Fallback)
		pl.Base, pl.BaseBranch = "", pl.Fallback
	}
	if pl.BaseBranch != "" {
		tracking := "refs/remotes/origin/" + pl.BaseBranch
		if err := g.fetch(ctx, "+refs/heads/"+pl.BaseBranch+":"+tracking); err != nil {
			logf("%v", err)
		}
		base, err := g.output(ctx, "rev-parse", "--verify", "--quiet", tracking+"^{commit}")
		if err != nil || base == "" {
			// No default branch to compare with: scan all of Head's history.
			logf("cannot find branch %s on origin; scanning every commit up to %s", pl.BaseBranch, short(pl.Head))
			return Plan{Kind: kindCommits, Head: pl.Head, Scope: pl.Scope}, nil
		}
		pl.Base, pl.BaseBranch = base, ""
	}
	return pl, nil
}
