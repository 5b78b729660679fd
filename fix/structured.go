package fix

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
)

// localEnvFile receives the values moved out of a .env file.
const localEnvFile = ".env.local"

var (
	yamlKeyRe  = regexp.MustCompile(`^\s*(?:-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*:\s`)
	yamlItemRe = regexp.MustCompile(`^\s*-\s+["']?([A-Za-z_][A-Za-z0-9_]*)=`)
)

type edit struct {
	start, end int
	text       string
}

func applyEdits(data []byte, edits []edit) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := append([]byte(nil), data...)
	limit := len(data)
	for _, e := range edits {
		if e.end > limit {
			continue // overlaps an edit already made: never splice twice
		}
		limit = e.start
		out = append(out[:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return out
}

// ghName is a valid Actions secret name: GitHub reserves the GITHUB_ prefix.
func ghName(name string) string {
	if strings.HasPrefix(name, "GITHUB_") {
		return "GH_" + strings.TrimPrefix(name, "GITHUB_")
	}
	return name
}

// workflow replaces each secret with an Actions expression. Expressions are
// expanded in every string of a workflow (env, with, run), so the secret's
// bytes are replaced in place whatever the surrounding scalar.
func (b *builder) workflow(file string, data []byte, fs []detect.Finding) ([]byte, []string) {
	var edits []edit
	var names []string
	for _, f := range fs {
		ls, le := lineBounds(data, f.Offset)
		line := string(data[ls:le])
		kp := f.Location.KeyPath
		if strings.Contains(kp, "workflow_dispatch.inputs.") || strings.Contains(kp, "workflow_call.inputs.") {
			b.proposeOne(f, b.secret(f, "", false, "").Name, "an input's default cannot read secrets; remove it, and pass the value as a secret")
			continue
		}
		if after := strings.TrimLeft(line[f.EndOffset-ls:], " \t\"'"); strings.HasPrefix(after, ":") && !strings.HasPrefix(after, "://") {
			b.proposeOne(f, b.secret(f, "", false, "").Name, "used as a key, not a value; rename it by hand")
			continue
		}
		start, end := f.Offset, f.EndOffset
		inExpr := false
		if open := strings.LastIndex(line[:f.Offset-ls], "${{"); open >= 0 && !strings.Contains(line[open:f.Offset-ls], "}}") {
			// Inside an expression already: a quoted literal there becomes
			// the secrets context itself, not a nested ${{ }}.
			if f.Offset-ls > 0 && f.EndOffset-ls < len(line) && line[f.Offset-ls-1] == '\'' && line[f.EndOffset-ls] == '\'' {
				start, end, inExpr = f.Offset-1, f.EndOffset+1, true
			} else {
				b.proposeOne(f, b.secret(f, "", false, "").Name, "inside a ${{ }} expression but not a quoted literal; replace it by hand")
				continue
			}
		}
		ctx := ""
		if n, ok := urlUserinfo(line, f.Offset-ls, f.EndOffset-ls); ok {
			ctx = n
		} else if m := yamlItemRe.FindStringSubmatch(line); m != nil {
			ctx = m[1]
		} else if m := yamlKeyRe.FindStringSubmatch(line); m != nil && wholeScalar(line, m[0], f.Offset-ls, f.EndOffset-ls) {
			ctx = m[1]
		}
		s := b.secret(f, ctx, false, "github")
		ref := "${{ secrets." + ghName(s.Name) + " }}"
		switch {
		case inExpr:
			ref = "secrets." + ghName(s.Name)
		case inFlowPlain(line, f.Offset-ls, f.EndOffset-ls):
			ref = `"` + ref + `"` // in {a: b} the braces of ${{ }} would end the mapping
		}
		edits = append(edits, edit{start, end, ref})
		names = appendUniq(names, s.Name)
	}
	return applyEdits(data, edits), names
}

// inFlowPlain reports whether [start,end) of a YAML line is a whole plain
// (unquoted) scalar inside a flow collection ({...} or [...]).
func inFlowPlain(line string, start, end int) bool {
	depth := 0
	for _, c := range line[:start] {
		switch c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
	}
	if depth <= 0 {
		return false
	}
	before := strings.TrimRight(line[:start], " \t")
	after := strings.TrimLeft(line[end:], " \t")
	return (strings.HasSuffix(before, ":") || strings.HasSuffix(before, ",") || strings.HasSuffix(before, "[") || strings.HasSuffix(before, "{")) &&
		(after == "" || strings.ContainsAny(after[:1], ",}]#"))
}

func lineBounds(data []byte, off int) (int, int) {
	s := string(data)
	start := strings.LastIndexByte(s[:off], '\n') + 1
	end := strings.IndexByte(s[off:], '\n')
	if end < 0 {
		return start, len(s)
	}
	end += off
	if end > start && s[end-1] == '\r' {
		end--
	}
	return start, end
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

var namespaceRe = regexp.MustCompile(`^[ \t]+namespace:[ \t]*["']?([A-Za-z0-9.-]+)["']?[ \t]*(?:#.*)?$`)

// manifestNamespace is metadata.namespace of the YAML document holding line
// li, or "".
func manifestNamespace(lines []string, li int) string {
	start, end := li, li
	for start > 0 && !strings.HasPrefix(lines[start], "---") {
		start--
	}
	for end < len(lines) && !(end > li && strings.HasPrefix(lines[end], "---")) {
		end++
	}
	inMeta := false
	for _, l := range lines[start:end] {
		l = strings.TrimRight(l, "\r\n")
		switch {
		case strings.HasPrefix(l, "metadata:"):
			inMeta = true
		case l != "" && l[0] != ' ' && l[0] != '\t' && l[0] != '#':
			inMeta = false
		case inMeta:
			if m := namespaceRe.FindStringSubmatch(l); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

var manifestValueRe = regexp.MustCompile(`^(\s*(?:-\s+)?)value:\s*(["']?)(.*?)(["']?)\s*$`)

// manifest turns `value: <secret>` in a container's env list into a
// valueFrom.secretKeyRef on a Secret created outside version control.
func (b *builder) manifest(file string, data []byte, fs []detect.Finding) ([]byte, []string) {
	var edits []edit
	var names []string
	lines := strings.SplitAfter(string(data), "\n")
	starts := make([]int, len(lines))
	for i, off := 0, 0; i < len(lines); i++ {
		starts[i], off = off, off+len(lines[i])
	}
	secretName := k8sSecretName(b.prov)
	for _, f := range fs {
		li := sort.Search(len(starts), func(i int) bool { return starts[i] > f.Offset }) - 1
		line := strings.TrimRight(lines[li], "\r\n")
		m := manifestValueRe.FindStringSubmatch(line)
		if m == nil || m[2] != m[4] || m[3] != f.Secret {
			s := b.secret(f, "", false, "")
			b.proposeOne(f, s.Name, "not the whole value of a container env entry; reference a Secret by hand (valueFrom.secretKeyRef, or an Argo/Kubeflow secret input)")
			continue
		}
		envVar, ok := envItemName(lines, li, len(m[1]))
		if !ok {
			s := b.secret(f, "", false, "")
			b.proposeOne(f, s.Name, "a value outside a container env list; reference a Secret by hand")
			continue
		}
		s := b.secret(f, envVar, true, "k8s")
		ns := manifestNamespace(lines, li)
		s.Namespaces = appendUniq(s.Namespaces, ns)
		col := len(m[1])
		pad := strings.Repeat(" ", col)
		nl := "\n"
		if strings.HasSuffix(lines[li], "\r\n") {
			nl = "\r\n"
		}
		repl := m[1] + "valueFrom:" + nl + pad + "  secretKeyRef:" + nl + pad + "    name: " + secretName + nl + pad + "    key: " + s.Name
		edits = append(edits, edit{starts[li], starts[li] + len(line), repl})
		names = appendUniq(names, s.Name)
		k := b.k8s[ns+"/"+secretName]
		if k == nil {
			// A Secret lives in its pod's namespace.
			k = &K8sSecret{Name: secretName, Namespace: ns}
			b.k8s[ns+"/"+secretName] = k
		}
		k.Keys = appendUniq(k.Keys, s.Name)
		k.Files = appendUniq(k.Files, file)
	}
	if len(edits) == 0 {
		return nil, nil
	}
	return applyEdits(data, edits), names
}

// envItemName finds the `name:` of the env list item whose value key sits at
// column col on line li, and checks that the list belongs to an env key.
func envItemName(lines []string, li, col int) (string, bool) {
	keyCol := col
	if t := strings.TrimLeft(lines[li], " "); strings.HasPrefix(t, "- ") {
		keyCol = indentOf(lines[li]) + 2
	}
	itemStart := -1
	for i := li; i >= 0; i-- {
		l := strings.TrimRight(lines[i], "\r\n")
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := indentOf(l)
		if ind == keyCol-2 && strings.HasPrefix(strings.TrimLeft(l, " "), "- ") {
			itemStart = i
			break
		}
		if ind < keyCol {
			return "", false
		}
	}
	if itemStart < 0 {
		return "", false
	}
	name := ""
	nameRe := regexp.MustCompile(`^\s*(?:-\s+)?name:\s*["']?([^"'\s#]+)["']?\s*$`)
	for i := itemStart; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r\n")
		if i > itemStart && strings.TrimSpace(l) != "" && indentOf(l) < keyCol {
			break
		}
		if (i == itemStart || indentOf(l) == keyCol) && nameRe.MatchString(l) {
			name = nameRe.FindStringSubmatch(l)[1]
		}
	}
	if name == "" {
		return "", false
	}
	for i := itemStart - 1; i >= 0; i-- {
		l := strings.TrimRight(lines[i], "\r\n")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		if indentOf(l) < keyCol-2 || (indentOf(l) == keyCol-2 && !strings.HasPrefix(strings.TrimLeft(l, " "), "- ")) {
			return name, strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "- ")) == "env:"
		}
	}
	return "", false
}

var envLineRe = regexp.MustCompile(`^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.]*)(\s*=\s*)(.*?)\s*$`)

// envFile leaves a ${NAME} reference in a .env file and moves the value to
// the git-ignored .env.local next to it; with 1Password, an op:// reference
// that `op run --env-file` resolves.
func (b *builder) envFile(file string, data []byte, fs []detect.Finding) ([]byte, []string) {
	var edits []edit
	var names []string
	local := path.Join(path.Dir(file), localEnvFile)
	var lf *localFile
	for _, f := range fs {
		ls, le := lineBounds(data, f.Offset)
		line := string(data[ls:le])
		m := envLineRe.FindStringSubmatch(line)
		if m == nil {
			s := b.secret(f, "", false, "")
			b.proposeOne(f, s.Name, "not on a KEY=value line")
			continue
		}
		key := m[2]
		valStart := ls + len(m[1]) + len(m[2]) + len(m[3])
		if f.Offset < valStart {
			b.proposeOne(f, b.secret(f, "", false, "").Name, "used as a variable's name, not its value; rename it by hand")
			continue
		}
		value := m[4]
		q := ""
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') {
			// A quoted value, perhaps followed by a comment: KEY='v' # note
			if end := strings.IndexByte(value[1:], value[0]); end >= 0 {
				rest := strings.TrimSpace(value[end+2:])
				if rest == "" || rest[0] == '#' {
					q, value = value[:1], value[:end+2]
				}
			}
		}
		inner := strings.TrimSuffix(strings.TrimPrefix(value, q), q)
		if q != "" {
			valStart++
		}
		whole := f.Offset == valStart && f.EndOffset == valStart+len(inner)

		ctx, keep := key, true
		if !whole {
			if n, ok := urlUserinfo(line, f.Offset-ls, f.EndOffset-ls); ok {
				ctx, keep = n, false
			} else {
				ctx, keep = key+"_SECRET", false
			}
		}
		if b.prov.name == "1password" {
			if !whole {
				s := b.secret(f, ctx, keep, "")
				b.proposeOne(f, s.Name, "op:// references must be a whole value; split the value by hand")
				continue
			}
			s := b.secret(f, ctx, keep, "1password")
			edits = append(edits, edit{f.Offset, f.EndOffset, b.prov.onePasswordRef(s.Name)})
			names = appendUniq(names, s.Name)
			continue
		}
		s := b.secret(f, ctx, keep, "")
		if q == "'" && !(whole && s.Name == key) {
			// ${VAR} inside single quotes is not expanded by dotenv loaders;
			// a whole value under its own name just moves with its line.
			b.proposeOne(f, s.Name, "in a single-quoted value, where a ${VAR} reference would not expand; move it by hand")
			continue
		}
		if !contains(s.Stores, "local") {
			s.Stores = append(s.Stores, "local")
		}
		s.LocalFile = local
		if s.Name == key && whole {
			// NAME=${NAME} would only refer to itself: the local file defines it.
			edits = append(edits, edit{ls, le, fmt.Sprintf("# %s is set in %s (git-ignored)", key, localEnvFile)})
		} else {
			edits = append(edits, edit{f.Offset, f.EndOffset, "${" + s.Name + "}"})
		}
		if lf == nil {
			lf = b.localFile(local, false)
		}
		lf.entries = append(lf.entries, localEntry{line: s.Name + "=" + quoteEnv(f.Secret)})
		names = appendUniq(names, s.Name)
	}
	if len(edits) == 0 {
		return nil, nil
	}
	if lf != nil {
		b.ignore(b.gitignorePath(), localEnvFile, false)
	}
	out := applyEdits(data, edits)
	b.deferUser(lf, file)
	return out, names
}

// deferUser records that file's change needs lf written first; the change
// is created after this call returns, so it is linked in finish.
func (b *builder) deferUser(lf *localFile, file string) {
	if lf != nil {
		lf.userPaths = append(lf.userPaths, file)
	}
}

func quoteEnv(v string) string {
	if strings.ContainsAny(v, " #\"'$\\`") {
		return "'" + v + "'"
	}
	return v
}

func (b *builder) localFile(p string, dvc bool) *localFile {
	lf := b.local[p]
	if lf == nil {
		lf = &localFile{path: p, dvc: dvc}
		b.local[p] = lf
	}
	return lf
}

var iniSectionRe = regexp.MustCompile(`^\s*\[(.*)\]\s*$`)
var iniKeyRe = regexp.MustCompile(`^(\s*)([\w.-]+)(\s*=\s*)(.*?)\s*$`)

// dvc moves a credential line of .dvc/config to .dvc/config.local, which DVC
// merges on read and ignores in git, and leaves a comment in its place.
func (b *builder) dvc(file string, data []byte, fs []detect.Finding) ([]byte, []string) {
	var edits []edit
	var names []string
	local := path.Join(path.Dir(file), "config.local")
	lines := strings.SplitAfter(string(data), "\n")
	starts := make([]int, len(lines))
	for i, off := 0, 0; i < len(lines); i++ {
		starts[i], off = off, off+len(lines[i])
	}
	var lf *localFile
	done := map[int]bool{}
	for _, f := range fs {
		li := sort.Search(len(starts), func(i int) bool { return starts[i] > f.Offset }) - 1
		line := strings.TrimRight(lines[li], "\r\n")
		m := iniKeyRe.FindStringSubmatch(line)
		section := ""
		for i := li - 1; i >= 0; i-- {
			if sm := iniSectionRe.FindStringSubmatch(strings.TrimRight(lines[i], "\r\n")); sm != nil {
				section = strings.TrimSpace(lines[i])
				break
			}
		}
		if m == nil || section == "" {
			s := b.secret(f, "", false, "")
			b.proposeOne(f, s.Name, "not a key = value line inside a section")
			continue
		}
		remote := strings.Trim(strings.TrimPrefix(strings.Trim(iniSectionRe.FindStringSubmatch(section)[1], `'" `), "remote"), `'" `)
		s := b.secret(f, "DVC_"+remote+"_"+m[2], false, "local")
		s.LocalFile = local
		names = appendUniq(names, s.Name)
		if done[li] {
			continue
		}
		done[li] = true
		if lf == nil {
			lf = b.localFile(local, true)
		}
		lf.entries = append(lf.entries, localEntry{section: section, line: strings.TrimLeft(line, " \t")})
		edits = append(edits, edit{starts[li], starts[li] + len(line),
			fmt.Sprintf("%s# %s is set in config.local (dvc remote modify --local)", m[1], m[2])})
	}
	if len(edits) == 0 {
		return nil, nil
	}
	if lf != nil {
		b.ignore(path.Join(path.Dir(file), ".gitignore"), "/config.local", false)
	}
	b.deferUser(lf, file)
	return applyEdits(data, edits), names
}

// appendLocal adds entries to a local file's content: .env lines at the end
// (unless already there); DVC lines under their section, adding it if missing.
func appendLocal(before []byte, lf *localFile) []byte {
	out := string(before)
	have := map[string]bool{}
	for _, l := range strings.Split(out, "\n") {
		have[strings.TrimSpace(l)] = true
	}
	for _, e := range lf.entries {
		if have[strings.TrimSpace(e.line)] {
			continue
		}
		have[strings.TrimSpace(e.line)] = true
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		if e.section == "" {
			out += e.line + "\n"
			continue
		}
		if i := strings.Index(out, e.section+"\n"); i >= 0 {
			at := i + len(e.section) + 1
			out = out[:at] + "    " + e.line + "\n" + out[at:]
			continue
		}
		out += e.section + "\n    " + e.line + "\n"
	}
	return []byte(out)
}

// wholeScalar reports whether [start,end) of line is the whole value after
// the key prefix (quotes and a trailing comment aside).
func wholeScalar(line, prefix string, start, end int) bool {
	v := strings.TrimSpace(line[len(prefix):])
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	v = strings.Trim(v, `"'`)
	return v == line[start:end]
}
