package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/internal/hugeheap"
	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/builtin"
	"github.com/gocfg/gocfg/modules/evalcache"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/platform"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

// registerCache adds --no-cache to a command that evaluates the
// configuration through the evaluation cache (eval, check, plan, switch).
func (f *configFlags) registerCache(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.NoCache, "no-cache", false, "evaluate the configuration even when the evaluation cache holds its result (also: GOCFG_NO_CACHE=1)")
}

// evalCacheDir is the evaluation cache's folder: $GOCFG_CACHE_DIR/eval,
// else /var/cache/gocfg/eval for root, else the user's
// ${XDG_CACHE_HOME:-~/.cache}/gocfg/eval; "" when there is none.
func evalCacheDir(env *Env) string {
	if d := env.Getenv("GOCFG_CACHE_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "eval")
	}
	if env.EUID == 0 {
		return "/var/cache/gocfg/eval"
	}
	if x := env.Getenv("XDG_CACHE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "gocfg", "eval")
	}
	if !filepath.IsAbs(env.Home) {
		return ""
	}
	return filepath.Join(env.Home, ".cache", "gocfg", "eval")
}

// A cachedConfig is one configuration evaluated at most once per
// command, through the evaluation cache (modules/evalcache): a command
// asks get for what it would compute (its query) and, on a miss, loads
// the evaluation and puts what it computed.
type cachedConfig struct {
	env   *Env // as the configuration sees it
	f     *configFlags
	entry string
	cache *evalcache.Cache // nil: not used
	rec   *evalcache.Recorder
	ev    *modules.Evaluation
	err   error
	// recorded is how many files the cache's entry for the last query
	// asked recorded (evalcache.Cache.Get): the configuration's size
	// when it was last evaluated; -1 when unknown.
	recorded int
	// loaded is set once load ran; shown holds the diagnostics printed
	// since, which an entry keeps.
	loaded bool
	shown  hcl.Diagnostics
	// quiet keeps the diagnostics for the entry without printing them
	// (deploy's look at a host's files before connecting).
	quiet bool
	// trust is the Reader of the evaluation, whose refusals (modules and
	// file() files another user could change; readerRefusal) fail it:
	// file() runs as the evaluation is asked for values, so show, which
	// follows each, looks.
	trust loader.Reader
}

// cached prepares the evaluation of entry as env sees it.
func (f *configFlags) cached(env *Env, entry string) *cachedConfig {
	c := &cachedConfig{env: env, f: f, entry: entry, recorded: -1}
	if abs, err := filepath.Abs(entry); err == nil {
		c.entry = abs
	}
	off := env.Getenv("GOCFG_NO_CACHE")
	if !f.NoCache && (off == "" || off == "0") {
		if dir := evalCacheDir(env); dir != "" {
			c.cache = evalcache.New(dir)
			if p, ok := trustPolicy(env); ok {
				// A hit vets the entry's files as the evaluation would.
				c.cache.Vet = pathtrust.NewVetter(p)
			}
		}
	}
	return c
}

func (c *cachedConfig) key(query string) evalcache.Key {
	if _, ok := trustPolicy(c.env); ok && c.env.EUID == 0 && sudoUID(c.env) > 0 {
		// Whom root's evaluation trusted is part of its result: an
		// entry made trusting the sudo user's files is not root's alone
		// (tester AJ).
		query += fmt.Sprintf(" (trusting uid %d)", sudoUID(c.env))
	}
	return evalcache.Key{Entry: c.entry, Host: c.host(), Query: query, WorkDir: c.env.WorkDir}
}

func (c *cachedConfig) host() modules.Host {
	e := c.env
	return modules.Host{OS: e.OS, Arch: e.Arch, Name: c.f.host(e), User: e.User, Distro: e.Distro}
}

// get returns the cached result of query. The caller shows its
// warnings with replay once it has found the outputs it needs.
func (c *cachedConfig) get(query string) (*evalcache.Entry, bool) {
	if c.cache == nil {
		return nil, false
	}
	e, recorded, ok := c.cache.Get(c.key(query), c.env.Getenv)
	if recorded >= 0 {
		c.recorded = recorded
	}
	if c.env.Getenv("GOCFG_TEST_CACHE_TRACE") != "" {
		// Test-only: the scripts tell a hit from a miss.
		fmt.Fprintf(c.env.Stderr, "gocfg: test: evaluation cache %s: %s\n", map[bool]string{true: "hit", false: "miss"}[ok], query)
	}
	return e, ok
}

// replay prints the warnings of a cached result, as the evaluation
// printed them.
func (c *cachedConfig) replay(e *evalcache.Entry) {
	if len(e.Diags) > 0 {
		w := &diagnostics.Writer{Out: c.env.Stderr, Color: c.env.ColorErr, RelTo: c.env.WorkDir, Sources: fileSources}
		_ = w.Write(e.Diags)
	}
}

// load evaluates the configuration (once), printing its diagnostics.
func (c *cachedConfig) load() (*modules.Evaluation, error) {
	if c.loaded {
		return c.ev, c.err
	}
	c.loaded = true
	if c.cache != nil && c.env.Getenv("GOCFG_TEST_CACHE_TRACE") != "" {
		// Test-only: the tests count the evaluations.
		fmt.Fprintf(c.env.Stderr, "gocfg: test: evaluating %s\n", filepath.Base(c.entry))
	}
	if reserveWorth(c.recorded) {
		hugeheap.Reserve(reserveBytes)
	}
	opts := modules.Options{Entry: c.entry, Host: c.host(), Getenv: c.env.Getenv, WorkDir: c.env.WorkDir}
	if c.cache != nil {
		// What the evaluation reads is recorded only for the cache: a
		// stat and a SHA-256 of every module, which --no-cache spares.
		c.rec = evalcache.NewRecorder(c.env.Getenv)
		opts.Getenv, opts.Reader = c.rec.Getenv, c.rec
	}
	// Root's evaluation reads only what another user cannot change. A
	// cached result needs no new look: the cache was filled by an
	// evaluation that passed it (a refused read fails the evaluation,
	// try() or not, and so is never cached), and any change to a file
	// it read (content, so also a write a later chmod allowed) is a
	// miss.
	opts.Reader = trustedReader(c.env, opts.Reader)
	c.trust = opts.Reader
	ev, diags := modules.Load(opts)
	c.ev, c.err = ev, c.show(ev, diags)
	if c.err != nil {
		c.ev = nil
	}
	return c.ev, c.err
}

// show prints diagnostics of the evaluation, as printDiags does, and
// keeps them for the entry; when quiet, it only keeps them, and returns
// an error when there are errors.
func (c *cachedConfig) show(ev *modules.Evaluation, diags hcl.Diagnostics) error {
	c.shown = append(c.shown, diags...)
	if c.quiet {
		if diags.HasErrors() {
			return reportedError{errors.New("the configuration has errors")}
		}
		return readerRefusal(c.trust)
	}
	if err := printDiags(c.env, ev, diags); err != nil {
		return err
	}
	return readerRefusal(c.trust)
}

// put keeps outputs as the result of query, with the diagnostics shown
// since load. A failure to write the cache is not the command's.
func (c *cachedConfig) put(query string, outputs map[string][]byte) {
	if c.cache == nil || c.rec == nil || c.err != nil || readerRefusal(c.trust) != nil {
		return
	}
	_ = c.cache.Put(c.key(query), c.rec, &evalcache.Entry{Outputs: outputs, Diags: c.shown})
}

// fileSources reads a module for a cached diagnostic's snippet: a
// built-in one from the binary, another from its file (which the cache
// checked is unchanged).
func fileSources(name string) []byte {
	if rest, ok := strings.CutPrefix(name, loader.BuiltinPrefix); ok {
		b, _ := fs.ReadFile(builtin.FS, rest)
		return b
	}
	b, _ := loader.ReadFile(name)
	return b
}

// switchConfig is the configuration plan and switch plan: config.json
// and, for the platform the configuration is evaluated for, the values
// of the plist-typed options (providerConfig), from the cache when it
// has them.
func (c *cachedConfig) switchConfig() (*platform.Config, error) {
	query := "switch " + c.env.OS
	if e, ok := c.get(query); ok {
		cfg := cachedSwitchConfig(e)
		e.Close()
		if cfg != nil {
			c.replay(e)
			return cfg, nil
		}
	}
	ev, err := c.load()
	if err != nil {
		return nil, err
	}
	js, diags := ev.JSON("")
	if err := c.show(ev, diags); err != nil {
		return nil, err
	}
	// The plist values are computed when the plan asks for them
	// (providerConfig below), as before the cache: cfg.Plists is nil
	// until then.
	return &platform.Config{JSON: js}, nil
}

// cachedSwitchConfig is the configuration switchConfig keeps in e, copied
// out of it (e's Outputs are valid until its Close); nil when e does
// not hold one.
func cachedSwitchConfig(e *evalcache.Entry) *platform.Config {
	js, ok := e.Outputs["json"]
	if !ok {
		return nil
	}
	v, err := evalcache.DecodeValue(e.Outputs["plists"])
	if err != nil {
		return nil
	}
	plists, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	return &platform.Config{JSON: bytes.Clone(js), Plists: plists}
}

// providerConfig is the configuration the providers of a machine running
// os plan: cfg as switchConfig made it when it is complete and for os,
// else computed from the evaluation (and then kept in the cache).
func (c *cachedConfig) providerConfig(cfg *platform.Config, os string) (*platform.Config, error) {
	if cfg.Plists != nil && os == c.env.OS {
		return cfg, nil
	}
	ev, err := c.load()
	if err != nil {
		return nil, err
	}
	full, err := providerConfig(ev, cfg.JSON, os)
	if err == nil {
		err = readerRefusal(c.trust)
	}
	if err != nil || os != c.env.OS {
		return full, err
	}
	if plists, err := evalcache.EncodeValue(full.Plists); err == nil {
		c.put("switch "+os, map[string][]byte{"json": cfg.JSON, "plists": plists})
	}
	return full, nil
}

// located is the evaluation, for placing a planning error in the
// configuration's sources: loaded (quietly: its warnings were shown) and
// evaluated when the plan came from the cache; nil when it cannot be.
func (c *cachedConfig) located() *modules.Evaluation {
	if !c.loaded {
		c.loaded = true
		ev, diags := modules.Load(modules.Options{Entry: c.entry, Host: c.host(), Getenv: c.env.Getenv, WorkDir: c.env.WorkDir, Reader: trustedReader(c.env, nil)})
		if diags.HasErrors() {
			return nil
		}
		if _, diags := ev.JSON(""); diags.HasErrors() {
			return nil
		}
		c.ev = ev
	}
	return c.ev
}
