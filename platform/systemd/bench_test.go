package systemd

import (
	"fmt"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// BenchmarkSwitch50 measures switches of 50 services in a real user
// manager: a no-op one (the plan reads 50 unit files and asks the manager
// for 50 states, and finds nothing to do) and one that edits a service,
// which rewrites its file, reloads the manager and restarts it.
func BenchmarkSwitch50(b *testing.B) {
	r := newRig(b)
	services := map[string]unit.Service{}
	for i := range 50 {
		services[fmt.Sprintf("svc%02d", i)] = service("/bin/sleep 300")
	}
	r.Switch(userConfig(services, nil))
	if st := r.state("svc49.service"); st.Active != "active" {
		b.Fatalf("svc49: %+v", st)
	}
	var noop, restart time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		p, _ := r.Plan(userConfig(services, nil))
		noop += time.Since(t0)
		if !p.Empty() {
			b.Fatalf("the no-op plan is not empty:\n%s", planText(p))
		}

		name := fmt.Sprintf("svc%02d", i%50)
		s := services[name]
		s.ExecStart = ptr(fmt.Sprintf("/bin/sleep %d", 301+i))
		services[name] = s
		t0 = time.Now()
		p = r.Switch(userConfig(services, nil))
		restart += time.Since(t0)
		if got := jobs(p); len(got) != 2 || got[1] != "restart "+name+".service" {
			b.Fatalf("jobs %q", got)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(noop.Microseconds())/1e3/n, "noop-ms")
	b.ReportMetric(float64(restart.Microseconds())/1e3/n, "restart-one-ms")
}
