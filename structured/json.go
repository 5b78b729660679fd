package structured

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/lifeguard-dev/lifeguard/jsonpos"
	"github.com/lifeguard-dev/lifeguard/segment"
)

// JSON returns one segment per string value of a JSON document, decoded and
// mapped to raw offsets (escapes included).
func JSON(data []byte) ([]segment.Segment, error) {
	if len(data) > MaxParseSize {
		return nil, fmt.Errorf("%d bytes is over the %d-byte limit for structure-aware scanning", len(data), MaxParseSize)
	}
	root, err := jsonpos.Parse(data)
	if err != nil {
		return nil, err
	}
	return JSONValue(data, root, 0, "", KindJSON), nil
}

// JSONValue returns the segments of an already parsed value. Offsets in v
// are relative to data; base is added to map them into an enclosing file
// (a safetensors header sits 8 bytes in).
func JSONValue(data []byte, v *jsonpos.Value, base int, path, kind string) []segment.Segment {
	w := &jsonWalker{data: data, base: base, kind: kind}
	w.value(v, path, "")
	return w.segs
}

type jsonWalker struct {
	data []byte
	base int
	kind string
	b    segment.Builder
	segs []segment.Segment
}

// offsetEmitter shifts raw offsets by base on their way into a builder.
type offsetEmitter struct {
	b    *segment.Builder
	base int
}

func (e offsetEmitter) Add(text string, raw int) { e.b.Add(text, raw+e.base) }
func (e offsetEmitter) AddMapped(text string, raw, n int) {
	e.b.AddMapped(text, raw+e.base, n)
}

func (w *jsonWalker) value(v *jsonpos.Value, path, ctx string) {
	if v == nil {
		return
	}
	switch v.Kind {
	case jsonpos.Object:
		name := jsonName(w.data, v)
		for i := range v.Members {
			m := &v.Members[i]
			if m.TokenLikeKey() {
				w.value(m.KeyValue(), path, "")
			}
			if refKeys[m.Key] {
				continue
			}
			kctx := m.Key
			if valueKeys[m.Key] {
				if name != "" {
					kctx = name
				} else if ctx != "" {
					kctx = ctx
				}
			}
			w.value(m.Value, AppendKey(path, m.Key), kctx)
		}
	case jsonpos.Array:
		prevFlag := ""
		for i, e := range v.Elems {
			ectx := ctx
			if prevFlag != "" {
				ectx = prevFlag
			}
			prevFlag = ""
			sel := ""
			switch e.Kind {
			case jsonpos.String:
				if t := e.Text(w.data); len(t) > 1 && len(t) < 64 && t[0] == '-' && !strings.ContainsAny(t, " =") {
					prevFlag = trimDashes(t)
				}
			case jsonpos.Object:
				if nm := jsonName(w.data, e); nm != "" && jsonHasValueKey(e) {
					sel = "name=" + nm
				}
			}
			w.value(e, AppendIndex(path, i, sel), ectx)
		}
	case jsonpos.String:
		if v.End-v.Start-2 > maxBlob {
			if t := v.Raw(w.data); !bytes.ContainsAny(t, " \t\n") {
				return
			}
		}
		w.b.Reset()
		if err := v.Decode(w.data, offsetEmitter{&w.b, w.base}); err != nil {
			return
		}
		seg := w.b.Segment(segment.Location{Kind: w.kind, KeyPath: path})
		if skipValue(seg.Text) {
			return
		}
		seg.Context = ctx
		w.segs = append(w.segs, seg)
	}
}

func jsonHasValueKey(v *jsonpos.Value) bool {
	for _, m := range v.Members {
		if valueKeys[m.Key] || refKeys[m.Key] {
			return true
		}
	}
	return false
}

func jsonName(data []byte, v *jsonpos.Value) string {
	for _, m := range v.Members {
		if nameKeys[m.Key] && m.Value.Kind == jsonpos.String {
			if t := m.Value.Text(data); t != "" && len(t) < 128 && !strings.ContainsAny(t, "[]") {
				return t
			}
		}
	}
	return ""
}

func trimDashes(s string) string {
	for len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	return s
}
