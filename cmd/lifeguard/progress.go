package main

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lifeguard-dev/lifeguard/gitsource"
)

// progress shows running totals on stderr once a scan has taken a second:
// redrawn in place on a terminal; with --progress elsewhere (a CI log, where
// a carriage return makes one endless line), a line every few seconds.
type progress struct {
	mu      sync.Mutex
	e       *env
	on, tty bool
	now     func() time.Time
	start   time.Time
	last    time.Time // when a line was last printed off a terminal
	printed bool      // a terminal line is open
}

// logEvery is how often progress prints a line when stderr is not a terminal.
const logEvery = 5 * time.Second

func newProgress(e *env, force bool) *progress {
	return &progress{e: e, on: force || e.stderrTTY, tty: e.stderrTTY, now: time.Now, start: time.Now()}
}

// update shows a directory scan's totals.
func (p *progress) update(files, bytes int64) {
	p.show(fmt.Sprintf("scanned %d files, %.1f MB", files, float64(bytes)/(1<<20)))
}

// history shows a history scan's commits, blobs and bytes.
func (p *progress) history(pr gitsource.Progress) {
	bar := ""
	if pr.BlobsTotal > 0 {
		const width = 24
		n := int(int64(width) * pr.Blobs / pr.BlobsTotal)
		bar = "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "] "
	}
	p.show(fmt.Sprintf("%s%d commits, %d/%d blobs, %.1f MB", bar, pr.Commits, pr.Blobs, pr.BlobsTotal, float64(pr.Bytes)/(1<<20)))
}

func (p *progress) show(line string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Sub(p.start) < time.Second {
		return
	}
	if p.tty {
		fmt.Fprintf(p.e.stderr, "\r\x1b[K%s", line)
		p.printed = true
		return
	}
	if !p.last.IsZero() && now.Sub(p.last) < logEvery {
		return
	}
	p.last = now
	fmt.Fprintf(p.e.stderr, "lifeguard: %s\n", line)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		fmt.Fprintln(p.e.stderr)
		p.printed = false
	}
}
