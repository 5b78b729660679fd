// Package atomicfile writes a file so that a reader sees either its old content
// or the new, never a torn mix, and a failed write leaves the old file as it was.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path's content with data. It writes a temporary file in the
// same folder, syncs it and renames it over path, so the swap is atomic on
// one file system. A symlink is followed and its target replaced (the link
// stays a link). A target that is not a regular file (/dev/stdout, a FIFO)
// cannot be swapped and is written in place instead.
func Write(path string, data []byte, mode fs.FileMode) error {
	return WriteChecked(path, data, mode, nil)
}

// WriteChecked is Write that calls check, when not nil, after the new
// content is on disk and just before the swap, so that a file edited during
// a slow write is not replaced: an error from check leaves path untouched
// and is returned. An existing file's owner is kept where the process may
// set it (as root).
func WriteChecked(path string, data []byte, mode fs.FileMode, check func() error) error {
	target := path
	var old fs.FileInfo
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
		if st, err := os.Stat(target); err == nil {
			if !st.Mode().IsRegular() {
				return writeInPlace(target, data)
			}
			old = st
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".lifeguard-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name would only confuse
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(mode.Perm()); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if old != nil {
		keepOwner(f, old)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
