package recdiff

import (
	"regexp"
	"sync"
)

// secretWords are the words that name a secret, in a field's name
// ("environment.API_TOKEN"), a preference's key or an assignment or a
// command-line flag inside a value.
const secretWords = `passw(?:or)?d|passphrase|secret|token|api[-_.]?key|private[-_.]?key|access[-_.]?key|credential|bearer`

var (
	secretName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)` + secretWords) })
	// secretValue finds, inside a value, an assignment or a flag of a
	// secret-named thing with something after it
	// (DB_PASSWORD=x, --token x, "api_key": "x"), a private key, a token
	// in a well-known format, or credentials in a URL.
	secretValue = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)` +
			`(?:^|[\s"'&?;,{(])-{0,2}[\w.-]*(?:` + secretWords + `)[\w.-]*["']?\s*[=:]\s*\S` +
			`|(?:^|\s)--?[\w.-]*(?:` + secretWords + `)[\w.-]*\s+[^-\s]` +
			`|-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----` +
			`|\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16})` +
			`|\beyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}` +
			`|[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`)
	})
)

// LooksSecret reports whether a value shown under name looks like a
// secret: name names one (password, passphrase, secret, token, API key,
// private or access key, credential, bearer), or the value holds an
// assignment or a flag of one with a value, a PEM private key, a token
// in a well-known format (GitHub, GitLab, Slack, OpenAI-style, AWS
// access key IDs, JWTs) or credentials in a URL. It errs on the side of
// hiding: a false alarm costs a value in a diff, a miss a secret on a
// terminal or in a log.
func LooksSecret(name, value string) bool {
	return name != "" && secretName().MatchString(name) || value != "" && secretValue().MatchString(value)
}
