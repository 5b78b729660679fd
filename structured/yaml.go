package structured

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// YAML returns one segment per scalar value of every document in data.
// Values reached through aliases and merge keys (<<: *anchor) are not
// repeated: each is reported once, where it is written. Aliases are never
// expanded, so a "billion laughs" document costs the size of its text.
func YAML(data []byte) ([]segment.Segment, error) {
	return YAMLAt(data, 0, len(data))
}

// YAMLAt parses data[start:end] (a front-matter block, say) and maps values
// to offsets in data.
func YAMLAt(data []byte, start, end int) ([]segment.Segment, error) {
	if end-start > MaxParseSize {
		return nil, fmt.Errorf("%d bytes is over the %d-byte limit for structure-aware scanning", end-start, MaxParseSize)
	}
	src := data[start:end]
	if bytes.HasPrefix(src, []byte{0xFE, 0xFF}) || bytes.HasPrefix(src, []byte{0xFF, 0xFE}) {
		// Decoded UTF-16 text cannot be mapped byte for byte to the raw file.
		return nil, errors.New("yaml: UTF-16 text is scanned as plain text only")
	}
	w := &yamlWalker{src: src, base: start, idx: newLineIndex(src)}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // yaml.v3 errors start with "yaml: "
		}
		w.secret = isK8sSecret(&doc)
		w.node(&doc, "", "")
	}
	return w.segs, nil
}

type yamlWalker struct {
	src  []byte
	base int
	idx  *lineIndex
	b    segment.Builder
	segs []segment.Segment
	// secret is set while walking a Kubernetes Secret, whose data values
	// are base64: they are scanned decoded as well.
	secret bool
}

// nameKeys name an element of a list of mappings (Kubernetes env lists,
// SageMaker/Vertex parameter lists); valueKeys hold the element's value.
var (
	nameKeys  = map[string]bool{"name": true, "Name": true, "key": true, "Key": true}
	valueKeys = map[string]bool{"value": true, "Value": true, "default": true, "defaultValue": true}
)

// refKeys hold references to secrets kept elsewhere (valueFrom.secretKeyRef).
var refKeys = map[string]bool{"valueFrom": true, "secretKeyRef": true, "secretRef": true}

func (w *yamlWalker) node(n *yaml.Node, path, ctx string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			w.node(c, path, ctx)
		}
	case yaml.MappingNode:
		name := mappingName(n)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.AliasNode || k.Kind != yaml.ScalarNode {
				continue // reported where the anchor is written
			}
			key := k.Value
			if key == "<<" || refKeys[key] {
				continue
			}
			kctx := key
			if valueKeys[key] {
				// env: [{name: HF_TOKEN, value: …}] and W&B's
				// {openai_api_key: {desc: …, value: …}}: the name is the key.
				if name != "" {
					kctx = name
				} else if ctx != "" {
					kctx = ctx
				}
			}
			w.node(v, AppendKey(path, key), kctx)
		}
	case yaml.SequenceNode:
		prevFlag := ""
		for i, c := range n.Content {
			ectx := ctx
			if prevFlag != "" {
				ectx = prevFlag // args: [--api-key, gsk_…]
			}
			prevFlag = ""
			if c.Kind == yaml.ScalarNode && strings.HasPrefix(c.Value, "-") && len(c.Value) < 64 && !strings.ContainsAny(c.Value, " =") {
				prevFlag = strings.TrimLeft(c.Value, "-")
			}
			sel := ""
			if c.Kind == yaml.MappingNode && hasValueKey(c) {
				// A name/value pair (env: [{name: HF_TOKEN, value: …}]) is
				// known by its name; anything else by its position.
				if nm := mappingName(c); nm != "" && !strings.ContainsAny(nm, "[]") {
					sel = "name=" + nm
				}
			}
			if c.Kind == yaml.AliasNode {
				continue
			}
			w.node(c, AppendIndex(path, i, sel), ectx)
		}
	case yaml.ScalarNode:
		if n.Tag == "!!null" || n.Tag == "!!bool" || skipValue(n.Value) {
			return
		}
		if w.secret && strings.HasPrefix(path, "data.") && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 &&
			w.base64Value(n, path, ctx) {
			// The decoded value is what a rule must judge; the encoded
			// one would only fire a generic rule on base64 noise (and on
			// encoded placeholders). The plain pass still reads the line.
			return
		}
		w.scalar(n, path, ctx)
	}
}

// isK8sSecret reports a document of kind Secret with a data mapping.
func isK8sSecret(doc *yaml.Node) bool {
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "kind" && m.Content[i+1].Value == "Secret" {
			return true
		}
	}
	return false
}

// base64Value adds the decoded text of a Kubernetes Secret's data value,
// each 3 decoded bytes mapped to the 4 raw characters they come from, so a
// finding points at the base64 that encodes it.
func (w *yamlWalker) base64Value(n *yaml.Node, path, ctx string) bool {
	v := n.Value
	start := w.idx.offset(n.Line, n.Column)
	if start < 0 || len(v) < 8 || len(v) > maxBlob || strings.ContainsAny(v, " \t\n") {
		return false
	}
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		start++
	}
	if start+len(v) > len(w.src) || string(w.src[start:start+len(v)]) != v {
		return false // not written byte for byte (escapes): leave it to the raw value
	}
	dec, err := base64.StdEncoding.DecodeString(v)
	if err != nil || !utf8.Valid(dec) || !printableText(dec) {
		return false
	}
	if skipValue(string(dec)) {
		return true // an encoded reference such as ${DB_PASSWORD}
	}
	w.b.Reset()
	for i := 0; i < len(dec); i += 3 {
		w.b.AddMapped(string(dec[i:min(i+3, len(dec))]), w.base+start+i/3*4, 4)
	}
	seg := w.b.Segment(segment.Location{Kind: KindYAML, KeyPath: path + "(base64)"})
	seg.Context = ctx
	w.segs = append(w.segs, seg)
	return true
}

func printableText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}

// hasValueKey reports whether a mapping holds a value-like key.
func hasValueKey(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && (valueKeys[k.Value] || refKeys[k.Value]) {
			return true
		}
	}
	return false
}

// mappingName returns the scalar under a name-like key of a mapping.
func mappingName(n *yaml.Node) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && nameKeys[k.Value] && v.Kind == yaml.ScalarNode && v.Value != "" && len(v.Value) < 128 {
			return v.Value
		}
	}
	return ""
}

func (w *yamlWalker) scalar(n *yaml.Node, path, ctx string) {
	start := w.idx.offset(n.Line, n.Column)
	if start < 0 {
		return
	}
	r := start
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		r = w.idx.lineStart(n.Line + 1) // content starts below the indicator
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		r = start + 1
	}
	w.b.Reset()
	alignYAML(&w.b, w.src, r, w.base, n.Value, n.Style)
	seg := w.b.Segment(segment.Location{Kind: KindYAML, KeyPath: path})
	seg.Context = ctx
	w.segs = append(w.segs, seg)
}

// degrade maps the rest of a value that no longer lines up with the raw text
// to off, staying inside the raw bytes.
func degrade(b *segment.Builder, text string, off, base, rawLen int) {
	if off+len(text) > rawLen {
		off = max(0, rawLen-len(text))
	}
	b.AddMapped(text, base+off, 0)
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// alignYAML appends the decoded scalar val to b, walking the raw text from r
// alongside it: runs that match are mapped byte for byte, escapes and
// doubled quotes map to their raw spelling, and whitespace that YAML folds,
// strips or indents maps to the raw whitespace it came from. Should the two
// ever disagree, the rest of the value maps to where the walk stopped, so a
// finding still lands on the right line or close to it.
func alignYAML(b *segment.Builder, raw []byte, r, base int, val string, style yaml.Style) {
	dq := style&yaml.DoubleQuotedStyle != 0
	sq := style&yaml.SingleQuotedStyle != 0
	d := 0
	for d < len(val) {
		if r >= len(raw) {
			degrade(b, val[d:], len(raw), base, len(raw))
			return
		}
		c := raw[r]
		switch {
		case dq && c == '\\':
			if r+1 < len(raw) && (raw[r+1] == '\n' || raw[r+1] == '\r') {
				// Escaped line break: nothing decoded, next line's indent stripped.
				r++
				for r < len(raw) && (raw[r] == '\n' || raw[r] == '\r' || raw[r] == ' ' || raw[r] == '\t') {
					r++
				}
				continue
			}
			out, n := yamlEscape(raw[r:])
			if n == 0 || !strings.HasPrefix(val[d:], out) {
				degrade(b, val[d:], r, base, len(raw))
				return
			}
			b.AddMapped(out, base+r, n)
			d += len(out)
			r += n
		case sq && c == '\'':
			if r+1 < len(raw) && raw[r+1] == '\'' && val[d] == '\'' {
				b.AddMapped("'", base+r, 2)
				d++
				r += 2
				continue
			}
			degrade(b, val[d:], r, base, len(raw))
			return
		case isWS(c) || isWS(val[d]):
			rs, ds := r, d
			for r < len(raw) && isWS(raw[r]) {
				r++
			}
			for d < len(val) && isWS(val[d]) {
				d++
			}
			if val[ds:d] == string(raw[rs:r]) {
				b.Add(val[ds:d], base+rs)
			} else {
				b.AddMapped(val[ds:d], base+rs, r-rs)
			}
		case c == val[d]:
			rs, ds := r, d
			for d < len(val) && r < len(raw) && raw[r] == val[d] && !isWS(raw[r]) &&
				!(dq && raw[r] == '\\') && !(sq && raw[r] == '\'') {
				r++
				d++
			}
			b.Add(val[ds:d], base+rs)
		default:
			degrade(b, val[d:], r, base, len(raw))
			return
		}
	}
}

var yamlSimpleEscapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f",
	'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\", 'N': "\u0085",
	'_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// yamlEscape decodes the double-quoted escape at the start of raw and
// returns it with the number of raw bytes it spans (0 if unknown).
func yamlEscape(raw []byte) (string, int) {
	if len(raw) < 2 {
		return "", 0
	}
	if s, ok := yamlSimpleEscapes[raw[1]]; ok {
		return s, 2
	}
	width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[raw[1]]
	if width == 0 || len(raw) < 2+width {
		return "", 0
	}
	var v rune
	for _, h := range raw[2 : 2+width] {
		v <<= 4
		switch {
		case h >= '0' && h <= '9':
			v |= rune(h - '0')
		case h >= 'a' && h <= 'f':
			v |= rune(h - 'a' + 10)
		case h >= 'A' && h <= 'F':
			v |= rune(h - 'A' + 10)
		default:
			return "", 0
		}
	}
	if !utf8.ValidRune(v) {
		return "", 0
	}
	return string(v), 2 + width
}
