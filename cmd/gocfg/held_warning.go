package main

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
)

// warnHeld warns about a held conflict: what is in the way and what is
// left as it is, then its remedies as hints. A conflict that names the
// option at fault (a file's entry, a held secret's identity_paths) is a warning
// diagnostic at that option's definition, as a plan-time error is
// (planDiagnostic), when locate finds the evaluation.
func warnHeld(env *Env, c platform.Conflict, locate func() *modules.Evaluation) {
	summary := fmt.Sprintf("%s: %s; %s", platform.Printable(c.Path), platform.Printable(c.Problem), heldWhat(c))
	if c.Option != "" && locate != nil {
		if ev := locate(); ev != nil {
			if subject, detail := optionSubject(ev, env.WorkDir, c.Option); subject != nil {
				for _, r := range c.Remedies {
					detail = append(detail, "hint: "+r.Text)
				}
				d := &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Subject: subject, Detail: strings.Join(detail, "\n")}
				w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir, Sources: ev.Source}
				_ = w.Write(hcl.Diagnostics{d})
				return
			}
		}
	}
	fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", summary)
	for _, r := range c.Remedies {
		fmt.Fprintf(env.Stderr, "gocfg: hint: %s\n", r.Text)
	}
}
