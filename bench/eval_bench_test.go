package bench_test

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/bench/modgen"
	"github.com/gocfg/gocfg/modules"
)

// benchHost is the host the generated workload is evaluated for. The
// workload sets macos.defaults, so it is evaluated as a Mac.
var benchHost = modules.Host{OS: "darwin", Arch: "arm64", Name: "bench", User: "bench"}

// evalEntryEnv, when set, makes the test binary evaluate the entry module
// it names once and exit instead of running tests (see coldRun).
const evalEntryEnv = "GOCFG_BENCH_EVAL_ENTRY"

func TestMain(m *testing.M) {
	if entry := os.Getenv(evalEntryEnv); entry != "" {
		if _, err := evaluate(entry); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	for _, w := range workloads {
		os.RemoveAll(w.dir)
	}
	os.Exit(code)
}

// evaluate loads the module tree at entry and evaluates all of it: the
// work `gocfg eval --json` does.
func evaluate(entry string) ([]byte, error) {
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: benchHost})
	if diags.HasErrors() {
		return nil, fmt.Errorf("load %s: %s", entry, diags.Error())
	}
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		return nil, fmt.Errorf("evaluate %s: %s", entry, diags.Error())
	}
	return js, nil
}

// BenchmarkEvaluate measures loading and fully evaluating the workload of
// benchmarks.md "Module evaluation" (see bench/modgen) for several module
// counts. Nix's own figures come from bench/peers.sh, which runs
// lib.evalModules on the same workload in the same run (335–379 ms and
// about 200 MB for M=1000 on the machine of bench/README.md's latest
// results); the goal is a tenth of Nix's time cold, linear in M.
//
// The files are generated once, outside the timer; each iteration is
// modules.Load plus ev.JSON(""), reading and parsing every file included.
//
// Besides ns/op (a warm evaluation, in a process that has done many) and
// B/op (the volume allocated per evaluation, an upper bound on the heap
// it needs), each sub-benchmark reports two figures of a fresh process
// (this test binary, re-executed) that performs one evaluation and
// exits, which is how Nix was measured:
//
//   - cold-ms: its wall time, process start-up included;
//   - peak-RSS-MB: its maximum resident set size, what /usr/bin/time
//     reports for nix-instantiate. It includes the Go runtime and the
//     test binary's own footprint (a few MB) and the garbage the collector
//     had not reclaimed yet at the peak, with the default GOGC: what a
//     user's `gocfg eval` would cost.
//
// A peak heap taken inside this process would be muddied by the loop's
// garbage and by earlier sub-benchmarks, so none is reported; where
// rusage gives no peak RSS that metric is left out. Both are measured
// once per M, so they are noisier than ns/op.
func BenchmarkEvaluate(b *testing.B) {
	for _, m := range []int{10, 100, 1000, 3000} {
		b.Run("M="+strconv.Itoa(m), func(b *testing.B) {
			w := workload(b, m)
			b.ReportAllocs()
			for b.Loop() { // b.Loop resets the timer: generation is not timed
				if _, err := evaluate(w.entry); err != nil {
					b.Fatal(err)
				}
			}
			// After the loop: ResetTimer deletes reported metrics.
			b.ReportMetric(w.coldMS, "cold-ms")
			if w.peakMB > 0 {
				b.ReportMetric(w.peakMB, "peak-RSS-MB")
			}
		})
	}
}

// A generated is one generated workload and its cold run.
type generated struct {
	dir, entry string
	coldMS     float64 // wall time of a fresh process that evaluates once
	peakMB     float64 // its peak RSS; 0 if unknown
}

var (
	workloadsMu sync.Mutex
	workloads   = map[int]*generated{}
)

// workload generates the workload of m modules and measures a cold run
// of it, once per run of the test binary (with -count, the benchmark
// function runs several times). The folder is removed by TestMain.
func workload(tb testing.TB, m int) *generated {
	workloadsMu.Lock()
	defer workloadsMu.Unlock()
	if w, ok := workloads[m]; ok {
		return w
	}
	dir, err := os.MkdirTemp("", "gocfg-bench-")
	if err != nil {
		tb.Fatal(err)
	}
	w := &generated{dir: dir}
	workloads[m] = w
	if w.entry, err = modgen.Write(filepath.Join(dir, "m"+strconv.Itoa(m)), m); err != nil {
		tb.Fatal(err)
	}
	w.coldMS, w.peakMB = coldRun(tb, w.entry)
	return w
}

// coldRun re-executes the test binary to evaluate entry once in a fresh
// process and returns that process's wall time in milliseconds and its
// maximum resident set size in MB (0 where the platform does not report
// it).
func coldRun(tb testing.TB, entry string) (ms, peakMB float64) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), evalEntryEnv+"="+entry)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	ms = float64(time.Since(start)) / float64(time.Millisecond)
	if err != nil {
		tb.Fatalf("evaluating %s in a child process: %v\n%s", entry, err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		switch runtime.GOOS {
		case "linux", "freebsd", "netbsd", "openbsd":
			peakMB = float64(ru.Maxrss) * 1024 / (1 << 20) // KiB
		case "darwin":
			peakMB = float64(ru.Maxrss) / (1 << 20) // bytes
		}
	}
	return ms, peakMB
}

// TestModgenResult checks that the benchmark measures a correct
// evaluation: every module's contribution is merged, the priorities and
// the enable chain come out right, and list order is module order.
func TestModgenResult(t *testing.T) {
	const m = 20
	entry, err := modgen.Write(t.TempDir(), m)
	if err != nil {
		t.Fatal(err)
	}
	js, err := evaluate(entry)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Networking struct {
			HostName string `json:"host_name"`
		} `json:"networking"`
		Environment struct {
			SystemPackages []string `json:"system_packages"`
		} `json:"environment"`
		Users map[string]struct {
			UID         int      `json:"uid"`
			Description string   `json:"description"`
			Shell       string   `json:"shell"`
			Groups      []string `json:"groups"`
		} `json:"users"`
		Macos struct {
			Defaults map[string]map[string]any `json:"defaults"`
		} `json:"macos"`
		Bench map[string]struct {
			Enable *bool   `json:"enable"`
			Label  *string `json:"label"`
		} `json:"bench"`
	}
	if err := json.Unmarshal(js, &cfg); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}

	// default("m0") in module 0 loses to the plain "final" of module 19.
	if got := cfg.Networking.HostName; got != "final" {
		t.Errorf("networking.host_name = %q, want %q", got, "final")
	}

	var wantPkgs, wantShared []string
	for i := range m {
		for _, s := range []string{"a", "b", "c"} {
			wantPkgs = append(wantPkgs, fmt.Sprintf("pkg%d-%s", i, s))
		}
		wantShared = append(wantShared, fmt.Sprintf("g%d", i))
	}
	if got := cfg.Environment.SystemPackages; !slices.Equal(got, wantPkgs) {
		t.Errorf("environment.system_packages (%d) = %q,\nwant (%d) %q", len(got), got, len(wantPkgs), wantPkgs)
	}

	if len(cfg.Users) != m+1 {
		t.Errorf("users has %d entries, want %d: %v", len(cfg.Users), m+1, slices.Sorted(maps.Keys(cfg.Users)))
	}
	if got := cfg.Users[modgen.SharedUser].Groups; !slices.Equal(got, wantShared) {
		t.Errorf("users.shared.groups = %q, want %q", got, wantShared)
	}
	if u := cfg.Users["u7"]; u.UID != 10007 || u.Description != "Generated user 7" || u.Shell != "/bin/sh" || !slices.Equal(u.Groups, []string{"g7", "users"}) {
		t.Errorf("users.u7 = %+v", u)
	}
	if u := cfg.Users[modgen.SharedUser]; u.UID != 5000 || u.Shell != "/bin/sh" {
		t.Errorf("users.shared = %+v, want the entry module's uid 5000 and shell", u)
	}

	for i := range m {
		name := modgen.ModuleName(i)
		opt, ok := cfg.Bench[name]
		if !ok || opt.Enable == nil || opt.Label == nil {
			t.Errorf("bench.%s = %+v, want enable and label set", name, opt)
			continue
		}
		// Module i-1 enables module i; nothing enables module 0.
		if want := i > 0; *opt.Enable != want {
			t.Errorf("bench.%s.enable = %v, want %v", name, *opt.Enable, want)
		}
		if *opt.Label != name {
			t.Errorf("bench.%s.label = %q, want its default %q", name, *opt.Label, name)
		}
	}

	for i := range m {
		d, k := fmt.Sprintf("domain_%d", i%10), fmt.Sprintf("key_%d", i)
		if got := cfg.Macos.Defaults[d][k]; got != fmt.Sprintf("v%d", i) {
			t.Errorf("macos.defaults.%s.%s = %v, want %q", d, k, got, fmt.Sprintf("v%d", i))
		}
	}

	// One path, with a quoted segment, evaluates to the same thing.
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: benchHost})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	one, diags := ev.JSON(`macos.defaults."domain_3"`)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var dom map[string]any
	if err := json.Unmarshal(one, &dom); err != nil {
		t.Fatalf("%v\n%s", err, one)
	}
	if want := map[string]any{"key_3": "v3", "key_13": "v13"}; !maps.Equal(dom, want) {
		t.Errorf(`macos.defaults."domain_3" = %v, want %v`, dom, want)
	}
}
