package loader

import (
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// MaxNesting is how deep a module's syntax may nest: brackets, template
// interpolations and directives, and operators within one expression,
// counted together. hclsyntax parses and evaluates by recursion, about
// 15 KiB of stack per bracket, so some tens of thousands of levels
// crash the process with an unrecoverable stack overflow; hand-written
// modules stay below 20.
const MaxNesting = 500

// A nestFrame is one open construct of the nesting scan.
type nestFrame struct {
	kind byte // '{' body or object, '(' parens or brackets, '$' interpolation, '"' quoted template, '<' heredoc
	// ops counts, in a code frame, the operators of the expression under
	// way (reset at a comma, and at a newline in a body); in a template,
	// the open if and for directives.
	ops    int
	marker []byte // heredoc end marker
}

// checkNesting scans src, without parsing it, for nesting deeper than
// MaxNesting, and reports the place where the limit is passed. The depth
// at a point is the brackets, interpolations and template directives
// open there, plus the operators written so far in the expression under
// way at each of those levels (a comma, or a newline in a body, ends an
// expression). The scan knows comments, quoted strings with their
// escapes, heredocs and template interpolations well enough that
// brackets and operators inside text never count. It overcounts rather
// than undercounts (an identifier like foo-bar counts one operator),
// which ordinary modules, at a depth of 20 at most, can afford.
func checkNesting(src []byte, filename string) *hcl.Diagnostic {
	if nestBound(src) <= MaxNesting {
		return nil // most modules: the scan could not find more
	}
	at, _ := nestingScan(src, MaxNesting)
	if at < 0 {
		return nil
	}
	pos := bytePos(src, at)
	end := pos
	end.Byte++
	end.Column++
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Nesting deeper than %d levels; split the expression up", MaxNesting),
		Detail: fmt.Sprintf("Here the module nests more than %d levels deep (brackets, ${ } and %%{ } in templates, and operators in one expression count one level each). "+
			"gocfg refuses such a module before parsing it, because parsing and evaluating recurse once per level and would run out of stack. "+
			"Move inner parts into locals, or generate flatter HCL.", MaxNesting),
		Subject: &hcl.Range{Filename: filename, Start: pos, End: end},
	}
}

// nestWeight is how many levels nestingScan may open at a byte: one at
// a bracket or an operator character, two at '%' (a %{if} directive
// counts an operator and an interpolation), none at any other byte.
var nestWeight = func() (w [256]uint8) {
	for _, c := range []byte("/<{([!>=&|?+-*$") {
		w[c] = 1
	}
	w['%'] = 2
	return w
}()

// nestBound bounds from above the deepest nesting nestingScan finds in
// src (every level it counts is opened at a byte of src, nestWeight
// levels at most), with a pass much cheaper than the scan's.
func nestBound(src []byte) int {
	n := 0
	for _, c := range src {
		n += int(nestWeight[c])
	}
	return n
}

// nestingScan returns the byte offset where the nesting depth first
// exceeds limit (-1 if it never does) and the deepest nesting seen, up
// to that point.
func nestingScan(src []byte, limit int) (at, deepest int) {
	stack := make([]nestFrame, 1, 16)
	stack[0].kind = '{' // the file's body
	depth := 0
	at = -1
	deeper := func(i int) {
		depth++
		if depth > deepest {
			deepest = depth
		}
		if depth > limit && at < 0 {
			at = i
		}
	}
	push := func(kind byte, i int) {
		stack = append(stack, nestFrame{kind: kind})
		deeper(i)
	}
	addOp := func(i int) {
		stack[len(stack)-1].ops++
		deeper(i)
	}
	pop := func() {
		top := stack[len(stack)-1]
		depth -= 1 + top.ops
		stack = stack[:len(stack)-1]
	}
	resetOps := func() {
		top := &stack[len(stack)-1]
		depth -= top.ops
		top.ops = 0
	}
	peek := func(i int) byte {
		if i < len(src) {
			return src[i]
		}
		return 0
	}
	for i := 0; i < len(src) && at < 0; {
		top := &stack[len(stack)-1]
		c := src[i]
		switch top.kind {
		case '"', '<':
			if top.kind == '<' && (i == 0 || src[i-1] == '\n') {
				if end, ok := heredocEnd(src, i, top.marker); ok {
					stack = stack[:len(stack)-1]
					depth -= top.ops
					i = end // the newline after the marker ends the attribute
					continue
				}
			}
			switch {
			case c == '\\' && top.kind == '"':
				i += 2
			case c == '"' && top.kind == '"', c == '\n' && top.kind == '"':
				// An unterminated string ends at the line's end; the
				// parser reports it.
				stack = stack[:len(stack)-1]
				depth -= top.ops
				i++
			case (c == '$' || c == '%') && peek(i+1) == c && peek(i+2) == '{':
				i += 3 // $${ and %%{ are literal text
			case (c == '$' || c == '%') && peek(i+1) == '{':
				if c == '%' {
					switch directiveWord(src, i+2) {
					case "if", "for":
						addOp(i)
					case "endif", "endfor":
						if top.ops > 0 {
							top.ops--
							depth--
						}
					}
				}
				push('$', i)
				i += 2
			default:
				i++
			}
			continue
		}
		// Code: the file's body, a bracket or an interpolation.
		switch c {
		case '#':
			i = lineEnd(src, i)
			continue
		case '/':
			if peek(i+1) == '/' {
				i = lineEnd(src, i)
				continue
			}
			if peek(i+1) == '*' {
				i = blockCommentEnd(src, i+2)
				continue
			}
			addOp(i)
		case '"':
			stack = append(stack, nestFrame{kind: '"'})
		case '<':
			if marker, body, ok := heredocStart(src, i); ok {
				stack = append(stack, nestFrame{kind: '<', marker: marker})
				i = body
				continue
			}
			addOp(i)
			if peek(i+1) == '=' {
				i++
			}
		case '{':
			push('{', i)
		case '(', '[':
			push('(', i)
		case ')', ']':
			if len(stack) > 1 && top.kind != '$' {
				pop()
			}
		case '}':
			if len(stack) > 1 {
				pop() // an interpolation or a bracket; mismatches are the parser's to report
			}
		case '\n':
			if top.kind == '{' {
				resetOps()
			}
		case ',':
			resetOps()
		case '!', '>':
			addOp(i)
			if peek(i+1) == '=' {
				i++
			}
		case '=':
			if peek(i+1) == '=' {
				addOp(i)
				i++
			}
		case '&', '|':
			addOp(i)
			if peek(i+1) == c {
				i++
			}
		case '?', '+', '-', '*', '%':
			addOp(i)
		}
		i++
	}
	return at, deepest
}

// lineEnd returns the offset of the newline that ends the line holding
// i (len(src) when there is none).
func lineEnd(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}

// blockCommentEnd returns the offset just after the */ that closes the
// comment whose text starts at i.
func blockCommentEnd(src []byte, i int) int {
	for ; i+1 < len(src); i++ {
		if src[i] == '*' && src[i+1] == '/' {
			return i + 2
		}
	}
	return len(src)
}

// heredocStart recognises <<MARKER or <<-MARKER followed by a newline at
// i, returning the marker and the offset where the text starts.
func heredocStart(src []byte, i int) (marker []byte, body int, ok bool) {
	j := i + 2
	if j > len(src) || src[i+1] != '<' {
		return nil, 0, false
	}
	if j < len(src) && src[j] == '-' {
		j++
	}
	start := j
	for j < len(src) && isIdentByte(src[j]) {
		j++
	}
	if j == start {
		return nil, 0, false
	}
	marker = src[start:j]
	if j < len(src) && src[j] == '\r' {
		j++
	}
	if j >= len(src) || src[j] != '\n' {
		return nil, 0, false
	}
	return marker, j + 1, true
}

// heredocEnd tells whether the line starting at i closes a heredoc with
// marker (spaces around it allowed), and returns the offset of the
// line's end.
func heredocEnd(src []byte, i int, marker []byte) (int, bool) {
	j := i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if len(src)-j < len(marker) || string(src[j:j+len(marker)]) != string(marker) {
		return 0, false
	}
	j += len(marker)
	for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
		j++
	}
	if j < len(src) && src[j] != '\n' {
		return 0, false
	}
	return j, true
}

// directiveWord returns the keyword of a template directive whose text
// starts at i (after %{), such as "if" or "endfor".
func directiveWord(src []byte, i int) string {
	if i < len(src) && src[i] == '~' {
		i++
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	start := i
	for i < len(src) && isIdentByte(src[i]) {
		i++
	}
	return string(src[start:i])
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// bytePos turns a byte offset into a position, counting columns in
// characters as HCL does for ordinary text.
func bytePos(src []byte, off int) hcl.Pos {
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return hcl.Pos{Line: line, Column: utf8.RuneCount(src[start:off]) + 1, Byte: off}
}
