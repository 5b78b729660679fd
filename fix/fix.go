// Package fix moves secrets out of files: for each finding it proposes a
// reference to a secret store in place of the secret (os.environ in Python,
// ${{ secrets.X }} in a workflow, a secretKeyRef in a Kubernetes manifest, a
// git-ignored local file for .env and DVC config), as a unified diff, and
// applies it atomically on request.
package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/rules"
	"gopkg.in/yaml.v3"
)

// Options configure a fix.
type Options struct {
	// Provider is the secret store references point at (see Providers); "" means env.
	Provider string
	// VaultPath is the provider's prefix or mount (Vault mount/prefix, AWS name
	// prefix, GCP project, Azure Key Vault, 1Password vault, Databricks scope,
	// Kubernetes Secret name).
	VaultPath string
	// Root is the folder whose .gitignore gets the lines a fix needs.
	Root string
	// Rules gives each rule's env_name.
	Rules *rules.Set
	// ReadFile reads a file; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
}

// Change is the new content of one file.
type Change struct {
	Path string `json:"file"`
	Kind Kind   `json:"kind"`
	// Before is the content the change was computed from; nil for a new file.
	Before []byte `json:"-"`
	After  []byte `json:"-"`
	// Names are the secrets the change moves out.
	Names []string `json:"names,omitempty"`
	// Local marks a git-ignored file that receives secret values (.env.local,
	// .dvc/config.local): it is written before the files it takes them from,
	// with mode 0600 when new.
	Local bool `json:"local,omitempty"`
	// deps must be written before this change (the local file holding the
	// values it removes).
	deps []*Change
}

// Proposal is something Lifeguard does not rewrite itself.
type Proposal struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Name   string `json:"name,omitempty"`
	RuleID string `json:"rule_id,omitempty"`
	Text   string `json:"text"`
}

// Secret is one distinct secret value and where it goes.
type Secret struct {
	Name   string   `json:"name"`
	RuleID string   `json:"rule_id"`
	Value  string   `json:"secret"`
	Files  []string `json:"files"`
	// Stores are where the references expect it: a provider name, "github"
	// (workflow secrets), "k8s" (Secret manifest) or "local" (moved to a
	// git-ignored file, nothing to run).
	Stores []string `json:"stores"`
	// LocalFile is the git-ignored file that now holds it, for store "local".
	LocalFile string `json:"local_file,omitempty"`
	// Namespaces are the Kubernetes namespaces whose pods reference it,
	// for store "k8s" ("" for a manifest without one).
	Namespaces []string `json:"namespaces,omitempty"`
}

// Plan is the set of changes and proposals for a set of findings.
type Plan struct {
	Provider  string      `json:"provider"`
	Changes   []*Change   `json:"changes"`
	Secrets   []*Secret   `json:"secrets"`
	Proposals []Proposal  `json:"proposals"`
	Untrack   []string    `json:"untrack,omitempty"` // paths to `git rm --cached`
	K8s       []K8sSecret `json:"k8s_secrets,omitempty"`
	prov      provider
}

// K8sSecret is a Secret manifests now refer to, to create without values.
type K8sSecret struct {
	Name      string   `json:"name"`
	Namespace string   `json:"namespace,omitempty"`
	Keys      []string `json:"keys"`
	Files     []string `json:"files"`
}

type builder struct {
	opts    Options
	prov    provider
	plan    *Plan
	names   *namer
	secrets map[string]*Secret // by value
	// found holds every secret of the findings, so that none becomes a
	// name (a token used as a dict key or env name must not name itself).
	found []string
	// Pending appends to shared files, by path.
	local     map[string]*localFile
	gitignore map[string][]string
	k8s       map[string]*K8sSecret
	changes   map[string]*Change
}

type localFile struct {
	path      string
	dvc       bool
	entries   []localEntry
	userPaths []string
}

type localEntry struct {
	section string // DVC section header line, "" for .env
	line    string
}

// Build computes the changes for findings. Files are re-read; a finding whose
// bytes no longer match is left as a proposal.
func Build(findings []detect.Finding, opts Options) (*Plan, error) {
	if opts.Provider == "" {
		opts.Provider = "env"
	}
	prov, err := newProvider(opts.Provider, opts.VaultPath)
	if err != nil {
		return nil, err
	}
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	if opts.Root == "" {
		opts.Root = "."
	}
	b := &builder{
		opts: opts, prov: prov, names: newNamer(),
		plan:    &Plan{Provider: prov.name, prov: prov, Changes: []*Change{}, Secrets: []*Secret{}, Proposals: []Proposal{}},
		secrets: map[string]*Secret{}, local: map[string]*localFile{}, gitignore: map[string][]string{},
		k8s: map[string]*K8sSecret{}, changes: map[string]*Change{},
	}
	byFile := map[string][]detect.Finding{}
	var files []string
	for _, f := range findings {
		if len(f.Secret) >= 8 {
			b.found = append(b.found, f.Secret)
		}
		if f.File == "-" || f.Commit != "" {
			continue // standard input and history cannot be rewritten
		}
		if _, ok := byFile[f.File]; !ok {
			files = append(files, f.File)
		}
		byFile[f.File] = append(byFile[f.File], f)
	}
	sort.Strings(files)
	contents := map[string][]byte{}
	readErr := map[string]error{}
	for _, file := range files {
		contents[file], readErr[file] = opts.ReadFile(filepath.FromSlash(file))
	}
	// Files that get references are named first, so that their secrets
	// take the plain names (OPENAI_API_KEY) and a copy left in a generated
	// or unknown file takes the suffixed one.
	proposalOnly := func(file string) bool {
		k := DetectKind(file, contents[file])
		return readErr[file] != nil || k == KindGenerated || k == KindOther
	}
	sort.SliceStable(files, func(i, j int) bool {
		return !proposalOnly(files[i]) && proposalOnly(files[j])
	})
	for _, file := range files {
		fs := byFile[file]
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Offset < fs[j].Offset })
		if err := readErr[file]; err != nil {
			b.propose(file, fs, fmt.Sprintf("could not be read (%v)", err))
			continue
		}
		b.file(file, contents[file], fs)
	}
	if err := b.finish(); err != nil {
		return nil, err
	}
	return b.plan, nil
}

func (b *builder) envName(ruleID string) string {
	if b.opts.Rules == nil {
		return ""
	}
	return b.opts.Rules.Rules[ruleID].EnvName
}

// secret names a finding's secret and records where it goes.
func (b *builder) secret(f detect.Finding, ctx string, keepCtx bool, store string) *Secret {
	for _, s := range b.found {
		if strings.Contains(ctx, s) {
			ctx, keepCtx = "", false // named after the rule instead
			break
		}
	}
	name := b.names.name(f.Secret, ctx, b.envName(f.RuleID), f.RuleID, keepCtx)
	s, ok := b.secrets[f.Secret]
	if !ok {
		s = &Secret{Name: name, RuleID: f.RuleID, Value: f.Secret}
		b.secrets[f.Secret] = s
		b.plan.Secrets = append(b.plan.Secrets, s)
	}
	if !contains(s.Files, f.File) {
		s.Files = append(s.Files, f.File)
	}
	if store != "" && !contains(s.Stores, store) {
		s.Stores = append(s.Stores, store)
	}
	return s
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (b *builder) propose(file string, fs []detect.Finding, why string) {
	for _, f := range fs {
		s := b.secret(f, "", false, "")
		b.plan.Proposals = append(b.plan.Proposals, Proposal{File: file, Line: f.StartLine, Name: s.Name, RuleID: f.RuleID,
			Text: fmt.Sprintf("%s: left as is: %s; move it to %s by hand", f.RuleID, why, s.Name)})
	}
}

func (b *builder) proposeOne(f detect.Finding, name, why string) {
	b.plan.Proposals = append(b.plan.Proposals, Proposal{File: f.File, Line: f.StartLine, Name: name, RuleID: f.RuleID,
		Text: fmt.Sprintf("%s: left as is: %s", f.RuleID, why)})
}

// rawOK reports whether the finding's raw span still holds the secret.
func rawOK(data []byte, f detect.Finding) bool {
	return f.Offset >= 0 && f.EndOffset <= len(data) && f.Offset < f.EndOffset &&
		string(data[f.Offset:f.EndOffset]) == f.Secret
}

func (b *builder) file(file string, data []byte, fs []detect.Finding) {
	kind := DetectKind(file, data)
	switch kind {
	case KindNotebook:
		b.notebook(file, data, fs)
		return
	case KindGenerated:
		b.generated(file, fs)
		return
	case KindOther:
		b.propose(file, fs, "Lifeguard does not know how this file is read, so it cannot pick a reference")
		return
	}
	var ok []detect.Finding
	for _, f := range fs {
		if rawOK(data, f) {
			ok = append(ok, f)
		} else {
			b.propose(file, []detect.Finding{f}, "the file no longer holds it at the scanned place (changed since the scan, or escaped)")
		}
	}
	if len(ok) == 0 {
		return
	}
	var after []byte
	var names []string
	switch kind {
	case KindPython:
		after, names = b.python(file, data, ok)
	case KindWorkflow:
		after, names = b.workflow(file, data, ok)
	case KindManifest:
		after, names = b.manifest(file, data, ok)
	case KindEnv:
		after, names = b.envFile(file, data, ok)
	case KindDVC:
		after, names = b.dvc(file, data, ok)
	}
	if after != nil && string(after) != string(data) {
		if (kind == KindWorkflow || kind == KindManifest) && validYAML(data) && !validYAML(after) {
			// A guard for what the line edits cannot see: a change that
			// breaks the file is not proposed as a change.
			for _, f := range ok {
				b.proposeOne(f, b.secrets[f.Secret].Name, "rewriting it would leave the YAML invalid; replace it by hand")
			}
			return
		}
		c := &Change{Path: file, Kind: kind, Before: data, After: after, Names: names}
		b.addChange(c)
	}
}

// validYAML reports whether every document of data parses.
func validYAML(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

func (b *builder) addChange(c *Change) {
	b.changes[c.Path] = c
	b.plan.Changes = append(b.plan.Changes, c)
}

func (b *builder) python(file string, data []byte, fs []detect.Finding) ([]byte, []string) {
	src := string(data)
	ts := make([]target, len(fs))
	var names []string
	// Secrets in string literals, which get a reference, are named first: a
	// copy left in a comment must not take the plain name from them.
	lits := pyStrings(src)
	inLiteral := func(f detect.Finding) bool {
		for _, l := range lits {
			if f.Offset >= l.bodyStart && f.EndOffset <= l.bodyEnd {
				return true
			}
		}
		return false
	}
	for _, pass := range []bool{true, false} {
		for i, f := range fs {
			if inLiteral(f) != pass {
				continue
			}
			ctx, _ := pyName(src, f.Offset, f.EndOffset)
			s := b.secret(f, ctx, false, b.prov.name)
			ts[i] = target{start: f.Offset, end: f.EndOffset, name: s.Name, idx: i}
		}
	}
	out, imports, failed := rewritePython(src, ts, b.prov)
	for i, f := range fs {
		if why, bad := failed[i]; bad {
			b.proposeOne(f, ts[i].name, why)
		} else {
			names = appendUniq(names, ts[i].name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	return []byte(addImports(out, imports)), names
}

func appendUniq(ss []string, s string) []string {
	if contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

// generated proposes to stop versioning a file a tool writes on every run.
func (b *builder) generated(file string, fs []detect.Finding) {
	untrack, pattern, _ := Generated(file)
	b.ignore(b.gitignorePath(), pattern, false)
	if !contains(b.plan.Untrack, untrack) {
		b.plan.Untrack = append(b.plan.Untrack, untrack)
	}
	for _, f := range fs {
		s := b.secret(f, "", false, "")
		b.plan.Proposals = append(b.plan.Proposals, Proposal{File: file, Line: f.StartLine, Name: s.Name, RuleID: f.RuleID,
			Text: fmt.Sprintf("%s: generated by a tool on every run; stop versioning it: git rm -r --cached %s (the fix adds %s to .gitignore)", f.RuleID, untrack, pattern)})
	}
}

// gitignorePath is the .gitignore at the root.
func (b *builder) gitignorePath() string {
	return path.Join(filepath.ToSlash(b.opts.Root), ".gitignore")
}

// ignore adds pattern to the .gitignore at gi unless it is there already.
func (b *builder) ignore(gi, pattern string, _ bool) {
	if contains(b.gitignore[gi], pattern) {
		return
	}
	b.gitignore[gi] = append(b.gitignore[gi], pattern)
}

func (b *builder) finish() error {
	// Local files first: the changes that remove values depend on them.
	var locals []string
	for p := range b.local {
		locals = append(locals, p)
	}
	sort.Strings(locals)
	for _, p := range locals {
		lf := b.local[p]
		before, err := b.opts.ReadFile(filepath.FromSlash(p))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		if errors.Is(err, os.ErrNotExist) {
			before = nil
		}
		after := appendLocal(before, lf)
		if string(after) == string(before) {
			continue
		}
		kind := KindEnv
		if lf.dvc {
			kind = KindDVC
		}
		c := &Change{Path: p, Kind: kind, Before: before, After: after, Local: true}
		b.addChange(c)
		for _, up := range lf.userPaths {
			if u := b.changes[up]; u != nil {
				u.deps = append(u.deps, c)
			}
		}
	}
	var gis []string
	for p := range b.gitignore {
		gis = append(gis, p)
	}
	sort.Strings(gis)
	for _, gi := range gis {
		before, err := b.opts.ReadFile(filepath.FromSlash(gi))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reading %s: %w", gi, err)
		}
		if errors.Is(err, os.ErrNotExist) {
			before = nil
		}
		after := appendIgnore(before, b.gitignore[gi])
		if string(after) == string(before) {
			continue
		}
		c := &Change{Path: gi, Kind: "gitignore", Before: before, After: after}
		b.addChange(c)
		for _, other := range b.plan.Changes {
			if other.Local {
				other.deps = append(other.deps, c)
			}
		}
	}
	for _, k := range b.k8s {
		b.plan.K8s = append(b.plan.K8s, *k)
	}
	sort.Slice(b.plan.K8s, func(i, j int) bool {
		a, c := b.plan.K8s[i], b.plan.K8s[j]
		return a.Namespace < c.Namespace || a.Namespace == c.Namespace && a.Name < c.Name
	})
	sort.SliceStable(b.plan.Changes, func(i, j int) bool { return b.plan.Changes[i].Path < b.plan.Changes[j].Path })
	return nil
}

// appendIgnore adds the missing patterns at the end of a .gitignore.
func appendIgnore(before []byte, patterns []string) []byte {
	have := map[string]bool{}
	for _, l := range strings.Split(string(before), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	out := string(before)
	for _, p := range patterns {
		if have[p] || have["/"+p] || have[strings.TrimSuffix(p, "/")] {
			continue
		}
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		out += p + "\n"
	}
	return []byte(out)
}
