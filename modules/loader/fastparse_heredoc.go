package loader

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A heredoc read as hclsyntax reads it: its scanner's tokens
// (scan_tokens.rl: beginHeredocTemplate, heredocLiteralEOL and
// heredocLiteralMidline), then parseTemplateInner's flush of a <<-
// heredoc's indentation (flushHeredocTemplateParts) and the melding of
// its consecutive literals, to the same tree.
//
// Why here: a heredoc's text went to hclsyntax, whose scanner finds the
// characters of every line by Unicode grapheme clusters; for the eight
// heredocs of the built-in modules (5 KB) that was about 0.7 ms of
// processor time in every cold evaluation (a profile). With the
// built-in modules' heredocs read here, a cold evaluation asks hclsyntax
// to parse nothing: 13.3 -> 11.8 ms for a configuration of one module
// and 38.5 -> 36.0 ms for 1,000 (medians of bench/abcold.sh, back to
// back, 150 and 80 runs a side), more than the profile's 0.7 ms; that
// hclsyntax's scanner is dear the first time a process uses it (its
// tables read in from the binary) would explain it, but was not
// measured. And dotfiles repositories often write a file's text as a
// heredoc.
//
// What it leaves to hclsyntax (the caller falls back as for anything
// else it does not read): template directives (%{), strip markers (~),
// a heredoc inside an interpolation of a template, and text beyond ASCII
// (whose columns hclsyntax counts as characters).

// heredocPiece is one of the scanner's tokens of a heredoc's text: a
// literal (lit, its text after the escapes $${ and %%{; start and end
// its range in the file) or an interpolation (expr). first says whether
// it starts a line of the heredoc, which the flush looks at.
type heredocPiece struct {
	lit        bool
	text       []byte
	start, end hcl.Pos
	expr       hclsyntax.Expression
	first      bool
}

// pHeredoc reads a heredoc at "<<": parseExpressionTerm's
// TokenOHeredoc case. It ends after the closing marker (and the spaces
// after it), before the newline, which ends the line as hclsyntax's
// scanner has it (a TokenNewline of its own).
func (p *fastParser) pHeredoc() (hclsyntax.Expression, bool) {
	if p.inTemplate > 0 {
		return nil, false
	}
	openStart := p.pos()
	i := p.i + 2
	flush := i < len(p.src) && p.src[i] == '-'
	if flush {
		i++
	}
	markerStart := i
	if i >= len(p.src) || !isIdentStart(p.src[i]) {
		return nil, false
	}
	for i < len(p.src) && isIdentByte(p.src[i]) {
		i++
	}
	if i >= len(p.src) || p.src[i] != '\n' {
		return nil, false
	}
	marker := p.src[markerStart:i]
	p.i = i
	p.newline()

	var pieces []heredocPiece
	startOfLine := true
	for {
		if startOfLine {
			nl := bytes.IndexByte(p.src[p.i:], '\n')
			if nl < 0 {
				return nil, false // unterminated: the closing marker ends with a newline
			}
			if bytes.Equal(bytes.Trim(p.src[p.i:p.i+nl], " \t"), marker) {
				p.i += nl
				end := p.pos()
				if len(pieces) == 0 {
					// An empty template is an empty string: a literal
					// after the closing marker (parseTemplateParts).
					pieces = append(pieces, heredocPiece{lit: true, start: end, end: end, first: true})
				}
				return &hclsyntax.TemplateExpr{
					Parts:    heredocParts(pieces, flush, p.file),
					SrcRange: hcl.Range{Filename: p.file, Start: openStart, End: end},
				}, true
			}
		}
		if p.at(0) == '$' && p.at(1) == '{' {
			if p.at(2) == '~' {
				return nil, false
			}
			p.i += 2
			p.inTemplate++
			e, ok := p.pEnclosed('}')
			p.inTemplate--
			if !ok {
				return nil, false
			}
			pieces = append(pieces, heredocPiece{expr: e, first: startOfLine})
			startOfLine = false
			continue
		}
		piece, eol, ok := p.heredocLiteral()
		if !ok {
			return nil, false
		}
		piece.first = startOfLine
		pieces = append(pieces, piece)
		startOfLine = eol
	}
}

// heredocLiteral reads a heredoc's text up to an interpolation or
// through the newline that ends its line (eol), with the escapes $${
// and %%{ as ${ and %{ (ParseStringLiteralToken). Its text is the
// file's bytes where it has no escape.
func (p *fastParser) heredocLiteral() (piece heredocPiece, eol, ok bool) {
	piece.lit, piece.start = true, p.pos()
	from := p.i
	var escaped []byte // the text so far, once there is an escape
	for {
		if p.eof() {
			return piece, false, false
		}
		c := p.src[p.i]
		if c == '\n' {
			p.newline()
			eol = true
			break
		}
		if c >= 0x80 {
			return piece, false, false
		}
		if c == '$' || c == '%' {
			next := p.at(1)
			if next == '{' {
				if c == '%' {
					return piece, false, false // a template directive
				}
				break // an interpolation: the literal ends here
			}
			if next == c && p.at(2) == '{' {
				if p.at(3) == '~' {
					return piece, false, false
				}
				escaped = append(append(escaped, p.src[from:p.i]...), c, '{')
				p.i += 3
				from = p.i
				continue
			}
		}
		p.i++
	}
	piece.text, piece.end = p.src[from:p.i], p.pos()
	if escaped != nil {
		piece.text = append(escaped, piece.text...)
	}
	return piece, eol, true
}

// heredocParts makes the template's parts of pieces: a <<- heredoc's
// lines lose the indentation they share (flushHeredocTemplateParts: the
// fewest spaces that start a line's first literal, where a line that
// starts with an interpolation counts none and a line of nothing but
// spaces is neither counted nor trimmed), then consecutive literals
// become one (meldConsecutiveStringLiterals).
func heredocParts(pieces []heredocPiece, flush bool, file string) []hclsyntax.Expression {
	if flush {
		const none = int(^uint(0) >> 1)
		least := none
		for _, pc := range pieces {
			if !pc.first {
				continue
			}
			if !pc.lit {
				least = 0
				continue
			}
			if n, blank := leadingSpaces(pc.text); !blank {
				least = min(least, n)
			}
		}
		for i := range pieces {
			pc := &pieces[i]
			if _, blank := leadingSpaces(pc.text); pc.first && pc.lit && !blank {
				pc.text = pc.text[least:]
				pc.start.Column += least
				pc.start.Byte += least
			}
		}
	}
	var parts []hclsyntax.Expression
	for i := 0; i < len(pieces); i++ {
		pc := pieces[i]
		if !pc.lit {
			parts = append(parts, pc.expr)
			continue
		}
		// The run of literals from i to j, as one string (their texts
		// may be the file's bytes: never appended to).
		j, n := i, len(pc.text)
		for j+1 < len(pieces) && pieces[j+1].lit {
			j++
			n += len(pieces[j].text)
		}
		var text strings.Builder
		text.Grow(n)
		for _, q := range pieces[i : j+1] {
			text.Write(q.text)
		}
		parts = append(parts, &hclsyntax.LiteralValueExpr{
			Val:      cty.StringVal(text.String()),
			SrcRange: hcl.Range{Filename: file, Start: pc.start, End: pieces[j].end},
		})
		i = j
	}
	return parts
}

// leadingSpaces returns how many spaces and tabs text starts with (each
// one character), and whether it is a blank line: nothing but them, then
// its newline.
func leadingSpaces(text []byte) (int, bool) {
	n := 0
	for n < len(text) && isSpace(text[n]) {
		n++
	}
	return n, n == len(text)-1 && text[n] == '\n'
}
