package fix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/shell"
)

// Diff returns the change as a unified diff; secrets are redacted unless show.
func (p *Plan) Diff(c *Change, show bool) string {
	before, after := string(c.Before), string(c.After)
	if !show {
		before, after = p.redact(before), p.redact(after)
	}
	return UnifiedDiff(c.Path, []byte(before), []byte(after), c.Before == nil)
}

func (p *Plan) redact(s string) string {
	// Longest first, so a secret that contains another is hidden whole.
	vals := make([]string, 0, len(p.Secrets))
	for _, sec := range p.Secrets {
		vals = append(vals, sec.Value)
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		if v != "" {
			s = strings.ReplaceAll(s, v, detect.Redact(v))
		}
	}
	return s
}

// Commands returns the commands that store s in each of its stores.
func (p *Plan) Commands(s *Secret, show bool) []string {
	v := s.Value
	if !show {
		v = detect.Redact(v)
	}
	var out []string
	for _, st := range s.Stores {
		switch st {
		case "local":
			out = append(out, "moved to "+s.LocalFile+" (git-ignored)")
		case "github":
			out = append(out, p.prov.storeCommand("github", ghName(s.Name), v))
		case "k8s":
			cmd := p.prov.storeCommand("k8s", s.Name, v)
			for _, ns := range s.Namespaces {
				if ns != "" {
					out = append(out, cmd+" -n "+shell.Arg(ns))
				} else {
					out = append(out, cmd)
				}
			}
			if len(s.Namespaces) == 0 {
				out = append(out, cmd)
			}
		default:
			out = append(out, p.prov.storeCommand(st, s.Name, v))
		}
	}
	return out
}

// WriteText writes the diffs and the summary. applied is nil for a dry run.
func (p *Plan) WriteText(w io.Writer, show bool, applied *Result) error {
	var b strings.Builder
	for _, c := range p.Changes {
		b.WriteString(p.Diff(c, show))
	}
	if len(p.Changes) > 0 {
		b.WriteString("\n")
	}
	// A secret that only sat in an output, a generated file or a place the
	// fix leaves alone has no reference to resolve: nothing to store.
	var store, rotate []*Secret
	for _, s := range p.Secrets {
		if len(s.Stores) > 0 {
			store = append(store, s)
		} else {
			rotate = append(rotate, s)
		}
	}
	if len(store) > 0 {
		fmt.Fprintf(&b, "Secrets to store (%d), for the references that replace them:\n", len(store))
		for _, s := range store {
			name := s.Name
			if len(s.Stores) == 1 && s.Stores[0] == "github" {
				name = ghName(name) // what the reference and the command use
			}
			fmt.Fprintf(&b, "  %s  (%s; %s)\n", name, s.RuleID, strings.Join(s.Files, ", "))
			for _, c := range p.Commands(s, show) {
				fmt.Fprintf(&b, "    %s\n", c)
			}
		}
	}
	if len(rotate) > 0 {
		if len(store) > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Secrets with no reference to store (%d): cleared from outputs, in generated files, or left as is below:\n", len(rotate))
		for _, s := range rotate {
			fmt.Fprintf(&b, "  %s  (%s; %s)\n", s.Name, s.RuleID, strings.Join(s.Files, ", "))
		}
	}
	for _, k := range p.K8s {
		where := ""
		if k.Namespace != "" {
			where = " in namespace " + k.Namespace
		}
		fmt.Fprintf(&b, "\nKubernetes Secret %q%s, referenced by %s; create it outside version control:\n", k.Name, where, strings.Join(k.Files, ", "))
		for _, l := range strings.Split(strings.TrimSuffix(k8sSecretManifest(k.Name, k.Namespace, k.Keys), "\n"), "\n") {
			b.WriteString("    " + l + "\n")
		}
	}
	if p.prov.name == "1password" {
		var refs []string
		for _, s := range p.Secrets {
			if contains(s.Stores, "1password") {
				refs = append(refs, s.Name+"="+p.prov.onePasswordRef(s.Name))
			}
		}
		if len(refs) > 0 {
			fmt.Fprintf(&b, "\n1Password references (an env file of these lines, never the values; `op run --env-file=FILE -- <command>` resolves them):\n")
			for _, r := range refs {
				b.WriteString("    " + r + "\n")
			}
		}
	}
	if len(p.Untrack) > 0 {
		b.WriteString("\nStop versioning generated files (the tool writes them again on every run):\n")
		for _, u := range p.Untrack {
			fmt.Fprintf(&b, "    git rm -r --cached %s\n", u)
		}
	}
	if len(p.Proposals) > 0 {
		b.WriteString("\nLeft as is:\n")
		for _, pr := range p.Proposals {
			where := pr.File
			if pr.Line > 0 {
				where = fmt.Sprintf("%s:%d", pr.File, pr.Line)
			}
			fmt.Fprintf(&b, "  %s  %s\n", where, pr.Text)
		}
	}
	if applied != nil && (len(p.Changes) > 0 || len(applied.Skipped) > 0) {
		fmt.Fprintf(&b, "\nApplied: %d file(s) written.\n", len(applied.Written))
		var sk []string
		for f := range applied.Skipped {
			sk = append(sk, f)
		}
		sort.Strings(sk)
		for _, f := range sk {
			fmt.Fprintf(&b, "  not written: %s: %s\n", f, applied.Skipped[f])
		}
	} else if len(p.Changes) > 0 {
		b.WriteString("\nNothing written yet: run again with --apply to make these changes.\n")
	}
	if len(p.Secrets) > 0 {
		b.WriteString("Rotate every secret that was ever committed: git history still holds it (run `lifeguard history`).\n")
	} else {
		b.WriteString("No secrets to fix.\n")
	}
	out := b.String()
	if !show {
		out = p.redact(out) // a secret may also stand in a file name
	}
	_, err := io.WriteString(w, out)
	return err
}

type jsonChange struct {
	*Change
	Diff string `json:"diff"`
}

type jsonSecret struct {
	Name      string   `json:"name"`
	RuleID    string   `json:"rule_id"`
	Secret    string   `json:"secret"`
	Files     []string `json:"files"`
	Stores    []string `json:"stores"`
	Commands  []string `json:"commands"`
	LocalFile string   `json:"local_file,omitempty"`
}

// WriteJSON writes the plan (and what Apply did) as JSON.
func (p *Plan) WriteJSON(w io.Writer, show bool, applied *Result) error {
	out := struct {
		Provider  string       `json:"provider"`
		Changes   []jsonChange `json:"changes"`
		Secrets   []jsonSecret `json:"secrets"`
		Proposals []Proposal   `json:"proposals"`
		Untrack   []string     `json:"untrack"`
		K8s       []K8sSecret  `json:"k8s_secrets"`
		Applied   *Result      `json:"applied,omitempty"`
	}{Provider: p.Provider, Changes: []jsonChange{}, Secrets: []jsonSecret{}, Proposals: p.Proposals,
		Untrack: append([]string{}, p.Untrack...), K8s: append([]K8sSecret{}, p.K8s...), Applied: applied}
	for _, c := range p.Changes {
		out.Changes = append(out.Changes, jsonChange{c, p.Diff(c, show)})
	}
	for _, s := range p.Secrets {
		v := s.Value
		if !show {
			v = detect.Redact(v)
		}
		out.Secrets = append(out.Secrets, jsonSecret{s.Name, s.RuleID, v, s.Files, s.Stores, p.Commands(s, show), s.LocalFile})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	text := buf.String()
	if !show {
		text = p.redact(text) // file names, proposals
	}
	_, err := io.WriteString(w, text)
	return err
}
