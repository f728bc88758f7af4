package syntax

import "github.com/hashicorp/hcl/v2"

// A Block is `type "label" ... { body }`.
type Block struct {
	Type   string
	Labels []string
	// TypeSpan and LabelSpans are where the type and each label are
	// written (a quoted label's span covers its quotes).
	TypeSpan   Span
	LabelSpans []Span
	// End is just after the closing brace.
	End  Pos
	Body Body
}

// TypeRange is where the type is written, in file (the module's).
func (b *Block) TypeRange(file string) hcl.Range { return b.TypeSpan.In(file) }

// LabelRange is where label i is written, in file.
func (b *Block) LabelRange(i int, file string) hcl.Range { return b.LabelSpans[i].In(file) }

// Range is the whole block, from its type to its closing brace, in file.
func (b *Block) Range(file string) hcl.Range {
	return Span{Start: b.TypeSpan.Start, End: b.End}.In(file)
}

// DefRange is the block's header, from its type to its last label, in
// file: where hclsyntax's DefRange points a diagnostic about the block.
func (b *Block) DefRange(file string) hcl.Range {
	last := b.TypeSpan
	if n := len(b.LabelSpans); n > 0 {
		last = b.LabelSpans[n-1]
	}
	return Span{Start: b.TypeSpan.Start, End: last.End}.In(file)
}
