package gitsource

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// PushRevs selects the commits a push sends, and only those: what the
// pushed refs reach that the remote does not already have — neither the
// commit each remote ref points at now nor anything reachable from the
// remote's tracking refs. A new branch is thus compared with what the
// remote has, not with the empty tree, and pushing one commit on top of a
// long history scans one commit.
//
// stdin holds the lines git gives a pre-push hook ("<local ref> <local
// sha> <remote ref> <remote sha>"). When the pre-commit framework runs the
// hook it has consumed those lines and sets PRE_COMMIT_FROM_REF,
// PRE_COMMIT_TO_REF and PRE_COMMIT_REMOTE_NAME instead; getenv reads them.
// For a push that includes the root commit it sets no refs, only
// PRE_COMMIT_LOCAL_BRANCH: then everything that branch reaches and the
// remote lacks is sent.
// An empty Revs.Args means the push sends no commits (only deletions).
func PushRevs(ctx context.Context, r *Repo, remote string, stdin io.Reader, getenv func(string) string) (Revs, error) {
	var v Revs
	if to := PreCommitPushRef(getenv); to != "" {
		v.Args = []string{to}
		if from := getenv("PRE_COMMIT_FROM_REF"); from != "" {
			v.Not = []string{from}
		}
		if name := getenv("PRE_COMMIT_REMOTE_NAME"); name != "" {
			remote = name
		}
		v.NotRemotes = remote
		return v, nil
	}
	if stdin == nil {
		return v, fmt.Errorf("pre-push: no ref lines on standard input")
	}
	sc := bufio.NewScanner(stdin)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return v, fmt.Errorf("pre-push: line %d: want '<local ref> <local sha> <remote ref> <remote sha>', got %q", n, line)
		}
		local, remoteSHA := f[1], f[3]
		if isZero(local) {
			continue // deleting a remote ref sends nothing
		}
		v.Args = append(v.Args, local)
		if !isZero(remoteSHA) {
			// A force push may replace commits we never fetched; those
			// cannot be named, and the tracking refs still bound the walk.
			if id, err := r.Resolve(ctx, remoteSHA); err != nil {
				return v, err
			} else if id != "" {
				v.Not = append(v.Not, id)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return v, fmt.Errorf("pre-push: reading standard input: %w", err)
	}
	v.NotRemotes = remote
	return v, nil
}

// PreCommitPushRef is the ref the pre-commit framework says is being pushed,
// or "" outside its pre-push stage.
func PreCommitPushRef(getenv func(string) string) string {
	if to := getenv("PRE_COMMIT_TO_REF"); to != "" {
		return to
	}
	return getenv("PRE_COMMIT_LOCAL_BRANCH")
}
