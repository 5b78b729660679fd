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
				var se *skipError
				if errors.As(err, &se) {
					res.Skipped[c.Path] = se.Error()
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

// skipError is a file Apply leaves alone on purpose, and why.
type skipError struct{ why string }

func (e *skipError) Error() string { return e.why }

var errChanged = &skipError{"changed since it was read; not touched (run lifeguard fix again)"}

func writeChange(c *Change) error {
	path := filepath.FromSlash(c.Path)
	cur, err := os.ReadFile(path)
	switch {
	case c.Before == nil && err == nil:
		if !bytes.Equal(cur, c.After) {
			return errChanged
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
		return errChanged
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Path, err)
	}
	if st.Mode().Perm()&0o222 == 0 {
		return &skipError{fmt.Sprintf("read-only (mode %04o); not touched: make it writable, or edit it by hand", st.Mode().Perm())}
	}
	if n := linkCount(st); n > 1 {
		return &skipError{fmt.Sprintf("has %d hard links; replacing it would leave the secret under the other names: edit it by hand", n)}
	}
	// Compare again just before the swap: an editor or Jupyter may have
	// saved the file while the new content was being written.
	unchanged := func() error {
		if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, c.Before) {
			return errChanged
		}
		return nil
	}
	return atomicfile.WriteChecked(path, c.After, st.Mode().Perm(), unchanged)
}
