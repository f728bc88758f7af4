package bench_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/bench/dotgen"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform/files"
)

// switchNEnv, when set, replaces the dotfile counts BenchmarkSwitch
// measures: a comma-separated list such as "100,1000".
const switchNEnv = "GOCFG_BENCH_SWITCH_N"

// gitEnv, when set to 1, makes the generated configuration folders git
// work trees with everything committed, as dotfiles usually are: a switch
// that records a generation then runs git (see internal/gitinfo), and
// the one-change switch finds the tree dirty.
const gitEnv = "GOCFG_BENCH_GIT"

// tmpfsDir is the tmpfs the "disk=tmpfs" sub-benchmarks use.
const tmpfsDir = "/dev/shm"

// BenchmarkSwitch measures whole `gocfg switch --root` runs, each a fresh
// process of a gocfg binary built once at the start, on the dotfile
// workload of benchmarks.md (bench/dotgen: N files linked under
// ~bench/.config). Targets at N = 10,000: first switch 300 ms or less on
// tmpfs and within 2.5 times the bare loop on ext4; no-op and one-change
// switches 150 ms or less on both; less than 150 MB; linear in N.
//
// With GOCFG_BENCH_GIT=1 the configuration is a git work tree with
// everything committed, as dotfiles usually are, so that the cost of
// recording its commit (git rev-parse and git status) is included.
//
// Sub-benchmarks are disk=tmpfs (/dev/shm, skipped when absent) and
// disk=tmpdir (os.TempDir(), $TMPDIR: ext4 on the reference machine), then
// n=100, 1000 and 10000 (or $GOCFG_BENCH_SWITCH_N). The configuration and
// the root live on the disk measured. Each iteration, in this order:
//
//   - bare-ms: a plain Go loop makes the same N symlinks in fresh nested
//     folders (MkdirAll + Symlink per file), the floor of any tool;
//     bare-store-ms adds what a first switch must also do at least:
//     writing a copy of every content into a second tree, and one sync.
//   - first-ms: gocfg switch into an empty root (fresh each iteration).
//   - noop-ms: the same switch again: nothing changed.
//   - onechange-ms: one source file gets new content, then gocfg switch.
//
// The ms figures are medians over the iterations; first/bare and
// first/bare-store are medians of the per-iteration ratios (the bare
// loop runs right before the switch it is compared with, as the disk's
// speed drifts). peak-MB is the largest maximum resident set size of any
// gocfg process of the sub-benchmark, first-MB, noop-MB and onechange-MB
// the largest per kind of run. ns/op is the three switches of one
// iteration together; generation, the bare loop, checks and clean-up are
// outside the timer.
//
// The generated sources are more than a second old before the first
// switch (gocfg does not cache the hash of a file changed within a second,
// as git does not), and everything is synced to disk before each
// iteration, so that no run pays for the previous one's writes.
//
//	go test ./bench -run '^$' -bench '^BenchmarkSwitch$' -benchtime 1x -count 3 -timeout 60m
//	bench/switch.sh    # the same, printed as a table of medians
func BenchmarkSwitch(b *testing.B) {
	ns, err := switchCounts()
	if err != nil {
		b.Fatal(err)
	}
	bin := buildGocfg(b)
	disks := []struct{ name, dir string }{{"tmpfs", tmpfsDir}, {"tmpdir", os.TempDir()}}
	for _, d := range disks {
		b.Run("disk="+d.name, func(b *testing.B) {
			if fi, err := os.Stat(d.dir); err != nil || !fi.IsDir() {
				b.Skipf("%s: no such folder", d.dir)
			}
			for _, n := range ns {
				b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
					benchSwitch(b, bin, d.dir, n)
				})
			}
		})
	}
}

func switchCounts() ([]int, error) {
	s := os.Getenv(switchNEnv)
	if s == "" {
		return []int{100, 1000, 10000}, nil
	}
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s=%q: want counts of at least 1 separated by commas", switchNEnv, s)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// buildGocfg builds ./cmd/gocfg into a temporary folder, removed when b
// ends, and returns the binary's path.
func buildGocfg(b *testing.B) string {
	goBin, err := exec.LookPath("go")
	if err != nil {
		b.Skipf("no go command on PATH to build gocfg: %v", err)
	}
	dir, err := os.MkdirTemp("", "gocfg-bench-bin-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "gocfg")
	cmd := exec.Command(goBin, "build", "-o", bin, "github.com/gocfg/gocfg/cmd/gocfg")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build ./cmd/gocfg: %v\n%s", err, out)
	}
	return bin
}

// switchSamples are one sub-benchmark's measurements, one per iteration.
type switchSamples struct {
	bare, bareStore, first, noop, oneChange []float64 // ms
	firstMB, noopMB, oneChangeMB            float64   // largest peak RSS
}

// revision makes every one-change content new, across iterations and
// sub-benchmarks.
var revision atomic.Int64

func benchSwitch(b *testing.B, bin, disk string, n int) {
	b.StopTimer()
	ws, cfg, _ := dotfilesWorkspace(b, disk, "gocfg-bench-switch-", n)

	var s switchSamples
	changed := n / 2 // the file the one-change switch edits
	var prev []string
	for i := 0; i < b.N; i++ {
		for _, p := range prev {
			if err := removeTree(p); err != nil {
				b.Fatal(err)
			}
		}
		syscall.Sync()
		bare, root := filepath.Join(ws, "bare-"+strconv.Itoa(i)), filepath.Join(ws, "root-"+strconv.Itoa(i))
		prev = []string{bare, root}

		linksMS, storeMS, err := bareLoop(bare, n)
		if err != nil {
			b.Fatal(err)
		}
		s.bare, s.bareStore = append(s.bare, linksMS), append(s.bareStore, storeMS)

		b.StartTimer()
		ms, mb := runSwitch(b, bin, cfg, root)
		b.StopTimer()
		s.first, s.firstMB = append(s.first, ms), max(s.firstMB, mb)
		checkLink(b, root, n-1, dotgen.Content(n-1))

		b.StartTimer()
		ms, mb = runSwitch(b, bin, cfg, root)
		b.StopTimer()
		s.noop, s.noopMB = append(s.noop, ms), max(s.noopMB, mb)

		content := fmt.Appendf(dotgen.Content(changed), "# revision %d\n", revision.Add(1))
		if err := os.WriteFile(dotgen.Source(cfg, changed), content, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		ms, mb = runSwitch(b, bin, cfg, root)
		b.StopTimer()
		s.oneChange, s.oneChangeMB = append(s.oneChange, ms), max(s.oneChangeMB, mb)
		checkLink(b, root, changed, content)
	}
	s.report(b)
}

func (s *switchSamples) report(b *testing.B) {
	ratio := func(num, den []float64) float64 {
		rs := make([]float64, len(num))
		for i := range num {
			rs[i] = num[i] / den[i]
		}
		return median(rs)
	}
	b.ReportMetric(median(s.first), "first-ms")
	b.ReportMetric(median(s.noop), "noop-ms")
	b.ReportMetric(median(s.oneChange), "onechange-ms")
	b.ReportMetric(median(s.bare), "bare-ms")
	b.ReportMetric(median(s.bareStore), "bare-store-ms")
	b.ReportMetric(ratio(s.first, s.bare), "first/bare")
	b.ReportMetric(ratio(s.first, s.bareStore), "first/bare-store")
	if s.firstMB > 0 { // 0: the platform reports no peak RSS
		b.ReportMetric(max(s.firstMB, s.noopMB, s.oneChangeMB), "peak-MB")
		b.ReportMetric(s.firstMB, "first-MB")
		b.ReportMetric(s.noopMB, "noop-MB")
		b.ReportMetric(s.oneChangeMB, "onechange-MB")
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// runSwitch runs `gocfg switch -c cfg --root root` with the plan (its
// standard output) thrown away, and returns its wall time in milliseconds
// and its peak RSS in MB (0 where the platform does not report it).
func runSwitch(b *testing.B, bin, cfg, root string) (ms, peakMB float64) {
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "switch", "-c", cfg, "--root", root)
	cmd.Stderr = &stderr // Stdout nil: /dev/null
	start := time.Now()
	err := cmd.Run()
	ms = float64(time.Since(start)) / float64(time.Millisecond)
	if err != nil {
		b.Fatalf("gocfg switch -c %s --root %s: %v\n%s", cfg, root, err, stderr.Bytes())
	}
	return ms, peakRSSMB(cmd.ProcessState)
}

// peakRSSMB is a finished process's maximum resident set size in MB, or
// 0 where the platform does not report it.
func peakRSSMB(ps *os.ProcessState) float64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd":
		return float64(ru.Maxrss) / 1024 // KiB
	case "darwin":
		return float64(ru.Maxrss) / (1 << 20) // bytes
	}
	return 0
}

// checkLink fails b unless file i's link under root reads want.
func checkLink(b *testing.B, root string, i int, want []byte) {
	p := dotgen.Link(root, i)
	fi, err := os.Lstat(p)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		b.Fatalf("%s: want a symlink, got %v, %v", p, fi, err)
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, want) {
		b.Fatalf("%s reads %q, %v; want %q", p, got, err, want)
	}
}

// bareLoop is the floor gocfg's first switch is compared with, in a fresh
// folder dir: for every file, MkdirAll of its folder and a symlink where
// gocfg links it (home/bench/.config/<rel>, pointing where gocfg's link
// points). linksMS is the time of that. storeMS adds the least a first
// switch must also do: a copy of every content (0444) in a second nested
// tree, and one sync so that it is on disk, as gocfg syncs before a
// generation becomes current.
func bareLoop(dir string, n int) (linksMS, storeMS float64, err error) {
	home := filepath.Join(dir, filepath.FromSlash(dotgen.Home), dotgen.Target)
	store := filepath.Join(dir, "store")
	start := time.Now()
	for i := 0; i < n; i++ {
		rel := dotgen.Rel(i)
		p := filepath.Join(home, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, 0, err
		}
		if err := os.Symlink("../../../../../var/lib/gocfg/current/files/home/bench/.config/"+rel, p); err != nil {
			return 0, 0, err
		}
	}
	linksMS = float64(time.Since(start)) / float64(time.Millisecond)
	for i := 0; i < n; i++ {
		p := filepath.Join(store, filepath.FromSlash(dotgen.Rel(i)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, 0, err
		}
		if err := os.WriteFile(p, dotgen.Content(i), 0o444); err != nil {
			return 0, 0, err
		}
	}
	syscall.Sync()
	storeMS = float64(time.Since(start)) / float64(time.Millisecond)
	return linksMS, storeMS, nil
}

// commitAll makes dir a git work tree with everything committed, when
// $GOCFG_BENCH_GIT is 1.
// dotfilesWorkspace makes a folder ws under disk, removed when b ends,
// with bench/dotgen's configuration of n dotfiles in ws/config (cfg, its
// entry module entry), committed when GOCFG_BENCH_GIT=1. The sources are
// synced and older than gocfg's one-second "racily clean" window when it
// returns, or the no-op switch would hash them all again.
func dotfilesWorkspace(b *testing.B, disk, prefix string, n int) (ws, cfg, entry string) {
	ws, err := os.MkdirTemp(disk, prefix)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := removeTree(ws); err != nil {
			b.Error(err)
		}
	})
	cfg = filepath.Join(ws, "config")
	if entry, err = dotgen.Write(cfg, n); err != nil {
		b.Fatal(err)
	}
	commitAll(b, cfg)
	syscall.Sync()
	time.Sleep(1100 * time.Millisecond)
	return ws, cfg, entry
}

func commitAll(b *testing.B, dir string) {
	if os.Getenv(gitEnv) != "1" {
		return
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "-A"},
		{"-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "generated"},
	} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// removeTree removes dir and everything in it, first making writable the
// read-only folders of gocfg's store (0555), which os.RemoveAll cannot
// empty unless run as root. A missing dir is not an error.
func removeTree(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if err := os.Chmod(p, 0o755); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// TestBareLoop checks the baseline of BenchmarkSwitch makes the links
// where gocfg makes them.
func TestBareLoop(t *testing.T) {
	dir := t.TempDir()
	const n = 120
	if _, _, err := bareLoop(dir, n); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 9, 10, 99, 100, n - 1} {
		p := dotgen.Link(dir, i)
		got, err := os.Readlink(p)
		if err != nil {
			t.Fatal(err)
		}
		// From home/bench/.config/app_K/sub_J up to dir, then down.
		want := filepath.Join(dir, "var/lib/gocfg/current/files/home/bench/.config", dotgen.Rel(i))
		if to := filepath.Join(filepath.Dir(p), got); to != want {
			t.Errorf("%s -> %s leads to %s, want %s", p, got, to, want)
		}
	}
	if err := removeTree(dir); err != nil {
		t.Fatal(err)
	}
}

// TestDotgenConfig checks that the generated configuration asks gocfg for
// what BenchmarkSwitch assumes: every file of ./dotfiles linked under
// ~bench/.config, bench's home being /home/bench.
func TestDotgenConfig(t *testing.T) {
	dir := t.TempDir()
	entry, err := dotgen.Write(dir, 30)
	if err != nil {
		t.Fatal(err)
	}
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: modules.Host{OS: "linux", Arch: "amd64", Name: "bench", User: dotgen.User}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var doc struct {
		Home  map[string]files.HomeConfig `json:"home"`
		Users map[string]files.UserConfig `json:"users"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	f, ok := doc.Home[dotgen.User].Files[dotgen.Target]
	if !ok || f.Source == nil || !f.Recursive || f.Text != nil || (f.Method != "" && f.Method != "link") {
		t.Errorf("home.%s.files.%q = %+v, want a recursive link of the source folder", dotgen.User, dotgen.Target, f)
	}
	if f.Source != nil && *f.Source != filepath.Join(dir, dotgen.SourceDir) {
		t.Errorf("source = %s, want %s", *f.Source, filepath.Join(dir, dotgen.SourceDir))
	}
	if u := doc.Users[dotgen.User]; u.Home == nil || *u.Home != dotgen.Home {
		t.Errorf("users.%s.home = %v, want %s", dotgen.User, u.Home, dotgen.Home)
	}
}
