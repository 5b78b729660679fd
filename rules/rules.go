// Package rules holds Lifeguard's rule pack (gitleaks TOML format, embedded)
// and builds the rule set the engine runs: gitleaks' default rules, extended
// and overridden by Lifeguard's, then by a user's configuration.
package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/zricethezav/gitleaks/v8/config"
)

//go:embed *.toml
var packFS embed.FS

// Origin says where a rule came from; the engine prefers specific rules from
// Lifeguard's pack over gitleaks' when two report the same secret.
type Origin string

const (
	OriginGitleaks  Origin = "gitleaks"
	OriginLifeguard Origin = "lifeguard"
	OriginUser      Origin = "user"
)

// Rule is the part of a rule Lifeguard reads besides what gitleaks translates:
// its examples, which run as tests, and its fix hint.
type Rule struct {
	ID          string   `toml:"id"`
	Description string   `toml:"description"`
	Regex       string   `toml:"regex"`
	Keywords    []string `toml:"keywords"`
	// TPs must each produce a finding of this rule; FPs must produce none.
	TPs []string `toml:"tps"`
	FPs []string `toml:"fps"`
	// EnvName is the variable name a fix proposes for this secret (e.g. OPENAI_API_KEY).
	EnvName string `toml:"env_name"`
	// InheritAllowlists keeps the allowlists (stopwords, regexes) of the rule
	// this one replaces, so a tuned copy of a gitleaks rule keeps its
	// exceptions without repeating them.
	InheritAllowlists bool `toml:"inherit_allowlists"`
	// KeywordsMatchCase makes a keyword written with capitals (Alpaca's
	// "PK") enable the rule only where it appears as written: gitleaks
	// matches keywords in any case, and "pk" is in every other word.
	KeywordsMatchCase bool   `toml:"keywords_match_case"`
	Origin            Origin `toml:"-"`
	File              string `toml:"-"`
}

type packFile struct {
	Rules []Rule `toml:"rules"`
}

// Set is a ready-to-run rule set.
type Set struct {
	Config config.Config
	// Rules describes every active rule by id.
	Rules map[string]Rule
	// DefaultAllowlists is how many of Config.Allowlists, at the front,
	// are gitleaks' defaults (binary file types, lock files, vendored code):
	// a file a Lifeguard format reads by content is not skipped by them.
	DefaultAllowlists int
}

// Pack returns Lifeguard's own rules as written in the embedded TOML files.
func Pack() ([]Rule, error) {
	var out []Rule
	names, err := fs.Glob(packFS, "*.toml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := packFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var pf packFile
		if _, err := toml.Decode(string(data), &pf); err != nil {
			return nil, fmt.Errorf("rules/%s: %w", name, err)
		}
		for _, r := range pf.Rules {
			r.Origin, r.File = OriginLifeguard, name
			out = append(out, r)
		}
	}
	return out, nil
}

// Load builds the rule set: gitleaks' defaults, Lifeguard's pack, then each
// user config in order (gitleaks format; a rule with an existing id replaces
// it, [extend] disabledRules removes rules, [[allowlists]] add to the global ones).
func Load(userConfigs ...[]byte) (*Set, error) {
	named := make([]UserConfig, len(userConfigs))
	for i, u := range userConfigs {
		named[i] = UserConfig{Name: fmt.Sprintf("user config %d", i+1), Data: u}
	}
	return LoadConfigs(named...)
}

// UserConfig is a user's gitleaks-format TOML and the name (its path) that
// errors and rule listings give it.
type UserConfig struct {
	Name string
	Data []byte
}

// LoadConfigs is Load with named user configs.
func LoadConfigs(userConfigs ...UserConfig) (*Set, error) {
	var merged config.ViperConfig
	meta := map[string]Rule{}
	add := func(src string, data []byte, origin Origin) error {
		var vc config.ViperConfig
		if _, err := toml.Decode(string(data), &vc); err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		var pf packFile
		if _, err := toml.Decode(string(data), &pf); err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		for _, id := range vc.Extend.DisabledRules {
			for i := 0; i < len(merged.Rules); i++ {
				if merged.Rules[i].ID == id {
					merged.Rules = append(merged.Rules[:i], merged.Rules[i+1:]...)
					i--
				}
			}
			delete(meta, id)
		}
		for i, r := range vc.Rules {
			if r.ID == "" {
				return fmt.Errorf("%s: rule %d has no id", src, i+1)
			}
			replaced := false
			for j := range merged.Rules {
				if merged.Rules[j].ID == r.ID {
					if pf.Rules[i].InheritAllowlists {
						r.Allowlists = append(merged.Rules[j].Allowlists, r.Allowlists...)
						if r.AllowList == nil {
							r.AllowList = merged.Rules[j].AllowList
						}
					}
					merged.Rules[j] = r
					replaced = true
				}
			}
			if !replaced {
				merged.Rules = append(merged.Rules, r)
			}
			m := pf.Rules[i]
			m.Origin, m.File = origin, src
			meta[r.ID] = m
		}
		if vc.AllowList != nil {
			merged.Allowlists = append(merged.Allowlists, vc.AllowList)
		}
		merged.Allowlists = append(merged.Allowlists, vc.Allowlists...)
		return nil
	}
	if err := add("gitleaks default config", []byte(config.DefaultConfig), OriginGitleaks); err != nil {
		return nil, err
	}
	defaults := 0
	for _, a := range merged.Allowlists {
		if len(a.TargetRules) == 0 { // as Translate keeps them, in order
			defaults++
		}
	}
	names, _ := fs.Glob(packFS, "*.toml")
	sort.Strings(names)
	for _, name := range names {
		data, _ := packFS.ReadFile(name)
		if err := add("rules/"+name, data, OriginLifeguard); err != nil {
			return nil, err
		}
	}
	for _, u := range userConfigs {
		if err := add(u.Name, u.Data, OriginUser); err != nil {
			return nil, err
		}
	}
	cfg, err := translate(&merged)
	if err != nil {
		return nil, err
	}
	return &Set{Config: cfg, Rules: meta, DefaultAllowlists: defaults}, nil
}

// translate wraps gitleaks' Translate, which panics on an invalid regex.
func translate(vc *config.ViperConfig) (cfg config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid rule configuration: %v", r)
		}
	}()
	cfg, err = vc.Translate()
	if err != nil {
		return cfg, fmt.Errorf("invalid rule configuration: %w", err)
	}
	return cfg, nil
}

// IDs returns the active rule ids, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.Config.Rules))
	for id := range s.Config.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Origin returns where rule id came from.
func (s *Set) Origin(id string) Origin {
	if m, ok := s.Rules[id]; ok {
		return m.Origin
	}
	return OriginGitleaks
}

// IsGeneric reports whether a rule is a catch-all context rule, ranked below
// every provider-specific rule when two report the same secret.
func IsGeneric(id string) bool {
	return strings.HasPrefix(id, "generic") || strings.HasSuffix(id, "-context") || id == "secret-named-key"
}
