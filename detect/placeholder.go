package detect

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
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

// placeholderMarks are substrings (compared case-insensitively) long enough
// never to occur by chance in a random token: a value containing one is
// marked as an example, even inside a single letter run
// (AWS's documented wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY).
var placeholderMarks = []string{"example", "changeme", "placeholder", "redacted", "notreal", "replace_me", "replaceme", "dummy"}

// referenceMarkers are substrings of values that point at a secret instead of
// holding one: templating, shell and CI expressions, elided values.
var referenceMarkers = []string{"${", "{{", "$(", "...", "…", "****", "os.environ", "getenv", "secrets.", "op://", "vault:", "valueFrom"}

// isPlaceholder reports whether a matched secret is a stand-in for one:
// a reference, an elided or masked value, a marked example, a run of one
// character, an identifier. A base64 value that decodes to text (a
// Kubernetes Secret's data) is judged by what it decodes to.
func isPlaceholder(secret string) bool {
	if placeholderText(secret) {
		return true
	}
	if dec, ok := decodeB64Text(secret); ok && placeholderText(dec) {
		return true
	}
	// A rule that reports "key: value" (gitleaks' kubernetes-secret-yaml):
	// judge the value.
	if i := strings.LastIndex(secret, ": "); i > 0 {
		v := strings.Trim(strings.TrimSpace(secret[i+2:]), `"'`)
		if v != "" && !strings.ContainsAny(v, " \n") {
			if dec, ok := decodeB64Text(v); ok && placeholderText(dec) {
				return true
			}
		}
	}
	return false
}

func placeholderText(secret string) bool {
	for _, m := range referenceMarkers {
		if strings.Contains(secret, m) {
			return true
		}
	}
	if isVarRef(secret) || angleRef(secret) {
		return true
	}
	lower := strings.ToLower(secret)
	for _, m := range placeholderMarks {
		if strings.Contains(lower, m) {
			return true
		}
	}
	if strings.Contains(secret, "-----BEGIN") && strings.Contains(secret, "PRIVATE") {
		// Key bodies hold long runs by design (OpenSSH's AAAAAAAA…); an
		// elided key shows a run of x or a body too short to be one.
		return hasRunOf(secret, "xX*#", 5) || len(secret) < 120
	}
	// Base64 padding is a run by design: judge the rest. Random tokens do
	// repeat a digit or letter now and then (…2222…), so only filler
	// characters count from five on; anything else from eight on.
	core := strings.NewReplacer("===", "", "==", "").Replace(secret)
	if hasRunOf(core, "xX*.0#_-", 5) || hasRun(core, 8) || distinct(core) < 6 || hasSequence(core, 8) {
		return true
	}
	if isIdentifier(secret) {
		return true
	}
	// A command-line flag (--openai-api-key) names an argument, never holds one.
	if strings.HasPrefix(secret, "--") && isName(secret[2:]) {
		return true
	}
	// NAME= is the start of the next assignment, caught by a rule whose value
	// group ran on past an empty or elided value.
	if n := strings.TrimRight(secret, "="); n != secret && isIdentifier(n) {
		return true
	}
	// Letter runs, also split at case changes (YOUR_API_KEY, yourKeyHere).
	start := -1
	flush := func(end int) bool {
		if start >= 0 && wordShaped(secret, start, end) && placeholderWords[strings.ToLower(secret[start:end])] {
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

// wordShaped reports whether secret[start:end], a letter run or a piece of
// one split where a lower-case letter meets an upper-case one, is written as
// a word: lower case, Title case, or upper case as a whole run. Random tokens
// are full of pieces like "CLe" or the "CLE" of "XZwCLE", which would
// otherwise read as the French "clé".
func wordShaped(secret string, start, end int) bool {
	w := secret[start:end]
	// Short words occur by chance in long tokens (…CrCleJ9…, …1sDemoFk…):
	// three letters count only standing alone (votre_cle_ici, sk-xxx), four
	// at an edge of the value or beside punctuation (yourKeyHere, demo-key).
	switch {
	case len(w) <= 3 && !(hardEdge(secret, start-1) && hardEdge(secret, end)):
		return false
	case len(w) == 4 && !(hardEdge(secret, start-1) || hardEdge(secret, end)):
		return false
	}
	upper := 0
	for i := 0; i < len(w); i++ {
		if w[i] >= 'A' && w[i] <= 'Z' {
			upper++
		}
	}
	switch {
	case upper == 0:
		return true
	case upper == 1:
		return w[0] >= 'A' && w[0] <= 'Z'
	case upper == len(w):
		prev := start - 1
		return prev < 0 || !(secret[prev] >= 'a' && secret[prev] <= 'z')
	}
	return false
}

// hardEdge reports whether secret[i] is outside the string or a character
// that is neither a letter nor a digit.
func hardEdge(secret string, i int) bool {
	if i < 0 || i >= len(secret) {
		return true
	}
	c := secret[i]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
}

// angleRef reports a name in angle brackets (<OPENAI_API_KEY>, sk-<your key>,
// <%= token %>). A lone < or > is a character a password may hold.
func angleRef(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i < len(s)-1; {
		j := strings.IndexByte(s[i+1:], '>')
		if j < 0 {
			return false
		}
		inner := strings.Trim(s[i+1:i+1+j], "%= ")
		if inner != "" && isName(inner) {
			return true
		}
		k := strings.IndexByte(s[i+1:], '<')
		if k < 0 {
			return false
		}
		i += 1 + k
	}
	return false
}

// isName reports letters, digits and - _ . space, starting with a letter.
func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !letter {
			return false
		}
		if !letter && !(c >= '0' && c <= '9') && !strings.ContainsRune("-_. ", rune(c)) {
			return false
		}
	}
	return true
}

// isVarRef reports a bare shell or batch variable reference ($VAR, %VAR%).
func isVarRef(s string) bool {
	if len(s) < 2 {
		return false
	}
	body := s
	switch {
	case s[0] == '$':
		body = s[1:]
	case s[0] == '%' && s[len(s)-1] == '%' && len(s) > 2:
		body = s[1 : len(s)-1]
	default:
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return body != ""
}

// isIdentifier reports values that read as names, not keys: lowercase words,
// alone or joined by - _ . / (credentials, bert-base-uncased), CONSTANT_NAMES, PascalCase
// and camelCase words (AutoTokenizer, ChatOpenAI). A random token of eight or
// more characters practically never has this shape.
func isIdentifier(s string) bool {
	if len(s) < 6 {
		return false
	}
	lowerWords := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c == '-' || c == '_' || c == '.' || c == '/':
		default:
			lowerWords = false
		}
	}
	// A lower-case word with no digit is a name in code (credentials=credentials).
	if lowerWords {
		return true
	}
	// CONSTANT_NAMES (api_key=OPENAI_API_KEY): upper-case words and underscores.
	upperWords, underscores := true, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
		case c == '_':
			underscores++
		default:
			upperWords = false
		}
	}
	if upperWords && underscores > 0 {
		return true
	}
	// Camel case: letters only; every upper-case letter starts a word of at
	// least two lower-case letters, or is part of a short acronym.
	words, upperRun := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			upperRun++
			if upperRun > 3 {
				return false
			}
		case c >= 'a' && c <= 'z':
			if upperRun > 0 || i == 0 {
				// start of a word: it must have two lower-case letters
				n := 0
				for j := i; j < len(s) && s[j] >= 'a' && s[j] <= 'z'; j++ {
					n++
				}
				// Names are made of words a person can say; a random password
				// of letters splits into pieces like "Qtv" or "Jtzbwq".
				if n < 2 || !sayable(s[max(i-1, 0):i+n]) {
					return false
				}
				words++
				if upperRun > 1 {
					words++ // acronym before the word (OpenAIClient)
				}
				i += n - 1
				upperRun = 0
				continue
			}
		default:
			return false
		}
	}
	return words >= 2 && upperRun <= 3
}

// sayable reports whether a word has a vowel (not y: random pieces like
// "Yzr" would pass) and no run of five consonants.
func sayable(w string) bool {
	vowels, run := 0, 0
	for i := 0; i < len(w); i++ {
		if strings.IndexByte("aeiouAEIOU", w[i]) >= 0 {
			vowels++
			run = 0
		} else if run++; run >= 5 {
			return false
		}
	}
	return vowels > 0
}

// decodeB64Text decodes a standard-base64 value holding printable text.
func decodeB64Text(s string) (string, bool) {
	if len(s) < 8 || len(s)%4 != 0 {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			return "", false
		}
	}
	return string(b), true
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

// hasRunOf reports one of chars repeated n times in a row.
func hasRunOf(s, chars string, n int) bool {
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] && strings.IndexByte(chars, s[i]) >= 0 {
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
