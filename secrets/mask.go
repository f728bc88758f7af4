package secrets

import (
	"bytes"
	"regexp"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// privateKeyStart finds, in a text, the private keys or where they start:
// an age or age plugin identity (whole, in any case), the armour line of
// a PEM or OpenSSH private key, the bare body of an OpenSSH key, the
// private lines of a PuTTY key. (These expressions are compiled when
// first used, not at the start of every gocfg command.)
var privateKeyStart = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i:AGE-SECRET-KEY-[A-Z0-9-]*|AGE-PLUGIN-[A-Z0-9._-]*1[A-Z0-9]*)` +
		`|-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----` +
		`|` + openSSHKeyBody + `[A-Za-z0-9+/=]*` +
		`|Private-Lines:`)
})

// privateKeyEnd is the armour line that ends a PEM or OpenSSH private key.
var privateKeyEnd = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY-----`)
})

// base64Line is a line of a key's body.
var base64Line = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[ \t]*[A-Za-z0-9+/=]+[ \t]*\r?$`)
})

// MaskPrivateKeys returns a copy of src, the content of a recipients file,
// in which every private key is masked: each of its characters but
// blanks and line breaks becomes '*'. It is the text diagnostics show as
// their source snippet: a private key pasted into the file by mistake
// must not reach a terminal or a CI log through an error about it, or
// about anything on its lines. Offsets and line breaks are kept, so the
// ranges of the diagnostics of src apply to the copy.
//
// Keys are found in the text (see maskKeysInText) and, when src parses,
// in the value of every string, whose text is then masked whole: that catches
// a key spelled with escapes ("AGE\u002DSECRET-KEY-…") or cut in pieces.
func MaskPrivateKeys(src []byte) []byte {
	out := maskKeysInText(src)
	file, diags := hclsyntax.ParseConfig(src, "", hcl.InitialPos)
	if diags.HasErrors() {
		return out
	}
	_ = hclsyntax.VisitAll(file.Body.(*hclsyntax.Body), func(n hclsyntax.Node) hcl.Diagnostics {
		e, ok := n.(*hclsyntax.TemplateExpr)
		if !ok {
			return nil
		}
		// A template with interpolations has no value without a
		// context; its literal parts were matched as text.
		if v, d := e.Value(nil); !d.HasErrors() && len(e.Parts) > 0 {
			if s, ok := stringValue(v); ok && looksLikePrivateKey(s) {
				// The parts: the quotes and a heredoc's marker
				// lines are left, to show where the string is.
				from, to := e.Parts[0].Range().Start.Byte, e.Parts[len(e.Parts)-1].Range().End.Byte
				mask(out[from:to])
			}
		}
		return nil
	})
	return out
}

// maskKeysInText returns a copy of text with the private keys found in it
// masked: age and age plugin identities; PEM and OpenSSH keys from their
// BEGIN line to their END line, or, without one, to the end of the line
// and the base64 lines that follow; the same for the bare body of an
// OpenSSH key and for the private lines of a PuTTY key; and any line of
// base64 alone long enough to be a piece of a key (maskBareKeyLines).
func maskKeysInText(text []byte) []byte {
	out := bytes.Clone(text)
	done := 0
	for _, m := range privateKeyStart().FindAllIndex(text, -1) {
		if m[0] < done {
			continue // inside a key masked already
		}
		end := m[1]
		switch {
		case bytes.HasPrefix(bytes.ToUpper(text[m[0]:m[1]]), []byte("AGE-")):
		case bytes.HasPrefix(text[m[0]:], []byte("-----")) && privateKeyEnd().Match(text[end:]):
			end += privateKeyEnd().FindIndex(text[end:])[1]
		default:
			end = keyBodyEnd(text, lineEnd(text, end))
		}
		mask(out[m[0]:end])
		done = end
	}
	maskBareKeyLines(text, out)
	return out
}

// minBareKeyLine is how long a line of base64 alone must be to be taken
// for a piece of a key's body: a PEM body line has 64 characters, an
// OpenSSH one 70; no line of an HCL file that parses is bare base64.
const minBareKeyLine = 40

// maskBareKeyLines masks in out the lines of text that hold nothing but
// base64, minBareKeyLine characters or more: the middle of a key pasted
// without its start (no armour line, no recognisable body), which the
// patterns miss and a syntax error's snippet would show.
func maskBareKeyLines(text, out []byte) {
	for start := 0; start < len(text); {
		end := lineEnd(text, start)
		line := text[start:end]
		if len(bytes.TrimSpace(line)) >= minBareKeyLine && base64Line().Match(line) {
			mask(out[start:end])
		}
		start = end + 1
	}
}

// maskText masks the private keys in a message as maskKeysInText does: no
// diagnostic text, from gocfg or from the HCL parser, quotes one.
func maskText(s string) string {
	if !privateKeyStart().MatchString(s) {
		return s
	}
	return string(maskKeysInText([]byte(s)))
}

// mask replaces every byte of b but blanks and line breaks with '*'.
func mask(b []byte) {
	for i, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			b[i] = '*'
		}
	}
}

// lineEnd returns the offset of the line break that ends the line
// holding offset i, or len(text).
func lineEnd(text []byte, i int) int {
	if n := bytes.IndexByte(text[i:], '\n'); n >= 0 {
		return i + n
	}
	return len(text)
}

// keyBodyEnd returns where a key's body that goes on after the line
// ending at i ends: after the lines that follow and hold only base64.
func keyBodyEnd(text []byte, i int) int {
	for i < len(text) {
		next := lineEnd(text, i+1)
		if !base64Line().Match(text[i+1 : next]) {
			break
		}
		i = next
	}
	return i
}
