package structured

import (
	"github.com/lifeguard-dev/lifeguard/segment"
)

// Netrc returns the login, password and account of each machine in a .netrc
// (or _netrc) file, with key paths such as machine[api.wandb.ai].password.
// macdef bodies are skipped. The parser never fails.
func Netrc(data []byte) ([]segment.Segment, error) {
	var segs []segment.Segment
	toks := netrcTokens(data)
	machine := ""
	for i := 0; i < len(toks); i++ {
		switch t := toks[i]; t.text {
		case "machine":
			if i+1 < len(toks) {
				i++
				machine = "machine[" + toks[i].text + "]"
			}
		case "default":
			machine = "default"
		case "login", "password", "account":
			if i+1 >= len(toks) {
				break
			}
			i++
			v := toks[i]
			if skipValue(v.text) {
				break
			}
			path := t.text
			if machine != "" {
				path = machine + "." + t.text
			}
			segs = append(segs, plainValue(v.text, v.off, segment.Location{Kind: KindNetrc, KeyPath: path}, t.text))
		}
	}
	return segs, nil
}

type token struct {
	text string
	off  int
}

// netrcTokens splits a .netrc into tokens, dropping comments and macdef
// bodies (which end at an empty line). Quoted tokens lose their quotes.
func netrcTokens(data []byte) []token {
	var toks []token
	i := 0
	for i < len(data) {
		c := data[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			continue
		}
		start := i
		var text string
		if c == '"' {
			j := i + 1
			for j < len(data) && data[j] != '"' && data[j] != '\n' {
				j++
			}
			text, start = string(data[i+1:j]), i+1
			i = j + 1
		} else {
			for i < len(data) && data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != '\r' {
				i++
			}
			text = string(data[start:i])
		}
		toks = append(toks, token{text, start})
		if text == "macdef" {
			// Skip the macro name and body, up to an empty line.
			for i < len(data) {
				if data[i] == '\n' && i+1 < len(data) && (data[i+1] == '\n' || (data[i+1] == '\r' && i+2 < len(data) && data[i+2] == '\n')) {
					break
				}
				i++
			}
		}
	}
	return toks
}
