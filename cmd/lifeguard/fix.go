package main

import "context"

// runFix is a placeholder until its issue lands; it says so plainly.
func runFix(_ context.Context, _ []string, e *env) int {
	return fail(e, "'fix' is not available in this build yet")
}
