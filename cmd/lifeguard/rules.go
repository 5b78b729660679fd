package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
)

func runRules(_ context.Context, args []string, e *env) int {
	fs := newFlagSet("rules", "[flags]", e)
	config := fs.String("config", "", "gitleaks-format TOML that extends or overrides the rules")
	format := fs.String("format", "text", "output format: text or json")
	if _, err := parseInterspersed(fs, args); err != nil {
		return flagError(err)
	}
	set, err := loadRules(*config, ".")
	if err != nil {
		return fail(e, "%v", err)
	}
	type row struct {
		ID          string   `json:"id"`
		Origin      string   `json:"origin"`
		Description string   `json:"description"`
		Keywords    []string `json:"keywords"`
	}
	var rows []row
	for _, id := range set.IDs() {
		r := set.Config.Rules[id]
		rows = append(rows, row{ID: id, Origin: string(set.Origin(id)), Description: r.Description, Keywords: r.Keywords})
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
		fmt.Fprintln(tw, "ID\tORIGIN\tDESCRIPTION")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Origin, r.Description)
		}
		tw.Flush()
		fmt.Fprintf(e.stdout, "%d rules\n", len(rows))
	default:
		return fail(e, "unknown --format %q (want text or json)", *format)
	}
	return exitClean
}
