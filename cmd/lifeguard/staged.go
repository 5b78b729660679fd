package main

import "context"

// runStaged is a placeholder until its issue lands; it says so plainly.
func runStaged(_ context.Context, _ []string, e *env) int {
	return fail(e, "'staged' is not available in this build yet")
}
