package diagnostics

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// SortBySource puts diags in the order of the configuration, as
// Terraform's tfdiags.Diagnostics.Sort does: those without a source
// range first, then by file and by where they start in it. The sort is
// stable: two at the same place keep their order. Problems found by
// walking something Go keeps in a map (hclsyntax's attributes of a body,
// a provider's configuration) read the same in every run once sorted.
func SortBySource(diags hcl.Diagnostics) {
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		switch {
		case a.Subject == nil || b.Subject == nil:
			return cmp.Compare(sourced(a), sourced(b))
		case a.Subject.Filename != b.Subject.Filename:
			return strings.Compare(a.Subject.Filename, b.Subject.Filename)
		}
		return cmp.Compare(a.Subject.Start.Byte, b.Subject.Start.Byte)
	})
}

// sourced is 1 for a diagnostic with a source range, else 0.
func sourced(d *hcl.Diagnostic) int {
	if d.Subject == nil {
		return 0
	}
	return 1
}
