package modelfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Pickle returns the strings a pickle holds, walking its opcodes without
// executing anything. A string that follows a short identifier-like string
// (a dict key such as hub_token) gets that key as context and key path.
// PyTorch's zip container is opened and each stored *.pkl member walked.
// Where the walk cannot go on (an unknown opcode, a compressed member), runs
// of printable characters are scanned instead, so nothing is silently lost.
func Pickle(data []byte) ([]segment.Segment, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		if segs, ok := zipMembers(data); ok {
			return segs, nil
		}
		return zipPickles(data), nil // a prefix: no central directory to read
	}
	w := &pickleWalker{data: data}
	w.walk(0)
	if len(data) > 0 && data[0] != 0x80 {
		// Protocol 0 and 1 are text-like, and a text file may be misnamed
		// .pkl: where the opcode walk went astray, the printable runs
		// still hold the secret (findings at the same place count once).
		w.key = ""
		w.strings(0)
	}
	return w.segs, nil
}

// maxMember bounds what is inflated of one compressed zip member.
const maxMember = 16 << 20

// zipMembers reads a whole zip through its central directory, so that
// compressed members and members written with data descriptors are read
// too: each *.pkl member is walked, and each other small text member (a
// config.json, a version file) scanned as text. Tensor data is passed
// over. ok is false when data is not a whole zip.
func zipMembers(data []byte) ([]segment.Segment, bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, false
	}
	var segs []segment.Segment
	for _, f := range zr.File {
		isPkl := strings.HasSuffix(f.Name, ".pkl")
		if !isPkl && (f.UncompressedSize64 > 1<<20 || strings.Contains(f.Name, "/data/") || strings.HasSuffix(f.Name, "/")) {
			continue
		}
		off, err := f.DataOffset()
		if err != nil || off < 0 || off+int64(f.CompressedSize64) > int64(len(data)) {
			continue
		}
		var member []byte
		stored := f.Method == zip.Store
		if stored {
			member = data[off : off+int64(f.CompressedSize64)]
		} else {
			rc, err := f.Open()
			if err != nil {
				continue
			}
			member, _ = io.ReadAll(io.LimitReader(rc, maxMember))
			rc.Close()
		}
		var found []segment.Segment
		if isPkl {
			if stored {
				// Walked in place: offsets are the file's.
				sub := &pickleWalker{data: data[:off+int64(len(member))]}
				sub.walk(int(off))
				found = sub.segs
			} else {
				sub := &pickleWalker{data: member}
				sub.walk(0)
				found = sub.segs
			}
		} else if utf8.Valid(member) && !bytes.ContainsRune(member, 0) {
			if stored {
				found = []segment.Segment{segment.Plain(string(member), int(off), segment.Location{Kind: KindPickle, KeyPath: f.Name})}
			} else {
				found = []segment.Segment{segment.Plain(string(member), 0, segment.Location{Kind: KindPickle, KeyPath: f.Name})}
			}
		}
		for _, s := range found {
			if !stored {
				// Inflated text has no bytes of its own in the file: it
				// all maps to the member's compressed data.
				var b segment.Builder
				b.Reset()
				b.AddMapped(s.Text, int(off), int(f.CompressedSize64))
				ns := b.Segment(s.Loc)
				ns.Context = s.Context
				s = ns
			}
			segs = append(segs, s)
		}
	}
	return segs, true
}

type pickleWalker struct {
	data []byte
	segs []segment.Segment
	key  string // last short identifier-like string: the probable dict key
}

// argLen gives, for opcodes with a fixed-size argument, its size.
var argLen = map[byte]int{
	'K': 1, 'h': 1, 'q': 1, 0x82: 1, 0x80: 1,
	'M': 2, 0x83: 2,
	'J': 4, 'j': 4, 'r': 4, 0x84: 4,
	'G': 8, 0x95: 8,
}

// noArg lists opcodes without an argument.
const noArg = "(.0123NRabd}el]ost)uQ" + "\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98"

// walk reads pickles from off until the data ends or an opcode is unknown;
// then the rest is scanned for printable runs.
func (w *pickleWalker) walk(off int) {
	d := w.data
	i := off
	for i < len(d) {
		op := d[i]
		i++
		if n, ok := argLen[op]; ok {
			i += n
			continue
		}
		if strings.IndexByte(noArg, op) >= 0 {
			if op == '.' && (i >= len(d) || d[i] != 0x80) {
				// STOP, and no further pickle follows (legacy torch files
				// chain several; after them comes raw tensor data).
				return
			}
			continue
		}
		var n, hdr int
		str := false
		switch op {
		case 'U', 'C', 0x8c, 0x8a: // 1-byte length
			hdr = 1
		case 'T', 'B', 'X', 0x8b: // 4-byte length
			hdr = 4
		case 0x8d, 0x8e, 0x96: // 8-byte length
			hdr = 8
		case 'I', 'L', 'F', 'g', 'p', 'P', 'S', 'V': // newline-terminated
			e := bytes.IndexByte(d[i:], '\n')
			if e < 0 {
				w.strings(i - 1)
				return
			}
			if op == 'S' || op == 'V' {
				s, so := i, i+e
				if op == 'S' && e >= 2 && (d[s] == '\'' || d[s] == '"') {
					s, so = s+1, so-1
				}
				w.emit(s, so)
			}
			i += e + 1
			continue
		case 'c', 'i': // module\nname\n
			for k := 0; k < 2; k++ {
				e := bytes.IndexByte(d[i:], '\n')
				if e < 0 {
					w.strings(i - 1)
					return
				}
				i += e + 1
			}
			continue
		default:
			w.strings(i - 1)
			return
		}
		if i+hdr > len(d) {
			w.strings(i - 1)
			return
		}
		switch hdr {
		case 1:
			n = int(d[i])
		case 4:
			n = int(le32(d[i:]))
		case 8:
			v := le64(d[i:])
			if v > uint64(len(d)) {
				w.strings(i - 1)
				return
			}
			n = int(v)
		}
		i += hdr
		if n < 0 || i+n > len(d) {
			w.strings(i - hdr - 1)
			return
		}
		switch op {
		case 'U', 0x8c, 'T', 'X', 0x8d:
			str = true
		case 'C', 'B', 0x8e, 0x96:
			// bytes: scanned when they read as text (not tensor storage).
			str = n <= 1<<16 && utf8.Valid(d[i:i+n]) && printable(d[i:i+n])
		}
		if str {
			w.emit(i, i+n)
		}
		i += n
	}
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}

// emit adds the string data[s:e] as a segment.
func (w *pickleWalker) emit(s, e int) {
	text := string(w.data[s:e])
	if strings.TrimSpace(text) == "" {
		return
	}
	seg := segment.Plain(text, s, segment.Location{Kind: KindPickle, KeyPath: w.key})
	seg.Context = w.key
	w.segs = append(w.segs, seg)
	if isIdent(text) {
		w.key = text
	} else {
		w.key = ""
	}
}

func isIdent(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

// minRun is the shortest printable run worth scanning in undecoded bytes.
const minRun = 16

// strings scans data[from:] for runs of printable ASCII, as strings(1) does.
func (w *pickleWalker) strings(from int) {
	d := w.data
	start := -1
	for i := from; i <= len(d); i++ {
		if i < len(d) && d[i] >= 0x20 && d[i] < 0x7f {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= minRun {
			w.key = ""
			w.emit(start, i)
		}
		start = -1
	}
}

// zipPickles walks each *.pkl member of a zip (PyTorch's container) found
// through the local file headers, so a prefix of the archive suffices.
func zipPickles(data []byte) []segment.Segment {
	w := &pickleWalker{data: data}
	i := 0
	for i+30 <= len(data) && string(data[i:i+4]) == "PK\x03\x04" {
		method := int(data[i+8]) | int(data[i+9])<<8
		csize := int(le32(data[i+18:]))
		nlen := int(data[i+26]) | int(data[i+27])<<8
		xlen := int(data[i+28]) | int(data[i+29])<<8
		start := i + 30 + nlen + xlen
		if start > len(data) {
			break
		}
		name := string(data[i+30 : i+30+nlen])
		if strings.HasSuffix(name, ".pkl") && method == int(zip.Store) {
			end := len(data)
			if csize > 0 && start+csize <= len(data) {
				end = start + csize
			}
			sub := &pickleWalker{data: data[:end]}
			sub.walk(start)
			w.segs = append(w.segs, sub.segs...)
		}
		if csize == 0 {
			break // sizes only in a data descriptor: cannot skip ahead safely
		}
		i = start + csize
	}
	return w.segs
}

// ErrNotHeaderOnly says a model file has no bounded header to read on its
// own; the caller reads it whole like any other file.
var ErrNotHeaderOnly = errors.New("no bounded header: read the whole file")

// readPickleHeader returns the bytes worth reading of a pickle: the whole
// file when it is small, else for a zip the prefix up to the end of its
// last *.pkl member, else the first MaxHeader bytes.
func readPickleHeader(r io.ReaderAt, size int64) ([]byte, error) {
	head, err := readAt(r, 0, min(size, 4))
	if err != nil {
		return nil, err
	}
	if string(head) != "PK\x03\x04" {
		// A plain pickle is all data, not a header: it is read whole,
		// as any file, within --max-file-size.
		return nil, ErrNotHeaderOnly
	}
	if size <= 64<<20 {
		return readAt(r, 0, size) // whole, so its central directory is read
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("pytorch zip: %w", err)
	}
	var end int64
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".pkl") {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			return nil, fmt.Errorf("pytorch zip member %s: %w", f.Name, err)
		}
		end = max(end, off+int64(f.CompressedSize64))
	}
	if end == 0 || end > MaxHeader {
		return nil, fmt.Errorf("pytorch zip: no *.pkl member within the first %d bytes", MaxHeader)
	}
	return readAt(r, 0, end)
}
