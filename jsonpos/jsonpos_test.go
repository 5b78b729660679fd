package jsonpos

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/segment"
)

func TestParseValidity(t *testing.T) {
	cases := []string{
		`{}`, `[]`, `""`, `0`, `-0.5e+3`, `true`, `null`, `{"a":[1,2,{"b":"c"}]}`,
		` {"a" : "x\"y\\z\u00e9\ud83d\ude00"} `, "\xef\xbb\xbf{}",
		`{`, `[1,]`, `{"a":1,}`, `"abc`, `"\x"`, `01`, `1.`, `-`, `tru`, `{"a" 1}`, `[1 2]`, "\"a\tb\"", `{} x`, `"\u12"`,
	}
	for _, c := range cases {
		_, err := Parse([]byte(c))
		want := json.Valid([]byte(strings.TrimPrefix(c, "\xef\xbb\xbf")))
		if (err == nil) != want {
			t.Errorf("Parse(%q) err = %v, json.Valid = %v", c, err, want)
		}
	}
}

func TestOffsetsAndDecode(t *testing.T) {
	data := []byte(`{"k": "a\nb\"c\\d\u00e9e", "n": 12, "arr": ["x", "yz"]}`)
	root, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	v := root.Get("k")
	if got := string(v.Raw(data)); got != `"a\nb\"c\\d\u00e9e"` {
		t.Fatalf("raw = %s", got)
	}
	var b segment.Builder
	b.Reset()
	if err := v.Decode(data, &b); err != nil {
		t.Fatal(err)
	}
	seg := b.Segment(segment.Location{})
	if seg.Text != "a\nb\"c\\dée" {
		t.Fatalf("text = %q", seg.Text)
	}
	// Each decoded byte maps back to where it is written.
	tests := []struct {
		text string
		raw  string
	}{{"a", "a"}, {"\n", `\n`}, {"b", "b"}, {"\"", `\"`}, {"c", "c"}, {"d", "d"}, {"é", `\u00e9`}, {"e", "e"}}
	for _, tc := range tests {
		ti := strings.Index(seg.Text, tc.text)
		ri := seg.RawOffset(ti)
		if !strings.HasPrefix(string(data[ri:]), tc.raw) {
			t.Errorf("text %q maps to raw %q, want prefix %q", tc.text, data[ri:ri+3], tc.raw)
		}
	}
	if n, ok := root.Get("n").Int(data); !ok || n != 12 {
		t.Errorf("n = %d %v", n, ok)
	}
	if got := root.Get("arr").Elems[1].Text(data); got != "yz" {
		t.Errorf("arr[1] = %q", got)
	}
	if root.Get("missing") != nil {
		t.Error("missing key found")
	}
}

func TestDepthLimit(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	if _, err := Parse([]byte(deep)); err == nil || !strings.Contains(err.Error(), "nesting") {
		t.Fatalf("err = %v, want nesting error", err)
	}
}

// FuzzParse checks the parser against encoding/json: same validity, same
// decoded strings, and every decoded byte maps inside the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":"b\n\u00e9\ud800"}`, `[1,2.5e3,-0,true,false,null]`, `{"cells":[{"source":["x\\y"]}]}`, `"\ud83d\ude00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if (err == nil) != json.Valid(data) {
			if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
				return // BOM tolerated on purpose
			}
			t.Fatalf("Parse err = %v, json.Valid = %v", err, json.Valid(data))
		}
		if err != nil || v.Kind != String {
			return
		}
		var want string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		got := v.Text(data)
		if strings.ToValidUTF8(got, "\uFFFD") != strings.ToValidUTF8(want, "\uFFFD") && !strings.Contains(want, "\uFFFD") {
			t.Fatalf("decoded %q, encoding/json %q", got, want)
		}
		var b segment.Builder
		b.Reset()
		_ = v.Decode(data, &b)
		seg := b.Segment(segment.Location{})
		for i := range seg.Text {
			if r := seg.RawOffset(i); r < 0 || r >= len(data) {
				t.Fatalf("offset %d maps outside input: %d", i, r)
			}
		}
	})
}
