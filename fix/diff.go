package fix

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

type diffLine struct {
	op   diffmatchpatch.Operation
	text string // with its newline, if any
}

// UnifiedDiff returns a unified diff (3 lines of context) from before to
// after, or "" when they are equal. A nil before is a new file.
func UnifiedDiff(name string, before, after []byte, newFile bool) string {
	if string(before) == string(after) {
		return ""
	}
	dmp := diffmatchpatch.New()
	a, b, arr := dmp.DiffLinesToChars(string(before), string(after))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), arr)
	var lines []diffLine
	for _, d := range diffs {
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				lines = append(lines, diffLine{d.Type, l})
			}
		}
	}
	var out strings.Builder
	from := "a/" + name
	if newFile {
		from = "/dev/null"
	}
	fmt.Fprintf(&out, "--- %s\n+++ b/%s\n", from, name)
	const ctx = 3
	// Positions (1-based line numbers) before each line.
	oldNo, newNo := make([]int, len(lines)), make([]int, len(lines))
	o, n := 1, 1
	for i, l := range lines {
		oldNo[i], newNo[i] = o, n
		if l.op != diffmatchpatch.DiffInsert {
			o++
		}
		if l.op != diffmatchpatch.DiffDelete {
			n++
		}
	}
	for i := 0; i < len(lines); {
		if lines[i].op == diffmatchpatch.DiffEqual {
			i++
			continue
		}
		start := max(0, i-ctx)
		end := i
		// Extend the hunk while changes are within 2*ctx equal lines.
		for end < len(lines) {
			if lines[end].op != diffmatchpatch.DiffEqual {
				end++
				continue
			}
			run := end
			for run < len(lines) && lines[run].op == diffmatchpatch.DiffEqual {
				run++
			}
			if run == len(lines) || run-end > 2*ctx {
				end = min(run, end+ctx)
				break
			}
			end = run
		}
		oc, nc := 0, 0
		for _, l := range lines[start:end] {
			if l.op != diffmatchpatch.DiffInsert {
				oc++
			}
			if l.op != diffmatchpatch.DiffDelete {
				nc++
			}
		}
		os, ns := oldNo[start], newNo[start]
		if oc == 0 {
			os--
		}
		if nc == 0 {
			ns--
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(os, oc), hunkRange(ns, nc))
		for _, l := range lines[start:end] {
			mark := " "
			switch l.op {
			case diffmatchpatch.DiffDelete:
				mark = "-"
			case diffmatchpatch.DiffInsert:
				mark = "+"
			}
			out.WriteString(mark + l.text)
			if !strings.HasSuffix(l.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return out.String()
}

func hunkRange(start, count int) string {
	if count == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}
