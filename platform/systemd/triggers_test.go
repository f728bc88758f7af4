package systemd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestTriggers switches a running service whose restart_triggers or
// reload_triggers change (a configuration file it reads, say), with
// nothing else changed, and checks the NixOS rules: a change to the
// reload triggers alone reloads it, even without reload_if_changed and
// with restart_if_changed off; a change to the restart triggers is a
// change of the unit like any other (restarted, reloaded with
// reload_if_changed, left alone with restart_if_changed off); anything
// else changed along with the reload triggers restarts it. A change to
// [Install] along with them re-enables it too.
// An outcome is what the second switch of a TestTriggers case does.
type outcome struct {
	plan      string   // the unit's plan line
	jobs      []string // the job ops
	reloads   int      // ExecReload runs in the second switch
	restarted bool
}

func TestTriggers(t *testing.T) {
	// The edits and the switching options most cases have.
	reloadTrigger := func(s *unit.Service) { s.ReloadTriggers = []string{"worker_processes 4;"} }
	restartTrigger := func(s *unit.Service) { s.RestartTriggers = []string{"listen 8080;"} }
	noRestart := func(s *unit.Service) { s.RestartIfChanged = false }
	reloadIfChanged := func(s *unit.Service) { s.ReloadIfChanged = true }
	// reload and restart are the outcomes most cases have.
	reload := outcome{plan: "unit file changed; reload", jobs: []string{"daemon-reload", "reload svc.service"}, reloads: 1}
	restart := outcome{plan: "unit file changed; restart", jobs: []string{"daemon-reload", "restart svc.service"}, restarted: true}
	tests := []struct {
		name string
		// before sets the switching options; after changes the service
		// for the second switch.
		before, after func(*unit.Service)
		outcome
	}{
		{
			name:    "reload trigger reloads",
			after:   reloadTrigger,
			outcome: reload,
		},
		{
			name:    "reload trigger reloads with restart_if_changed off",
			before:  noRestart,
			after:   reloadTrigger,
			outcome: reload,
		},
		{
			name:    "reload trigger reloads with reload_if_changed",
			before:  reloadIfChanged,
			after:   reloadTrigger,
			outcome: reload,
		},
		{
			name:    "reload trigger removed reloads",
			after:   func(s *unit.Service) { s.ReloadTriggers = nil },
			outcome: reload,
		},
		{
			name: "reload trigger and description reload",
			after: func(s *unit.Service) {
				s.ReloadTriggers = []string{"worker_processes 4;"}
				s.Description = "a sleeping service"
			},
			outcome: reload,
		},
		{
			name: "reload trigger and wanted_by reload and re-enable",
			after: func(s *unit.Service) {
				s.ReloadTriggers = []string{"worker_processes 4;"}
				s.WantedBy = []string{"basic.target"}
			},
			outcome: outcome{plan: "unit file changed; disable, enable, reload", jobs: []string{"disable svc.service", "enable svc.service", "daemon-reload", "reload svc.service"}, reloads: 1},
		},
		{
			name: "exec_start and wanted_by restart and re-enable",
			after: func(s *unit.Service) {
				s.ExecStart = ptr("/bin/sleep 301")
				s.WantedBy = []string{"basic.target"}
			},
			outcome: outcome{plan: "unit file changed; disable, enable, restart", jobs: []string{"disable svc.service", "enable svc.service", "daemon-reload", "restart svc.service"}, restarted: true},
		},
		{
			name: "reload trigger and environment restart",
			after: func(s *unit.Service) {
				s.ReloadTriggers = []string{"worker_processes 4;"}
				s.Environment = map[string]string{"A": "1"}
			},
			outcome: restart,
		},
		{
			name:    "restart trigger restarts",
			after:   restartTrigger,
			outcome: restart,
		},
		{
			name: "restart and reload triggers restart",
			after: func(s *unit.Service) {
				s.RestartTriggers = []string{"listen 8080;"}
				s.ReloadTriggers = []string{"worker_processes 4;"}
			},
			outcome: restart,
		},
		{
			name:    "restart trigger reloads with reload_if_changed",
			before:  reloadIfChanged,
			after:   restartTrigger,
			outcome: reload,
		},
		{
			name:    "restart trigger left alone with restart_if_changed off",
			before:  noRestart,
			after:   restartTrigger,
			outcome: outcome{plan: "unit file changed", jobs: []string{"daemon-reload"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			log := filepath.Join(r.mgr.Home(), "reloads")
			svc := service("/bin/sleep 300")
			svc.ExecReload = ptr("/bin/sh -c 'echo reload >> " + log + "'")
			svc.RestartTriggers = []string{"listen 80;"}
			svc.ReloadTriggers = []string{"worker_processes 2;"}
			if tt.before != nil {
				tt.before(&svc)
			}
			cfg := func() *Config { return svcConfig(svc) }
			r.Switch(cfg())
			pid := r.state("svc.service").PID

			tt.after(&svc)
			p := r.Switch(cfg())
			if c := providertest.Change(t, p, svcID); c.After != tt.plan {
				t.Errorf("plan line %q, want %q", c.After, tt.plan)
			}
			if got := jobs(p); !slices.Equal(got, tt.jobs) {
				t.Errorf("jobs %q, want %q", got, tt.jobs)
			}
			b, err := os.ReadFile(log)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if n := strings.Count(string(b), "reload"); n != tt.reloads {
				t.Errorf("ExecReload ran %d times, want %d", n, tt.reloads)
			}
			st := r.state("svc.service")
			if st.Active != "active" || st.NeedReload {
				t.Errorf("state %+v, want active with the new file loaded", st)
			}
			if restarted := st.PID != pid; restarted != tt.restarted {
				t.Errorf("main PID %d → %d; restarted %t, want %t", pid, st.PID, restarted, tt.restarted)
			}
			for _, target := range []string{"default.target", "basic.target"} {
				want := slices.Contains(svc.WantedBy, target)
				if got := r.wants(target, "svc.service"); got != want {
					t.Errorf("the manager's %s wants svc.service: %t, want %t", target, got, want)
				}
				if got := exists(r.wantsLink(target, "svc.service")); got != want {
					t.Errorf("link in %s.wants: %t, want %t", target, got, want)
				}
			}
			r.WantEmptyPlan(cfg())
		})
	}
}

// TestReloadTriggersNeedReload: reload_triggers on a service systemd
// cannot reload are refused by the plan, naming the option.
func TestReloadTriggersNeedReload(t *testing.T) {
	r := newRig(t)
	svc := service("/bin/sleep 300")
	svc.ReloadTriggers = []string{"x"}
	_, err := (&Provider{Machine: r.layout(r.sw.Next()), FilesConfig: r.fcfg, Config: svcConfig(svc)}).Plan(t.Context(), nil)
	ce, ok := err.(*platform.ConfigError)
	if !ok || ce.Option != `home.root.systemd.services."svc"` || !strings.Contains(ce.Msg, "exec_reload") {
		t.Errorf("Plan: %v, want a ConfigError about home.root.systemd.services.\"svc\" asking for exec_reload", err)
	}
}

// TestJobsWaitForFiles: a service is started after the files it reads are
// written, even a file in new folders three levels deep, whose change
// waits for theirs.
func TestJobsWaitForFiles(t *testing.T) {
	r := newRig(t)
	const rel = ".config/demo/a/b/demo.conf"
	conf := filepath.Join(r.mgr.Home(), rel)
	read := filepath.Join(r.mgr.Home(), "read")
	text := "listen 80;\n"
	fcfg := &files.Config{Users: r.fcfg.Users, Home: map[string]files.HomeConfig{"root": {Files: map[string]files.HomeFile{
		rel: {Text: &text, Method: "copy"},
	}}}}
	svc := service("/bin/sh -c 'cat " + conf + " >" + read + "; exec sleep 300'")
	svc.RestartTriggers = []string{text}

	l := r.layout(r.sw.Next())
	p := r.sw.Plan(&files.Provider{Machine: l, Config: fcfg},
		&Provider{Machine: l, FilesConfig: fcfg, Config: svcConfig(svc)})
	index := func(id string) int {
		return slices.IndexFunc(p.Changes, func(c platform.Change) bool { return c.ID == id })
	}
	file, jobs := index("file:~root/"+rel), index("units:user:root:jobs")
	if file < 0 || jobs < 0 || file > jobs {
		t.Fatalf("the file's change is at %d, the jobs at %d; want the file first:\n%s", file, jobs, planText(p))
	}
	if err := r.apply(r.sw.SwitchTo(p, l.Current, l.To)); err != nil {
		t.Fatal(err)
	}
	if !waitFor(5*time.Second, func() bool { b, err := os.ReadFile(read); return err == nil && string(b) == text }) {
		b, err := os.ReadFile(read)
		t.Errorf("the service read %q, %v; want %q", b, err, text)
	}
}
