package loader

import (
	"bytes"
	"unicode/utf8"
	"unsafe"

	"github.com/apparentlymart/go-textseg/v15/textseg"
	"github.com/gocfg/gocfg/internal/slab"
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// parseFast parses a module as hclsyntax.ParseConfig does, to the same
// tree (syntax.FromHCL of hclsyntax's, with every range it keeps, and
// the same expression nodes but for the two the loader's documentation
// names), for the files most modules are:
// ASCII without carriage returns, attributes and blocks one per
// line, with quoted or bare labels. It reads the structure of the body
// itself, the common expressions first (quoted strings without escapes
// or interpolation, numbers, true, false, null, variables with attribute
// steps, lists of these, function calls on them), then what the
// built-in modules write beyond them (operators, conditionals,
// for-expressions, ${} templates, indexes: fastparse_expr.go; heredocs:
// fastparse_heredoc.go); any other expression (a splat, a template
// directive, a heredoc with one) it hands,
// as its exact span of bytes, to hclsyntax as an attribute's expression
// (parseSpan), which gives the same tree for it as a whole-file parse
// (newlines end an expression only outside brackets, and the span ends
// at the first such newline). It reports ok false, and the caller
// parses the file with hclsyntax, for anything else: another byte, a
// one-line block, an attribute set twice, any syntax error, so that
// every diagnostic still comes from hclsyntax.
//
// hclsyntax spends most of its time on per-token work this file does not
// need (a grapheme scan of every token for its column, a token slice,
// generic lookahead); a cold evaluation parses every module, so this is
// most of its parsing time saved. TestParseFastSameTree compares the two
// on every module of the repository and FuzzParseFast on arbitrary input.
//
// The tree's identifiers and plain strings are src's own bytes, not
// copies (fastParser.text): src must not change once parsed. The loader
// reads every module into a buffer of its own and keeps it as
// Module.Source. objects is false when the tree holds no object
// constructor of two items or more (see Module.NoObjects).
func parseFast(src []byte, filename string, nodes *parseNodes) (body *syntax.Body, objects, ok bool) {
	for _, c := range src {
		if c == 0x7f || (c < 0x20 && c != '\n' && c != '\t') {
			return nil, false, false
		}
	}
	if !utf8.Valid(src) {
		return nil, false, false
	}
	if nodes == nil {
		nodes = &parseNodes{}
	}
	p := &fastParser{src: src, file: filename, line: 1, nodes: nodes}
	defer func() {
		// An index past the end is a case this parser did not expect:
		// the caller falls back to hclsyntax.
		if recover() != nil {
			body, objects, ok = nil, false, false
		}
	}()
	nodes.attrStack, nodes.blockStack = nodes.attrStack[:0], nodes.blockStack[:0]
	body = &syntax.Body{}
	_, ok = p.body(body, false)
	if p.fail || !ok {
		return nil, false, false
	}
	return body, p.objects, true
}

// A fastParser reads src from i; line is i's line and lineStart the
// offset where that line starts. Columns count characters (grapheme
// clusters, as hclsyntax does), so narrow counts the bytes of the line
// so far beyond one per character. fail is set where parseFast must
// give up but the caller cannot tell.
type fastParser struct {
	src             []byte
	file            string
	i               int
	line, lineStart int
	narrow          int
	fail            bool
	// inTemplate counts the template interpolations i is in: a
	// heredoc is read only outside them (pHeredoc).
	inTemplate int
	nodes      *parseNodes
	// objects is set once an object constructor of two items or more
	// is read, or an expression is handed to hclsyntax (which may hold
	// one).
	objects bool
}

// parseNodes hands out the syntax a fastParser makes most (a body's
// attributes, blocks and labels, a literal) from slabs:
// one allocation for many instead of one each, which was about two
// fifths of parsing's processor time in a cold evaluation of 1,000
// modules. A loading worker keeps one for every file it parses (the
// nodes are kept as long as the modules: a node of a file that hclsyntax
// parses after all is left unused). A body's attributes and blocks are
// gathered on the two stacks while it is read (its blocks' bodies are
// read in between) and copied out, exactly sized, at its end.
type parseNodes struct {
	attrs      slab.Slices[syntax.Attribute]
	blocks     slab.Slices[syntax.Block]
	labels     slab.Slices[string]
	spans      slab.Slices[syntax.Span]
	literals   slab.Slab[hclsyntax.LiteralValueExpr]
	attrStack  []syntax.Attribute
	blockStack []syntax.Block
}

// literal returns a literal node of v at rng.
func (s *parseNodes) literal(v cty.Value, rng hcl.Range) *hclsyntax.LiteralValueExpr {
	x := s.literals.New()
	x.Val, x.SrcRange = v, rng
	return x
}

// text is src[from:to] as a string that shares src's bytes: a module's
// names and strings are most of what its tree holds, and copying each
// (or interning it, as this parser did before: a map lookup for every
// name) was an eighth of the time parsing the built-in modules took.
// parseFast's caller keeps src unchanged, and alive as long as the tree
// (Module.Source).
func (p *fastParser) text(from, to int) string {
	if from == to {
		return ""
	}
	return unsafe.String(&p.src[from], to-from)
}

func (p *fastParser) pos() hcl.Pos {
	return hcl.Pos{Line: p.line, Column: p.i - p.lineStart + 1 - p.narrow, Byte: p.i}
}

func (p *fastParser) rangeFrom(start hcl.Pos) hcl.Range {
	return hcl.Range{Filename: p.file, Start: start, End: p.pos()}
}

// step steps over the one-byte token at i (a bracket, a brace, an
// equals sign; never a newline) and returns its range.
func (p *fastParser) step() hcl.Range {
	start := p.pos()
	p.i++
	return p.rangeFrom(start)
}

func (p *fastParser) eof() bool { return p.i >= len(p.src) }

// at returns the byte at i+k, or 0 past the end.
func (p *fastParser) at(k int) byte {
	if p.i+k < len(p.src) {
		return p.src[p.i+k]
	}
	return 0
}

func (p *fastParser) newline() {
	p.i++
	p.line++
	p.lineStart = p.i
	p.narrow = 0
}

func (p *fastParser) skipSpaces() {
	for p.i < len(p.src) && isSpace(p.src[p.i]) {
		p.i++
	}
}

// lineComment reads a # or // comment through its newline, if any; it
// returns whether it ended with one (only then does hclsyntax see a
// newline there). Any text may be in a comment that ends with a newline;
// one that ends the file must be ASCII, so that the column at the end
// of the file is its byte count.
func (p *fastParser) lineComment() bool {
	start := p.i
	for p.i < len(p.src) {
		if p.src[p.i] == '\n' {
			p.newline()
			return true
		}
		p.i++
	}
	if !isASCII(p.src[start:p.i]) {
		p.fail = true
	}
	return false
}

// isSpace reports whether c is a space between tokens: a space or a
// tab (hclsyntax's scanner: Spaces), each one column.
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// chars counts the characters of text as hclsyntax does for columns:
// grapheme clusters.
func chars(text []byte) int {
	n := 0
	for len(text) > 0 {
		adv, _, _ := textseg.ScanGraphemeClusters(text, true)
		text = text[adv:]
		n++
	}
	return n
}

func isLineComment(c, next byte) bool { return c == '#' || (c == '/' && next == '/') }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// ident reads an identifier at i.
func (p *fastParser) ident() (string, hcl.Range, bool) {
	if p.eof() || !isIdentStart(p.src[p.i]) {
		return "", hcl.Range{}, false
	}
	start := p.pos()
	for p.i < len(p.src) && isIdentByte(p.src[p.i]) {
		p.i++
	}
	return p.text(start.Byte, p.i), p.rangeFrom(start), true
}

// body reads the items of a body into b, a zero Body, up to its closing
// brace (inBlock; end is then just after it) or the end of the file.
func (p *fastParser) body(b *syntax.Body, inBlock bool) (end syntax.Pos, ok bool) {
	n := p.nodes
	attrs, blocks := len(n.attrStack), len(n.blockStack)
	var seen map[string]bool // the attribute names of a long body
	for {
		p.skipSpaces()
		if p.eof() {
			if inBlock {
				return end, false
			}
			break
		}
		c := p.src[p.i]
		switch {
		case c == '\n':
			p.newline()
			continue
		case isLineComment(c, p.at(1)):
			p.lineComment()
			continue
		case c == '}' && inBlock:
			p.i++
			end = syntax.PosOf(p.pos())
		case isIdentStart(c):
			name, nameRange, _ := p.ident()
			p.skipSpaces()
			if p.at(0) == '=' {
				if p.at(1) == '=' {
					return end, false
				}
				// An attribute set twice is hclsyntax's error to report.
				if seen, ok = p.newName(n.attrStack[attrs:], seen, name); !ok {
					return end, false
				}
				expr, ok := p.attribute()
				if !ok {
					return end, false
				}
				n.attrStack = append(n.attrStack, syntax.Attribute{Name: name, Expr: expr, NameSpan: syntax.SpanOf(nameRange)})
			} else {
				blk, ok := p.block(name, nameRange)
				if !ok {
					return end, false
				}
				n.blockStack = append(n.blockStack, blk)
			}
			continue
		default:
			return end, false
		}
		break
	}
	b.Attrs, b.Blocks = n.attrs.Copy(n.attrStack[attrs:]), n.blocks.Copy(n.blockStack[blocks:])
	n.attrStack, n.blockStack = n.attrStack[:attrs], n.blockStack[:blocks]
	return end, true
}

// newName reports whether name is not among the attributes of a body
// read so far (attrs). A long body's names go into seen (made once it
// has longAttrs), so that a body of many attributes is not read in
// quadratic time.
func (p *fastParser) newName(attrs []syntax.Attribute, seen map[string]bool, name string) (map[string]bool, bool) {
	if seen == nil && len(attrs) < longAttrs {
		for i := range attrs {
			if attrs[i].Name == name {
				return nil, false
			}
		}
		return nil, true
	}
	if seen == nil {
		seen = make(map[string]bool, 2*len(attrs))
		for i := range attrs {
			seen[attrs[i].Name] = true
		}
	}
	if seen[name] {
		return seen, false
	}
	seen[name] = true
	return seen, true
}

// longAttrs is the number of attributes from which a body's names are
// looked up in a map rather than one by one.
const longAttrs = 32

// endItem reads what ends an attribute or a block: a newline, a line
// comment ending in one, or the end of the file.
func (p *fastParser) endItem() bool {
	p.skipSpaces()
	switch {
	case p.eof():
		return true
	case p.src[p.i] == '\n':
		p.newline()
		return true
	case isLineComment(p.src[p.i], p.at(1)):
		return p.lineComment() || p.eof()
	}
	return false
}

// attribute reads `= expression` and what ends the line.
func (p *fastParser) attribute() (hclsyntax.Expression, bool) {
	p.i++ // the equals sign
	p.skipSpaces()
	expr, ok := p.topExpression()
	if !ok || !p.endItem() {
		return nil, false
	}
	return expr, true
}

// block reads a block's labels and body (its type read already).
func (p *fastParser) block(typ string, typeRange hcl.Range) (syntax.Block, bool) {
	blk := syntax.Block{Type: typ, TypeSpan: syntax.SpanOf(typeRange)}
	var (
		labelBuf [2]string
		spanBuf  [2]syntax.Span
	)
	labels, spans := labelBuf[:0], spanBuf[:0]
labels:
	for {
		p.skipSpaces()
		if p.eof() {
			return blk, false
		}
		var (
			s   string
			rng hcl.Range
		)
		switch c := p.src[p.i]; {
		case c == '"':
			var ok bool
			if s, rng, ok = p.quotedLiteral(); !ok {
				return blk, false
			}
		case isIdentStart(c):
			s, rng, _ = p.ident()
		case c == '{':
			break labels
		default:
			return blk, false
		}
		labels, spans = append(labels, s), append(spans, syntax.SpanOf(rng))
	}
	blk.Labels, blk.LabelSpans = p.nodes.labels.Copy(labels), p.nodes.spans.Copy(spans)
	p.i++ // the opening brace
	// Only the multi-line form: a newline (or a comment ending in one)
	// or the closing brace right after the opening one.
	p.skipSpaces()
	if c := p.at(0); !(c == '\n' || c == '}' || (isLineComment(c, p.at(1)) && p.restOfLineHasNewline())) {
		return blk, false
	}
	end, ok := p.body(&blk.Body, true)
	if !ok || !p.endItem() {
		return blk, false
	}
	blk.End = end
	return blk, true
}

func (p *fastParser) restOfLineHasNewline() bool {
	for j := p.i; j < len(p.src); j++ {
		if p.src[j] == '\n' {
			return true
		}
	}
	return false
}

// quotedLiteral reads a quoted string of plain characters: no escapes,
// no interpolation or directive, no template markers at all. The range
// covers the quotes.
func (p *fastParser) quotedLiteral() (string, hcl.Range, bool) {
	start := p.pos()
	for j := p.i + 1; j < len(p.src); j++ {
		switch p.src[j] {
		case '"':
			text := p.src[p.i+1 : j]
			if !isASCII(text) {
				p.narrow += len(text) - chars(text)
			}
			s := p.text(p.i+1, j)
			p.i = j + 1
			return s, p.rangeFrom(start), true
		case '\\', '$', '%', '\n':
			return "", hcl.Range{}, false
		}
	}
	return "", hcl.Range{}, false
}

// unescape returns the byte the escape \c stands for, of those the fast
// parser reads: \n \r \t \" and \\ (a \u or \U escape makes it hand
// the file to hclsyntax).
func unescape(c byte) (byte, bool) {
	switch c {
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case '"', '\\':
		return c, true
	}
	return 0, false
}

// stringLiteral reads a quoted string without interpolation or
// directive, as an expression: the escapes \n \r \t \" and \\ are
// decoded (others, and $$ or %% sequences, make it give up). The range
// covers the quotes.
func (p *fastParser) stringLiteral() (string, hcl.Range, bool) {
	start := p.pos()
	var out []byte
	from := p.i + 1 // text not yet copied to out
	split := false  // a $ or % splits hclsyntax's tokens of the text
	for j := from; j < len(p.src); j++ {
		switch c := p.src[j]; c {
		case '"':
			text := p.src[p.i+1 : j]
			var s string
			if out == nil {
				s = p.text(p.i+1, j)
			} else {
				s = string(append(out, p.src[from:j]...))
			}
			if !isASCII(text) {
				if split {
					// hclsyntax counts the characters of each token:
					// a combining mark after the $ is one more.
					return "", hcl.Range{}, false
				}
				p.narrow += len(text) - chars(text)
			}
			p.i = j + 1
			return s, p.rangeFrom(start), true
		case '\\':
			r, ok := unescape(p.at(j + 1 - p.i))
			if !ok {
				return "", hcl.Range{}, false
			}
			out = append(append(out, p.src[from:j]...), r)
			j++
			from = j + 1
		case '$', '%':
			if n := p.at(j + 1 - p.i); n == '{' || n == '$' || n == '%' {
				return "", hcl.Range{}, false
			}
			split = true
		case '\n':
			return "", hcl.Range{}, false
		}
	}
	return "", hcl.Range{}, false
}

// endsAttribute reports whether i is where an attribute's expression
// may end: the newline, a line comment or the end of the file.
func (p *fastParser) endsAttribute() bool {
	return p.eof() || p.src[p.i] == '\n' || isLineComment(p.src[p.i], p.at(1))
}

// topExpression reads an attribute's expression, up to the newline or
// comment that ends it.
func (p *fastParser) topExpression() (hclsyntax.Expression, bool) {
	save := *p
	// A common expression followed by what ends the attribute, the
	// newline, a line comment or the end of the file, is the whole
	// span: it holds no newline outside brackets, no block comment, no
	// heredoc and nothing beyond ASCII outside its strings, so exprSpan
	// would end at that same place.
	if expr, ok := p.expr(); ok {
		p.skipSpaces()
		if p.endsAttribute() {
			return expr, true
		}
	}
	*p = save
	// Any other expression hclsyntax's parser would read the same way
	// (fastparse_expr.go), followed by what ends the attribute.
	if expr, ok := p.pExpr(true); ok {
		p.skipSpaces()
		if !p.fail && p.endsAttribute() {
			return expr, true
		}
	}
	*p = save
	end, text, ok := p.exprSpan()
	if !ok {
		return nil, false
	}
	if expr, ok := p.expr(); ok {
		p.skipSpaces()
		if p.i == end.i {
			return expr, true
		}
	}
	if text {
		// The span's columns after the text would be wrong.
		return nil, false
	}
	// With the newline that ends it, if it is one: a heredoc's closing
	// marker is one only at the end of its line.
	stop := end.i
	if stop < len(p.src) && p.src[stop] == '\n' {
		stop++
	}
	expr, ok := parseSpan(p.src[save.i:stop], p.file, save.pos())
	if !ok {
		return nil, false
	}
	*p = end
	p.objects = true
	return expr, true
}

// parseSpan parses span, an attribute's expression starting at start,
// as hclsyntax parses it in the file: as the expression of an attribute
// "a=" written before it (start moved back by those two ASCII bytes, so
// the ranges are the file's). ParseExpression would not do: it reads a
// lone expression, in which newlines mean nothing, where an attribute
// reads the ones inside a splat's brackets as tokens and refuses
// "x[*\n]" (FuzzParseFast found it).
func parseSpan(span []byte, filename string, start hcl.Pos) (hclsyntax.Expression, bool) {
	if start.Column < 3 || start.Byte < 2 {
		return nil, false // no room for "a=" on the line: never after "name ="
	}
	src := append(append(make([]byte, 0, len(span)+2), "a="...), span...)
	start.Column -= 2
	start.Byte -= 2
	file, diags := hclsyntax.ParseConfig(src, filename, start)
	if diags.HasErrors() {
		return nil, false
	}
	body := file.Body.(*hclsyntax.Body)
	a := body.Attributes["a"]
	if a == nil || len(body.Attributes) != 1 || len(body.Blocks) != 0 {
		return nil, false
	}
	return a.Expr, true
}

// exprSpan finds where the expression at i ends, without moving: the
// state at the newline, comment or end of file after it. It follows
// brackets, quoted strings with their escapes and interpolations,
// heredocs, and comments; newlines end the expression only outside
// brackets and heredocs. Unbalanced brackets, an unterminated string,
// heredoc or comment, or a character beyond ASCII outside strings and
// comments make it give up; text reports one in a string or comment
// (whose columns it does not count).
func (p *fastParser) exprSpan() (end fastParser, text, ok bool) {
	q := *p
	var stack []byte     // '(', '[', '{' code brackets; '"' a string; '<' a heredoc; '$' an interpolation in one
	var markers [][]byte // the end markers of the heredocs on stack
	lineStart := false   // in a heredoc: at the start of a line
	for {
		if q.eof() {
			if len(stack) > 0 {
				return q, text, false
			}
			return q, text, true
		}
		c := q.src[q.i]
		if n := len(stack); n > 0 && stack[n-1] == '<' {
			// A heredoc: lines up to the one that is its marker alone
			// (spaces around it), at the start of a line, not after
			// an interpolation.
			if lineStart {
				e := q.i
				for e < len(q.src) && q.src[e] != '\n' {
					e++
				}
				if e < len(q.src) && bytes.Equal(bytes.TrimSpace(q.src[q.i:e]), markers[len(markers)-1]) {
					stack, markers = stack[:n-1], markers[:len(markers)-1]
					q.i = e
					continue
				}
			}
			lineStart = false
			switch {
			case c == '\n':
				q.newline()
				lineStart = true
			case (c == '$' || c == '%') && q.at(1) == c:
				if q.at(2) != '{' {
					return q, text, false
				}
				q.i += 3
			case (c == '$' || c == '%') && q.at(1) == '{':
				stack = append(stack, '$')
				q.i += 2
			default:
				q.i++
			}
			continue
		}
		if n := len(stack); n > 0 && stack[n-1] == '"' {
			switch c {
			case '"':
				stack = stack[:n-1]
				q.i++
			case '\\':
				if q.at(1) == '\n' || q.at(1) == 0 {
					return q, text, false
				}
				q.i += 2
			case '\n':
				return q, text, false
			case '$', '%':
				switch {
				case q.at(1) == c && q.at(2) == '{':
					q.i += 3 // $${ and %%{ are literal
				case q.at(1) == '{':
					stack = append(stack, '$')
					q.i += 2
				default:
					q.i++
				}
			default:
				text = text || c >= utf8.RuneSelf
				q.i++
			}
			continue
		}
		switch {
		case isSpace(c):
			q.i++
			continue
		case c == '\n':
			if len(stack) == 0 {
				return q, text, true
			}
			q.newline()
			continue
		case isLineComment(c, q.at(1)):
			if len(stack) == 0 {
				return q, text, true
			}
			if !q.lineComment() {
				return q, text, false
			}
			continue
		case c == '/' && q.at(1) == '*':
			q.i += 2
			for !(q.at(0) == '*' && q.at(1) == '/') {
				if q.eof() {
					return q, text, false
				}
				if q.src[q.i] == '\n' {
					q.newline()
				} else {
					text = text || q.src[q.i] >= utf8.RuneSelf
					q.i++
				}
			}
			q.i += 2
			continue
		case c == '<' && q.at(1) == '<':
			// <<MARKER or <<-MARKER and a newline open a heredoc.
			j := q.i + 2
			if j < len(q.src) && q.src[j] == '-' {
				j++
			}
			m := j
			if j >= len(q.src) || !isIdentStart(q.src[j]) {
				return q, text, false
			}
			for j < len(q.src) && isIdentByte(q.src[j]) {
				j++
			}
			if j >= len(q.src) || q.src[j] != '\n' {
				return q, text, false
			}
			stack, markers = append(stack, '<'), append(markers, q.src[m:j])
			q.i = j
			q.newline()
			lineStart = true
			continue
		case c >= utf8.RuneSelf:
			return q, text, false
		case c == '"' || c == '(' || c == '[' || c == '{':
			stack = append(stack, c)
		case c == ')' || c == ']' || c == '}':
			n := len(stack)
			if n == 0 {
				return q, text, false
			}
			switch top := stack[n-1]; {
			case top == '(' && c == ')', top == '[' && c == ']', (top == '{' || top == '$') && c == '}':
			default:
				return q, text, false
			}
			stack = stack[:n-1]
			// Back in a heredoc after an interpolation: mid-line.
			lineStart = false
		}
		q.i++
	}
}

// expr reads one of the common expressions; false, with i anywhere, for
// anything else.
func (p *fastParser) expr() (hclsyntax.Expression, bool) {
	if p.eof() {
		return nil, false
	}
	start := p.pos()
	switch c := p.src[p.i]; {
	case c == '"':
		return p.quoted()
	case c >= '0' && c <= '9':
		p.decimal()
		if c := p.at(0); c == '.' || isIdentByte(c) {
			return nil, false // an exponent, or something hclsyntax reads otherwise
		}
		v, err := cty.ParseNumberVal(p.text(start.Byte, p.i))
		if err != nil {
			return nil, false
		}
		return p.nodes.literal(v, p.rangeFrom(start)), true
	case c == '[':
		return p.tuple()
	case c == '{':
		return p.object()
	case isIdentStart(c):
		name, rng, _ := p.ident()
		save := *p
		p.skipSpaces()
		if p.at(0) == '(' {
			return p.call(name, rng)
		}
		*p = save
		switch c := p.at(0); {
		case c == ':' || c == '[':
			return nil, false
		case c == '.':
			return p.traversal(name, rng)
		}
		if name == "for" {
			return nil, false // a for expression in brackets; an object's key, refused
		}
		return nameTerm(name, rng), true
	}
	return nil, false
}

// nameTerm is the term a lone name is: the literal true, false or null,
// or a variable.
func nameTerm(name string, rng hcl.Range) hclsyntax.Expression {
	switch name {
	case "true":
		return &hclsyntax.LiteralValueExpr{Val: cty.True, SrcRange: rng}
	case "false":
		return &hclsyntax.LiteralValueExpr{Val: cty.False, SrcRange: rng}
	case "null":
		return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: rng}
	}
	return &hclsyntax.ScopeTraversalExpr{
		Traversal: hcl.Traversal{hcl.TraverseRoot{Name: name, SrcRange: rng}},
		SrcRange:  rng,
	}
}

// decimal steps over the digits at i and a fraction after them.
func (p *fastParser) decimal() {
	for p.i < len(p.src) && p.src[p.i] >= '0' && p.src[p.i] <= '9' {
		p.i++
	}
	if p.at(0) == '.' && p.at(1) >= '0' && p.at(1) <= '9' {
		p.i++
		for p.i < len(p.src) && p.src[p.i] >= '0' && p.src[p.i] <= '9' {
			p.i++
		}
	}
}

// quoted reads a quoted string without interpolation as an expression.
func (p *fastParser) quoted() (hclsyntax.Expression, bool) {
	s, rng, ok := p.stringLiteral()
	if !ok {
		return nil, false
	}
	// A literal over the quotes, where hclsyntax makes a template of
	// one literal part (see syntax.QuotedString).
	return p.nodes.literal(cty.StringVal(s), rng), true
}

// traversal reads .name steps after a variable.
func (p *fastParser) traversal(root string, rootRange hcl.Range) (hclsyntax.Expression, bool) {
	if root == "true" || root == "false" || root == "null" || root == "for" {
		// for.x first in brackets is a for-expression to hclsyntax (an
		// error); fastparse_expr.go reads a root named for where it is one.
		return nil, false
	}
	tr := hcl.Traversal{hcl.TraverseRoot{Name: root, SrcRange: rootRange}}
	for p.at(0) == '.' {
		dot := p.pos()
		p.i++
		name, rng, ok := p.ident()
		if !ok {
			return nil, false
		}
		tr = append(tr, hcl.TraverseAttr{Name: name, SrcRange: hcl.Range{Filename: p.file, Start: dot, End: rng.End}})
	}
	if c := p.at(0); c == '[' || c == ':' {
		return nil, false
	}
	return &hclsyntax.ScopeTraversalExpr{
		Traversal: tr,
		SrcRange:  hcl.Range{Filename: p.file, Start: rootRange.Start, End: p.pos()},
	}, true
}

// skipBlank skips spaces and newlines, inside brackets where newlines
// mean nothing. A comment makes it give up.
func (p *fastParser) skipBlank() bool {
	for !p.eof() {
		switch p.src[p.i] {
		case ' ', '\t':
			p.i++
		case '\n':
			p.newline()
		case '#', '/':
			return false
		default:
			return true
		}
	}
	return true
}

// items reads comma-separated expressions up to close, a trailing comma
// allowed; it returns the closing bracket's range.
func (p *fastParser) items(close byte) ([]hclsyntax.Expression, hcl.Range, bool) {
	var exprs []hclsyntax.Expression
	for {
		if !p.skipBlank() || p.eof() {
			return nil, hcl.Range{}, false
		}
		if p.src[p.i] == close {
			return exprs, p.step(), true
		}
		e, ok := p.expr()
		if !ok || !p.skipBlank() || p.eof() {
			return nil, hcl.Range{}, false
		}
		exprs = append(exprs, e)
		switch p.src[p.i] {
		case ',':
			p.i++
		case close:
		default:
			return nil, hcl.Range{}, false
		}
	}
}

// tuple reads [a, b, ...].
func (p *fastParser) tuple() (hclsyntax.Expression, bool) {
	open := p.step()
	exprs, closeRange, ok := p.items(']')
	if !ok {
		return nil, false
	}
	return &hclsyntax.TupleConsExpr{
		Exprs:     exprs,
		SrcRange:  hcl.RangeBetween(open, closeRange),
		OpenRange: open,
	}, true
}

// call reads f(a, b, ...) (the name read, i at the parenthesis).
func (p *fastParser) call(name string, nameRange hcl.Range) (hclsyntax.Expression, bool) {
	open := p.step()
	args, closeRange, ok := p.items(')')
	if !ok {
		return nil, false
	}
	return &hclsyntax.FunctionCallExpr{
		Name:            name,
		Args:            args,
		NameRange:       nameRange,
		OpenParenRange:  open,
		CloseParenRange: closeRange,
	}, true
}

// objectBlank skips spaces, newlines and line comments between the
// items of an object (where a newline separates items, as a comma
// does); it reports whether it skipped a newline.
func (p *fastParser) objectBlank() (newline, ok bool) {
	for !p.eof() {
		switch c := p.src[p.i]; {
		case isSpace(c):
			p.i++
		case c == '\n':
			p.newline()
			newline = true
		case isLineComment(c, p.at(1)):
			if !p.lineComment() {
				return newline, false
			}
			newline = true
		case c == '/':
			return newline, false
		default:
			return newline, true
		}
	}
	return newline, true
}

// object reads { key = value ... }, items separated by commas or
// newlines.
func (p *fastParser) object() (hclsyntax.Expression, bool) {
	open := p.step()
	var items []hclsyntax.ObjectConsItem
	for {
		if _, ok := p.objectBlank(); !ok || p.eof() {
			return nil, false
		}
		if p.src[p.i] == '}' {
			closeStart := p.pos()
			p.i++
			p.objects = p.objects || len(items) > 1
			return &hclsyntax.ObjectConsExpr{
				Items:     items,
				SrcRange:  hcl.RangeBetween(open, p.rangeFrom(closeStart)),
				OpenRange: open,
			}, true
		}
		if p.src[p.i] == '(' {
			return nil, false
		}
		key, ok := p.expr()
		if !ok {
			return nil, false
		}
		p.skipSpaces()
		if c := p.at(0); !(c == '=' && p.at(1) != '=' || c == ':') {
			return nil, false
		}
		p.i++
		p.skipSpaces()
		value, ok := p.expr()
		if !ok {
			return nil, false
		}
		items = append(items, hclsyntax.ObjectConsItem{
			KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: key},
			ValueExpr: value,
		})
		p.skipSpaces()
		switch c := p.at(0); {
		case c == ',':
			p.i++
		case c == '}':
		default:
			if nl, ok := p.objectBlank(); !ok || !nl {
				return nil, false
			}
		}
	}
}
