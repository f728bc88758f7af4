package main

import (
	"slices"
	"strings"
)

// sshWhitespace is OpenSSH's WHITESPACE (misc.c): what ends a keyword
// and what is skipped after it.
const sshWhitespace = " \t\r\n"

// includeArgs returns the arguments of an ssh_config line whose keyword
// is Include, as OpenSSH reads the line (readconf.c's
// process_config_line_depth), else none:
//
//   - a NUL ends the line (ssh reads it as a C string);
//   - trailing spaces, tabs, CRs, LFs and form feeds are cut, never the
//     line's first byte;
//   - the keyword is strdelim's first word, or its second when the
//     first is empty (the line began with whitespace or "="): it ends at
//     whitespace (a CR too), "=" or a double quote, which opens a quoted
//     part that ends the keyword at its closing quote ("Include"/x is
//     Include and /x; reviewer R23); it is compared as ASCII, case
//     ignored;
//   - the arguments are read twice, and both readings returned: as
//     argv_split reads them (OpenSSH 8.7 and later; the words after a
//     "#" too, which OpenSSH 8.7 and later leave out), and as strdelim
//     reads them, word after word (before 8.7). A reading ssh refuses
//     (an open quote) gives no words: ssh then stops, reading nothing.
//
// It works on bytes: a name that is not UTF-8 is a name like another
// (reviewer R23: a Latin-1 folder was read as U+FFFD, another path).
func includeArgs(line string) []string {
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	n := len(line)
	for n > 1 && strings.IndexByte(sshWhitespace+"\f", line[n-1]) >= 0 {
		n--
	}
	line = line[:n]
	keyword, ok, rest, more := strdelim(line)
	if ok && keyword == "" && more {
		keyword, ok, rest, more = strdelim(rest)
	}
	if !ok || !more || asciiLower(keyword) != "include" {
		return nil
	}
	rest = strings.TrimLeft(rest, sshWhitespace)
	if rest == "" {
		return nil // ssh: no argument after keyword
	}
	args, _ := argvSplit(rest)
	for s := rest; ; {
		arg, ok, next, more := strdelim(s)
		if !ok || arg == "" {
			break
		}
		args = append(args, arg)
		if !more {
			break
		}
		s = next
	}
	var out []string
	for _, a := range args {
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// asciiLower is C's tolower over each byte, which ssh's lowercase()
// applies to a keyword: no Unicode folding.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// strdelim is misc.c's strdelim (strdelim_internal, split_equals): the
// next word of s and what follows it. ok is false where ssh's is NULL
// (a quote that is not closed); more is false where ssh leaves nothing
// to read after the word (no delimiter in s).
func strdelim(s string) (word string, ok bool, rest string, more bool) {
	i := strings.IndexAny(s, sshWhitespace+`"=`)
	if i < 0 {
		return s, true, "", false
	}
	if s[i] == '"' {
		t := s[:i] + s[i+1:]
		j := strings.IndexByte(t[i:], '"')
		if j < 0 {
			return "", false, "", false
		}
		j += i
		return t[:j], true, strings.TrimLeft(t[j+1:], sshWhitespace), true
	}
	equals := s[i] == '='
	word, rest = s[:i], strings.TrimLeft(s[i+1:], sshWhitespace)
	if !equals && strings.HasPrefix(rest, "=") {
		rest = strings.TrimLeft(rest[1:], sshWhitespace)
	}
	return word, true, rest, true
}

// argvSplit is misc.c's argv_split, without stopping at a "#": words
// between spaces and tabs, 'single' and "double" quotes anywhere in a
// word, and a backslash that escapes a quote, a backslash, or (outside
// quotes) a space; before any other character the backslash stays, for
// glob(3) to read. ok is false for a quote that is not closed.
func argvSplit(s string) (args []string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			continue
		}
		var arg []byte
		var quote byte
	word:
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\\':
				if i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '"' || s[i+1] == '\\' || quote == 0 && s[i+1] == ' ') {
					i++
				}
				arg = append(arg, s[i])
			case quote == 0 && (c == ' ' || c == '\t'):
				break word
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			case quote != 0 && c == quote:
				quote = 0
			default:
				arg = append(arg, c)
			}
		}
		if i >= len(s) && quote != 0 {
			return nil, false
		}
		args = append(args, string(arg))
	}
	return args, true
}
