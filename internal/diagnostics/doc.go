// Package diagnostics is how gocfg shows problems to people: configuration
// errors as HCL diagnostics that point at file:line:column, print the
// offending source line with the subject underlined, explain what is wrong
// and say what to do about it; and plain errors as "gocfg: error: …"
// followed by "gocfg: hint: …" lines, as age does.
//
// Place in the pipeline: loading and evaluating modules (package modules)
// report hcl.Diagnostics whose ranges point into the user's dotfiles; the
// commands in cmd/gocfg hand them, or any other error, to a [Writer] on
// stderr. A Writer only formats: callers decide whether to use colour (a
// terminal and no NO_COLOR), where the source bytes come from and which
// folder names are shown relative to.
//
// Each diagnostic looks like this:
//
//	gocfg: error: Conflicting definitions for networking.host_name
//	  --> hosts/atlas.hcl:3:15
//	   |
//	 3 |   host_name = "atlas"
//	   |               ^^^^^^^
//	   = The option networking.host_name has conflicting definition values:
//	     - hosts/atlas.hcl:3:15: "atlas"
//	     - modules/base.hcl:2:15: "base"
//	gocfg: hint: set it once, or use mkForce in the host
//
// The location comes from the diagnostic's Subject; the snippet is cut from
// the source with the Subject's byte offsets, so multi-byte characters, wide
// characters and tabs before the subject do not shift the carets. A Detail
// line starting with "hint: " becomes a "gocfg: hint:" line, so whoever
// creates a diagnostic can attach a remedy. The Context range is not shown.
package diagnostics
