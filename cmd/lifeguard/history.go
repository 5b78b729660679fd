package main

import "context"

// runHistory is a placeholder until its issue lands; it says so plainly.
func runHistory(_ context.Context, _ []string, e *env) int {
	return fail(e, "'history' is not available in this build yet")
}
