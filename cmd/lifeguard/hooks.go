package main

import "context"

// runHooks is a placeholder until its issue lands; it says so plainly.
func runHooks(_ context.Context, _ []string, e *env) int {
	return fail(e, "'hooks' is not available in this build yet")
}
