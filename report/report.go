// Package report writes scan results as text, JSON or SARIF. Every writer
// redacts secrets unless Options.ShowSecrets is set.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// Options control how results are written.
type Options struct {
	ShowSecrets bool
	Color       bool
	Version     string
	// RuleHelp returns help text for a rule id (used in SARIF).
	RuleHelp func(id string) string
}

// Formats lists the accepted --format values.
var Formats = []string{"text", "json", "sarif"}

// Write writes res in format.
func Write(w io.Writer, format string, res *scanner.Result, opts Options) error {
	switch format {
	case "text", "":
		return Text(w, res, opts)
	case "json":
		return JSON(w, res, opts)
	case "sarif":
		return SARIF(w, res, opts)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

func visible(fs []detect.Finding, opts Options) []detect.Finding {
	if opts.ShowSecrets {
		return fs
	}
	sc := detect.NewScrubber(fs)
	out := make([]detect.Finding, len(fs))
	for i, f := range fs {
		out[i] = sc.Finding(f)
	}
	return out
}

// ScrubWarnings hides the result's secrets in its warnings and skipped
// reasons, which can quote the input (a YAML error names the anchor it
// could not find). Call it once before anything is printed.
func ScrubWarnings(res *scanner.Result) {
	sc := detect.NewScrubber(res.Findings)
	for i := range res.Warnings {
		res.Warnings[i].File = sc.Text(res.Warnings[i].File)
		res.Warnings[i].Message = sc.Text(res.Warnings[i].Message)
	}
	for i := range res.Skipped {
		res.Skipped[i].File = sc.Text(res.Skipped[i].File)
		res.Skipped[i].Reason = sc.Text(res.Skipped[i].Reason)
	}
}

// JSON writes {"findings": [...], "skipped": [...], "warnings": [...], "stats": {...}}.
func JSON(w io.Writer, res *scanner.Result, opts Options) error {
	out := *res
	out.Findings = visible(res.Findings, opts)
	if !opts.ShowSecrets {
		out.Warnings = append([]scanner.Warning{}, res.Warnings...)
		out.Skipped = append([]scanner.Skipped{}, res.Skipped...)
		ScrubWarnings(&out)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// Where describes a finding's location as a person sees it, e.g.
// "cell 3 [id a1b2] In [7], output 1 (stream), line 2".
func Where(f detect.Finding) string {
	l := f.Location
	var parts []string
	if l.Cell > 0 {
		c := fmt.Sprintf("cell %d", l.Cell)
		if l.CellID != "" {
			c += " [id " + l.CellID + "]"
		}
		if l.ExecutionCount != nil {
			c += fmt.Sprintf(" In [%d]", *l.ExecutionCount)
		}
		parts = append(parts, c)
	}
	switch l.Part {
	case "output":
		o := fmt.Sprintf("output %d", l.Output)
		if l.OutputType != "" {
			o += " (" + l.OutputType
			if l.MimeType != "" {
				o += " " + l.MimeType
			}
			o += ")"
		}
		parts = append(parts, o)
	case "":
	default:
		parts = append(parts, l.Part)
	}
	if l.KeyPath != "" {
		parts = append(parts, l.KeyPath)
	}
	if l.Kind != "file" && l.Line > 0 {
		parts = append(parts, fmt.Sprintf("line %d", l.Line))
	}
	return strings.Join(parts, ", ")
}

const (
	bold  = "\x1b[1m"
	red   = "\x1b[31m"
	dim   = "\x1b[2m"
	reset = "\x1b[0m"
)

// Printable is s for a terminal: quoted, with escapes, when it holds
// control characters (a file named x\x1b[2K.py would rewrite the line).
func Printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strconv.Quote(s)
}

// Text writes findings grouped by file, then skipped files and warnings.
func Text(w io.Writer, res *scanner.Result, opts Options) error {
	c := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + reset
	}
	ew := &errWriter{w: w}
	fs := visible(res.Findings, opts)
	byPrint := map[string]detect.Finding{}
	for _, f := range fs {
		byPrint[f.File+"\x00"+f.Fingerprint] = f
	}
	last := ""
	for _, f := range fs {
		if f.File != last {
			if last != "" {
				ew.printf("\n")
			}
			ew.printf("%s\n", c(bold, Printable(f.File)))
			last = f.File
		}
		where := Printable(Where(f))
		if where != "" {
			where = "  " + where
		}
		ew.printf("  %s %s%s\n", c(red, fmt.Sprintf("%d:%d", f.StartLine, f.StartColumn)), c(bold, f.RuleID), where)
		ew.printf("    secret %s  %s\n", f.Secret, c(dim, "fingerprint "+f.Fingerprint))
		if o, ok := byPrint[f.File+"\x00"+f.PairedWith]; ok {
			ew.printf("    %s\n", c(dim, fmt.Sprintf("one credential with %d:%d %s", o.StartLine, o.StartColumn, o.RuleID)))
		}
		if f.Commit != "" {
			ew.printf("    commit %s %s %s\n", short(f.Commit), f.Author, f.Date)
		}
	}
	for _, s := range res.Skipped {
		ew.printf("skipped %s: %s\n", Printable(s.File), s.Reason)
	}
	for _, wn := range res.Warnings {
		ew.printf("warning %s: %s\n", Printable(wn.File), Printable(wn.Message))
	}
	st := res.Stats
	if len(fs) > 0 {
		ew.printf("\n")
	}
	ew.printf("%d finding(s) in %d file(s) scanned (%s), %d skipped, %d binary; %d ms\n",
		len(fs), st.Files, human(st.Bytes), st.Skipped, st.Binary, st.DurationMS)
	return ew.err
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
