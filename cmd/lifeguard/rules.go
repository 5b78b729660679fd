package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/lifeguard-dev/lifeguard/rules"
)

func runRules(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("rules", "[flags]", e)
	config := fs.String("config", "", "gitleaks-format TOML that extends or overrides the rules")
	format := fs.String("format", "text", "output format: text or json")
	verbose := fs.Bool("verbose", false, "also show keywords, example counts and the fix's variable name")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(pos) > 0 {
		return fail(e, "rules takes no arguments, got %q", pos)
	}
	set, err := loadRules(*config, findProject(ctx, nil).root)
	if err != nil {
		return fail(e, "%v", err)
	}
	type row struct {
		ID          string   `json:"id"`
		Origin      string   `json:"origin"`
		Description string   `json:"description"`
		Keywords    []string `json:"keywords"`
		File        string   `json:"file,omitempty"`
		TPs         int      `json:"true_positive_examples"`
		FPs         int      `json:"false_positive_examples"`
		EnvName     string   `json:"env_name,omitempty"`
	}
	var rows []row
	counts := map[string]int{}
	for _, id := range set.IDs() {
		r := set.Config.Rules[id]
		m := set.Rules[id]
		origin := string(set.Origin(id))
		counts[origin]++
		rows = append(rows, row{ID: id, Origin: origin, Description: r.Description, Keywords: r.Keywords,
			File: m.File, TPs: len(m.TPs), FPs: len(m.FPs), EnvName: m.EnvName})
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return fail(e, "%v", err)
		}
	case "text":
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		if *verbose {
			fmt.Fprintln(tw, "ID\tORIGIN\tEXAMPLES\tKEYWORDS\tENV\tDESCRIPTION")
		} else {
			fmt.Fprintln(tw, "ID\tORIGIN\tDESCRIPTION")
		}
		for _, r := range rows {
			if !*verbose {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Origin, r.Description)
				continue
			}
			ex := "-"
			if r.TPs+r.FPs > 0 {
				ex = fmt.Sprintf("%d tp / %d fp", r.TPs, r.FPs)
			}
			kw := strings.Join(r.Keywords, ",")
			if len(kw) > 40 {
				kw = kw[:39] + "…"
			}
			env := r.EnvName
			if env == "" {
				env = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Origin, ex, kw, env, r.Description)
		}
		tw.Flush()
		fmt.Fprintf(e.stdout, "%d rules (%d lifeguard, %d gitleaks, %d user)\n", len(rows),
			counts[string(rules.OriginLifeguard)], counts[string(rules.OriginGitleaks)], counts[string(rules.OriginUser)])
	default:
		return fail(e, "unknown --format %q (want text or json)", *format)
	}
	return exitClean
}
