// Package scanner walks files, picks a format for each, and runs the
// detection engine over the segments the format produces.
package scanner

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"golang.org/x/sync/semaphore"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/segment"
)

// bigFileBudget is how many bytes of files may be in the parser at once
// (a file larger than this runs alone).
const bigFileBudget = 64 << 20

// DefaultMaxFileSize is the default limit above which files are skipped (and listed).
const DefaultMaxFileSize = 50 << 20

// Options configure a scan.
type Options struct {
	MaxFileSize int64 // 0 means DefaultMaxFileSize; negative means no limit
	NoGitignore bool
	Workers     int // 0 means runtime.NumCPU()
	Formats     []Format
	// Progress, when set, is called from time to time with running totals.
	Progress func(files, bytes int64)
	// Own lists files the scan must not read: its own reports, which may
	// sit in the scanned folder from a previous run.
	Own []string
	// StdinName is the path standard input ("-") is scanned and reported
	// as, so its format is known ("-" when empty).
	StdinName string
	// Root is the project's top folder (a git working tree's top, or the
	// scanned folder). Findings are fingerprinted, formats detected, path
	// allowlists and .gitignore files applied with paths relative to it, so
	// none of these depends on where the command ran or how a path was
	// typed; .gitignore files between Root and a scanned folder apply too.
	// Findings still name files as given. Empty: paths as given.
	Root string
	// Tracked, when set, says whether git tracks the file at a Root-relative
	// slash path or, for a folder, any file under it. Git applies .gitignore
	// only to untracked files, and so does the walk.
	Tracked func(rel string, dir bool) bool
}

// Skipped is a file that was not read, and why.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Warning is a file that was read but not as its format (scanned as plain text instead).
type Warning struct {
	File    string `json:"file"`
	Message string `json:"message"`
}

// Stats are totals for a scan.
type Stats struct {
	Files      int64            `json:"files"`
	Bytes      int64            `json:"bytes"`
	Binary     int64            `json:"binary_skipped"`
	Skipped    int64            `json:"skipped"`
	NotText    int64            `json:"not_text_parts"`
	Findings   int              `json:"findings"`
	DurationMS int64            `json:"duration_ms"`
	Formats    map[string]int64 `json:"formats"`
}

// Result is everything a scan found.
type Result struct {
	Findings []detect.Finding `json:"findings"`
	Skipped  []Skipped        `json:"skipped"`
	Warnings []Warning        `json:"warnings"`
	// Notes say what a git scan could not see (a shallow clone's missing
	// history, submodules, LFS pointers), for reports as well as stderr.
	Notes []string `json:"notes,omitempty"`
	Stats Stats    `json:"stats"`
}

// Merge adds o's findings, skips, warnings, notes and totals to r (a scan
// of several projects), keeping findings in file order.
func (r *Result) Merge(o *Result) {
	r.Findings = append(r.Findings, o.Findings...)
	r.Skipped = append(r.Skipped, o.Skipped...)
	r.Warnings = append(r.Warnings, o.Warnings...)
	r.Notes = append(r.Notes, o.Notes...)
	r.Stats.Files += o.Stats.Files
	r.Stats.Bytes += o.Stats.Bytes
	r.Stats.Binary += o.Stats.Binary
	r.Stats.Skipped += o.Stats.Skipped
	r.Stats.NotText += o.Stats.NotText
	r.Stats.Findings += o.Stats.Findings
	r.Stats.DurationMS += o.Stats.DurationMS
	if r.Stats.Formats == nil {
		r.Stats.Formats = map[string]int64{}
	}
	for k, v := range o.Stats.Formats {
		r.Stats.Formats[k] += v
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Offset < b.Offset
	})
}

// FileResult is the outcome for one blob.
type FileResult struct {
	Findings []detect.Finding
	Warning  string
	Format   string // format used, "text" for plain, "binary" when skipped
	NotText  int
}

// Scanner scans files and blobs. It is safe for concurrent use.
type Scanner struct {
	eng  *detect.Engine
	opts Options
	// realDirs caches folders' paths with symlinks resolved, to place a
	// file reached through a symlink (a macOS /tmp) under Root.
	realDirs sync.Map
}

// New returns a scanner.
func New(eng *detect.Engine, opts Options) *Scanner {
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Formats == nil {
		opts.Formats = DefaultFormats()
	}
	if opts.Root != "" {
		if abs, err := filepath.Abs(opts.Root); err == nil {
			opts.Root = abs
		}
		if real, err := filepath.EvalSymlinks(opts.Root); err == nil {
			opts.Root = real // git names the top by its real path
		}
	}
	return &Scanner{eng: eng, opts: opts}
}

// Engine returns the detection engine.
func (s *Scanner) Engine() *detect.Engine { return s.eng }

// IsBinary reports whether data looks binary: a NUL byte in the first 8000
// bytes, as git decides.
func IsBinary(data []byte) bool {
	head := data
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// ScanBlob scans one file's bytes. path is reported as is.
func (s *Scanner) ScanBlob(ctx context.Context, path string, data []byte) FileResult {
	var res FileResult
	if seg, ok := utf16Segment(data); ok {
		// Text saved as UTF-16 (PowerShell's default) is all NUL bytes to a
		// binary check: decode it and scan it as plain text.
		res.Format = "text-utf16"
		res.Findings = s.eng.Scan(ctx, path, data, []segment.Segment{seg})
		return res
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	for _, f := range s.opts.Formats {
		if !f.Detect(path, head) {
			continue
		}
		segs, alsoPlain, err := f.Segments(path, data)
		if err != nil {
			res.Warning = fmt.Sprintf("not parsed as %s (%v); scanned as plain text", f.Name(), err)
			break
		}
		if alsoPlain {
			segs = append(segs, plain(data))
		}
		res.Format = f.Name()
		for i := range segs {
			if segs[i].Loc.Kind == "" {
				segs[i].Loc.Kind = f.Name()
			}
		}
		if _, model := f.(HeaderFormat); model {
			res.Findings = s.eng.ScanClaimed(ctx, path, data, segs)
		} else {
			res.Findings = s.eng.Scan(ctx, path, data, segs)
		}
		return res
	}
	if IsBinary(data) {
		res.Format = "binary"
		if res.Warning != "" {
			res.Warning = strings.Replace(res.Warning, "scanned as plain text", "binary, not scanned", 1)
		}
		return res
	}
	res.Format = "text"
	res.Findings = s.eng.Scan(ctx, path, data, []segment.Segment{plain(data)})
	return res
}

// utf16Segment decodes text that starts with a UTF-16 byte-order mark,
// mapping each character to its bytes in data; ok is false for other data.
func utf16Segment(data []byte) (segment.Segment, bool) {
	var order binary.ByteOrder
	switch {
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		order = binary.LittleEndian
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		order = binary.BigEndian
	default:
		return segment.Segment{}, false
	}
	var b segment.Builder
	b.Reset()
	var buf [utf8.UTFMax]byte
	for i := 2; i+1 < len(data); {
		r, n := rune(order.Uint16(data[i:])), 2
		if utf16.IsSurrogate(r) && i+3 < len(data) {
			r, n = utf16.DecodeRune(r, rune(order.Uint16(data[i+2:]))), 4
		}
		k := utf8.EncodeRune(buf[:], r)
		b.AddMapped(string(buf[:k]), i, n)
		i += n
	}
	return b.Segment(segment.Location{Kind: "file"}), true
}

func plain(data []byte) segment.Segment {
	return segment.Plain(string(data), 0, segment.Location{Kind: "file"})
}

type job struct {
	path string // as reported
	size int64
	link bool // reached through a symlink
}

// ScanPaths scans files and folders. "-" reads standard input.
func (s *Scanner) ScanPaths(ctx context.Context, paths []string, stdin io.Reader) (*Result, error) {
	start := time.Now()
	res := &Result{Findings: []detect.Finding{}, Skipped: []Skipped{}, Warnings: []Warning{}}
	res.Stats.Formats = map[string]int64{}
	var mu sync.Mutex
	var files, nbytes atomic.Int64

	record := func(path string, fr FileResult, size int64) {
		mu.Lock()
		defer mu.Unlock()
		res.Findings = append(res.Findings, fr.Findings...)
		if fr.Warning != "" {
			res.Warnings = append(res.Warnings, Warning{File: path, Message: fr.Warning})
		}
		if fr.Format == "binary" {
			res.Stats.Binary++
		} else {
			res.Stats.Formats[fr.Format]++
		}
		res.Stats.NotText += int64(fr.NotText)
		res.Stats.Files++
		res.Stats.Bytes += size
	}
	skip := func(path, reason string) {
		mu.Lock()
		defer mu.Unlock()
		res.Skipped = append(res.Skipped, Skipped{File: path, Reason: reason})
	}

	jobs := make(chan job, 256)
	// Parsing a file costs several times its size; large files take turns
	// so that workers scanning big notebooks side by side do not multiply
	// the peak (small files never wait).
	budget := semaphore.NewWeighted(bigFileBudget)
	var wg sync.WaitGroup
	for i := 0; i < s.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				// Stat before opening: opening a FIFO blocks, and a device
				// (a symlink to /dev/zero) never ends.
				st, err := os.Stat(j.path)
				if err != nil {
					skip(j.path, readReason(err))
					continue
				}
				if !st.Mode().IsRegular() {
					skip(j.path, "not a regular file ("+fileKind(st.Mode())+")")
					continue
				}
				if hdr, ok := s.readHeader(j.path); ok {
					// A model file: only its metadata header was read, so
					// --max-file-size does not apply.
					fr := s.scanFile(ctx, j.path, hdr)
					record(filepath.ToSlash(j.path), fr, int64(len(hdr)))
					files.Add(1)
					nbytes.Add(int64(len(hdr)))
					continue
				}
				// Decide from the size before reading a huge file whole; the
				// read is capped too, for a file that grows meanwhile.
				if s.opts.MaxFileSize > 0 && st.Size() > s.opts.MaxFileSize {
					skip(j.path, fmt.Sprintf("larger than --max-file-size (%d bytes)", s.opts.MaxFileSize))
					continue
				}
				weight := min(st.Size(), bigFileBudget)
				if err := budget.Acquire(ctx, weight); err != nil {
					continue // cancelled
				}
				data, tooBig, err := readFileCapped(j.path, st.Size(), s.opts.MaxFileSize)
				if err != nil {
					budget.Release(weight)
					skip(j.path, readReason(err))
					continue
				}
				if tooBig {
					budget.Release(weight)
					skip(j.path, fmt.Sprintf("larger than --max-file-size (%d bytes)", s.opts.MaxFileSize))
					continue
				}
				fr := s.scanFile(ctx, j.path, data)
				budget.Release(weight)
				record(filepath.ToSlash(j.path), fr, int64(len(data)))
				n := files.Add(1)
				b := nbytes.Add(int64(len(data)))
				if s.opts.Progress != nil && n%64 == 0 {
					s.opts.Progress(n, b)
				}
			}
		}()
	}

	seen := map[string]bool{} // absolute paths already queued: overlapping arguments scan a file once
	for _, p := range s.opts.Own {
		if abs, err := filepath.Abs(p); err == nil && p != "" {
			seen[abs] = true
		}
	}
	emit := func(j job) {
		key := j.path
		if abs, err := filepath.Abs(j.path); err == nil {
			key = abs
		}
		if j.link {
			// A link and the file it names are one file.
			if real, err := filepath.EvalSymlinks(j.path); err == nil {
				if abs, err := filepath.Abs(real); err == nil {
					key = abs
				}
			}
		}
		if !seen[key] {
			seen[key] = true
			jobs <- j
		}
	}
	var walkErr error
	for _, p := range paths {
		if p == "-" {
			if stdin == nil {
				continue
			}
			name := s.opts.StdinName
			if name == "" {
				name = "-"
			}
			data, tooBig, err := readCapped(stdin, 0, s.opts.MaxFileSize)
			if err != nil {
				walkErr = fmt.Errorf("reading standard input: %w", err)
				break
			}
			if tooBig {
				skip(name, fmt.Sprintf("larger than --max-file-size (%d bytes)", s.opts.MaxFileSize))
				continue
			}
			record(name, s.ScanBlob(ctx, name, data), int64(len(data)))
			continue
		}
		if err := s.walk(ctx, p, emit, skip); err != nil {
			walkErr = err
			break
		}
	}
	close(jobs)
	wg.Wait()
	if s.opts.Progress != nil {
		s.opts.Progress(files.Load(), nbytes.Load())
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Offset < b.Offset
	})
	sort.Slice(res.Skipped, func(i, j int) bool { return res.Skipped[i].File < res.Skipped[j].File })
	sort.Slice(res.Warnings, func(i, j int) bool { return res.Warnings[i].File < res.Warnings[j].File })
	res.Stats.Skipped = int64(len(res.Skipped))
	res.Stats.Findings = len(res.Findings)
	res.Stats.DurationMS = time.Since(start).Milliseconds()
	return res, walkErr
}

// readHeader lets a HeaderFormat read just the header of the file at p. ok
// is false when no such format applies or the header cannot be read; the
// file is then read whole as usual (and the format's error surfaces there).
func (s *Scanner) readHeader(p string) ([]byte, bool) {
	var hfs []HeaderFormat
	for _, f := range s.opts.Formats {
		if hf, ok := f.(HeaderFormat); ok {
			hfs = append(hfs, hf)
		}
	}
	if len(hfs) == 0 {
		return nil, false
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	head := make([]byte, min(st.Size(), 4096))
	if _, err := io.ReadFull(f, head); err != nil {
		return nil, false
	}
	p = filepath.ToSlash(p)
	for _, f2 := range s.opts.Formats {
		if !f2.Detect(p, head) {
			continue
		}
		// The first format that claims the file decides, as in ScanBlob.
		hf, ok := f2.(HeaderFormat)
		if !ok {
			return nil, false
		}
		hdr, err := hf.ReadHeader(p, f, st.Size())
		if err != nil {
			return nil, false
		}
		return hdr, true
	}
	return nil, false
}

// readCapped reads r whole, or stops past limit bytes and says so
// (limit <= 0: no limit). sizeHint, when known (a file's size), sizes the
// buffer once, as os.ReadFile does.
func readCapped(r io.Reader, sizeHint, limit int64) ([]byte, bool, error) {
	if limit > 0 {
		sizeHint = min(sizeHint, limit)
		r = io.LimitReader(r, limit+1)
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(sizeHint, 0)+bytes.MinRead+1))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, false, err
	}
	if limit > 0 && int64(buf.Len()) > limit {
		return nil, true, nil
	}
	return buf.Bytes(), false, nil
}

func readFileCapped(path string, size, limit int64) ([]byte, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	return readCapped(f, size, limit)
}

// fileKind names a non-regular file's type for the skipped list.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "type " + m.Type().String()
}

func readReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "disappeared before it could be read"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// walk sends the files under root to emit, honouring .gitignore files.
func (s *Scanner) walk(ctx context.Context, root string, emit func(job), skip func(string, string)) error {
	root = filepath.Clean(root) // "dir/" and "dir" walk alike
	info, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("scan %s: %w", root, err)
	}
	if !info.IsDir() {
		// Named on the command line, perhaps through a symlinked folder:
		// resolved for the once-only check.
		emit(job{path: root, size: info.Size(), link: true})
		return nil
	}
	if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		// A folder named through a symlink on the command line is walked
		// (WalkDir would stop at the link; the trailing separator follows it).
		root += string(filepath.Separator)
	}
	// Patterns match paths relative to Root when the walk is inside it.
	rootRel, inRoot := s.relPath(root)
	var base []string
	if inRoot {
		base = splitPath(rootRel)
	}
	ignored := func(parts []string, dir bool, pats []gitignore.Pattern) bool {
		if s.opts.NoGitignore || !gitignore.NewMatcher(pats).Match(parts, dir) {
			return false
		}
		return !inRoot || s.opts.Tracked == nil || !s.opts.Tracked(strings.Join(parts, "/"), dir)
	}
	ignores := map[string][]gitignore.Pattern{} // dir → patterns in force there
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if p == root {
				return fmt.Errorf("scan %s: %w", root, err)
			}
			skip(filepath.ToSlash(p), readReason(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		parts := append(base[:len(base):len(base)], splitPath(rel)...)
		if d.IsDir() {
			if d.Name() == ".git" && p != root {
				return fs.SkipDir
			}
			var parent []gitignore.Pattern
			if p == root {
				if inRoot && !s.opts.NoGitignore {
					parent = s.ancestorIgnores(base)
					if len(base) > 0 && gitignore.NewMatcher(parent).Match(base, true) {
						// A folder named on the command line is scanned even
						// if ignored; inside it, its own .gitignore files apply.
						parent = nil
					}
				}
			} else {
				parent = ignores[filepath.Dir(p)]
				if ignored(parts, true, parent) {
					return fs.SkipDir
				}
			}
			if !s.opts.NoGitignore {
				pats := parent
				if data, err := os.ReadFile(filepath.Join(p, ".gitignore")); err == nil {
					pats = append(append([]gitignore.Pattern(nil), parent...), parseIgnore(data, parts)...)
				}
				ignores[p] = pats
			}
			return nil
		}
		if ignored(parts, false, ignores[filepath.Dir(p)]) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					skip(filepath.ToSlash(p), "broken symlink (target does not exist)")
				} else {
					skip(filepath.ToSlash(p), "symlink not followed: "+readReason(err))
				}
				return nil
			}
			if st.IsDir() {
				skip(filepath.ToSlash(p), "symlink to a directory (not followed)")
				return nil
			}
		} else if !d.Type().IsRegular() {
			skip(filepath.ToSlash(p), "not a regular file ("+fileKind(d.Type())+")")
			return nil
		}
		emit(job{path: p, link: d.Type()&fs.ModeSymlink != 0})
		return nil
	})
}

// ancestorIgnores are the patterns git applies inside the folder at the
// Root-relative parts dir before that folder's own .gitignore: Root's
// .git/info/exclude and the .gitignore files of Root and every folder
// between it and dir.
func (s *Scanner) ancestorIgnores(dir []string) []gitignore.Pattern {
	var pats []gitignore.Pattern
	if data, err := os.ReadFile(filepath.Join(gitCommonDir(s.opts.Root), "info", "exclude")); err == nil {
		pats = append(pats, parseIgnore(data, nil)...)
	}
	for i := 0; i < len(dir); i++ {
		p := filepath.Join(append([]string{s.opts.Root}, dir[:i]...)...)
		if data, err := os.ReadFile(filepath.Join(p, ".gitignore")); err == nil {
			pats = append(pats, parseIgnore(data, dir[:i])...)
		}
	}
	return pats
}

// gitCommonDir is the git directory holding info/exclude for the working
// tree at top: top/.git, or for a linked worktree (where .git is a file
// "gitdir: …") the repository's common directory.
func gitCommonDir(top string) string {
	dotgit := filepath.Join(top, ".git")
	data, err := os.ReadFile(dotgit)
	if err != nil {
		return dotgit // a folder (or nothing)
	}
	gitdir, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir: ")
	if !ok {
		return dotgit
	}
	if !filepath.IsAbs(gitdir) {
		gitdir = filepath.Join(top, gitdir)
	}
	if c, err := os.ReadFile(filepath.Join(gitdir, "commondir")); err == nil {
		common := strings.TrimSpace(string(c))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitdir, common)
		}
		return common
	}
	return gitdir
}

// relPath is p relative to Root, in slash form, and true; or p as given and
// false when there is no Root or p lies outside it.
func (s *Scanner) relPath(p string) (string, bool) {
	if s.opts.Root == "" {
		return filepath.ToSlash(p), false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p), false
	}
	rel, err := filepath.Rel(s.opts.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		// Perhaps reached through a symlink: resolve its folder (once).
		dir := filepath.Dir(abs)
		real, ok := s.realDirs.Load(dir)
		if !ok {
			r, err := filepath.EvalSymlinks(dir)
			if err != nil {
				r = dir
			}
			real, _ = s.realDirs.LoadOrStore(dir, r)
		}
		rel, err = filepath.Rel(s.opts.Root, filepath.Join(real.(string), filepath.Base(abs)))
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(p), false
		}
	}
	if rel == "." {
		return "", true
	}
	return filepath.ToSlash(rel), true
}

// scanFile scans a file's bytes under its Root-relative path and reports
// its findings under the path as given.
func (s *Scanner) scanFile(ctx context.Context, p string, data []byte) FileResult {
	key, inRoot := s.relPath(p)
	fr := s.ScanBlob(ctx, key, data)
	for i := range fr.Findings {
		fr.Findings[i].File = filepath.ToSlash(p)
		if inRoot && key != fr.Findings[i].File {
			fr.Findings[i].RepoPath = key
		}
	}
	return fr
}

func splitPath(rel string) []string {
	if rel == "." || rel == "" {
		return nil
	}
	return strings.Split(filepath.ToSlash(rel), "/")
}

func parseIgnore(data []byte, domain []string) []gitignore.Pattern {
	var ps []gitignore.Pattern
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, nil)
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}
