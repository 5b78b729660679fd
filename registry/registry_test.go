package registry

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRegistryFiles(t *testing.T) {
	tests := []struct {
		file, kind, keyPath, context, secret string
		line                                 int
	}{
		{"mlruns/0/7f3c2a/params/openai_api_key", KindMLflow, "params.openai_api_key", "openai_api_key", "sk-proj-Nx5Wq8Lz2Kd7", 1},
		{"mlruns/0/7f3c2a/tags/mlflow.source.tracking_uri", KindMLflow, "tags.mlflow.source.tracking_uri", "mlflow.source.tracking_uri", "Rk4Tz9Wn2Qp7Lm3Xv8", 1},
		{"huggingface/token", KindHFToken, "token", "token", "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", 1},
		{"README.md", KindFrontMatter, "widget[0].api_token", "api_token", "8c2e5a9f1b7d3c6e0a4f8b2d9e1c7a3f5b6d0e2a", 6},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join("..", "testdata", "formats", "registry", filepath.FromSlash(tt.file))
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if k := Sniff(filepath.ToSlash(p), data); k != tt.kind {
				t.Fatalf("Sniff = %q, want %q", k, tt.kind)
			}
			segs, err := Segments(tt.kind, filepath.ToSlash(p), data)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range segs {
				i := strings.Index(s.Text, tt.secret)
				if i < 0 {
					continue
				}
				off := s.RawOffset(i)
				if string(data[off:off+len(tt.secret)]) != tt.secret {
					t.Errorf("raw span %q", data[off:off+len(tt.secret)])
				}
				if l := 1 + strings.Count(string(data[:off]), "\n"); l != tt.line {
					t.Errorf("line %d, want %d", l, tt.line)
				}
				if s.Loc.KeyPath != tt.keyPath || s.Context != tt.context || s.Loc.Kind != tt.kind {
					t.Errorf("got %q %q %q, want %q %q %q", s.Loc.KeyPath, s.Context, s.Loc.Kind, tt.keyPath, tt.context, tt.kind)
				}
				return
			}
			t.Errorf("no segment holds %s", tt.secret)
		})
	}
}

func TestRegistryNotClaimed(t *testing.T) {
	for _, c := range []struct{ path, head string }{
		{"src/params/model.py", "x = 1"},
		{"notes/token", "just some text"},
		{"docs/guide.md", "# Title\n---\n"},
	} {
		if k := Sniff(c.path, []byte(c.head)); k != "" {
			t.Errorf("%s claimed as %s", c.path, k)
		}
	}
}

func TestRegistryBadInput(t *testing.T) {
	for _, in := range []string{"---\n", "---\na: [\n---\n", "---\nno end", "", "\x00\xff"} {
		segs, _ := Segments(KindFrontMatter, "README.md", []byte(in))
		for _, s := range segs {
			if s.RawOffset(len(s.Text)) > len(in) {
				t.Errorf("%q: segment past the end", in)
			}
		}
		if _, err := Segments(KindMLflow, "mlruns/0/r/params/p", []byte(in)); err != nil {
			t.Errorf("mlflow %q: %v", in, err)
		}
	}
	if _, err := Segments(KindFrontMatter, "README.md", []byte("---\na: [\n---\n")); err == nil {
		t.Error("malformed front matter: no error (the scanner must warn)")
	}
}
