package main

import (
	"fmt"
	"io"
	"os"

	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/secrets"
)

// check is gocfg deploy's look at host h's configuration before it
// connects to h: the files it reads that the repository lacks (a file's
// source, a secret's file), each shown as gocfg plan shows it, at the
// line that sets it.
//
// h's facts are not known before the connection: check evaluates h with
// this machine's (or finds them in the cache: deployEval.hereFiles),
// lazily (only the options that name files: an assert
// that holds on h's platform alone does not stop it), and, when a file
// is missing, again with another OS and with another architecture; it
// reports what is missing in every one of them. A file that depends on
// h's facts is left to h's own evaluation once connected (bundle), which
// checks the same before anything is sent; so is everything when an
// evaluation here fails.
func (d *deployEval) check(w io.Writer, h deploy.Host) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	js, c := d.hereFiles(w, h)
	errs := checkFiles(js)
	for _, f := range otherFacts(d.here()) {
		if len(errs) == 0 {
			return nil
		}
		_, also := d.missingFiles(h, f)
		errs = inBoth(errs, also)
	}
	if len(errs) == 0 {
		return nil
	}
	env := *d.env
	env.Stderr, env.ColorErr = w, false
	return planError(&env, c.located(), platform.JoinErrors(errs))
}

// missingFiles evaluates h's options that name files with facts f and
// returns the evaluation and the files missing here; nothing when the
// evaluation fails.
func (d *deployEval) missingFiles(h deploy.Host, f deploy.Facts) (*modules.Evaluation, []error) {
	ev, diags := d.evaluate(h.Name, f, h.User)
	if diags.HasErrors() {
		return nil, nil
	}
	js, ok := fileOptions(ev)
	if !ok {
		return nil, nil
	}
	return ev, checkFiles(js)
}

// fileOptions is {"environment":{"etc":…},"home":…,"age":…} of ev: what
// files.Config and secrets.Config read of the whole configuration, for
// checkFiles; false when one of them does not evaluate.
func fileOptions(ev *modules.Evaluation) ([]byte, bool) {
	part := func(path string) ([]byte, bool) {
		if !ev.Declares(path) {
			return []byte("null"), true
		}
		js, diags := ev.JSON(path)
		return js, !diags.HasErrors()
	}
	etc, ok1 := part("environment.etc")
	home, ok2 := part("home")
	age, ok3 := part("age")
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	return fmt.Appendf(nil, `{"environment":{"etc":%s},"home":%s,"age":%s}`, etc, home, age), true
}

// checkFiles checks, on this machine, the files that the evaluated
// configuration js reads: the sources of home.<user>.files and
// environment.etc, the files of the secrets. Nothing to check (js
// empty: the options did not evaluate) is no error.
func checkFiles(js []byte) []error {
	if len(js) == 0 {
		return nil
	}
	fc, err := files.ConfigFromJSON(js)
	if err != nil {
		return []error{err}
	}
	sc, err := secrets.ConfigFromJSON(js)
	if err != nil {
		return []error{err}
	}
	return append(fc.CheckSources(os.Stat), sc.CheckFiles(os.ReadFile)...)
}

// otherFacts are facts unlike f: another OS (its distribution unknown
// on Linux), then another architecture.
func otherFacts(f deploy.Facts) []deploy.Facts {
	otherOS, otherArch := "linux", "arm64"
	if f.OS == "linux" {
		otherOS = "darwin"
	}
	if f.Arch == "arm64" {
		otherArch = "amd64"
	}
	return []deploy.Facts{
		{OS: otherOS, Arch: f.Arch, Distro: modules.DistroFamily(otherOS, nil)},
		{OS: f.OS, Arch: otherArch, Distro: f.Distro},
	}
}

// inBoth keeps the errors of a that b has too (the same words: the same
// option, the same file).
func inBoth(a, b []error) []error {
	in := map[string]bool{}
	for _, e := range b {
		in[e.Error()] = true
	}
	var out []error
	for _, e := range a {
		if in[e.Error()] {
			out = append(out, e)
		}
	}
	return out
}
