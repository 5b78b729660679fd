// Package jsonpos parses JSON into a tree that remembers where every value sits
// in the input. encoding/json cannot report the offset of a decoded string,
// and Lifeguard must point at the exact raw line and column of a secret inside
// a JSON string, so this small strict parser keeps offsets and decodes strings
// only when asked (a notebook's base64 images are never decoded).
package jsonpos

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Kind is the JSON type of a value.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	return [...]string{"null", "bool", "number", "string", "array", "object"}[k]
}

// Value is a parsed JSON value. Start and End are raw byte offsets; a string's
// span includes its quotes.
type Value struct {
	Kind       Kind
	Start, End int
	Members    []Member // objects, in document order
	Elems      []*Value // arrays
	escaped    bool     // string holds at least one backslash escape
}

// Member is one key/value pair of an object.
type Member struct {
	Key        string
	KeyStart   int
	KeyEnd     int
	Value      *Value
	keyEscaped bool
}

// TokenLikeKey says the key could itself be a secret (a token used as a
// key: {"hf_…": {...}}), to be scanned like a value: long, one word.
func (m *Member) TokenLikeKey() bool {
	return len(m.Key) >= 16 && !strings.ContainsAny(m.Key, " \t\n")
}

// KeyValue is the key as a String value, to decode with its raw offsets
// (a token used as a map key is a secret too).
func (m *Member) KeyValue() *Value {
	return &Value{Kind: String, Start: m.KeyStart, End: m.KeyEnd, escaped: m.keyEscaped}
}

// MaxDepth bounds nesting so hostile input cannot exhaust the stack.
const MaxDepth = 10000

// SyntaxError reports where parsing failed.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

type parser struct {
	data  []byte
	pos   int
	depth int
	// Members and elements are collected on these stacks and copied out
	// at exact size when their container closes: a notebook of 100,000
	// cells would otherwise spend half its memory on append's doubling.
	members []Member
	elems   []*Value
	// keys interns object keys, which repeat in every cell and output.
	keys map[string]string
}

// maxInterned bounds the interned keys (a JSON of unique keys).
const maxInterned = 4096

func (p *parser) key(raw []byte, escaped bool) string {
	if escaped {
		return decodeSimple(raw, true)
	}
	if k, ok := p.keys[string(raw[1:len(raw)-1])]; ok {
		return k
	}
	k := string(raw[1 : len(raw)-1])
	if len(p.keys) < maxInterned {
		p.keys[k] = k
	}
	return k
}

// Parse parses a complete JSON document.
func Parse(data []byte) (*Value, error) {
	p := &parser{data: data, keys: map[string]string{}}
	// A UTF-8 byte order mark is tolerated, as editors write one.
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3
	}
	p.ws()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos != len(p.data) {
		return nil, p.errf("unexpected data after top-level value")
	}
	return v, nil
}

func (p *parser) errf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (*Value, error) {
	if p.pos >= len(p.data) {
		return nil, p.errf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		start := p.pos
		esc, err := p.str()
		if err != nil {
			return nil, err
		}
		return &Value{Kind: String, Start: start, End: p.pos, escaped: esc}, nil
	case c == 't':
		return p.lit("true", Bool)
	case c == 'f':
		return p.lit("false", Bool)
	case c == 'n':
		return p.lit("null", Null)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return nil, p.errf("unexpected character %q", c)
	}
}

func (p *parser) lit(word string, k Kind) (*Value, error) {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return nil, p.errf("invalid literal")
	}
	v := &Value{Kind: k, Start: p.pos, End: p.pos + len(word)}
	p.pos += len(word)
	return v, nil
}

func (p *parser) number() (*Value, error) {
	start := p.pos
	d := p.data
	if p.pos < len(d) && d[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(d) && d[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.errf("invalid number")
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errf("invalid number")
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errf("invalid number")
		}
	}
	return &Value{Kind: Number, Start: start, End: p.pos}, nil
}

// str consumes a string starting at the opening quote and reports whether it
// contains escapes.
func (p *parser) str() (bool, error) {
	d := p.data
	p.pos++ // opening quote
	escaped := false
	for p.pos < len(d) {
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			return escaped, nil
		case c == '\\':
			escaped = true
			if p.pos+1 >= len(d) {
				return escaped, p.errf("unterminated string")
			}
			switch d[p.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos += 2
			case 'u':
				if p.pos+6 > len(d) {
					return escaped, p.errf("invalid \\u escape")
				}
				for _, h := range d[p.pos+2 : p.pos+6] {
					if !isHex(h) {
						return escaped, p.errf("invalid \\u escape")
					}
				}
				p.pos += 6
			default:
				return escaped, p.errf("invalid escape")
			}
		case c < 0x20:
			return escaped, p.errf("control character in string")
		default:
			p.pos++
		}
	}
	return escaped, p.errf("unterminated string")
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errf("nesting deeper than %d", MaxDepth)
	}
	return nil
}

func (p *parser) object() (*Value, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	v := &Value{Kind: Object, Start: p.pos}
	p.pos++
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		v.End = p.pos
		return v, nil
	}
	base := len(p.members)
	for {
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errf("expected object key")
		}
		ks := p.pos
		esc, err := p.str()
		if err != nil {
			return nil, err
		}
		ke := p.pos
		key := p.key(p.data[ks:ke], esc)
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errf("expected ':' after object key")
		}
		p.pos++
		p.ws()
		val, err := p.value()
		if err != nil {
			return nil, err
		}
		p.members = append(p.members, Member{Key: key, KeyStart: ks, KeyEnd: ke, Value: val, keyEscaped: esc})
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unterminated object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			v.End = p.pos
			v.Members = append(make([]Member, 0, len(p.members)-base), p.members[base:]...)
			clear(p.members[base:]) // drop the stack's references
			p.members = p.members[:base]
			return v, nil
		default:
			return nil, p.errf("expected ',' or '}' in object")
		}
	}
}

func (p *parser) array() (*Value, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	v := &Value{Kind: Array, Start: p.pos}
	p.pos++
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		v.End = p.pos
		return v, nil
	}
	base := len(p.elems)
	for {
		p.ws()
		e, err := p.value()
		if err != nil {
			return nil, err
		}
		p.elems = append(p.elems, e)
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unterminated array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			v.End = p.pos
			v.Elems = append(make([]*Value, 0, len(p.elems)-base), p.elems[base:]...)
			clear(p.elems[base:])
			p.elems = p.elems[:base]
			return v, nil
		default:
			return nil, p.errf("expected ',' or ']' in array")
		}
	}
}

// Get returns the value of key in an object, or nil. With duplicate keys the
// last one wins, as in encoding/json.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Object {
		return nil
	}
	for i := len(v.Members) - 1; i >= 0; i-- {
		if v.Members[i].Key == key {
			return v.Members[i].Value
		}
	}
	return nil
}

// Text returns the decoded string of a String value ("" for other kinds).
func (v *Value) Text(data []byte) string {
	if v == nil || v.Kind != String {
		return ""
	}
	return decodeSimple(data[v.Start:v.End], v.escaped)
}

// Raw returns the raw bytes of the value.
func (v *Value) Raw(data []byte) []byte { return data[v.Start:v.End] }

// Int returns a Number value as an int.
func (v *Value) Int(data []byte) (int, bool) {
	if v == nil || v.Kind != Number {
		return 0, false
	}
	n, err := strconv.Atoi(string(data[v.Start:v.End]))
	return n, err == nil
}

func decodeSimple(raw []byte, escaped bool) string {
	if !escaped {
		return string(raw[1 : len(raw)-1])
	}
	var b segment.Builder
	b.Reset()
	decodeInto(raw, 0, &b)
	return string(b.Segment(segment.Location{}).Text)
}

// Decode appends the decoded text of a String value to b, mapping every byte
// back to its raw offset in data.
func (v *Value) Decode(data []byte, b Emitter) error {
	if v == nil || v.Kind != String {
		return errors.New("jsonpos: not a string")
	}
	if !v.escaped {
		b.Add(string(data[v.Start+1:v.End-1]), v.Start+1)
		return nil
	}
	decodeInto(data[v.Start:v.End], v.Start, b)
	return nil
}

// Emitter receives decoded pieces: plain runs (1:1 with raw) and escapes.
type Emitter interface {
	Add(text string, rawOff int)
	AddMapped(text string, rawOff, rawLen int)
}

// decodeInto decodes a validated quoted string raw (at absolute offset base).
func decodeInto(raw []byte, base int, b Emitter) {
	i := 1
	end := len(raw) - 1
	runStart := i
	flush := func(upto int) {
		if upto > runStart {
			b.Add(string(raw[runStart:upto]), base+runStart)
		}
	}
	for i < end {
		if raw[i] != '\\' {
			i++
			continue
		}
		flush(i)
		var out string
		n := 2
		switch raw[i+1] {
		case '"':
			out = "\""
		case '\\':
			out = "\\"
		case '/':
			out = "/"
		case 'b':
			out = "\b"
		case 'f':
			out = "\f"
		case 'n':
			out = "\n"
		case 'r':
			out = "\r"
		case 't':
			out = "\t"
		case 'u':
			r := hex4(raw[i+2 : i+6])
			n = 6
			if utf16.IsSurrogate(r) {
				if i+12 <= end && raw[i+6] == '\\' && raw[i+7] == 'u' {
					r2 := hex4(raw[i+8 : i+12])
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						n = 12
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			out = string(r)
		}
		b.AddMapped(out, base+i, n)
		i += n
		runStart = i
	}
	flush(end)
}

func hex4(h []byte) rune {
	var r rune
	for _, c := range h[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}
