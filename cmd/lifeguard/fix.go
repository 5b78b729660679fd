package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/fix"
	"github.com/lifeguard-dev/lifeguard/report"
	"github.com/lifeguard-dev/lifeguard/scanner"
)

// fixDefaults is the [fix] table of .lifeguard.toml.
type fixDefaults struct {
	Fix struct {
		Provider  string `toml:"provider"`
		VaultPath string `toml:"vault_path"`
	} `toml:"fix"`
}

func readFixDefaults(configPath, root string) (fixDefaults, error) {
	var d fixDefaults
	p := configPath
	if p == "" {
		p = filepath.Join(root, ".lifeguard.toml")
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) && configPath == "" {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("reading %s: %w", p, err)
	}
	if _, err := toml.Decode(string(data), &d); err != nil {
		return d, fmt.Errorf("%s: %w", p, err)
	}
	return d, nil
}

func runFix(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("fix", "[flags] [PATH...]  (default '.')", e)
	apply := fs.Bool("apply", false, "write the changes (default: only print them)")
	provider := fs.String("provider", "", "secret store the references point at: "+strings.Join(fix.Providers, ", ")+" (default env, or [fix] provider in .lifeguard.toml)")
	vaultPath := fs.String("vault-path", "", "the provider's prefix or mount: Vault mount/prefix, AWS name prefix, GCP project, Azure Key Vault name, 1Password vault, Databricks scope, Kubernetes Secret name")
	show := fs.Bool("show-secrets", false, "show secrets in full in diffs and store commands (redacted by default)")
	format := fs.String("format", "text", "output format: text or json")
	config := fs.String("config", "", "gitleaks-format TOML that extends the rules; its [fix] table sets defaults (default: .lifeguard.toml at the root)")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	for _, p := range paths {
		if p == "-" {
			return fail(e, "fix rewrites files; it cannot read standard input")
		}
	}
	if *format != "text" && *format != "json" {
		return fail(e, "unknown --format %q (want text or json)", *format)
	}
	proj := findProject(ctx, paths)
	root := proj.root
	defaults, err := readFixDefaults(*config, root)
	if err != nil {
		return fail(e, "%v", err)
	}
	if *provider == "" {
		*provider = defaults.Fix.Provider
	}
	if *vaultPath == "" && (*provider == defaults.Fix.Provider || defaults.Fix.Provider == "") {
		*vaultPath = defaults.Fix.VaultPath
	}
	set, err := loadRules(*config, root)
	if err != nil {
		return fail(e, "%v", err)
	}
	sc := scanner.New(detect.New(set), scanner.Options{Root: root, Tracked: proj.tracked})
	res, err := sc.ScanPaths(ctx, paths, nil)
	if err != nil {
		return fail(e, "%v", err)
	}
	if !*show {
		report.ScrubWarnings(res)
	}
	// Findings accepted in .lifeguardignore are not secrets to move.
	if _, err := applyIgnore(e, root, res); err != nil {
		return fail(e, "%v", err)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(e.stderr, "lifeguard: skipped %s: %s\n", report.Printable(s.File), s.Reason)
	}
	plan, err := fix.Build(res.Findings, fix.Options{Provider: *provider, VaultPath: *vaultPath, Root: root, Rules: set})
	if err != nil {
		return fail(e, "%v", err)
	}
	var applied *fix.Result
	var applyErr error
	if *apply {
		applied, applyErr = plan.Apply()
	}
	if *format == "json" {
		err = plan.WriteJSON(e.stdout, *show, applied)
	} else {
		err = plan.WriteText(e.stdout, *show, applied)
	}
	if err != nil {
		return fail(e, "writing output: %v", err)
	}
	if applyErr != nil {
		return fail(e, "%v", applyErr)
	}
	switch {
	case *apply && (len(plan.Proposals) > 0 || len(applied.Skipped) > 0):
		return exitFindings // something is left for the user
	case !*apply && (len(plan.Changes) > 0 || len(plan.Proposals) > 0):
		return exitFindings
	}
	return exitClean
}
