package main

import (
	"strings"
	"testing"
)

func TestPlan(t *testing.T) {
	a := strings.Repeat("a", 40)
	b := strings.Repeat("b", 40)
	zero := strings.Repeat("0", 40)
	tests := []struct {
		name, event, payload, mode string
		want                       Plan
		wantErr                    string
	}{
		{name: "pull_request", event: "pull_request",
			payload: `{"pull_request":{"number":12,"base":{"sha":"` + a + `"},"head":{"sha":"` + b + `"}}}`,
			want:    Plan{Kind: kindRange, Base: a, Head: b, Scope: "pull request #12, commits aaaaaaa..bbbbbbb"}},
		{name: "pull_request_target", event: "pull_request_target",
			payload: `{"pull_request":{"number":3,"base":{"sha":"` + a + `"},"head":{"sha":"` + b + `"}}}`,
			want:    Plan{Kind: kindRange, Base: a, Head: b, Scope: "pull request #3, commits aaaaaaa..bbbbbbb"}},
		{name: "pull_request without shas", event: "pull_request", payload: `{"pull_request":{"number":3}}`,
			wantErr: "pull_request event payload has no pull_request.base.sha and head.sha"},
		{name: "merge_group", event: "merge_group",
			payload: `{"merge_group":{"base_sha":"` + a + `","head_sha":"` + b + `"}}`,
			want:    Plan{Kind: kindRange, Base: a, Head: b, Scope: "merge group, commits aaaaaaa..bbbbbbb"}},
		{name: "push", event: "push",
			payload: `{"ref":"refs/heads/dev","before":"` + a + `","after":"` + b + `","repository":{"default_branch":"main"}}`,
			want:    Plan{Kind: kindRange, Base: a, Head: b, Scope: "push to dev, commits aaaaaaa..bbbbbbb"}},
		{name: "force push", event: "push",
			payload: `{"ref":"refs/heads/dev","before":"` + a + `","after":"` + b + `","forced":true,"repository":{"default_branch":"main"}}`,
			want:    Plan{Kind: kindRange, Base: a, Head: b, Fallback: "main", Scope: "force push to dev, commits aaaaaaa..bbbbbbb"}},
		{name: "force push to the default branch", event: "push",
			payload: `{"ref":"refs/heads/main","before":"` + a + `","after":"` + b + `","forced":true,"repository":{"default_branch":"main"}}`,
			want:    Plan{Kind: kindRange, Base: a, Head: b, Scope: "force push to main, commits aaaaaaa..bbbbbbb"}},
		{name: "new branch", event: "push",
			payload: `{"ref":"refs/heads/dev","before":"` + zero + `","after":"` + b + `","created":true,"repository":{"default_branch":"main"}}`,
			want:    Plan{Kind: kindRange, BaseBranch: "main", Head: b, Scope: "push creating dev: commits not on main, up to bbbbbbb"}},
		{name: "new tag", event: "push",
			payload: `{"ref":"refs/tags/v1.0.0","before":"` + zero + `","after":"` + b + `","created":true,"repository":{"default_branch":"main"}}`,
			want:    Plan{Kind: kindRange, BaseBranch: "main", Head: b, Scope: "push creating v1.0.0: commits not on main, up to bbbbbbb"}},
		{name: "first push of the default branch", event: "push",
			payload: `{"ref":"refs/heads/main","before":"` + zero + `","after":"` + b + `","created":true,"repository":{"default_branch":"main"}}`,
			want:    Plan{Kind: kindCommits, Head: b, Scope: "push creating main: all commits up to bbbbbbb"}},
		{name: "deleted branch", event: "push",
			payload: `{"ref":"refs/heads/dev","before":"` + a + `","after":"` + zero + `","deleted":true}`,
			want:    Plan{Kind: kindNone, Scope: "push deleting dev: no commits"}},
		{name: "push without after", event: "push", payload: `{"ref":"refs/heads/dev","before":"` + a + `","after":"xyz"}`,
			wantErr: "push event payload has no after commit"},
		{name: "bad payload", event: "push", payload: `{`, wantErr: "reading the push event payload"},
		{name: "schedule", event: "schedule", payload: `{}`, want: Plan{Kind: kindHistory, Scope: "the full git history"}},
		{name: "workflow_dispatch", event: "workflow_dispatch", want: Plan{Kind: kindHistory, Scope: "the full git history"}},
		{name: "working tree on a pull request", event: "pull_request", payload: `{`, mode: "working-tree",
			want: Plan{Kind: kindTree, Scope: "the working tree"}},
		{name: "history on a push", event: "push", payload: `{`, mode: "history",
			want: Plan{Kind: kindHistory, Scope: "the full git history"}},
		{name: "unknown mode", event: "push", mode: "diff",
			wantErr: `input mode: "diff" is not one of auto, history, working-tree`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := plan(tt.event, []byte(tt.payload), tt.mode)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("plan\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestLifeguardArgs(t *testing.T) {
	cfg := config{sarif: "/tmp/l.sarif", summary: "/tmp/s.md", config: "lg.toml", paths: []string{"nb", "-x"}}
	tests := []struct {
		plan Plan
		want string
	}{
		{Plan{Kind: kindRange, Base: "a", Head: "b"}, "history --range a..b --format sarif --report /tmp/l.sarif --annotations --step-summary /tmp/s.md --config lg.toml"},
		{Plan{Kind: kindCommits, Head: "b"}, "history --branch b --format sarif --report /tmp/l.sarif --annotations --step-summary /tmp/s.md --config lg.toml"},
		{Plan{Kind: kindHistory}, "history --format sarif --report /tmp/l.sarif --annotations --step-summary /tmp/s.md --config lg.toml"},
		// Paths come after "--", so a path can never be read as a flag.
		{Plan{Kind: kindTree}, "scan --format sarif --report /tmp/l.sarif --annotations --step-summary /tmp/s.md --config lg.toml -- nb -x"},
	}
	for _, tt := range tests {
		got, err := lifeguardArgs(tt.plan, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.plan.Kind, strings.Join(got, " "), tt.want)
		}
	}
}

func TestReadConfig(t *testing.T) {
	env := map[string]string{"INPUT_FAIL_ON_FINDINGS": "maybe"}
	if _, err := readConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), `"maybe" is not true or false`) {
		t.Errorf("error %v", err)
	}
	env = map[string]string{"INPUT_FAIL_ON_FINDINGS": "False", "RUNNER_TEMP": "/rt", "INPUT_PATHS": " a\n b  c "}
	c, err := readConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.failOnFindings || c.sarif != "/rt/lifeguard.sarif" || strings.Join(c.paths, ",") != "a,b,c" || c.lifeguard != "lifeguard" {
		t.Errorf("config %+v", c)
	}
}
