package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
	"github.com/lifeguard-dev/lifeguard/shell"
)

// MaxSummaryRows caps the step summary table; GitHub truncates a step
// summary above 1 MiB, and the SARIF report holds every finding anyway.
const MaxSummaryRows = 200

// repoPath is the path code scanning and annotations need: relative to the
// repository, not to the folder the scan ran in.
func repoPath(f detect.Finding) string {
	if f.RepoPath != "" {
		return f.RepoPath
	}
	return f.File
}

// githubFinding is a finding as the GitHub writers show it: redacted unless
// opts.ShowSecrets, with the secret also scrubbed from the path and location
// (a key path or file name can contain the secret itself).
type githubFinding struct {
	detect.Finding
	where string
}

// goneAtHead says a history finding's secret is no longer in the file at
// HEAD, so there is nothing for lifeguard fix to change.
func (f githubFinding) goneAtHead() bool {
	return f.PresentAtHead != nil && !*f.PresentAtHead
}

func githubFindings(fs []detect.Finding, opts Options) []githubFinding {
	out := make([]githubFinding, len(fs))
	for i, f := range visible(fs, opts) {
		out[i] = githubFinding{Finding: f, where: Where(f)}
	}
	return out
}

// StepSummary writes a Markdown summary for $GITHUB_STEP_SUMMARY: a heading,
// the scope (for example "commits 1a2b3c4..5d6e7f8"; may be empty) and a
// table of findings with the command that fixes each file.
func StepSummary(w io.Writer, res *scanner.Result, opts Options, scope string) error {
	ew := &errWriter{w: w}
	fs := githubFindings(res.Findings, opts)
	st := res.Stats
	switch len(fs) {
	case 0:
		ew.printf("### Lifeguard: no secrets found\n\n")
	case 1:
		ew.printf("### Lifeguard: 1 secret found\n\n")
	default:
		ew.printf("### Lifeguard: %d secrets found\n\n", len(fs))
	}
	if scope != "" {
		ew.printf("Scanned %s: %d file(s), %s.\n\n", mdText(scope), st.Files, human(st.Bytes))
	} else {
		ew.printf("Scanned %d file(s), %s.\n\n", st.Files, human(st.Bytes))
	}
	if len(fs) > 0 {
		withCommit := false
		for _, f := range fs {
			withCommit = withCommit || f.Commit != ""
		}
		if withCommit {
			ew.printf("| File | Location | Rule | Secret | Commit | Fix |\n| --- | --- | --- | --- | --- | --- |\n")
		} else {
			ew.printf("| File | Location | Rule | Secret | Fix |\n| --- | --- | --- | --- | --- |\n")
		}
		for i, f := range fs {
			if i == MaxSummaryRows {
				ew.printf("\n%d more not shown: see the SARIF report or run `lifeguard` locally.\n", len(fs)-i)
				break
			}
			loc := fmt.Sprintf("%d:%d", f.StartLine, f.StartColumn)
			if f.where != "" {
				loc += ", " + f.where
			}
			ew.printf("| %s | %s | %s | %s |", mdCode(f.File), mdText(loc), mdCode(f.RuleID), mdCode(f.Secret))
			if withCommit {
				c := ""
				if f.Commit != "" {
					c = mdCode(short(f.Commit))
				}
				ew.printf(" %s |", c)
			}
			if f.goneAtHead() {
				ew.printf(" removed since; revoke it |\n")
			} else {
				ew.printf(" %s |\n", mdCode("lifeguard fix "+shell.Arg(f.File)))
			}
		}
		ew.printf("\nSecrets are redacted. Revoke and rotate each one: it stays usable, and stays in git history, until it is revoked. " +
			"`lifeguard fix FILE` replaces it with a secret-store reference; mark a false positive with a `lifeguard:allow` comment on its line.\n")
	}
	if len(res.Skipped) > 0 || len(res.Warnings) > 0 {
		ew.printf("\n<details><summary>%d skipped, %d warning(s)</summary>\n\n", len(res.Skipped), len(res.Warnings))
		for _, s := range res.Skipped {
			ew.printf("- skipped %s: %s\n", mdCode(s.File), mdText(s.Reason))
		}
		for _, wn := range res.Warnings {
			ew.printf("- warning %s: %s\n", mdCode(wn.File), mdText(wn.Message))
		}
		ew.printf("\n</details>\n")
	}
	ew.printf("\n")
	return ew.err
}

// Annotations writes one GitHub workflow command per finding, so that the
// finding shows on the line in the pull request's diff:
//
//	::error file=a.py,line=2,col=9,title=Lifeguard%3A openai-api-key::OpenAI API key sk-p… …
func Annotations(w io.Writer, res *scanner.Result, opts Options) error {
	ew := &errWriter{w: w}
	for _, f := range githubFindings(res.Findings, opts) {
		var props []string
		if f.File != "" && f.File != "-" {
			props = append(props, "file="+escapeProperty(strings.TrimPrefix(repoPath(f.Finding), "./")))
			if f.StartLine > 0 {
				props = append(props, "line="+strconv.Itoa(f.StartLine))
				if f.EndLine > f.StartLine {
					props = append(props, "endLine="+strconv.Itoa(f.EndLine))
				}
				if f.StartColumn > 0 {
					props = append(props, "col="+strconv.Itoa(f.StartColumn))
				}
			}
		}
		props = append(props, "title="+escapeProperty("Lifeguard: "+f.RuleID))
		msg := f.Description
		if msg == "" {
			msg = f.RuleID
		}
		msg += " " + f.Secret
		if f.where != "" {
			msg += " (" + f.where + ")"
		}
		if f.Commit != "" {
			msg += ", added in commit " + short(f.Commit)
		}
		if f.goneAtHead() {
			msg += ". It was removed since but stays in git history: revoke and rotate it."
		} else {
			msg += ". Fix: lifeguard fix " + shell.Arg(f.File) + ", then revoke and rotate the secret."
		}
		ew.printf("::error %s::%s\n", strings.Join(props, ","), escapeData(msg))
	}
	return ew.err
}

// escapeData escapes a workflow command's message as @actions/core does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property value: as data, plus
// the ':' and ',' that separate properties.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// mdText escapes text for a Markdown table cell.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '&', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode writes s as a Markdown code span that survives a table cell: the
// fence is longer than any backtick run in s, and '|' is escaped (GitHub
// removes the backslash inside code spans in tables).
func mdCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	s = strings.ReplaceAll(s, "|", `\|`)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
