package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "" for none
		mode     os.FileMode
	}{
		{"new file", "", 0o644},
		{"replace keeps the given mode", "old content that is longer", 0o600},
		{"executable", "#!/bin/sh\n", 0o755},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.txt")
			if tc.existing != "" {
				if err := os.WriteFile(path, []byte(tc.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := Write(path, []byte("new\n"), tc.mode); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != "new\n" {
				t.Fatalf("content %q, %v", got, err)
			}
			st, _ := os.Stat(path)
			if st.Mode().Perm() != tc.mode {
				t.Errorf("mode %v, want %v", st.Mode().Perm(), tc.mode)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("temporary files left behind: %v", entries)
			}
		})
	}
}

// A symlink stays a link; its target gets the content.
func TestWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.sarif")
	link := filepath.Join(dir, "link.sarif")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.sarif", link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced by a file: %v %v", st, err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("target %q, want new", got)
	}
}

// A FIFO (like /dev/stdout) cannot be renamed over: it is written in place and stays a FIFO.
func TestWriteToFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(path)
		got <- string(b)
	}()
	if err := Write(path, []byte("report"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "report" {
		t.Errorf("read %q from the FIFO", s)
	}
	if st, _ := os.Lstat(path); st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("FIFO replaced: mode %v", st.Mode())
	}
}

func TestWriteMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "f")
	err := Write(path, []byte("x"), 0o644)
	if err == nil || err.Error() != "writing "+path+": no such file or directory" {
		t.Fatalf("error %v, want one naming %s", err, path)
	}
}

// A check that fails just before the swap leaves the file as it was, and no
// temporary file behind.
func TestWriteCheckedRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nb.ipynb")
	os.WriteFile(path, []byte("saved by the user meanwhile"), 0o644)
	refused := errors.New("changed")
	if err := WriteChecked(path, []byte("fixed"), 0o644, func() error { return refused }); err != refused {
		t.Fatalf("err %v, want the check's", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "saved by the user meanwhile" {
		t.Errorf("content %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// Run as root, a rewrite keeps the file's owner.
func TestWriteKeepsOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can give a file to another user")
	}
	path := filepath.Join(t.TempDir(), "settings.py")
	os.WriteFile(path, []byte("old"), 0o644)
	if err := os.Chown(path, 1234, 2345); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if s := st.Sys().(*syscall.Stat_t); s.Uid != 1234 || s.Gid != 2345 {
		t.Errorf("owner %d:%d, want 1234:2345", s.Uid, s.Gid)
	}
}
