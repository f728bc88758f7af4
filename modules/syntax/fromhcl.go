package syntax

import (
	"cmp"
	"slices"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// FromHCL returns the structure of a body that hclsyntax parsed, with
// the same expressions.
func FromHCL(hb *hclsyntax.Body) *Body {
	b := &Body{}
	fromHCL(b, hb)
	return b
}

func fromHCL(b *Body, hb *hclsyntax.Body) {
	if len(hb.Attributes) > 0 {
		b.Attrs = make([]Attribute, 0, len(hb.Attributes))
		for _, a := range hb.Attributes {
			b.Attrs = append(b.Attrs, Attribute{Name: a.Name, Expr: a.Expr, NameSpan: SpanOf(a.NameRange)})
		}
		slices.SortFunc(b.Attrs, func(x, y Attribute) int { return cmp.Compare(x.NameSpan.Start.Byte, y.NameSpan.Start.Byte) })
	}
	if len(hb.Blocks) > 0 {
		b.Blocks = make([]Block, len(hb.Blocks))
		for i, hblk := range hb.Blocks {
			blk := &b.Blocks[i]
			blk.Type, blk.TypeSpan, blk.End = hblk.Type, SpanOf(hblk.TypeRange), PosOf(hblk.CloseBraceRange.End)
			if len(hblk.Labels) > 0 {
				blk.Labels = slices.Clone(hblk.Labels)
				blk.LabelSpans = make([]Span, len(hblk.LabelRanges))
				for j, r := range hblk.LabelRanges {
					blk.LabelSpans[j] = SpanOf(r)
				}
			}
			fromHCL(&blk.Body, hblk.Body)
		}
	}
}
