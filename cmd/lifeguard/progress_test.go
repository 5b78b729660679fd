package main

import (
	"bytes"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		tty, force bool
		at         []time.Duration // when update is called, after the start
		want       string
	}{
		{"quiet off a terminal", false, false, []time.Duration{2 * time.Second}, ""},
		{"nothing in the first second", true, false, []time.Duration{500 * time.Millisecond}, ""},
		{"redrawn on a terminal", true, false, []time.Duration{time.Second, 2 * time.Second},
			"\r\x1b[Kscanned 1 files, 0.0 MB\r\x1b[Kscanned 2 files, 0.0 MB\n"},
		{"forced off a terminal: a line every 5 s", false, true, []time.Duration{time.Second, 3 * time.Second, 6 * time.Second},
			"lifeguard: scanned 1 files, 0.0 MB\nlifeguard: scanned 3 files, 0.0 MB\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			p := newProgress(&env{stderr: &stderr, stderrTTY: tt.tty}, tt.force)
			p.start = t0
			for i, d := range tt.at {
				p.now = func() time.Time { return t0.Add(d) }
				p.update(int64(i+1), 100)
			}
			p.done()
			if got := stderr.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
