package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/hashicorp/hcl/v2"
)

// providerError turns a provider's configuration or path error into one
// with hints: every hint of every error in it, joined (errors.Join) or
// wrapped, in order and without repeats.
func providerError(err error) error {
	if hints := errorHints(err); len(hints) > 0 {
		return withHints(err, hints...)
	}
	return err
}

// planError shows an error from planning the evaluated configuration ev
// (building the providers or MakePlan) the way configuration errors are
// shown: each error joined in it becomes an HCL diagnostic, one that
// names an option (a platform.ConfigError) with the source line where
// the option's value is defined, each followed by its hints. It returns
// a reportedError, or, when no error in it names an option, the
// providerError for the caller to print.
func planError(env *Env, ev *modules.Evaluation, err error) error {
	parts := joined(err)
	located := false
	for _, e := range parts {
		_, ok := errorOption(e)
		located = located || ok
	}
	if !located || ev == nil {
		return providerError(err)
	}
	diags := make(hcl.Diagnostics, 0, len(parts))
	for _, e := range parts {
		diags = append(diags, planDiagnostic(ev, env.WorkDir, e))
	}
	// In the order of the configuration, whichever provider found them.
	diagnostics.SortBySource(diags)
	w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir, Sources: ev.Source}
	_ = w.Write(diags)
	return reportedError{err}
}

// planDiagnostic is one planning error as a diagnostic: its message as
// the summary; the definition of the option it names, if it names one,
// as the subject; its hints as "hint: " lines of the detail.
func planDiagnostic(ev *modules.Evaluation, workDir string, err error) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: err.Error()}
	var detail []string
	if opt, ok := errorOption(err); ok {
		d.Subject, detail = optionSubject(ev, workDir, opt)
	}
	if ce := (*platform.ConfigError)(nil); errors.As(err, &ce) && ce.Secret {
		d.Extra = diagnostics.NoSnippet{}
	}
	for _, h := range errorHints(err) {
		detail = append(detail, "hint: "+h)
	}
	d.Detail = strings.Join(detail, "\n")
	return d
}

// optionSubject is where option opt is defined in ev (nil when it is
// not found), and the lines that explain a subject that is not simply
// its one definition.
func optionSubject(ev *modules.Evaluation, workDir, opt string) (*hcl.Range, []string) {
	p, err := optpath.Parse(lookupPath(opt))
	if err != nil {
		return nil, nil
	}
	o, ok := ev.Origin(p.String())
	if !ok {
		return nil, nil
	}
	return o.Subject().Ptr(), originDetail(o, p.String(), workDir)
}

// originDetail explains a subject that is not simply the option's one
// definition: a default, an ancestor, several definitions.
func originDetail(o modules.Origin, asked, workDir string) []string {
	ref := func(r hcl.Range) string {
		return fmt.Sprintf("%s:%d", relPath(workDir, r.Filename), r.Start.Line)
	}
	var lines []string
	switch {
	case o.Default:
		lines = append(lines, fmt.Sprintf("No module sets %s: it is set by the option's default, declared at %s.", o.Path, ref(o.Ranges[0])))
	case o.Path != asked:
		lines = append(lines, fmt.Sprintf("No module sets %s; %s is defined here.", asked, o.Path))
	case len(o.Via) > 0 && o.ViaWhen:
		lines = append(lines, fmt.Sprintf("%s is defined at %s because of %s.", o.Path, ref(o.Ranges[0]), strings.Join(o.Via, " and ")))
	case len(o.Via) > 0:
		lines = append(lines, fmt.Sprintf("%s is made from %s, at %s.", o.Path, strings.Join(o.Via, " and "), ref(o.Ranges[0])))
	}
	if len(o.Ranges) > 1 {
		lines = append(lines, alsoDefined(o, workDir))
	}
	return lines
}

// lookupPath is the option path of an error's option, without the
// index of a list element: macos.keyboard.user_key_mapping[2] is
// looked up as macos.keyboard.user_key_mapping.
func lookupPath(opt string) string {
	if strings.HasSuffix(opt, "]") {
		if i := strings.LastIndexByte(opt, '['); i > 0 && !strings.Contains(opt[i:], `"`) {
			return opt[:i]
		}
	}
	return opt
}

// errorOption returns the option an error names, if it is or wraps one
// that does.
func errorOption(err error) (string, bool) {
	var ce *platform.ConfigError
	if errors.As(err, &ce) && ce.Option != "" {
		return ce.Option, true
	}
	var ue *packages.UnknownError
	if errors.As(err, &ue) {
		if ue.Option == "" {
			return "environment.system_packages", true
		}
		return ue.Option, true
	}
	return "", false
}

// joined splits an errors.Join into its errors, recursively; any other
// error is one. An error that wraps several with a message of its own
// (fmt.Errorf with two %w) stays whole, so its message is kept.
func joined(err error) []error {
	u, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	errs := u.Unwrap()
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		if e != nil {
			msgs = append(msgs, e.Error())
		}
	}
	if strings.Join(msgs, "\n") != err.Error() {
		return []error{err}
	}
	var out []error
	for _, e := range errs {
		if e != nil {
			out = append(out, joined(e)...)
		}
	}
	return out
}

// errorHints collects the hints of every error in err's tree, depth
// first, without repeats: the remedies of configuration errors, unknown
// packages, paths in the way and hint errors.
func errorHints(err error) []string {
	var hints []string
	add := func(h ...string) {
		for _, s := range h {
			if s != "" && !slices.Contains(hints, s) {
				hints = append(hints, s)
			}
		}
	}
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
			return
		case hintError:
			add(e.hints...)
		case *platform.ConfigError:
			add(e.Hint)
		case *packages.UnknownError:
			add(e.Hint())
		case *files.PathError:
			add(e.Hint)
		case interface{ Hint() string }:
			add(e.Hint())
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return hints
}

// builtinsListed is how many built-in modules' definitions an error
// lists by line; beyond it they are counted. An option that many
// built-in modules add to (environment.system_packages: eight, most of
// them an empty list unless their service is on) would otherwise bury
// the user's own lines in lines they cannot change.
const builtinsListed = 2

// alsoDefined is the line naming the definitions of o other than its
// subject: each at file:line:column, the built-in modules' counted when
// there are more than builtinsListed.
func alsoDefined(o modules.Origin, workDir string) string {
	ref := func(r hcl.Range) string {
		return fmt.Sprintf("%s:%d:%d", relPath(workDir, r.Filename), r.Start.Line, r.Start.Column)
	}
	userRanges, builtinRanges := o.Others()
	var user, builtin []string
	files := map[string]bool{} // the built-in modules of builtin
	for _, r := range userRanges {
		user = append(user, ref(r))
	}
	for _, r := range builtinRanges {
		builtin = append(builtin, ref(r))
		files[r.Filename] = true
	}
	if len(builtin) <= builtinsListed {
		return fmt.Sprintf("%s is also defined at %s.", o.Path, strings.Join(append(user, builtin...), ", "))
	}
	in := fmt.Sprintf("at %d places in %d built-in modules", len(builtin), len(files))
	if len(files) == len(builtin) {
		in = fmt.Sprintf("in %d built-in modules", len(files))
	}
	if len(user) == 0 {
		return fmt.Sprintf("%s is also defined %s.", o.Path, in)
	}
	return fmt.Sprintf("%s is also defined at %s, and %s.", o.Path, strings.Join(user, ", "), in)
}
