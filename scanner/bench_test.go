package scanner

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkScanNotebook scans the bundled mixed notebook.
func BenchmarkScanNotebook(b *testing.B) {
	s := newScanner(b, Options{})
	data, err := os.ReadFile("../testdata/notebook/mixed.ipynb")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.ScanBlob(context.Background(), "mixed.ipynb", data)
	}
}

// BenchmarkScanCorpus scans a corpus folder named by LIFEGUARD_BENCH_CORPUS
// (for example one built by bench/speed.sh); it is skipped when unset.
func BenchmarkScanCorpus(b *testing.B) {
	dir := os.Getenv("LIFEGUARD_BENCH_CORPUS")
	if dir == "" {
		b.Skip("set LIFEGUARD_BENCH_CORPUS to a folder to scan")
	}
	var size int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			size += info.Size()
		}
		return nil
	})
	s := newScanner(b, Options{})
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.ScanPaths(context.Background(), []string{dir}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
