package loader

import (
	"github.com/gocfg/gocfg/modules/forexpr"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The full expression parser: what the built-in modules write beyond
// the common expressions of fastparse.go (operators, conditionals,
// for-expressions, templates with interpolation, indexes, parentheses,
// comments and newlines in brackets), read as hclsyntax's parser reads
// it, function for function (parseTernaryConditional, parseBinaryOps,
// parseExpressionTraversals, parseExpressionTerm, parseTupleCons,
// parseObjectCons, finishParsingForExpr, parseTemplateParts), to the
// same tree. nl says whether newlines are tokens where the expression
// is (hclsyntax's PushIncludeNewlines): at the top of an attribute and
// in an object constructor they are, in brackets they are not. Any
// construct not written here (splats, template directives, strip
// markers, block comments, exponents, legacy .0 indexes, namespaced
// functions, $$ and %% sequences in quoted strings, and the parts of a
// heredoc fastparse_heredoc.go leaves) makes it give up, and the caller
// hands the span to hclsyntax as before.

// sp skips spaces and, where newlines mean nothing, newlines and line
// comments.
func (p *fastParser) sp(nl bool) {
	for p.i < len(p.src) {
		switch c := p.src[p.i]; {
		case isSpace(c):
			p.i++
		case nl:
			return
		case c == '\n':
			p.newline()
		case isLineComment(c, p.at(1)):
			p.lineComment()
		default:
			return
		}
	}
}

// peekSp returns the byte after sp(nl) without moving, and the state
// at it.
func (p *fastParser) peekSp(nl bool) (byte, fastParser) {
	q := *p
	q.sp(nl)
	return q.at(0), q
}

// keywordAt reports whether the identifier at i is exactly kw.
func (p *fastParser) keywordAt(kw string) bool {
	if p.i+len(kw) > len(p.src) || string(p.src[p.i:p.i+len(kw)]) != kw {
		return false
	}
	return p.i+len(kw) == len(p.src) || !isIdentByte(p.src[p.i+len(kw)])
}

// pExpr reads an expression as hclsyntax's ParseExpression does:
// parseTernaryConditional.
func (p *fastParser) pExpr(nl bool) (hclsyntax.Expression, bool) {
	p.sp(nl)
	start := p.pos()
	cond, ok := p.pBinary(0, nl)
	if !ok {
		return nil, false
	}
	c, q := p.peekSp(nl)
	if c != '?' {
		return cond, true
	}
	*p = q
	p.i++
	t, ok := p.pExpr(nl)
	if !ok {
		return nil, false
	}
	if !p.colon(nl) {
		return nil, false
	}
	f, ok := p.pExpr(nl)
	if !ok {
		return nil, false
	}
	return &hclsyntax.ConditionalExpr{
		Condition:   cond,
		TrueResult:  t,
		FalseResult: f,
		SrcRange:    hcl.Range{Filename: p.file, Start: start, End: f.Range().End},
	}, true
}

// pEnclosed reads an expression in brackets (newlines mean nothing)
// and steps over the closer after it.
func (p *fastParser) pEnclosed(closer byte) (hclsyntax.Expression, bool) {
	e, ok := p.pExpr(false)
	if !ok {
		return nil, false
	}
	p.sp(false)
	if p.at(0) != closer {
		return nil, false
	}
	p.i++
	return e, true
}

// colon steps over the ':' after spaces (sp(nl)), refusing a '::'.
func (p *fastParser) colon(nl bool) bool {
	p.sp(nl)
	if p.at(0) != ':' || p.at(1) == ':' {
		return false
	}
	p.i++
	return true
}

// binOp returns the operator of precedence level at i (hclsyntax's
// binaryOps, 0 the loosest) and its length, or nil.
func (p *fastParser) binOp(level int) (*hclsyntax.Operation, int) {
	c, n := p.at(0), p.at(1)
	switch level {
	case 0:
		if c == '|' && n == '|' {
			return hclsyntax.OpLogicalOr, 2
		}
	case 1:
		if c == '&' && n == '&' {
			return hclsyntax.OpLogicalAnd, 2
		}
	case 2:
		if c == '=' && n == '=' {
			return hclsyntax.OpEqual, 2
		}
		if c == '!' && n == '=' {
			return hclsyntax.OpNotEqual, 2
		}
	case 3:
		switch {
		case c == '>' && n == '=':
			return hclsyntax.OpGreaterThanOrEqual, 2
		case c == '>':
			return hclsyntax.OpGreaterThan, 1
		case c == '<' && n == '=':
			return hclsyntax.OpLessThanOrEqual, 2
		case c == '<' && n != '<':
			return hclsyntax.OpLessThan, 1
		}
	case 4:
		if c == '+' {
			return hclsyntax.OpAdd, 1
		}
		if c == '-' {
			return hclsyntax.OpSubtract, 1
		}
	case 5:
		switch {
		case c == '*':
			return hclsyntax.OpMultiply, 1
		case c == '/' && n != '/' && n != '*':
			return hclsyntax.OpDivide, 1
		case c == '%' && n != '{':
			return hclsyntax.OpModulo, 1
		}
	}
	return nil, 0
}

const binLevels = 6

// pBinary reads operators of level and tighter, left-associative, as
// parseBinaryOps does.
func (p *fastParser) pBinary(level int, nl bool) (hclsyntax.Expression, bool) {
	if level == binLevels {
		return p.pTraversed(nl)
	}
	lhs, ok := p.pBinary(level+1, nl)
	if !ok {
		return nil, false
	}
	var op *hclsyntax.Operation
	var rhs hclsyntax.Expression
	for {
		_, q := p.peekSp(nl)
		o, n := q.binOp(level)
		if o == nil {
			break
		}
		if op != nil {
			lhs = &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}
		}
		*p = q
		p.i += n
		op = o
		p.sp(nl)
		if rhs, ok = p.pBinary(level+1, nl); !ok {
			return nil, false
		}
	}
	if op == nil {
		return lhs, true
	}
	return &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}, true
}

// pTraversed reads a term and its attribute and index steps:
// parseExpressionWithTraversals.
func (p *fastParser) pTraversed(nl bool) (hclsyntax.Expression, bool) {
	p.sp(nl)
	ret, ok := p.pTerm(nl)
	if !ok {
		return nil, false
	}
	for {
		c, q := p.peekSp(nl)
		switch c {
		case '.':
			if q.at(1) == '.' {
				return ret, true // an ellipsis
			}
			*p = q
			dot := p.pos()
			p.i++
			p.sp(nl)
			name, rng, ok := p.ident()
			if !ok {
				return nil, false // a splat, a legacy index or an error
			}
			step := hcl.Range{Filename: p.file, Start: dot, End: rng.End}
			ret = appendStep(ret, hcl.TraverseAttr{Name: name, SrcRange: step}, step)
		case '[':
			*p = q
			open := p.step()
			p.sp(false)
			if p.at(0) == '*' {
				return nil, false // a splat
			}
			key, ok := p.pEnclosed(']')
			if !ok {
				return nil, false
			}
			rng := p.rangeFrom(open.Start)
			switch k := key.(type) {
			case *hclsyntax.LiteralValueExpr:
				v, _ := k.Value(nil)
				ret = appendStep(ret, hcl.TraverseIndex{Key: v, SrcRange: rng}, rng)
				continue
			case *hclsyntax.TemplateExpr:
				if k.IsStringLiteral() {
					v, _ := k.Value(nil)
					ret = appendStep(ret, hcl.TraverseIndex{Key: v, SrcRange: rng}, rng)
					continue
				}
			}
			ret = &hclsyntax.IndexExpr{
				Collection:   ret,
				Key:          key,
				SrcRange:     hcl.Range{Filename: p.file, Start: ret.Range().Start, End: rng.End},
				OpenRange:    open,
				BracketRange: rng,
			}
		default:
			return ret, true
		}
	}
}

// appendStep is hclsyntax's makeRelativeTraversal.
func appendStep(expr hclsyntax.Expression, next hcl.Traverser, rng hcl.Range) hclsyntax.Expression {
	switch t := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		t.Traversal = append(t.Traversal, next)
		t.SrcRange = hcl.RangeBetween(t.SrcRange, rng)
		return t
	case *hclsyntax.RelativeTraversalExpr:
		t.Traversal = append(t.Traversal, next)
		t.SrcRange = hcl.RangeBetween(t.SrcRange, rng)
		return t
	}
	return &hclsyntax.RelativeTraversalExpr{
		Source:    expr,
		Traversal: hcl.Traversal{next},
		SrcRange:  hcl.RangeBetween(expr.Range(), rng),
	}
}

// pTerm reads a term at i: parseExpressionTerm.
func (p *fastParser) pTerm(nl bool) (hclsyntax.Expression, bool) {
	if p.eof() {
		return nil, false
	}
	start := p.pos()
	switch c := p.src[p.i]; {
	case c == '(':
		p.i++
		inner, ok := p.pEnclosed(')')
		if !ok {
			return nil, false
		}
		return &hclsyntax.ParenthesesExpr{Expression: inner, SrcRange: p.rangeFrom(start)}, true
	case c >= '0' && c <= '9':
		p.decimal()
		if c := p.at(0); c == '.' || (isIdentByte(c) && c != '-') {
			return nil, false // an exponent, a legacy index, or a number hclsyntax reads otherwise
		}
		v, err := cty.ParseNumberVal(p.text(start.Byte, p.i))
		if err != nil {
			return nil, false
		}
		return p.nodes.literal(v, p.rangeFrom(start)), true
	case isIdentStart(c):
		name, rng, _ := p.ident()
		switch c, q := p.peekSp(nl); {
		case c == '(':
			*p = q
			return p.pCall(name, rng)
		case c == ':' && q.at(1) == ':':
			return nil, false // a namespaced function
		}
		return nameTerm(name, rng), true
	case c == '"':
		return p.pTemplate()
	case c == '<' && p.at(1) == '<':
		return p.pHeredoc()
	case c == '-' || (c == '!' && p.at(1) != '='):
		op := hclsyntax.OpNegate
		if c == '!' {
			op = hclsyntax.OpLogicalNot
		}
		p.i++
		sym := p.rangeFrom(start)
		val, ok := p.pTraversed(nl)
		if !ok {
			return nil, false
		}
		return &hclsyntax.UnaryOpExpr{
			Op:          op,
			Val:         val,
			SrcRange:    hcl.Range{Filename: p.file, Start: start, End: val.Range().End},
			SymbolRange: sym,
		}, true
	case c == '[':
		return p.pTuple()
	case c == '{':
		return p.pObject()
	}
	return nil, false
}

// pCall reads a function call's arguments, at its parenthesis:
// finishParsingFunctionCall.
func (p *fastParser) pCall(name string, nameRange hcl.Range) (hclsyntax.Expression, bool) {
	open := p.step()
	args, expand, ok := p.pList(')', true)
	if !ok {
		return nil, false
	}
	closeStart := p.pos()
	p.i++
	return &hclsyntax.FunctionCallExpr{
		Name:            name,
		Args:            args,
		ExpandFinal:     expand,
		NameRange:       nameRange,
		OpenParenRange:  open,
		CloseParenRange: p.rangeFrom(closeStart),
	}, true
}

// pList reads comma-separated expressions (a trailing comma allowed) up
// to closer, and stops at it; with ellipsis, the last may be followed by
// "..." (a call's expanded final argument), which expand reports.
func (p *fastParser) pList(closer byte, ellipsis bool) (exprs []hclsyntax.Expression, expand, ok bool) {
	for {
		p.sp(false)
		if p.at(0) == closer {
			return exprs, false, true
		}
		e, ok := p.pExpr(false)
		if !ok {
			return nil, false, false
		}
		exprs = append(exprs, e)
		p.sp(false)
		switch {
		case p.at(0) == closer:
			return exprs, false, true
		case ellipsis && p.at(0) == '.' && p.at(1) == '.' && p.at(2) == '.':
			p.i += 3
			p.sp(false)
			return exprs, true, p.at(0) == closer
		case p.at(0) != ',':
			return nil, false, false
		}
		p.i++
	}
}

// pTuple reads [a, b, ...] or a for-expression in brackets:
// parseTupleCons.
func (p *fastParser) pTuple() (hclsyntax.Expression, bool) {
	open := p.step()
	p.sp(false)
	if p.keywordAt("for") {
		return p.pFor(open, ']')
	}
	exprs, _, ok := p.pList(']', false)
	if !ok {
		return nil, false
	}
	p.i++
	return &hclsyntax.TupleConsExpr{
		Exprs:     exprs,
		SrcRange:  p.rangeFrom(open.Start),
		OpenRange: open,
	}, true
}

// pObject reads { key = value ... } (items separated by commas or
// newlines) or a for-expression in braces: parseObjectCons.
func (p *fastParser) pObject() (hclsyntax.Expression, bool) {
	open := p.step()
	if _, q := p.peekSp(false); q.keywordAt("for") {
		*p = q
		return p.pFor(open, '}')
	}
	var items []hclsyntax.ObjectConsItem
	for {
		p.sp(true)
		switch c := p.at(0); {
		case c == '\n':
			p.newline()
			continue
		case isLineComment(c, p.at(1)):
			p.lineComment()
			continue
		}
		if p.at(0) == '}' {
			break
		}
		force := p.at(0) == '('
		key, ok := p.pExpr(true)
		if !ok {
			return nil, false
		}
		p.sp(true)
		switch c, n := p.at(0), p.at(1); {
		case c == '=' && n != '=' && n != '>', c == ':' && n != ':':
			p.i++
		default:
			return nil, false
		}
		value, ok := p.pExpr(true)
		if !ok {
			return nil, false
		}
		items = append(items, hclsyntax.ObjectConsItem{
			KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: key, ForceNonLiteral: force},
			ValueExpr: value,
		})
		p.sp(true)
		switch c := p.at(0); {
		case c == '}':
		case c == ',':
			p.i++
			continue
		case c == '\n':
			p.newline()
			continue
		case isLineComment(c, p.at(1)):
			p.lineComment()
			continue
		default:
			return nil, false
		}
		break
	}
	p.i++
	p.objects = p.objects || len(items) > 1
	return &hclsyntax.ObjectConsExpr{
		Items:     items,
		SrcRange:  p.rangeFrom(open.Start),
		OpenRange: open,
	}, true
}

// pFor reads a for-expression from its keyword to its closing bracket:
// finishParsingForExpr (newlines mean nothing in it).
func (p *fastParser) pFor(open hcl.Range, closer byte) (hclsyntax.Expression, bool) {
	p.i += len("for")
	p.sp(false)
	var keyVar string
	valVar, _, ok := p.ident()
	if !ok {
		return nil, false
	}
	p.sp(false)
	if p.at(0) == ',' {
		p.i++
		p.sp(false)
		keyVar = valVar
		if valVar, _, ok = p.ident(); !ok {
			return nil, false
		}
		p.sp(false)
	}
	if !p.keywordAt("in") {
		return nil, false
	}
	p.i += len("in")
	coll, ok := p.pExpr(false)
	if !ok {
		return nil, false
	}
	if !p.colon(false) {
		return nil, false
	}
	var keyExpr hclsyntax.Expression
	valExpr, ok := p.pExpr(false)
	if !ok {
		return nil, false
	}
	p.sp(false)
	if p.at(0) == '=' && p.at(1) == '>' {
		p.i += 2
		keyExpr = valExpr
		if valExpr, ok = p.pExpr(false); !ok {
			return nil, false
		}
		p.sp(false)
	}
	group := false
	if p.at(0) == '.' && p.at(1) == '.' && p.at(2) == '.' {
		p.i += 3
		group = true
		p.sp(false)
	}
	var cond hclsyntax.Expression
	if p.keywordAt("if") {
		p.i += len("if")
		if cond, ok = p.pExpr(false); !ok {
			return nil, false
		}
		p.sp(false)
	}
	if p.at(0) != closer {
		return nil, false
	}
	if (closer == ']') != (keyExpr == nil) || (closer == ']' && group) {
		return nil, false // hclsyntax reports these
	}
	closeRange := p.step()
	return &forexpr.Expr{ForExpr: hclsyntax.ForExpr{
		KeyVar:     keyVar,
		ValVar:     valVar,
		CollExpr:   coll,
		KeyExpr:    keyExpr,
		ValExpr:    valExpr,
		CondExpr:   cond,
		Group:      group,
		SrcRange:   hcl.RangeBetween(open, closeRange),
		OpenRange:  open,
		CloseRange: closeRange,
	}}, true
}

// pTemplate reads a quoted template: literal text, with the escapes
// \n \r \t \" and \\, and ${ } interpolations (parseTemplateParts, with
// consecutive literals melded as hclsyntax melds them).
func (p *fastParser) pTemplate() (hclsyntax.Expression, bool) {
	save := *p
	if e, ok := p.quoted(); ok {
		return e, true
	}
	*p = save
	openStart := p.pos()
	p.i++
	var parts []hclsyntax.Expression
	interps := 0
	for {
		// A literal up to the closing quote or an interpolation.
		segStart := p.pos()
		var out []byte
		from, ascii, plain := p.i, true, true
		for {
			if p.eof() {
				return nil, false
			}
			c := p.src[p.i]
			if c == '"' || (c == '$' && p.at(1) == '{') {
				break
			}
			switch c {
			case '\\':
				r, ok := unescape(p.at(1))
				if !ok {
					return nil, false
				}
				out = append(append(out, p.src[from:p.i]...), r)
				p.i += 2
				from = p.i
				plain = false
				continue
			case '$', '%':
				// $${ and %%{ are escapes, %{ a directive; a lone $ or
				// % is text.
				if n := p.at(1); n == c || n == '{' {
					return nil, false
				}
				plain = false
			case '\n':
				return nil, false
			}
			ascii = ascii && c < 0x80
			p.i++
		}
		if p.i > segStart.Byte {
			text := p.src[segStart.Byte:p.i]
			if !ascii {
				if !plain {
					return nil, false // hclsyntax counts columns per token of the literal
				}
				p.narrow += len(text) - chars(text)
			}
			s := p.text(from, p.i)
			if out != nil {
				s = string(append(out, s...))
			}
			parts = append(parts, &hclsyntax.LiteralValueExpr{Val: cty.StringVal(s), SrcRange: p.rangeFrom(segStart)})
		}
		if p.src[p.i] == '"' {
			break
		}
		p.i += 2
		if p.at(0) == '~' {
			return nil, false
		}
		p.inTemplate++
		e, ok := p.pEnclosed('}')
		p.inTemplate--
		if !ok {
			return nil, false
		}
		parts = append(parts, e)
		interps++
	}
	p.i++
	rng := p.rangeFrom(openStart)
	if len(parts) == 1 && interps == 1 {
		return &hclsyntax.TemplateWrapExpr{Wrapped: parts[0], SrcRange: rng}, true
	}
	if len(parts) == 1 && interps == 0 {
		// A plain string, in the fast parser's form (see quoted).
		lit := parts[0].(*hclsyntax.LiteralValueExpr)
		return p.nodes.literal(lit.Val, rng), true
	}
	return &hclsyntax.TemplateExpr{Parts: parts, SrcRange: rng}, true
}
