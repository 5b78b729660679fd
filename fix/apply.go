package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lifeguard-dev/lifeguard/atomicfile"
)

// Result is what Apply did with each change.
type Result struct {
	Written []string `json:"written"`
	// Skipped maps a file to the reason it was left untouched.
	Skipped map[string]string `json:"skipped,omitempty"`
}

// Apply writes the plan's changes. A file whose content differs from what
// the plan was computed from is not touched, nor is any change that depends
// on a file that was not written (a value is never removed before it has
// been saved elsewhere). Writes are atomic and keep the file's mode.
func (p *Plan) Apply() (*Result, error) {
	res := &Result{Written: []string{}, Skipped: map[string]string{}}
	done := map[*Change]bool{}
	// .gitignore lines first, then local files, then the rewrites.
	rank := func(c *Change) int {
		switch {
		case c.Kind == "gitignore":
			return 0
		case c.Local:
			return 1
		}
		return 2
	}
	var errs []error
	for r := 0; r <= 2; r++ {
		for _, c := range p.Changes {
			if rank(c) != r {
				continue
			}
			blocked := ""
			for _, d := range c.deps {
				if !done[d] {
					blocked = d.Path
				}
			}
			if blocked != "" {
				res.Skipped[c.Path] = "not changed because " + blocked + " could not be written"
				continue
			}
			if err := writeChange(c); err != nil {
				var ce *changedError
				if errors.As(err, &ce) {
					res.Skipped[c.Path] = ce.Error()
					continue
				}
				errs = append(errs, err)
				res.Skipped[c.Path] = err.Error()
				continue
			}
			done[c] = true
			res.Written = append(res.Written, c.Path)
		}
	}
	return res, errors.Join(errs...)
}

type changedError struct{ path string }

func (e *changedError) Error() string {
	return "changed since it was read; not touched (run lifeguard fix again)"
}

func writeChange(c *Change) error {
	path := filepath.FromSlash(c.Path)
	cur, err := os.ReadFile(path)
	switch {
	case c.Before == nil && err == nil:
		if !bytes.Equal(cur, c.After) {
			return &changedError{c.Path}
		}
		return nil // already written: apply is idempotent
	case c.Before == nil && errors.Is(err, fs.ErrNotExist):
		mode := os.FileMode(0o644)
		if c.Local {
			mode = 0o600
		}
		return atomicfile.Write(path, c.After, mode)
	case err != nil:
		return fmt.Errorf("reading %s: %w", c.Path, err)
	case bytes.Equal(cur, c.After):
		return nil
	case !bytes.Equal(cur, c.Before):
		return &changedError{c.Path}
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Path, err)
	}
	return atomicfile.Write(path, c.After, st.Mode().Perm())
}
