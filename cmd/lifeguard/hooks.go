package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifeguard-dev/lifeguard/gitsource"
	"github.com/lifeguard-dev/lifeguard/hooks"
)

// runHooks installs or uninstalls the pre-commit and pre-push hooks.
func runHooks(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || (args[0] != "install" && args[0] != "uninstall") {
		help := len(args) > 0 && (args[0] == "-h" || args[0] == "--help")
		if len(args) > 0 && !help {
			fmt.Fprintf(e.stderr, "lifeguard hooks: unknown action %q\n", args[0])
		}
		fmt.Fprintln(e.stderr, `Usage: lifeguard hooks install [--force] [--lifeguard PATH] [REPO]
       lifeguard hooks uninstall [REPO]

install writes pre-commit (lifeguard staged) and pre-push (lifeguard history
--pre-push) hooks, keeping and chaining hooks already there; uninstall removes
only Lifeguard's. 'lifeguard hooks install -h' lists the flags.`)
		if help {
			return exitClean
		}
		return exitError
	}
	sub := args[0]
	fs := newFlagSet("hooks "+sub, "[flags] [REPO]", e)
	force, bin := new(bool), new(string)
	if sub == "install" {
		fs.BoolVar(force, "force", false, "replace an existing hook of another tool instead of chaining it")
		fs.StringVar(bin, "lifeguard", "", "path of the lifeguard binary the hooks run (default: this one)")
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return flagError(err)
	}
	if len(pos) > 1 {
		return fail(e, "hooks %s takes at most one repository", sub)
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	repo, err := gitsource.Open(ctx, dir)
	if err != nil {
		return fail(e, "%v", err)
	}
	hooksDir, err := repo.HooksDir(ctx)
	if err != nil {
		return fail(e, "%v", err)
	}
	var acts []hooks.Action
	if sub == "install" {
		path := *bin
		if path == "" {
			if path, err = os.Executable(); err != nil {
				return fail(e, "finding the lifeguard binary: %v (pass --lifeguard PATH)", err)
			}
		}
		if path, err = filepath.Abs(path); err != nil {
			return fail(e, "%v", err)
		}
		if strings.Contains(path, string(filepath.Separator)+"go-build") {
			fmt.Fprintf(e.stderr, "lifeguard: warning: %s is a temporary 'go run' build that Go deletes; install lifeguard (go install ./cmd/lifeguard) and run 'lifeguard hooks install' again, or pass --lifeguard PATH\n", path)
		}
		acts, err = hooks.Install(hooksDir, path, *force)
	} else {
		acts, err = hooks.Uninstall(hooksDir)
	}
	for _, a := range acts {
		fmt.Fprintf(e.stdout, "%s: %s\n", a.Hook, a.Did)
	}
	if err != nil {
		return fail(e, "%v", err)
	}
	if sub == "uninstall" && len(acts) == 0 {
		fmt.Fprintf(e.stdout, "no Lifeguard hooks in %s\n", hooksDir)
	}
	return exitClean
}
