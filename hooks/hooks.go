// Package hooks writes and removes Lifeguard's git hooks. A hook that is
// already there is kept and run first (chained), never overwritten unless
// asked; uninstalling removes only Lifeguard's own hooks and puts a chained
// one back.
package hooks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lifeguard-dev/lifeguard/atomicfile"
	"github.com/lifeguard-dev/lifeguard/shell"
)

// Marker is on the second line of every hook Lifeguard writes.
const Marker = "# lifeguard-hook"

// chainedSuffix names a hook that was there before Lifeguard's.
const chainedSuffix = ".lifeguard-chained"

// Names are the hooks Lifeguard installs.
var Names = []string{"pre-commit", "pre-push"}

// Script returns the hook script for name, running the lifeguard binary at
// bin (or the one on PATH if bin has gone).
func Script(name, bin string) (string, error) {
	var run string
	switch name {
	case "pre-commit":
		run = `if [ -x "$chained" ]; then
	"$chained" "$@" || exit $?
fi
exec "$lifeguard" staged`
	case "pre-push":
		// git passes the pushed refs on stdin; both hooks need them.
		run = `input=$(cat)
if [ -x "$chained" ]; then
	printf '%s\n' "$input" | "$chained" "$@" || exit $?
fi
printf '%s\n' "$input" | "$lifeguard" history --pre-push "$1"`
	default:
		return "", fmt.Errorf("no Lifeguard hook named %q", name)
	}
	return fmt.Sprintf(`#!/bin/sh
%s %s: installed by 'lifeguard hooks install', removed by 'lifeguard hooks uninstall'.
# Bypass once with --no-verify. A hook that was here before runs first: %s%s
chained="$(dirname "$0")/%s%s"
lifeguard=%s
if [ ! -x "$lifeguard" ]; then
	lifeguard=$(command -v lifeguard) || {
		echo "lifeguard: the lifeguard binary is not installed (was $lifeguard); install it, or bypass with --no-verify" >&2
		exit 1
	}
fi
%s
`, Marker, name, name, chainedSuffix, name, chainedSuffix, shell.Quote(bin), run), nil
}

// Action is what Install or Uninstall did to one hook.
type Action struct {
	Hook string // path of the hook
	Did  string // "installed", "updated", "chained <path>", "replaced", "removed", "restored <path>", "left alone: …"
}

// IsLifeguard reports whether the hook file at path is Lifeguard's.
func IsLifeguard(path string) bool {
	data, err := os.ReadFile(path)
	return err == nil && isOurs(data)
}

func isOurs(data []byte) bool {
	_, rest, _ := bytes.Cut(data, []byte("\n"))
	return bytes.HasPrefix(rest, []byte(Marker+" "))
}

// Install writes Lifeguard's hooks into dir (the repository's hooks folder,
// core.hooksPath when set). An existing hook of another tool is renamed to
// NAME.lifeguard-chained and run first; force replaces it instead.
func Install(dir, bin string, force bool) ([]Action, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating hooks folder: %w", err)
	}
	var acts []Action
	for _, name := range Names {
		script, err := Script(name, bin)
		if err != nil {
			return acts, err
		}
		path := filepath.Join(dir, name)
		chained := path + chainedSuffix
		act := Action{Hook: path, Did: "installed"}
		data, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return acts, fmt.Errorf("reading %s: %w", path, err)
		case isOurs(data):
			act.Did = "updated"
		case force:
			act.Did = "replaced the existing hook"
		default:
			if _, err := os.Lstat(chained); err == nil {
				return acts, fmt.Errorf("%s exists and so does %s: move one away, or use --force to replace %s", path, chained, path)
			}
			if err := os.Rename(path, chained); err != nil {
				return acts, fmt.Errorf("keeping the existing hook: %w", err)
			}
			act.Did = "installed; the existing hook runs first as " + chained
		}
		if err := atomicfile.Write(path, []byte(script), 0o755); err != nil {
			return acts, fmt.Errorf("writing %s: %w", path, err)
		}
		acts = append(acts, act)
	}
	return acts, nil
}

// Uninstall removes Lifeguard's hooks from dir and restores chained ones.
func Uninstall(dir string) ([]Action, error) {
	var acts []Action
	for _, name := range Names {
		path := filepath.Join(dir, name)
		chained := path + chainedSuffix
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return acts, fmt.Errorf("reading %s: %w", path, err)
		}
		if !isOurs(data) {
			acts = append(acts, Action{Hook: path, Did: "left alone: not Lifeguard's"})
			continue
		}
		if err := os.Remove(path); err != nil {
			return acts, fmt.Errorf("removing %s: %w", path, err)
		}
		act := Action{Hook: path, Did: "removed"}
		if _, err := os.Lstat(chained); err == nil {
			if err := os.Rename(chained, path); err != nil {
				return acts, fmt.Errorf("restoring %s: %w", chained, err)
			}
			act.Did = "removed; restored the hook that was there before"
		}
		acts = append(acts, act)
	}
	return acts, nil
}
