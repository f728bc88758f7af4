package unit

import "strings"

// relativeProgram reports whether the command line cmd (an ExecStart=
// value) runs a program given as a relative path ("bin/hello",
// "./run.sh"), which systemd refuses when it loads the unit: its
// program is an absolute path, or since systemd 239 a bare name looked
// up in its search path. systemd's prefixes (@, -, :, +, !, !!, |) come
// before the program; a program in quotes is read to its closing quote.
func relativeProgram(cmd string) bool {
	s := strings.TrimLeft(strings.TrimLeft(cmd, " \t"), "@-:+!|")
	var prog string
	switch {
	case strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "'"):
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return false // not ours to judge: systemd reports the quoting
		}
		prog = s[1 : 1+end]
	default:
		prog, _, _ = strings.Cut(s, " ")
		prog, _, _ = strings.Cut(prog, "\t")
	}
	return prog != "" && !strings.HasPrefix(prog, "/") && strings.Contains(prog, "/")
}

// listOf is p's value as a list of one, or none for nil.
func listOf(p *string) []string {
	if p == nil {
		return nil
	}
	return []string{*p}
}
