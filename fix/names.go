package fix

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/lifeguard-dev/lifeguard/rules"
)

// namer picks environment-variable style names: the same secret always gets
// the same name, two different secrets never share one.
type namer struct {
	bySecret map[string]string
	taken    map[string]bool
}

func newNamer() *namer {
	return &namer{bySecret: map[string]string{}, taken: map[string]bool{}}
}

var envNameRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// genericKeys are context names too vague to name a secret on their own when
// the rule knows better (api_key → OPENAI_API_KEY).
var genericKeys = map[string]bool{
	"KEY": true, "API_KEY": true, "APIKEY": true, "TOKEN": true, "SECRET": true, "PASSWORD": true,
	"VALUE": true, "AUTH": true, "ACCESS_TOKEN": true, "SECRET_KEY": true, "PASS": true, "PWD": true,
	"CREDENTIAL": true, "CREDENTIALS": true, "AUTH_TOKEN": true, "API_TOKEN": true,
}

// name returns the name for secret. ctx is the variable or key the secret is
// assigned to ("" if none); envName is the rule's env_name; ruleID the rule;
// keepCtx says the context is itself an environment name that must stay
// (a key in .env, a workflow env entry).
func (n *namer) name(secret, ctx, envName, ruleID string, keepCtx bool) string {
	if got, ok := n.bySecret[secret]; ok {
		return got
	}
	base := pickName(secret, ctx, envName, ruleID, keepCtx)
	name := base
	for i := 2; n.taken[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	n.taken[name] = true
	n.bySecret[secret] = name
	return name
}

func pickName(secret, ctx, envName, ruleID string, keepCtx bool) string {
	c := normName(ctx)
	switch {
	case c != "" && (keepCtx || envNameRe.MatchString(ctx)) && !genericKeys[c]:
		return c
	case envName != "" && !rules.IsGeneric(ruleID):
		return envName
	case prefixName(secret) != "":
		return prefixName(secret)
	case c != "":
		return c
	case envName != "":
		return envName
	}
	if r := normName(strings.TrimSuffix(ruleID, "-context")); r != "" && !strings.HasPrefix(r, "GENERIC") {
		return r
	}
	return "SECRET"
}

// normName turns a key into an environment name: aws.secret-key → AWS_SECRET_KEY.
func normName(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
			under = false
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
			under = false
		default:
			if b.Len() > 0 && !under {
				b.WriteByte('_')
				under = true
			}
		}
	}
	out := strings.TrimRight(b.String(), "_")
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	return out
}

// urlUserinfo reports whether the secret at [start,end) of s is the password
// (or the token used as user name) of a URL, and returns a name for it from
// the scheme or host: POSTGRES_PASSWORD, GITHUB_COM_TOKEN…
func urlUserinfo(s string, start, end int) (string, bool) {
	if end >= len(s) || s[end] != '@' {
		return "", false
	}
	i := strings.LastIndex(s[:start], "://")
	if i < 0 || strings.ContainsAny(s[i+3:start], "/@ \t\n\"'") {
		return "", false
	}
	scheme := s[:i]
	if j := strings.LastIndexFunc(scheme, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '.' || r == '-')
	}); j >= 0 {
		scheme = scheme[j+1:]
	}
	scheme = strings.ToLower(scheme)
	if k := strings.IndexByte(scheme, '+'); k >= 0 {
		scheme = scheme[:k] // mongodb+srv, postgresql+psycopg2
	}
	password := s[start-1] == ':' && start-1 > i+3
	switch scheme {
	case "postgresql", "postgres":
		scheme = "postgres"
	case "http", "https", "git", "ssh", "ftp", "":
		host := s[end+1:]
		if k := strings.IndexAny(host, "/:?# \t\n\"'"); k >= 0 {
			host = host[:k]
		}
		if u, err := url.Parse("x://" + host); err == nil && u.Hostname() != "" {
			scheme = strings.TrimPrefix(u.Hostname(), "www.")
		}
		if password {
			return normName(scheme) + "_TOKEN", true
		}
	}
	if password {
		return normName(scheme) + "_PASSWORD", true
	}
	return normName(scheme) + "_TOKEN", true
}

// tokenPrefixes name secrets whose format says what they are, for rules
// without an env_name (and generic rules that caught a known token).
var tokenPrefixes = []struct{ prefix, name string }{
	{"github_pat_", "GITHUB_TOKEN"}, {"ghp_", "GITHUB_TOKEN"}, {"gho_", "GITHUB_TOKEN"}, {"ghs_", "GITHUB_TOKEN"},
	{"ghu_", "GITHUB_TOKEN"}, {"glpat-", "GITLAB_TOKEN"}, {"sk-ant-", "ANTHROPIC_API_KEY"}, {"sk-", "OPENAI_API_KEY"},
	{"hf_", "HF_TOKEN"}, {"AKIA", "AWS_ACCESS_KEY_ID"}, {"ASIA", "AWS_ACCESS_KEY_ID"}, {"xoxb-", "SLACK_BOT_TOKEN"},
	{"xoxp-", "SLACK_TOKEN"}, {"r8_", "REPLICATE_API_TOKEN"}, {"dapi", "DATABRICKS_TOKEN"}, {"AIza", "GOOGLE_API_KEY"},
}

func prefixName(secret string) string {
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(secret, p.prefix) {
			return p.name
		}
	}
	return ""
}
