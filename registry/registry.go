// Package registry reads model-registry and experiment-tracking files that
// are not plain configuration formats: MLflow's one-value-per-file params
// and tags (mlruns/<exp>/<run>/params/openai_api_key), a stray Hugging Face
// token file, and the YAML front matter of a model card (README.md). Other
// registry files are configuration formats handled by package structured:
// MLmodel and meta.yaml (YAML), wandb-metadata.json, W&B config.yaml,
// Hugging Face config.json, .dvc/config (INI).
package registry

import (
	"bytes"
	"path"
	"strings"

	"github.com/lifeguard-dev/lifeguard/segment"
	"github.com/lifeguard-dev/lifeguard/structured"
)

// Kinds of registry files.
const (
	KindMLflow      = "mlflow"
	KindHFToken     = "hf-token"
	KindFrontMatter = "front-matter"
)

// Sniff returns the kind of registry file at p, or "".
func Sniff(p string, head []byte) string {
	dir, base := path.Split(p)
	parent := path.Base(dir)
	switch {
	case (parent == "params" || parent == "tags") && strings.Contains("/"+dir, "/mlruns/"):
		return KindMLflow
	case base == "token" && (parent == "huggingface" || parent == ".huggingface" || bytes.HasPrefix(head, []byte("hf_"))):
		return KindHFToken
	case (strings.EqualFold(path.Ext(base), ".md") || strings.EqualFold(path.Ext(base), ".markdown")) &&
		(bytes.HasPrefix(head, []byte("---\n")) || bytes.HasPrefix(head, []byte("---\r\n"))):
		return KindFrontMatter
	}
	return ""
}

// Segments returns the segments of a registry file of kind at p.
func Segments(kind, p string, data []byte) ([]segment.Segment, error) {
	switch kind {
	case KindMLflow:
		// The file name is the param or tag; its content the value.
		dir, name := path.Split(p)
		return wholeFile(data, path.Base(dir)+"."+name, name, KindMLflow), nil
	case KindHFToken:
		return wholeFile(data, "token", "token", KindHFToken), nil
	case KindFrontMatter:
		return frontMatter(data)
	}
	return nil, nil
}

// wholeFile makes one segment of a file's content, trailing line break aside.
func wholeFile(data []byte, keyPath, ctx, kind string) []segment.Segment {
	text := strings.TrimRight(string(data), "\r\n")
	if strings.TrimSpace(text) == "" || structured.IsReference(text) {
		return nil
	}
	s := segment.Plain(text, 0, segment.Location{Kind: kind, KeyPath: keyPath})
	s.Context = ctx
	return []segment.Segment{s}
}

// frontMatter parses the YAML between the leading "---" line and the next
// "---" (or "...") line.
func frontMatter(data []byte) ([]segment.Segment, error) {
	start := bytes.IndexByte(data, '\n') + 1
	end := -1
	for i := start; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		line := data[i:]
		if j >= 0 {
			line = data[i : i+j]
		}
		if l := string(bytes.TrimRight(line, "\r \t")); l == "---" || l == "..." {
			end = i
			break
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	if end < 0 {
		return nil, nil // no closing line: not front matter, the plain pass reads it
	}
	segs, err := structured.YAMLAt(data, start, end)
	for i := range segs {
		segs[i].Loc.Kind = KindFrontMatter
	}
	return segs, err
}
