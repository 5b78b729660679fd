package modelfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/segment"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "formats", "model", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// find returns the segment holding secret and checks it maps to the raw
// bytes of the secret.
func find(t *testing.T, data []byte, segs []segment.Segment, secret string) *segment.Segment {
	t.Helper()
	for i := range segs {
		if j := strings.Index(segs[i].Text, secret); j >= 0 {
			off := segs[i].RawOffset(j)
			if got := string(data[off : off+len(secret)]); got != secret {
				t.Errorf("raw span %q, want %q", got, secret)
			}
			if want := bytes.Index(data, []byte(secret)); off != want {
				t.Errorf("%s at byte %d, want %d", secret, off, want)
			}
			return &segs[i]
		}
	}
	t.Fatalf("no segment holds %q", secret)
	return nil
}

func TestModelFiles(t *testing.T) {
	tests := []struct {
		file, kind, secret, keyPath, context string
		absent                               []string
	}{
		{"adapter.safetensors", KindSafetensors, "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", "__metadata__.hf_token", "hf_token", []string{"F32"}},
		{"tiny.gguf", KindGGUF, "Qz7Wx2Ec9Rv4Tb", "general.source.url", "general.source.url", []string{"hf_CJXDCGLm"}},
		{"tiny.gguf", KindGGUF, "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", "general.tags[0]", "general.tags", nil},
		{"config.pkl", KindPickle, "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", "hub_token", "hub_token", []string{"\x00\x01"}},
		{"config.pkl", KindPickle, "5d41402abc4b2a76b9719d911017c592c0ffee42", "notes", "notes", nil},
		{"legacy-p0.pkl", KindPickle, "sk-proj-Lp0Wm8Pz3Kd7", "api_key", "api_key", nil},
		{"checkpoint.pt", KindPickle, "8f3a9c1e7b2d4f6a0c5e9b3d7f1a2c4e6b8d0f3a", "wandb_api_key", "wandb_api_key", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.keyPath, func(t *testing.T) {
			data := fixture(t, tt.file)
			if k := Sniff(tt.file, data); k != tt.kind {
				t.Fatalf("Sniff = %q, want %q", k, tt.kind)
			}
			hdr, err := ReadHeader(tt.kind, bytes.NewReader(data), int64(len(data)))
			if errors.Is(err, ErrNotHeaderOnly) {
				hdr, err = data, nil // a plain pickle is read whole
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(data, hdr) {
				t.Fatal("header is not a prefix of the file")
			}
			segs, err := Segments(tt.kind, hdr)
			if err != nil {
				t.Fatal(err)
			}
			s := find(t, data, segs, tt.secret)
			if s.Loc.KeyPath != tt.keyPath || s.Context != tt.context || s.Loc.Kind != tt.kind {
				t.Errorf("key path %q context %q kind %q, want %q %q %q", s.Loc.KeyPath, s.Context, s.Loc.Kind, tt.keyPath, tt.context, tt.kind)
			}
			for _, a := range tt.absent {
				for _, s := range segs {
					if strings.Contains(s.Text, a) {
						t.Errorf("segment %s holds %q", s.Loc.KeyPath, a)
					}
				}
			}
		})
	}
}

// countingReader records how many bytes were read.
type countingReader struct {
	r    *bytes.Reader
	read int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.read += int64(n)
	return n, err
}

func TestHeaderOnlyIO(t *testing.T) {
	// A safetensors and a GGUF file followed by 64 MB of "tensor data":
	// only the header is read.
	const tensors = 64 << 20
	for _, name := range []string{"adapter.safetensors", "tiny.gguf"} {
		data := fixture(t, name)
		big := append(append([]byte(nil), data...), make([]byte, tensors)...)
		cr := &countingReader{r: bytes.NewReader(big)}
		kind := Sniff(name, big[:4096])
		hdr, err := ReadHeader(kind, cr, int64(len(big)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cr.read > 256<<10 || len(hdr) > len(data) {
			t.Errorf("%s: read %d bytes, header %d bytes", name, cr.read, len(hdr))
		}
	}
}

func TestBadModelFiles(t *testing.T) {
	st := fixture(t, "adapter.safetensors")
	gg := fixture(t, "tiny.gguf")
	hugeLen := append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, st[8:]...)
	tests := []struct {
		kind string
		data []byte
	}{
		{KindSafetensors, st[:5]},
		{KindSafetensors, st[:40]},
		{KindSafetensors, hugeLen},
		{KindSafetensors, append([]byte{4, 0, 0, 0, 0, 0, 0, 0}, "[1] "...)},
		{KindGGUF, gg[:50]},
		{KindGGUF, append([]byte("GGUF\x09\x00\x00\x00"), gg[8:]...)},
		{KindGGUF, append(append([]byte(nil), gg[:24]...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)},
	}
	for i, tt := range tests {
		if _, err := Segments(tt.kind, tt.data); err == nil {
			t.Errorf("%d (%s): no error", i, tt.kind)
		}
		if _, err := ReadHeader(tt.kind, bytes.NewReader(tt.data), int64(len(tt.data))); err == nil && tt.kind == KindSafetensors && i != 3 {
			t.Errorf("%d: ReadHeader accepted a bad header", i)
		}
	}
	// Truncated or garbage pickles never fail: what cannot be walked is
	// scanned as printable runs.
	pk := fixture(t, "config.pkl")
	for _, in := range [][]byte{pk[:100], append([]byte{0x80, 4, 0xfe}, []byte("  wandb 5d41402abc4b2a76b9719d911017c592")...), {}, {0x8c, 0xff}} {
		if _, err := Pickle(in); err != nil {
			t.Errorf("Pickle(%q): %v", in, err)
		}
	}
	segs, _ := Pickle(append([]byte{0x80, 4, 0xfe}, []byte("  wandb 5d41402abc4b2a76b9719d911017c592")...))
	if len(segs) != 1 || !strings.Contains(segs[0].Text, "5d41402abc4b2a76b9719d911017c592") {
		t.Errorf("printable fallback: %+v", segs)
	}
}

func FuzzModelFiles(f *testing.F) {
	for _, n := range []string{"adapter.safetensors", "tiny.gguf", "config.pkl", "checkpoint.pt"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "formats", "model", n))
		if err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, k := range []string{KindSafetensors, KindGGUF, KindPickle} {
			segs, err := Segments(k, data)
			if err != nil {
				continue
			}
			for _, s := range segs {
				if o := s.RawOffset(len(s.Text)); o < 0 || o > len(data) {
					t.Fatalf("%s: segment maps to %d of %d", k, o, len(data))
				}
			}
		}
	})
}

// A whole zip is read through its central directory: compressed members,
// members written with data descriptors and small text members are read.
func TestZipMembers(t *testing.T) {
	const hf = "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"
	const gh = "ghp_1OGMmjxWkI9X7H6aMuFbh7x41Ztpdp4K8ffU"
	// protocol 4: {"hub_token": hf}
	pkl := []byte("\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x09hub_token\x94\x8c" + string(rune(len(hf))) + hf + "\x94s.")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "archive/data.pkl", Method: zip.Deflate})
	w.Write(pkl)
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "archive/config.json", Method: zip.Deflate})
	w.Write([]byte(`{"token": "` + gh + `"}`))
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "archive/data/0", Method: zip.Store})
	w.Write(bytes.Repeat([]byte{0x3f, 0x80, 0, 0}, 1024))
	zw.Close()
	data := buf.Bytes()
	segs, err := Segments(KindPickle, data)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range segs {
		for _, tok := range []string{hf, gh} {
			if strings.Contains(s.Text, tok) {
				got[tok] = s.Loc.KeyPath + " " + s.Context
				if off := s.RawOffset(strings.Index(s.Text, tok)); off < 0 || off >= len(data) {
					t.Errorf("%s maps to %d, outside the file", tok[:4], off)
				}
			}
		}
	}
	if got[hf] != "hub_token hub_token" || got[gh] != "archive/config.json " {
		t.Errorf("found %q", got)
	}
}

// A protocol-0 pickle, or text misnamed .pkl, is read as printable runs
// too: a walk that goes astray on text loses nothing.
func TestTextNamedPickle(t *testing.T) {
	const gh = "ghp_1OGMmjxWkI9X7H6aMuFbh7x41Ztpdp4K8ffU"
	data := []byte("pip install x\nKEY=" + gh + "\nIgnored line\n")
	segs, err := Segments(KindPickle, data)
	if err != nil {
		t.Fatal(err)
	}
	find(t, data, segs, gh)
}

// A plain pickle has no header to read on its own: it is read whole, within
// --max-file-size, not cut at MaxHeader.
func TestPlainPickleNotHeaderOnly(t *testing.T) {
	data := fixture(t, "config.pkl")
	if _, err := ReadHeader(KindPickle, bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrNotHeaderOnly) {
		t.Errorf("err = %v, want ErrNotHeaderOnly", err)
	}
}
