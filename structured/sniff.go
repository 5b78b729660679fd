package structured

import (
	"bytes"
	"path"
	"strings"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// Sniff returns the kind of structured file at p (KindYAML, KindJSON,
// KindINI, KindEnv, KindNetrc) from its name and its first bytes, or "".
// Names come first (MLmodel, .dvc/config, .pypirc…); files without a telling
// extension are recognised by content (a leading "---", "{", or "[section]").
func Sniff(p string, head []byte) string {
	base := path.Base(p)
	lower := strings.ToLower(base)
	ext := path.Ext(lower)
	dir := path.Base(path.Dir(p))
	switch {
	case ext == ".yaml" || ext == ".yml" || base == "MLmodel" || lower == ".yamllint":
		return KindYAML
	case ext == ".json" || lower == ".dockerconfigjson":
		return KindJSON
	case lower == ".netrc" || lower == "_netrc":
		return KindNetrc
	case lower == ".env" || lower == ".envrc" || strings.HasPrefix(lower, ".env.") || ext == ".env":
		return KindEnv
	case ext == ".ini" || ext == ".cfg" || ext == ".conf" || ext == ".cnf" || ext == ".toml" || ext == ".properties",
		lower == ".pypirc" || lower == ".gitconfig" || lower == ".s3cfg" || lower == ".boto",
		dir == ".dvc" && (lower == "config" || lower == "config.local"),
		dir == ".aws" && (lower == "credentials" || lower == "config"):
		return KindINI
	}
	if ext != "" {
		return ""
	}
	// No extension: look at the content.
	h := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	switch {
	case bytes.HasPrefix(h, []byte("%YAML")) || bytes.HasPrefix(h, []byte("---\n")) || bytes.HasPrefix(h, []byte("---\r\n")):
		return KindYAML
	case bytes.HasPrefix(h, []byte("{\"")) || bytes.HasPrefix(h, []byte("{\n")):
		return KindJSON
	case iniHeader(h):
		return KindINI
	}
	return ""
}

// iniHeader reports whether the first meaningful line is a [section] header.
func iniHeader(h []byte) bool {
	for len(h) > 0 {
		l := h
		if i := bytes.IndexByte(h, '\n'); i >= 0 {
			l, h = h[:i], h[i+1:]
		} else {
			h = nil
		}
		l = bytes.TrimSpace(l)
		if len(l) == 0 || l[0] == '#' || l[0] == ';' {
			continue
		}
		return l[0] == '[' && l[len(l)-1] == ']' && len(l) > 2 && !bytes.ContainsAny(l, "{},")
	}
	return false
}

// Parser returns the parser for a kind returned by Sniff, or nil.
func Parser(kind string) func([]byte) ([]segment.Segment, error) {
	switch kind {
	case KindYAML:
		return YAML
	case KindJSON:
		return JSON
	case KindINI:
		return INI
	case KindEnv:
		return Env
	case KindNetrc:
		return Netrc
	}
	return nil
}
