package e2e

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// services50 is a configuration of 50 system services svc01..svc50,
// the command of svcNN being sleep 100000 + gen[NN-1].
func services50(gen *[50]int) string {
	var b strings.Builder
	b.WriteString("systemd {\n")
	for i, n := range gen {
		fmt.Fprintf(&b, "  services \"svc%02d\" {\n    exec_start = \"/bin/sleep %d\"\n    wanted_by  = [\"multi-user.target\"]\n  }\n", i+1, 100000+n)
	}
	b.WriteString("}\n")
	return b.String()
}

// timed runs args inside m and returns how long they took, measured
// inside (date +%s%N around the command, so that nsenter is not counted),
// and their output; a failure fails the benchmark.
func (m *machine) timed(b *testing.B, args ...string) (time.Duration, string) {
	b.Helper()
	const script = `s=$(date +%s%N); "$@" >/tmp/timed.out 2>&1; rc=$?; e=$(date +%s%N); echo "$rc $((e - s))"`
	f := strings.Fields(m.MustExec(b, append([]string{"sh", "-c", script, "sh"}, args...)...))
	out := m.read(b, "/tmp/timed.out")
	if len(f) != 2 || f[0] != "0" {
		b.Fatalf("%s: %v:\n%s", strings.Join(args, " "), f, out)
	}
	ns, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return time.Duration(ns), out
}

// median is the median of ds in milliseconds.
func median(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	mid := s[len(s)/2]
	if len(s)%2 == 0 {
		mid = (s[len(s)/2-1] + mid) / 2
	}
	return float64(mid.Microseconds()) / 1e3
}

// BenchmarkSwitch50Services measures the real binary on a real systemd
// with 50 system services running: a no-op switch (evaluate, read 50 unit
// files and 50 unit states, find nothing to do), and a switch that
// changes one service's command (a new generation, the unit file,
// daemon-reload, restart). For scale it also times what that change costs
// systemd alone (systemctl daemon-reload, then restart). Each figure is
// the median of b.N runs, timed inside the container; run it with
// -benchtime=5x for the median of five:
//
//	go test ./e2e/ -run '^$' -bench Switch50 -benchtime=5x
func BenchmarkSwitch50Services(b *testing.B) {
	m := boot(b, "e2e-bench")
	var gen [50]int
	m.config(b, services50(&gen))
	m.mustGocfg(b, "switch", "-c", cfgDir)
	if got := m.out(b, "systemctl", "is-active", "svc50"); got != "active" {
		b.Fatalf("svc50 is %s", got)
	}
	var noop, restart, bare []time.Duration
	for i := 0; b.Loop(); i++ {
		d, out := m.timed(b, "gocfg", "switch", "-c", cfgDir)
		if !strings.Contains(out, noChanges) {
			b.Fatalf("the no-op switch:\n%s", out)
		}
		noop = append(noop, d)

		name := fmt.Sprintf("svc%02d", i%50+1)
		gen[i%50]++
		m.config(b, services50(&gen))
		d, out = m.timed(b, "gocfg", "switch", "-c", cfgDir)
		if !strings.Contains(out, "unit:system:"+name+".service") || !strings.Contains(out, "restart") {
			b.Fatalf("the switch that changes %s:\n%s", name, out)
		}
		restart = append(restart, d)

		d, _ = m.timed(b, "sh", "-c", "systemctl daemon-reload && systemctl restart "+name)
		bare = append(bare, d)
	}
	b.ReportMetric(median(noop), "noop-ms")
	b.ReportMetric(median(restart), "restart-one-ms")
	b.ReportMetric(median(bare), "systemctl-ms")
	b.Logf("no-op switch: %v; switch restarting one: %v; systemctl daemon-reload + restart: %v", noop, restart, bare)
}
