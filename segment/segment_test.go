package segment

import (
	"strings"
	"testing"
)

// A builder maps every byte of the text back to the raw file: runs byte for
// byte, escapes to their start. Large segments take the builder's buffer,
// and the builder stays usable.
func TestBuilderMapping(t *testing.T) {
	for _, n := range []int{1, handOff} {
		// raw: "ab\ncd" repeated, as JSON: a b \ n c d (6 raw bytes, 5 text bytes)
		var b Builder
		b.Reset()
		b.Grow(5*n, 2*n)
		raw := 0
		var wantRaw []int
		for i := 0; i < n; i++ {
			b.Add("ab", raw)
			wantRaw = append(wantRaw, raw, raw+1)
			b.AddMapped("\n", raw+2, 2)
			wantRaw = append(wantRaw, raw+2)
			b.Add("cd", raw+4)
			wantRaw = append(wantRaw, raw+4, raw+5)
			raw += 6
		}
		s := b.Segment(Location{Kind: "test"})
		if s.Text != strings.Repeat("ab\ncd", n) {
			t.Fatalf("n=%d: text %q…", n, s.Text[:min(len(s.Text), 20)])
		}
		for i, w := range wantRaw {
			if got := s.RawOffset(i); got != w {
				t.Fatalf("n=%d: text %d maps to raw %d, want %d", n, i, got, w)
			}
		}
		// Reused after a hand-off, the builder must not write into s.
		b.Reset()
		b.Add("zz", 0)
		if s2 := b.Segment(Location{}); s2.Text != "zz" || s.Text[:2] != "ab" {
			t.Errorf("n=%d: reuse: %q, first segment now %q", n, s2.Text, s.Text[:2])
		}
	}
}
