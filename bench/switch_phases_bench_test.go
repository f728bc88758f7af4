package bench_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/gocfg/gocfg/bench/dotgen"
	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/gitinfo"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// phasesNEnv, when set, is the dotfile count of BenchmarkPhases
// (default 10000).
const phasesNEnv = "GOCFG_BENCH_PHASES_N"

// BenchmarkPhases splits a `gocfg switch --root` into its phases to
// show where a no-op and a one-change switch spend their time, in this
// process, so that -cpuprofile and -memprofile see them:
//
//	go test ./bench -run '^$' -bench Phases -benchtime 20x -cpuprofile cpu.out
//	go tool pprof -tags bench.test cpu.out     # CPU per switch kind and phase
//	go tool pprof -tagfocus switch=noop,phase=plan -top -cum bench.test cpu.out
//
// The CPU samples carry the labels switch (first, noop, onechange) and
// phase (the names below, without -ms), goroutines started in a phase
// included.
// Each iteration does what cmd/gocfg's prepare and runSwitch do (keep in
// step with them), phase by phase, each reported in ms per switch:
//
//   - load-ms: modules.Load of the configuration (the built-in modules
//     included); eval-ms: ev.JSON(""); decode-ms: reading that JSON back
//     into files.Config;
//   - open-ms: the state folder: lock, recovery check, the current
//     generation's resources.json, the next number;
//   - plan-ms: platform.MakePlan with the files provider (hashing or
//     stat-checking the sources, reading every link);
//   - render-ms: the plan as text, to io.Discard;
//   - then for a plan that changes something: git-ms (gitinfo.Describe of
//     the configuration folder), encode-ms (resources.json) and apply-ms
//     (Engine.Switch: journal, the generation's store objects, sync,
//     flip).
//
// total-ms is their sum. With GOCFG_BENCH_GIT=1 the configuration is a
// git work tree (see BenchmarkSwitch). The workload is bench/dotgen's with N dotfiles
// ($GOCFG_BENCH_PHASES_N, default 10000) on tmpfs (/dev/shm, else
// $TMPDIR), after one first switch outside the timer. A warm process
// with a grown heap is faster than the fresh one of a real run (see
// BenchmarkSwitch for those), so read the shares, not the sum.
func BenchmarkPhases(b *testing.B) {
	n := 10000
	if s := os.Getenv(phasesNEnv); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("%s=%q: want a count of at least 1", phasesNEnv, s)
		}
	}
	disk := tmpfsDir
	if fi, err := os.Stat(disk); err != nil || !fi.IsDir() {
		disk = os.TempDir()
	}
	ws, cfg, entry := dotfilesWorkspace(b, disk, "gocfg-bench-phases-", n)
	root := filepath.Join(ws, "root")
	if _, err := switchPhases("first", entry, root); err != nil {
		b.Fatal(err)
	}
	changed := n / 2

	b.Run("noop", func(b *testing.B) {
		var sum phaseTimes
		for b.Loop() {
			t, err := switchPhases("noop", entry, root)
			if err != nil {
				b.Fatal(err)
			}
			if t.applied {
				b.Fatal("a no-op switch applied a plan")
			}
			sum.add(t)
		}
		sum.report(b)
	})
	b.Run("onechange", func(b *testing.B) {
		var sum phaseTimes
		for b.Loop() {
			b.StopTimer()
			content := fmt.Appendf(dotgen.Content(changed), "# revision %d\n", revision.Add(1))
			if err := os.WriteFile(dotgen.Source(cfg, changed), content, 0o644); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			t, err := switchPhases("onechange", entry, root)
			if err != nil {
				b.Fatal(err)
			}
			if !t.applied {
				b.Fatal("a one-change switch applied nothing")
			}
			sum.add(t)
		}
		sum.report(b)
	})
}

// phaseTimes are the durations of the phases of one or more switches.
type phaseTimes struct {
	runs                                                         int
	load, eval, decode, open, plan, render, git, encode, applyTo time.Duration
	applied                                                      bool
}

func (s *phaseTimes) add(t phaseTimes) {
	s.runs++
	s.load += t.load
	s.eval += t.eval
	s.decode += t.decode
	s.open += t.open
	s.plan += t.plan
	s.render += t.render
	s.git += t.git
	s.encode += t.encode
	s.applyTo += t.applyTo
}

func (s *phaseTimes) report(b *testing.B) {
	if s.runs == 0 {
		return
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(s.runs) }
	total := s.load + s.eval + s.decode + s.open + s.plan + s.render + s.git + s.encode + s.applyTo
	for _, m := range []struct {
		d    time.Duration
		unit string
	}{
		{s.load, "load-ms"}, {s.eval, "eval-ms"}, {s.decode, "decode-ms"}, {s.open, "open-ms"},
		{s.plan, "plan-ms"}, {s.render, "render-ms"}, {s.git, "git-ms"}, {s.encode, "encode-ms"},
		{s.applyTo, "apply-ms"}, {total, "total-ms"},
	} {
		b.ReportMetric(ms(m.d), m.unit)
	}
}

// switchPhases runs `gocfg switch -c <folder of entry> --root root`
// in-process, as cmd/gocfg does it, timing each phase and labelling its
// CPU samples with kind and the phase. The plan's text goes to
// io.Discard.
func switchPhases(kind, entry, root string) (phaseTimes, error) {
	var t phaseTimes
	ctx := context.Background()
	label := func(phase string) {
		pprof.SetGoroutineLabels(pprof.WithLabels(ctx, pprof.Labels("switch", kind, "phase", phase)))
	}
	defer pprof.SetGoroutineLabels(ctx)
	me := "bench"
	if u, err := user.Current(); err == nil {
		me = u.Username
	}
	host := modules.Host{OS: runtime.GOOS, Arch: runtime.GOARCH, Name: "bench", User: me}

	// lap ends a phase, recording its time in d, and labels the next.
	label("load")
	start := time.Now()
	lap := func(d *time.Duration, next string) {
		now := time.Now()
		*d = now.Sub(start)
		label(next)
		start = time.Now()
	}
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: host})
	if diags.HasErrors() {
		return t, fmt.Errorf("load: %s", diags.Error())
	}
	lap(&t.load, "eval")
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		return t, fmt.Errorf("evaluate: %s", diags.Error())
	}
	lap(&t.eval, "decode")
	cfg, err := files.ConfigFromJSON(js)
	if err != nil {
		return t, err
	}
	lap(&t.decode, "open")

	real := system.NewReal()
	if err := real.MkdirAll(root, 0o755); err != nil {
		return t, err
	}
	sys := system.NewRooted(root, real)
	store := generations.New(sys, "/var/lib/gocfg")
	engine := &platform.Engine{Sys: sys, Store: store}
	db, err := accounts.Read(sys)
	if err != nil {
		return t, err
	}
	unlock, err := store.Lock(os.Getpid())
	if err != nil {
		return t, err
	}
	defer unlock.Unlock()
	if _, err := engine.Recover(ctx); err != nil {
		return t, err
	}
	cur, applied := 0, platform.Applied{}
	if cur, err = store.Current(); err != nil {
		return t, err
	}
	if cur > 0 {
		data, err := store.ReadFile(cur, "resources.json")
		if err != nil {
			return t, err
		}
		if applied, err = platform.DecodeApplied(data); err != nil {
			return t, err
		}
	}
	next, err := store.Next()
	if err != nil {
		return t, err
	}
	lap(&t.open, "plan")

	layout := &machine.Machine{Sys: sys, Host: real, Store: store, Current: cur, To: next, Offline: true,
		Privileged: os.Geteuid() == 0, User: me, OS: runtime.GOOS, Accounts: db}
	plan, err := platform.MakePlan(ctx, applied, &files.Provider{Machine: layout, Config: cfg})
	if err != nil {
		return t, err
	}
	lap(&t.plan, "render")
	if len(plan.Conflicts) > 0 {
		return t, fmt.Errorf("%d conflicts, such as %s: %s", len(plan.Conflicts), plan.Conflicts[0].Path, plan.Conflicts[0].Problem)
	}
	if err := (platform.View{Out: io.Discard}).Plan(plan, "gocfg will make these changes:"); err != nil {
		return t, err
	}
	lap(&t.render, "git")
	if plan.Empty() {
		store.SaveSettled() // as runSwitch (no phase: it writes only when a folder settled or changed)
		return t, nil
	}

	t.applied = true
	source := filepath.Dir(entry)
	meta := generations.Meta{Number: next, Time: time.Now().UTC(), Version: "bench", Host: "bench",
		Source: source, Summary: plan.Summary(), Command: "switch"}
	meta.Commit, meta.Dirty, _ = gitinfo.Describe(ctx, source)
	lap(&t.git, "encode")
	resources, err := plan.EncodeRecords()
	if err != nil {
		return t, err
	}
	lap(&t.encode, "apply")
	gen := &generations.NewGeneration{Meta: meta, Config: js, Resources: resources, Files: plan.Contents(), Areas: plan.Areas}
	if _, err := engine.Switch(ctx, platform.Switch{From: cur, To: next, Generation: gen, Plan: plan, Command: "switch"}); err != nil {
		return t, err
	}
	lap(&t.applyTo, "")
	return t, nil
}
