package detect

import (
	"strings"
)

// placeholderWords are whole letter-runs that mark a value as a stand-in
// (English and a few common French ones from teaching notebooks).
var placeholderWords = map[string]bool{
	"your": true, "yours": true, "example": true, "examples": true, "placeholder": true, "dummy": true,
	"fake": true, "changeme": true, "redacted": true, "sample": true, "xxx": true, "here": true,
	"insert": true, "replace": true, "enter": true, "todo": true, "fixme": true, "mykey": true,
	"votre": true, "cle": true, "ici": true, "mettre": true, "demo": true, "secret": true,
	"token": true, "password": true, "apikey": true, "notreal": true, "invalid": true, "foobar": true,
	"masked": true, "hidden": true, "undefined": true,
}

// referenceMarkers are substrings of values that point at a secret instead of
// holding one: templating, shell and CI expressions, elided values.
var referenceMarkers = []string{"${", "{{", "$(", "<", ">", "...", "…", "****", "os.environ", "getenv", "secrets."}

// isPlaceholder reports whether a matched secret is a stand-in for one.
func isPlaceholder(secret string) bool {
	for _, m := range referenceMarkers {
		if strings.Contains(secret, m) {
			return true
		}
	}
	if hasRun(secret, 5) || distinct(secret) < 6 || hasSequence(secret, 8) {
		return true
	}
	// Letter runs, also split at case changes (YOUR_API_KEY, yourKeyHere).
	start := -1
	flush := func(end int) bool {
		if start >= 0 && placeholderWords[strings.ToLower(secret[start:end])] {
			return true
		}
		start = -1
		return false
	}
	for i := 0; i < len(secret); i++ {
		c := secret[i]
		letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter {
			if flush(i) {
				return true
			}
			continue
		}
		if start >= 0 && c >= 'A' && c <= 'Z' && secret[i-1] >= 'a' && secret[i-1] <= 'z' {
			if flush(i) {
				return true
			}
		}
		if start < 0 {
			start = i
		}
	}
	return flush(len(secret))
}

// hasRun reports a character repeated n times in a row (xxxxx, 00000).
func hasRun(s string, n int) bool {
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

// hasSequence reports an ascending run like 12345678 or abcdefgh.
func hasSequence(s string, n int) bool {
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1]+1 {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// inDataURI reports whether text[off:] lies inside the payload of a
// data:…;base64, URI (an inline image in markdown or HTML).
func inDataURI(text string, off int) bool {
	i := off
	for i > 0 && isB64(text[i-1]) {
		i--
	}
	return i >= 7 && text[i-7:i] == "base64,"
}

func isB64(c byte) bool {
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='
}
