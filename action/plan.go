package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Modes the action accepts (input "mode").
const (
	modeAuto    = "auto"         // the event decides: commits of a PR or push, else full history
	modeHistory = "history"      // every commit reachable from any ref
	modeTree    = "working-tree" // the checked-out files
)

// Plan kinds: what lifeguard is asked to scan.
const (
	kindRange   = "range"   // lifeguard history --range Base..Head
	kindCommits = "commits" // lifeguard history --branch Head (all of Head's history)
	kindHistory = "history" // lifeguard history (all refs)
	kindTree    = "tree"    // lifeguard scan PATHS
	kindNone    = "none"    // nothing to scan (a deleted branch)
)

// Plan is what to scan for one workflow run.
type Plan struct {
	Kind string
	// Base..Head for kindRange; Head alone for kindCommits.
	Base, Head string
	// BaseBranch, when set, replaces Base: a new branch is compared with the
	// repository's default branch on origin.
	BaseBranch string
	// Fallback is tried when Base cannot be fetched (a force push can make the
	// old head unreachable): compare with this branch instead.
	Fallback string
	// Scope says what is scanned, for people ("pull request #12").
	Scope string
}

// event is the part of a GitHub webhook payload the action reads.
type event struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Base   struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"base"`
		Head struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"head"`
	} `json:"pull_request"`
	// push
	Ref        string `json:"ref"`
	Before     string `json:"before"`
	After      string `json:"after"`
	Created    bool   `json:"created"`
	Deleted    bool   `json:"deleted"`
	Forced     bool   `json:"forced"`
	Repository struct {
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
	MergeGroup *struct {
		BaseSHA string `json:"base_sha"`
		HeadSHA string `json:"head_sha"`
	} `json:"merge_group"`
}

// plan decides what to scan from the event name, its payload and the mode.
func plan(eventName string, payload []byte, mode string) (Plan, error) {
	switch mode {
	case "", modeAuto:
	case modeHistory:
		return Plan{Kind: kindHistory, Scope: "the full git history"}, nil
	case modeTree:
		return Plan{Kind: kindTree, Scope: "the working tree"}, nil
	default:
		return Plan{}, fmt.Errorf("input mode: %q is not one of %s, %s, %s", mode, modeAuto, modeHistory, modeTree)
	}
	switch eventName {
	case "pull_request", "pull_request_target", "push", "merge_group":
	default:
		// schedule, workflow_dispatch and the rest have no commit range.
		return Plan{Kind: kindHistory, Scope: "the full git history"}, nil
	}
	var ev event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return Plan{}, fmt.Errorf("reading the %s event payload: %w", eventName, err)
	}
	switch eventName {
	case "pull_request", "pull_request_target":
		pr := ev.PullRequest
		if pr == nil || !isSHA(pr.Base.SHA) || !isSHA(pr.Head.SHA) {
			return Plan{}, fmt.Errorf("%s event payload has no pull_request.base.sha and head.sha", eventName)
		}
		return Plan{Kind: kindRange, Base: pr.Base.SHA, Head: pr.Head.SHA,
			Scope: fmt.Sprintf("pull request #%d, commits %s..%s", pr.Number, short(pr.Base.SHA), short(pr.Head.SHA))}, nil
	case "merge_group":
		mg := ev.MergeGroup
		if mg == nil || !isSHA(mg.BaseSHA) || !isSHA(mg.HeadSHA) {
			return Plan{}, fmt.Errorf("merge_group event payload has no merge_group.base_sha and head_sha")
		}
		return Plan{Kind: kindRange, Base: mg.BaseSHA, Head: mg.HeadSHA,
			Scope: fmt.Sprintf("merge group, commits %s..%s", short(mg.BaseSHA), short(mg.HeadSHA))}, nil
	}
	// push
	ref := strings.TrimPrefix(strings.TrimPrefix(ev.Ref, "refs/heads/"), "refs/tags/")
	if ev.Deleted || isZero(ev.After) {
		return Plan{Kind: kindNone, Scope: fmt.Sprintf("push deleting %s: no commits", ref)}, nil
	}
	if !isSHA(ev.After) {
		return Plan{}, fmt.Errorf("push event payload has no after commit")
	}
	def := ev.Repository.DefaultBranch
	if isZero(ev.Before) || ev.Created || !isSHA(ev.Before) {
		// A new branch or tag: its commits are those the default branch lacks.
		if def == "" || ev.Ref == "refs/heads/"+def {
			return Plan{Kind: kindCommits, Head: ev.After,
				Scope: fmt.Sprintf("push creating %s: all commits up to %s", ref, short(ev.After))}, nil
		}
		return Plan{Kind: kindRange, BaseBranch: def, Head: ev.After,
			Scope: fmt.Sprintf("push creating %s: commits not on %s, up to %s", ref, def, short(ev.After))}, nil
	}
	p := Plan{Kind: kindRange, Base: ev.Before, Head: ev.After,
		Scope: fmt.Sprintf("push to %s, commits %s..%s", ref, short(ev.Before), short(ev.After))}
	if ev.Forced {
		// before..after is right after a force push (the commits after has
		// and before had not), as long as before can still be fetched.
		p.Scope = fmt.Sprintf("force push to %s, commits %s..%s", ref, short(ev.Before), short(ev.After))
		if def != "" && ev.Ref != "refs/heads/"+def {
			p.Fallback = def
		}
	}
	return p, nil
}

func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// isZero reports GitHub's "no commit" value (all zeros), or an empty one.
func isZero(s string) bool { return strings.Trim(s, "0") == "" }

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
