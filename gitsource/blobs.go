package gitsource

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// Options configure a git scan.
type Options struct {
	// Scanner scans each blob; it must use Formats.
	Scanner *scanner.Scanner
	// Formats are the scanner's formats (scanner.DefaultFormats() when nil):
	// a blob is scanned once per format its paths select.
	Formats     []scanner.Format
	Workers     int   // 0 means runtime.NumCPU()
	MaxFileSize int64 // 0 means scanner.DefaultMaxFileSize; negative means no limit
	// Progress, when set, is called from time to time.
	Progress func(Progress)
}

// Progress is a running total of a scan.
type Progress struct {
	Commits    int
	Blobs      int64
	BlobsTotal int64
	Bytes      int64
}

func (o *Options) defaults() {
	if o.Formats == nil {
		o.Formats = scanner.DefaultFormats()
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.MaxFileSize == 0 {
		o.MaxFileSize = scanner.DefaultMaxFileSize
	}
}

// lfsPrefix starts every Git LFS pointer file.
var lfsPrefix = []byte("version https://git-lfs.github.com/spec/")

// blobResult is what one blob holds, per format its paths select.
type blobResult struct {
	size    int64
	missing bool
	tooBig  bool
	lfs     bool
	// byFormat maps a format name ("" for plain text) to the findings of
	// the blob scanned at the first path selecting it.
	byFormat map[string]scanned
	// format maps each path the blob was requested for to its format name.
	format map[string]string
}

type scanned struct {
	findings []detect.Finding
	warning  string
	format   string
}

// blobSet scans each unique blob once, in parallel, and answers for any
// path it was requested at.
type blobSet struct {
	opts  Options
	mu    sync.Mutex
	blobs map[string]*blobResult
	// bytes and count scanned so far, for progress.
	nblobs, nbytes atomic.Int64
}

func newBlobSet(opts Options) *blobSet {
	return &blobSet{opts: opts, blobs: map[string]*blobResult{}}
}

// formatOf names the format the scanner will pick for path and head, as
// scanner.ScanBlob picks it ("" for plain text).
func formatOf(formats []scanner.Format, path string, head []byte) string {
	if len(head) > 4096 {
		head = head[:4096]
	}
	for _, f := range formats {
		if f.Detect(path, head) {
			return f.Name()
		}
	}
	return ""
}

// scan reads and scans every (blob, path) pair in need not scanned yet.
// need maps a blob id to the paths it is wanted at.
func (s *blobSet) scan(ctx context.Context, r *Repo, need map[string][]string, progress func()) error {
	var oids []string
	for oid := range need {
		if isZero(oid) {
			continue
		}
		if br, ok := s.blobs[oid]; ok && br.covers(need[oid]) {
			continue
		}
		oids = append(oids, oid)
	}
	if len(oids) == 0 {
		return nil
	}
	sort.Strings(oids) // deterministic; cat-file reads packed objects in any order
	type job struct {
		oid   string
		data  []byte
		paths []string
		br    *blobResult
	}
	jobs := make(chan job, s.opts.Workers*2)
	var wg sync.WaitGroup
	for i := 0; i < s.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				s.scanOne(ctx, j.br, j.data, j.paths)
				s.nblobs.Add(1)
				s.nbytes.Add(int64(len(j.data)))
				if progress != nil {
					progress()
				}
			}
		}()
	}
	err := r.ReadBlobs(ctx, oids, s.opts.MaxFileSize, func(oid string, data []byte, size int64) error {
		s.mu.Lock()
		br := s.blobs[oid]
		if br == nil {
			br = &blobResult{byFormat: map[string]scanned{}, format: map[string]string{}}
			s.blobs[oid] = br
		}
		s.mu.Unlock()
		br.size = size
		switch {
		case size < 0:
			br.missing = true
			return nil
		case data == nil && size > 0:
			br.tooBig = true
			return nil
		case bytes.HasPrefix(data, lfsPrefix):
			br.lfs = true
			return nil
		}
		select {
		case jobs <- job{oid: oid, data: data, paths: need[oid], br: br}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		return err
	}
	return ctx.Err()
}

// covers reports whether the blob has been scanned for every path's format
// (only known once read; a blob read before is re-read for a new path).
func (b *blobResult) covers(paths []string) bool {
	if b.missing || b.tooBig || b.lfs {
		return true
	}
	for _, p := range paths {
		if _, ok := b.format[p]; !ok {
			return false
		}
	}
	return true
}

func (s *blobSet) scanOne(ctx context.Context, br *blobResult, data []byte, paths []string) {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	for _, p := range paths {
		name := formatOf(s.opts.Formats, p, head)
		s.mu.Lock()
		br.format[p] = name
		_, done := br.byFormat[name]
		s.mu.Unlock()
		if done {
			continue
		}
		fr := s.opts.Scanner.ScanBlob(ctx, p, data)
		for i := range fr.Findings {
			fr.Findings[i].Segment = nil // keep memory to the findings, not the decoded text
		}
		s.mu.Lock()
		br.byFormat[name] = scanned{findings: fr.Findings, warning: fr.Warning, format: fr.Format}
		s.mu.Unlock()
	}
}

// findings returns the blob's findings as found at path. The blob must have
// been scanned for path.
func (s *blobSet) findings(oid, path string) []detect.Finding {
	if isZero(oid) {
		return nil
	}
	br := s.blobs[oid]
	if br == nil {
		return nil
	}
	sc, ok := br.byFormat[br.format[path]]
	if !ok {
		return nil
	}
	return relabel(sc.findings, path)
}

// relabel returns findings made at another path as if found at path: the
// fingerprint depends on the path (and on the occurrence, not on lines).
func relabel(fs []detect.Finding, path string) []detect.Finding {
	if len(fs) == 0 || fs[0].File == path {
		return fs
	}
	out := make([]detect.Finding, len(fs))
	seen := map[string]int{}
	for i, f := range fs {
		key := f.RuleID + "\x00" + f.Secret
		f.File = path
		f.Fingerprint = detect.Fingerprint(f.RuleID, path, f.Secret, seen[key])
		seen[key]++
		out[i] = f
	}
	return out
}

// added returns the findings of a new version of a file that none of its
// old versions already held: an occurrence of a secret counts as added when
// the new version holds it more often than every old version does. Secrets
// are compared by value, not by line, so edits around a secret, re-executed
// notebook outputs or a rule matching it differently add nothing.
func added(newFs []detect.Finding, olds ...[]detect.Finding) (add []detect.Finding, kept int) {
	if len(newFs) == 0 {
		return nil, 0
	}
	allow := map[string]int{}
	for _, old := range olds {
		count := map[string]int{}
		for _, f := range old {
			count[f.Secret]++
		}
		for k, n := range count {
			allow[k] = max(allow[k], n)
		}
	}
	seen := map[string]int{}
	for _, f := range newFs {
		seen[f.Secret]++
		if seen[f.Secret] > allow[f.Secret] {
			add = append(add, f)
		} else {
			kept++
		}
	}
	return add, kept
}

// notes turns what the blob set could not scan into skipped entries and
// warnings for a path at a commit ("" for the index).
func (s *blobSet) notes(oid, path, where string, res *scanner.Result) {
	br := s.blobs[oid]
	if br == nil {
		return
	}
	name := path
	if where != "" {
		name = path + " @ " + where
	}
	switch {
	case br.missing:
		res.Skipped = append(res.Skipped, scanner.Skipped{File: name, Reason: "blob " + oid + " is missing from the repository"})
	case br.tooBig:
		res.Skipped = append(res.Skipped, scanner.Skipped{File: name, Reason: fmt.Sprintf("larger than --max-file-size (%d bytes)", br.size)})
	case br.lfs:
		res.Skipped = append(res.Skipped, scanner.Skipped{File: name, Reason: "Git LFS pointer: the file's content lives in LFS storage and was not scanned"})
	default:
		if sc, ok := br.byFormat[br.format[path]]; ok && sc.warning != "" {
			res.Warnings = append(res.Warnings, scanner.Warning{File: name, Message: sc.warning})
		}
	}
}
