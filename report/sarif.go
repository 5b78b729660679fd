package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// SARIF types: only what Lifeguard writes, following SARIF 2.1.0 as GitHub
// code scanning reads it.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration map[string]string `json:"defaultConfiguration"`
	Properties           map[string]any    `json:"properties,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind,omitempty"`
}

// SARIF writes a SARIF 2.1.0 log. Each rule that has a result is listed
// once in tool.driver.rules, and results point at it by index.
func SARIF(w io.Writer, res *scanner.Result, opts Options) error {
	fs := githubFindings(res.Findings, opts)
	index := map[string]int{}
	var ids []string
	desc := map[string]string{}
	for _, f := range fs {
		if _, ok := index[f.RuleID]; !ok {
			index[f.RuleID] = -1
			ids = append(ids, f.RuleID)
			desc[f.RuleID] = f.Description
		}
	}
	sort.Strings(ids)
	driver := sarifDriver{Name: "lifeguard", InformationURI: "https://github.com/lifeguard-dev/lifeguard", Version: opts.Version, Rules: []sarifRule{}}
	for i, id := range ids {
		index[id] = i
		help := "Move the secret to a secret store and reference it instead (`lifeguard fix`). Rotate it: it may already be in git history."
		if opts.RuleHelp != nil {
			if h := opts.RuleHelp(id); h != "" {
				help = h
			}
		}
		d := desc[id]
		if d == "" {
			d = id
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID: id, Name: id,
			ShortDescription:     sarifText{Text: d},
			FullDescription:      sarifText{Text: d},
			Help:                 sarifText{Text: help, Markdown: help},
			DefaultConfiguration: map[string]string{"level": "error"},
			Properties:           map[string]any{"tags": []string{"security", "secret"}, "security-severity": "9.0"},
		})
	}
	results := []sarifResult{}
	for _, f := range fs {
		where := f.where
		msg := f.Description
		if msg == "" {
			msg = f.RuleID
		}
		msg += ": " + f.Secret
		if where != "" {
			msg += " (" + where + ")"
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: uri(repoPath(f.Finding))},
			Region:           region(f.Finding),
		}}
		if where != "" {
			loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: where, Kind: f.Location.Kind}}
		}
		props := map[string]any{"entropy": f.Entropy}
		if f.Commit != "" {
			props["commit"] = f.Commit
		}
		results = append(results, sarifResult{
			RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: "error",
			Message:             sarifText{Text: msg},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{"lifeguard/v1": f.Fingerprint},
			Properties:          props,
		})
	}
	log := sarifLog{
		Schema:  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
		Version: "2.1.0",
		// Finding columns count runes, not the UTF-16 units SARIF assumes by default.
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results, ColumnKind: "unicodeCodePoints"}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// region is the finding's span; SARIF's endColumn is exclusive. A finding
// without a line (standard input read as a whole) has no region.
func region(f detect.Finding) *sarifRegion {
	if f.StartLine < 1 {
		return nil
	}
	r := &sarifRegion{StartLine: f.StartLine, StartColumn: max(f.StartColumn, 1), EndLine: max(f.EndLine, f.StartLine)}
	r.EndColumn = max(f.EndColumn+1, 1)
	if r.EndLine == r.StartLine && r.EndColumn < r.StartColumn {
		r.EndColumn = r.StartColumn
	}
	return r
}

// uri turns a path into a URI reference: relative paths stay relative (as
// GitHub code scanning expects, relative to the repository root) with each
// segment percent-encoded, ':' included so that a first segment like "c:x"
// is not read as a scheme; absolute paths become file:// URIs.
func uri(p string) string {
	p = filepath.ToSlash(p)
	abs := strings.HasPrefix(p, "/")
	if vol := filepath.VolumeName(p); vol != "" {
		abs, p = true, "/"+p // C:/x -> file:///C:/x
	}
	p = strings.TrimPrefix(p, "./")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if abs && i == 1 && len(s) == 2 && s[1] == ':' {
			continue // keep a Windows drive letter as is
		}
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	p = strings.Join(segs, "/")
	if abs {
		return "file://" + p
	}
	return p
}
