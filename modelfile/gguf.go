package modelfile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// GGUF value types.
const (
	ggufString = 8
	ggufArray  = 9
)

// ggufSizes are the byte sizes of GGUF's fixed-size value types.
var ggufSizes = map[uint32]int{0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}

// maxGGUFEntries bounds counts read from the file before trusting them.
const maxGGUFEntries = 1 << 24

type ggufReader struct {
	data []byte
	pos  int
	v1   bool // version 1 used 32-bit lengths and counts
	segs []segment.Segment
	emit bool
}

func (r *ggufReader) need(n int) error {
	if n < 0 || r.pos+n > len(r.data) {
		return errShort
	}
	return nil
}

func (r *ggufReader) u32() (uint32, error) {
	if err := r.need(4); err != nil {
		return 0, err
	}
	v := le32(r.data[r.pos:])
	r.pos += 4
	return v, nil
}

// count reads a length or count: 32 bits in version 1, 64 bits after.
func (r *ggufReader) count() (int, error) {
	if r.v1 {
		v, err := r.u32()
		return int(v), err
	}
	if err := r.need(8); err != nil {
		return 0, err
	}
	v := le64(r.data[r.pos:])
	r.pos += 8
	if v > maxGGUFEntries*64 {
		return 0, fmt.Errorf("gguf: count %d at byte %d is implausible", v, r.pos-8)
	}
	return int(v), nil
}

func (r *ggufReader) str() (string, int, error) {
	n, err := r.count()
	if err != nil {
		return "", 0, err
	}
	if err := r.need(n); err != nil {
		return "", 0, err
	}
	off := r.pos
	r.pos += n
	return string(r.data[off:r.pos]), off, nil
}

// value reads one value of type t; strings are emitted under key when asked.
func (r *ggufReader) value(t uint32, key, ctx string, depth int) error {
	switch {
	case t == ggufString:
		s, off, err := r.str()
		if err != nil {
			return err
		}
		if r.emit && strings.TrimSpace(s) != "" {
			seg := segment.Plain(s, off, segment.Location{Kind: KindGGUF, KeyPath: key})
			seg.Context = ctx
			r.segs = append(r.segs, seg)
		}
		return nil
	case t == ggufArray:
		if depth > 8 {
			return fmt.Errorf("gguf: arrays nested too deep at byte %d", r.pos)
		}
		et, err := r.u32()
		if err != nil {
			return err
		}
		n, err := r.count()
		if err != nil {
			return err
		}
		if sz, ok := ggufSizes[et]; ok {
			if err := r.need(n * sz); err != nil {
				return err
			}
			r.pos += n * sz
			return nil
		}
		// The tokenizer's vocabulary is data, not configuration a person wrote.
		emit := r.emit
		r.emit = emit && !strings.HasPrefix(key, "tokenizer.ggml.")
		defer func() { r.emit = emit }()
		for i := 0; i < n; i++ {
			if err := r.value(et, key+"["+strconv.Itoa(i)+"]", ctx, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	sz, ok := ggufSizes[t]
	if !ok {
		return fmt.Errorf("gguf: unknown value type %d at byte %d", t, r.pos)
	}
	if err := r.need(sz); err != nil {
		return err
	}
	r.pos += sz
	return nil
}

// parse reads the header and key/value metadata; tensor descriptions and
// data that follow are left alone.
func (r *ggufReader) parse() error {
	if err := r.need(8); err != nil {
		return err
	}
	if string(r.data[:4]) != "GGUF" {
		return fmt.Errorf("gguf: bad magic %q", r.data[:4])
	}
	r.pos = 4
	ver, _ := r.u32()
	if ver < 1 || ver > 3 {
		return fmt.Errorf("gguf: unsupported version %d", ver)
	}
	r.v1 = ver == 1
	if _, err := r.count(); err != nil { // tensor count
		return err
	}
	kvs, err := r.count()
	if err != nil {
		return err
	}
	if kvs > maxGGUFEntries {
		return fmt.Errorf("gguf: %d metadata entries is implausible", kvs)
	}
	for i := 0; i < kvs; i++ {
		key, _, err := r.str()
		if err != nil {
			return err
		}
		t, err := r.u32()
		if err != nil {
			return err
		}
		if err := r.value(t, key, key, 0); err != nil {
			return err
		}
	}
	return nil
}

// ggufEnd returns where a GGUF file's metadata ends, or errShort when more
// bytes are needed.
func ggufEnd(data []byte) (int, error) {
	r := &ggufReader{data: data}
	if err := r.parse(); err != nil {
		return 0, err
	}
	return r.pos, nil
}

// GGUF returns the string metadata values of a .gguf file (general.name,
// tokenizer.chat_template, anything a converter added), keyed by their
// metadata key. The vocabulary arrays are skipped.
func GGUF(data []byte) ([]segment.Segment, error) {
	r := &ggufReader{data: data, emit: true}
	if err := r.parse(); err != nil {
		if err == errShort {
			return nil, fmt.Errorf("gguf: metadata truncated at byte %d", len(data))
		}
		return nil, err
	}
	return r.segs, nil
}
