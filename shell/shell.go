// Package shell writes strings as POSIX shell words, for the commands
// Lifeguard prints for people to copy (lifeguard fix FILE, store commands)
// and the hook scripts it writes.
package shell

import "strings"

// Quote always single-quotes s.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Arg is s as one argument of a command: bare when it is plainly safe,
// quoted otherwise, and a path starting with '-' is written ./-name so that
// the command does not read it as a flag.
func Arg(s string) string {
	if strings.HasPrefix(s, "-") {
		s = "./" + s
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+@%=:,", r))
	}) < 0 {
		return s
	}
	return Quote(s)
}
