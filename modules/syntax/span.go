package syntax

import "github.com/hashicorp/hcl/v2"

// A Span is a range in a module's file, without the file's name.
type Span struct {
	Start, End Pos
}

// SpanOf returns r's positions as a Span.
func SpanOf(r hcl.Range) Span { return Span{Start: PosOf(r.Start), End: PosOf(r.End)} }

// In returns s as a range in file.
func (s Span) In(file string) hcl.Range {
	return hcl.Range{Filename: file, Start: s.Start.HCL(), End: s.End.HCL()}
}
