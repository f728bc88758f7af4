package defs

import (
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/modules/forexpr"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"golang.org/x/text/unicode/norm"
)

// checkDuplicateKeys reports object constructors that name a key twice
// (HCL itself would keep the last one silently). It walks the syntax by
// hand: hclsyntax.VisitAll's generic walk cost a tenth of a large
// configuration's evaluation time. It walks a body's attributes before
// its blocks, and an object before the objects inside it, so what it
// reports is then put in source order.
func (c *collector) checkDuplicateKeys(m *loader.Module) {
	from := len(c.diags)
	c.dupBody(m.Body)
	c.inSourceOrder(from)
}

func (c *collector) dupBody(b *syntax.Body) {
	for i := range b.Attrs {
		c.dupExpr(b.Attrs[i].Expr)
	}
	for i := range b.Blocks {
		c.dupBody(&b.Blocks[i].Body)
	}
}

func (c *collector) dupExpr(e hclsyntax.Expression) {
	switch e := e.(type) {
	case nil, *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr, *hclsyntax.AnonSymbolExpr:
	case *hclsyntax.ObjectConsExpr:
		c.dupObject(e)
		for _, it := range e.Items {
			c.dupExpr(it.KeyExpr)
			c.dupExpr(it.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		c.dupExpr(e.Wrapped)
	case *hclsyntax.TupleConsExpr:
		c.dupExprs(e.Exprs...)
	case *hclsyntax.FunctionCallExpr:
		c.dupExprs(e.Args...)
	case *hclsyntax.TemplateExpr:
		c.dupExprs(e.Parts...)
	case *hclsyntax.TemplateWrapExpr:
		c.dupExpr(e.Wrapped)
	case *hclsyntax.TemplateJoinExpr:
		c.dupExpr(e.Tuple)
	case *hclsyntax.ConditionalExpr:
		c.dupExprs(e.Condition, e.TrueResult, e.FalseResult)
	case *hclsyntax.ForExpr:
		c.dupExprs(e.CollExpr, e.KeyExpr, e.ValExpr, e.CondExpr)
	case *forexpr.Expr:
		c.dupExprs(e.CollExpr, e.KeyExpr, e.ValExpr, e.CondExpr)
	case *hclsyntax.BinaryOpExpr:
		c.dupExprs(e.LHS, e.RHS)
	case *hclsyntax.UnaryOpExpr:
		c.dupExpr(e.Val)
	case *hclsyntax.ParenthesesExpr:
		c.dupExpr(e.Expression)
	case *hclsyntax.IndexExpr:
		c.dupExprs(e.Collection, e.Key)
	case *hclsyntax.SplatExpr:
		c.dupExprs(e.Source, e.Each)
	case *hclsyntax.RelativeTraversalExpr:
		c.dupExpr(e.Source)
	default:
		// Any other node: the generic walk.
		_ = hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
			if obj, ok := n.(*hclsyntax.ObjectConsExpr); ok {
				c.dupObject(obj)
			}
			return nil
		})
	}
}

func (c *collector) dupExprs(es ...hclsyntax.Expression) {
	for _, e := range es {
		c.dupExpr(e)
	}
}

func (c *collector) dupObject(obj *hclsyntax.ObjectConsExpr) {
	if len(obj.Items) < 2 {
		return
	}
	type first struct {
		rng      hcl.Range
		spelling string
	}
	seen := make(map[string]first, len(obj.Items))
	for _, it := range obj.Items {
		k, ok := schema.StaticKey(it.KeyExpr)
		if !ok {
			continue
		}
		spelling := c.keySpelling(it.KeyExpr, k)
		// go-cty keeps object keys in NFC, so keys that differ only in
		// Unicode normalization are one key, and one value would be lost.
		if !isNFC(k) {
			k = norm.NFC.String(k)
		}
		if f, dup := seen[k]; dup {
			if f.spelling != spelling {
				c.errorf(it.KeyExpr.Range(), "Same name in two Unicode spellings", "The key %s here and %s at %s in this object are the same name after Unicode NFC normalization, which gocfg applies to keys (as macOS does to file names), so one value would silently replace the other.\nhint: use one spelling for both, best the normalized one: %s.", strconv.QuoteToASCII(spelling), strconv.QuoteToASCII(f.spelling), c.set.Ref(f.rng), strconv.QuoteToASCII(k))
				continue
			}
			c.errorf(it.KeyExpr.Range(), "Duplicate key", "%s is already set at %s in this object; a key may appear once (merge several definitions with merge_all or separate blocks).", optpath.Segment(k), c.set.Ref(f.rng))
			continue
		}
		seen[k] = first{it.KeyExpr.Range(), spelling}
	}
}

// keySpelling returns an object key as written, before the Unicode
// normalization that HCL applies to quoted strings; key is the
// normalized key, returned when the spelling cannot be read.
func (c *collector) keySpelling(e hclsyntax.Expression, key string) string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		e = k.Wrapped
	}
	if _, quoted := syntax.QuotedString(e); !quoted {
		return key // a bare name is kept as written
	}
	rng := e.Range()
	src := c.set.Source(rng.Filename)
	if rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return key
	}
	text := src[rng.Start.Byte:rng.End.Byte]
	if !mayDenormalize(text) {
		return key
	}
	tokens, diags := hclsyntax.LexExpression(text, rng.Filename, rng.Start)
	if diags.HasErrors() {
		return key
	}
	var b strings.Builder
	for _, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenOQuote, hclsyntax.TokenCQuote, hclsyntax.TokenEOF:
		case hclsyntax.TokenQuotedLit:
			s, diags := hclsyntax.ParseStringLiteralToken(tok)
			if diags.HasErrors() {
				return key
			}
			b.WriteString(s)
		default:
			return key
		}
	}
	return b.String()
}

// mayDenormalize tells whether a quoted key's text can spell its key in
// another way than NFC: only non-ASCII text or an escape can.
func mayDenormalize(text []byte) bool {
	for _, b := range text {
		if b >= 0x80 || b == '\\' {
			return true
		}
	}
	return false
}
