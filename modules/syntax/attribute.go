package syntax

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// An Attribute is `name = expression` in a body.
type Attribute struct {
	Name string
	Expr hclsyntax.Expression
	// NameSpan is where the name is written.
	NameSpan Span
}

// NameRange is where the name is written, in file (the module's).
func (a *Attribute) NameRange(file string) hcl.Range { return a.NameSpan.In(file) }
