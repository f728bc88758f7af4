package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/deploy/bundle"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/evalcache"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/hashicorp/hcl/v2"
)

// deployEval evaluates the hosts of a configuration folder for gocfg
// deploy, through the evaluation cache (config_cache.go), each host's
// hosts/<name>.hcl keyed by its name, the facts it is evaluated with and
// the user.
//
// A deploy asks three things of a host: its deployment.* (the
// inventory, with this machine's facts), the files it reads (check,
// the same facts, before connecting) and its whole configuration with
// its own facts (bundle). The first two are one cache entry, "deploy
// here"; the third is the entry `gocfg switch --host <name>` would use,
// "switch <os>". An unchanged fleet is deployed without evaluating a
// host. On a miss, one evaluation answers all it can: when warm is set
// (the host will be deployed, not just looked at: every host, or hosts
// named by --on), the inventory's evaluation also makes the files and
// the whole configuration for this machine's facts, which the host's
// own evaluation finds in the cache when its facts are the same (a host
// like this machine, deployed as this user); otherwise each step
// evaluates what it needs, as before, and keeps it. Without the cache
// (--no-cache) each step evaluates what it needs.
type deployEval struct {
	env   *Env
	dir   string
	flags configFlags // NoCache
	warm  bool
	// mu serializes evaluations (the modules package is not promised to
	// be safe for concurrent loads).
	mu sync.Mutex
}

// The queries of a deploy's "deploy here" entry: deployment.* as the
// inventory reads it, and the options naming files (fileOptions).
const (
	deployHereQuery = "deploy here"
	outDeployment   = "deployment"
	outFiles        = "files"
)

// config is host name's configuration evaluated with facts f as user
// ("" for this machine's user), its diagnostics written to w, or not
// written when quiet.
func (d *deployEval) config(w io.Writer, name string, f deploy.Facts, user string, quiet bool) *cachedConfig {
	env := *d.env
	env.Stderr, env.ColorErr = w, env.ColorErr && w == d.env.Stderr
	env.OS, env.Arch, env.Distro = f.OS, f.Arch, f.Distro
	if user != "" {
		env.User = user
	}
	flags := &configFlags{Host: name, NoCache: d.flags.NoCache}
	c := flags.cached(&env, filepath.Join(d.dir, "hosts", name+".hcl"))
	c.quiet = quiet
	return c
}

// here are this machine's facts, which a host is evaluated with before
// the deploy connects to it.
func (d *deployEval) here() deploy.Facts {
	return deploy.Facts{OS: d.env.OS, Arch: d.env.Arch, Distro: d.env.Distro}
}

// deployment is host name's deployment.* as the inventory reads it:
// {"deployment": …}, evaluated with this machine's facts.
func (d *deployEval) deployment(name string) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.config(d.env.Stderr, name, d.here(), "", false)
	if e, ok := c.get(deployHereQuery); ok {
		js, ok := e.Outputs[outDeployment]
		js = bytes.Clone(js)
		e.Close()
		if ok {
			c.replay(e)
			return deploymentObject(js), nil
		}
	}
	ev, err := c.load()
	if err != nil {
		return nil, err
	}
	js, diags := deploymentJSON(ev)
	if err := c.show(ev, diags); err != nil {
		return nil, err
	}
	out := map[string][]byte{outDeployment: js}
	if !d.warm || c.cache == nil {
		c.put(deployHereQuery, out)
		return deploymentObject(js), nil
	}
	if fo, ok := fileOptions(ev); ok {
		out[outFiles] = fo
	}
	c.put(deployHereQuery, out)
	d.warmSwitch(c, ev)
	return deploymentObject(js), nil
}

// deploymentJSON is ev's deployment.* as JSON, with what the assert and
// warn blocks about those options report: a target_host that is an ssh
// option, or holds a user, stops the deploy before it connects (tester
// U: it was reported unreachable, with ssh's words).
func deploymentJSON(ev *modules.Evaluation) ([]byte, hcl.Diagnostics) {
	js, diags := ev.JSON("deployment")
	if diags.HasErrors() {
		return js, diags
	}
	return js, append(diags, ev.CheckUnder("deployment")...)
}

func deploymentObject(js []byte) []byte {
	return append(append([]byte(`{"deployment":`), js...), '}')
}

// warmSwitch keeps the whole configuration of c's evaluation ev, as
// bundle would make it for a host with this machine's facts, when it
// evaluates; quietly: its warnings are kept with it and shown by the
// bundle that uses it, and an error is left to the host's own
// evaluation.
func (d *deployEval) warmSwitch(c *cachedConfig, ev *modules.Evaluation) {
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		return
	}
	cfg, err := providerConfig(ev, js, c.env.OS)
	if err != nil {
		return
	}
	plists, err := evalcache.EncodeValue(cfg.Plists)
	if err != nil {
		return
	}
	c.shown = append(c.shown, diags...)
	c.put("switch "+c.env.OS, map[string][]byte{"json": js, "plists": plists})
}

// hereFiles is fileOptions of host h evaluated with this machine's
// facts, from the cache when it has them; nil when they do not evaluate.
// It prints nothing: the inventory showed the evaluation's warnings, and
// the host's own evaluation (bundle) shows its errors.
func (d *deployEval) hereFiles(w io.Writer, h deploy.Host) ([]byte, *cachedConfig) {
	c := d.config(w, h.Name, d.here(), h.User, true)
	if e, ok := c.get(deployHereQuery); ok {
		js, ok := e.Outputs[outFiles]
		js = bytes.Clone(js)
		e.Close()
		if ok {
			return js, c
		}
	}
	ev, err := c.load()
	if err != nil {
		return nil, c
	}
	fo, ok := fileOptions(ev)
	if !ok {
		return nil, c
	}
	if dep, diags := deploymentJSON(ev); !diags.HasErrors() {
		c.shown = append(c.shown, diags...)
		c.put(deployHereQuery, map[string][]byte{outDeployment: dep, outFiles: fo})
	}
	return fo, c
}

// bundle evaluates h's whole configuration with its facts and makes its
// bundle.
func (d *deployEval) bundle(w io.Writer, h deploy.Host, f deploy.Facts, meta bundle.Meta) (*bundle.Bundle, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.config(w, h.Name, f, h.User, false)
	cfg, err := c.switchConfig()
	if err != nil {
		return nil, err
	}
	cfg, err = c.providerConfig(cfg, f.OS)
	if err != nil {
		return nil, err
	}
	js := cfg.JSON
	fc, err := files.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	// The secrets travel as the ciphertext the repository holds; the
	// host decrypts them with its own key.
	sc, err := secrets.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	// Before anything is sent, at the lines that name them: check may
	// have left them to this evaluation with h's facts.
	if errs := append(fc.CheckSources(os.Stat), sc.CheckFiles(os.ReadFile)...); len(errs) > 0 {
		return nil, planError(c.env, c.located(), platform.JoinErrors(errs))
	}
	meta.Host = h.Name
	sources := append(fc.Sources(), sc.Sources()...)
	for _, src := range sources {
		if err := untrustedTree(c.env, src, "a source sent to "+h.Name+":"); err != nil {
			return nil, err
		}
	}
	return &bundle.Bundle{Meta: meta, Config: js, Plists: cfg.Plists, Sources: sources}, nil
}

// evaluate loads host name's hosts/<name>.hcl with facts f, without the
// cache, and returns its diagnostics (check's look with other facts).
func (d *deployEval) evaluate(name string, f deploy.Facts, user string) (*modules.Evaluation, hcl.Diagnostics) {
	if user == "" {
		user = d.env.User
	}
	r := trustedReader(d.env, nil)
	ev, diags := modules.Load(modules.Options{
		Entry:   filepath.Join(d.dir, "hosts", name+".hcl"),
		Host:    modules.Host{OS: f.OS, Arch: f.Arch, Distro: f.Distro, Name: name, User: user},
		Getenv:  d.env.Getenv,
		WorkDir: d.env.WorkDir,
		Reader:  r,
	})
	if refused := readerRefusal(r); refused != nil && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "A file another user could change", Detail: refused.Error()})
	}
	return ev, diags
}
