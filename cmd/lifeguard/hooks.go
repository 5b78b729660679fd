package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lifeguard-dev/lifeguard/gitsource"
	"github.com/lifeguard-dev/lifeguard/hooks"
)

// runHooks installs or uninstalls the pre-commit and pre-push hooks.
func runHooks(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || (args[0] != "install" && args[0] != "uninstall") {
		fmt.Fprintln(e.stderr, "Usage: lifeguard hooks install [--force] [REPO]\n       lifeguard hooks uninstall [REPO]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitClean
		}
		return exitError
	}
	sub := args[0]
	fs := newFlagSet("hooks "+sub, "[flags] [REPO]", e)
	force := fs.Bool("force", false, "replace an existing hook of another tool instead of chaining it")
	bin := fs.String("lifeguard", "", "path of the lifeguard binary the hooks run (default: this one)")
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
