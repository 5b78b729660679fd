// Package modelfile reads the metadata embedded in model files without
// loading their weights: the JSON header of a .safetensors file
// (__metadata__), the key/value metadata of a .gguf file, and the strings of
// a pickle (.pkl, .pt, .pth, .joblib, .ckpt; also inside PyTorch's zip
// container). Pickles are walked opcode by opcode, never executed. Each
// format reads only a bounded header, so a 10 GB model costs a few KB or MB
// of I/O.
package modelfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Kinds of model files.
const (
	KindSafetensors = "safetensors"
	KindGGUF        = "gguf"
	KindPickle      = "pickle"
)

// MaxHeader bounds the bytes read from any model file (the safetensors
// specification caps its header at 100 MB; real ones are a few KB).
const MaxHeader = 100 << 20

var errShort = errors.New("header truncated")

// Sniff returns the kind of model file from its name and first bytes, or "".
func Sniff(p string, head []byte) string {
	ext := strings.ToLower(path.Ext(p))
	switch {
	case bytes.HasPrefix(head, []byte("GGUF")):
		return KindGGUF
	case safetensorsHead(head):
		return KindSafetensors
	case ext == ".safetensors":
		return KindSafetensors
	case ext == ".gguf":
		return KindGGUF
	}
	pickleExt := ext == ".pkl" || ext == ".pickle" || ext == ".pt" || ext == ".pth" || ext == ".joblib" || ext == ".ckpt" || ext == ".bin"
	switch {
	case len(head) >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5:
		// PROTO opcode: a binary pickle, whatever it is called.
		return KindPickle
	case pickleExt && bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return KindPickle // PyTorch zip container
	case pickleExt && ext != ".bin":
		return KindPickle
	}
	return ""
}

// safetensorsHead: 8-byte little-endian header length, then a JSON object.
func safetensorsHead(h []byte) bool {
	if len(h) < 10 || h[8] != '{' {
		return false
	}
	n := le64(h)
	return n >= 2 && n <= MaxHeader && h[9] == '"'
}

func le64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// ReadHeader returns the leading bytes of a model file that hold its
// metadata; the rest is never read. size is the file's size.
func ReadHeader(kind string, r io.ReaderAt, size int64) ([]byte, error) {
	switch kind {
	case KindSafetensors:
		var h [8]byte
		if _, err := r.ReadAt(h[:], 0); err != nil {
			return nil, fmt.Errorf("safetensors: reading header length: %w", err)
		}
		n := le64(h[:])
		if n > MaxHeader || int64(n)+8 > size {
			return nil, fmt.Errorf("safetensors: header length %d is out of bounds (file is %d bytes)", n, size)
		}
		return readAt(r, 0, int64(n)+8)
	case KindGGUF:
		return growUntil(r, size, func(b []byte) (int, error) { return ggufEnd(b) })
	case KindPickle:
		return readPickleHeader(r, size)
	}
	return nil, fmt.Errorf("unknown model file kind %q", kind)
}

func readAt(r io.ReaderAt, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	m, err := r.ReadAt(buf, off)
	if err != nil && !(errors.Is(err, io.EOF) && int64(m) == n) {
		return nil, fmt.Errorf("reading %d bytes at %d: %w", n, off, err)
	}
	return buf, nil
}

// growUntil reads a growing prefix until end reports where the header stops.
func growUntil(r io.ReaderAt, size int64, end func([]byte) (int, error)) ([]byte, error) {
	n := int64(64 << 10)
	for {
		n = min(n, size, MaxHeader)
		buf, err := readAt(r, 0, n)
		if err != nil {
			return nil, err
		}
		e, err := end(buf)
		if errors.Is(err, errShort) && n < size && n < MaxHeader {
			n *= 8
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:e], nil
	}
}

// Segments parses the metadata of a model file of the given kind. data may
// be the whole file or the prefix ReadHeader returned.
func Segments(kind string, data []byte) ([]segment.Segment, error) {
	switch kind {
	case KindSafetensors:
		return Safetensors(data)
	case KindGGUF:
		return GGUF(data)
	case KindPickle:
		return Pickle(data)
	}
	return nil, fmt.Errorf("unknown model file kind %q", kind)
}
