package systemd

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestServiceLifecycle drives one service of root's user manager through
// whole switches: added, edited, reloaded, renamed, removed.
func TestServiceLifecycle(t *testing.T) {
	l := &lifecycle{r: newRig(t), svc: service("/bin/sleep 300")}
	if !t.Run("add", l.add) {
		return
	}
	t.Run("edit restarts", l.editRestarts)
	t.Run("reload_if_changed reloads", l.reloadIfChanged)
	t.Run("description only", l.descriptionOnly)
	t.Run("wanted_by only re-enables", l.wantedByOnly)
	t.Run("remove", l.remove)
}

// lifecycle is the state TestServiceLifecycle's steps share: the rig,
// the service as configured, and its main PID as last seen.
type lifecycle struct {
	r   *rig
	svc unit.Service
	pid int
}

// cfg is root's user manager running the service.
func (l *lifecycle) cfg() *Config {
	return svcConfig(l.svc)
}

// add: a new service is written, enabled, started, and waited for by the jobs.
func (l *lifecycle) add(t *testing.T) {
	p := l.r.Switch(l.cfg())
	c := providertest.Change(t, p, svcID)
	if c.Action != platform.Create || c.After != "unit file; enable, start" {
		t.Errorf("plan line: %s %q, want create %q", c.Action, c.After, "unit file; enable, start")
	}
	if got, want := jobs(p), []string{"enable svc.service", "daemon-reload", "start svc.service"}; !slices.Equal(got, want) {
		t.Errorf("jobs %q, want %q", got, want)
	}
	if !slices.Contains(c.Deps, "user:root") {
		t.Errorf("the unit's change waits for %q, want the account user:root too", c.Deps)
	}
	if j := providertest.Change(t, p, "units:user:root:jobs"); !slices.Contains(j.Deps, svcID) || !slices.Contains(j.Deps, "packages:install") {
		t.Errorf("the jobs wait for %q, want the unit and packages:install", j.Deps)
	}
	if s := p.Summary(); s.Add != 1 || s.Change != 0 || s.Remove != 0 {
		t.Errorf("summary %+v, want 1 to add (hidden changes are not counted)", s)
	}
	if got, want := l.r.readUnit("svc.service"), rendered(t, "svc.service", l.svc); got != want {
		t.Errorf("unit file:\n%s\nwant:\n%s", got, want)
	}
	st := l.r.state("svc.service")
	if st.Active != "active" || st.FileState != "enabled" || st.PID == 0 {
		t.Fatalf("state %+v, want active, enabled, with a main PID", st)
	}
	if target, err := os.Readlink(l.r.wantsLink("default.target", "svc.service")); err != nil || target != l.r.unitPath("svc.service") {
		t.Errorf("wants link: %q, %v", target, err)
	}
	if !l.r.wants("default.target", "svc.service") {
		t.Error("the manager's default.target does not want svc.service: no daemon-reload after enabling")
	}
	l.pid = st.PID
	if l.r.current() != 1 {
		t.Errorf("current generation %d, want 1", l.r.current())
	}
	l.r.WantEmptyPlan(l.cfg())
}

// editRestarts: a changed ExecStart restarts the service.
func (l *lifecycle) editRestarts(t *testing.T) {
	l.svc.ExecStart = ptr("/bin/sleep 301")
	p := l.r.Switch(l.cfg())
	c := providertest.Change(t, p, svcID)
	if c.Action != platform.Update || c.After != "unit file changed; restart" {
		t.Errorf("plan line: %s %q, want update %q", c.Action, c.After, "unit file changed; restart")
	}
	if got, want := jobs(p), []string{"daemon-reload", "restart svc.service"}; !slices.Equal(got, want) {
		t.Errorf("jobs %q, want %q", got, want)
	}
	st := l.r.state("svc.service")
	if st.Active != "active" || st.PID == 0 || st.PID == l.pid || !strings.Contains(st.ExecStart, "301") || st.NeedReload {
		t.Errorf("state %+v, want active with a new main PID (was %d) running sleep 301", st, l.pid)
	}
	l.pid = st.PID
	l.r.WantEmptyPlan(l.cfg())
}

// reloadIfChanged: with reload_if_changed a change reloads the service in place.
func (l *lifecycle) reloadIfChanged(t *testing.T) {
	reloaded := filepath.Join(l.r.mgr.Home(), "reloaded")
	l.svc.ReloadIfChanged = true
	l.svc.ExecReload = ptr("/bin/sh -c 'echo reload >> " + reloaded + "'")
	l.r.Switch(l.cfg())
	l.svc.Environment = map[string]string{"GREETING": "hello"}
	p := l.r.Switch(l.cfg())
	c := providertest.Change(t, p, svcID)
	if c.After != "unit file changed; reload" {
		t.Errorf("plan line %q, want %q", c.After, "unit file changed; reload")
	}
	if got, want := jobs(p), []string{"daemon-reload", "reload svc.service"}; !slices.Equal(got, want) {
		t.Errorf("jobs %q, want %q", got, want)
	}
	st := l.r.state("svc.service")
	if st.Active != "active" || st.PID != l.pid {
		t.Errorf("state %+v, want active with the same main PID %d", st, l.pid)
	}
	if b, err := os.ReadFile(reloaded); err != nil || strings.Count(string(b), "reload") != 2 {
		t.Errorf("ExecReload ran: %q, %v; want twice (adding exec_reload, then the environment)", b, err)
	}
	if env := l.r.show("svc.service", "Environment")["Environment"]; env != "GREETING=hello" {
		t.Errorf("the manager has Environment=%q, want the new file loaded", env)
	}
	l.r.WantEmptyPlan(l.cfg())
}

// descriptionOnly: a new description only reloads the manager.
func (l *lifecycle) descriptionOnly(t *testing.T) {
	l.svc.Description = "a sleeping service"
	p := l.r.Switch(l.cfg())
	c := providertest.Change(t, p, svcID)
	if c.After != "unit file changed" {
		t.Errorf("plan line %q, want %q", c.After, "unit file changed")
	}
	if got, want := jobs(p), []string{"daemon-reload"}; !slices.Equal(got, want) {
		t.Errorf("jobs %q, want %q", got, want)
	}
	st := l.r.state("svc.service")
	if st.Active != "active" || st.PID != l.pid || st.NeedReload {
		t.Errorf("state %+v, want active with the same main PID %d", st, l.pid)
	}
	if d := l.r.show("svc.service", "Description")["Description"]; d != "a sleeping service" {
		t.Errorf("Description %q, want the new one loaded", d)
	}
	l.r.WantEmptyPlan(l.cfg())
}

// wantedByOnly: a new wanted_by re-enables the service, which keeps running.
func (l *lifecycle) wantedByOnly(t *testing.T) {
	l.svc.WantedBy = []string{"basic.target"}
	p := l.r.Switch(l.cfg())
	c := providertest.Change(t, p, svcID)
	if c.After != "unit file changed; disable, enable" {
		t.Errorf("plan line %q, want %q", c.After, "unit file changed; disable, enable")
	}
	if got, want := jobs(p), []string{"disable svc.service", "enable svc.service", "daemon-reload"}; !slices.Equal(got, want) {
		t.Errorf("jobs %q, want %q", got, want)
	}
	if !l.r.wants("basic.target", "svc.service") || l.r.wants("default.target", "svc.service") {
		t.Error("the manager's targets do not know the new links")
	}
	st := l.r.state("svc.service")
	if st.Active != "active" || st.PID != l.pid || st.FileState != "enabled" {
		t.Errorf("state %+v, want active, enabled, same main PID %d", st, l.pid)
	}
	absent(t, l.r.wantsLink("default.target", "svc.service"))
	if !exists(l.r.wantsLink("basic.target", "svc.service")) {
		t.Errorf("no link in basic.target.wants")
	}
	l.r.WantEmptyPlan(l.cfg())
}

// remove: a service left out of the configuration is stopped, disabled and deleted.
func (l *lifecycle) remove(t *testing.T) {
	p := l.r.Switch(userConfig(nil, nil))
	c := providertest.Change(t, p, svcID)
	if c.Action != platform.Delete || c.After != "stop, disable" {
		t.Errorf("plan line: %s %q, want delete %q", c.Action, c.After, "stop, disable")
	}
	st := l.r.state("svc.service")
	if st.Active != "inactive" || st.FileState == "enabled" {
		t.Errorf("state %+v, want inactive, not enabled", st)
	}
	absent(t, l.r.unitPath("svc.service"))
	absent(t, l.r.wantsLink("basic.target", "svc.service"))
	if l.r.wants("basic.target", "svc.service") {
		t.Error("the manager's basic.target still wants svc.service")
	}
	l.r.WantEmptyPlan(userConfig(nil, nil))
}

// TestEnableOff: turning enable off leaves the unit out as if it were
// not declared (the option's documentation, NixOS's enable): stopped,
// disabled, its file removed and its records dropped, the plan line
// saying why; turning it on again installs, enables and starts it.
func TestEnableOff(t *testing.T) {
	r := newRig(t)
	svc := service("/bin/sleep 300")
	cfg := func() *Config { return svcConfig(svc) }
	r.Switch(cfg())
	svc.Enable = false
	p := r.Switch(cfg())
	if c := providertest.Change(t, p, svcID); c.Action != platform.Delete || c.After != "stop, disable" || c.Note != "enable = false" {
		t.Errorf("plan line %s %q (%s), want delete %q (%s)", c.Action, c.After, c.Note, "stop, disable", "enable = false")
	}
	if st, load := r.state("svc.service"), r.show("svc.service", "LoadState")["LoadState"]; st.Active != "inactive" || load != "not-found" {
		t.Errorf("state %+v, load state %s, want inactive and not-found", st, load)
	}
	if r.wants("default.target", "svc.service") {
		t.Error("the manager's default.target still wants svc.service")
	}
	absent(t, r.unitPath("svc.service"))
	absent(t, r.wantsLink("default.target", "svc.service"))
	if recs := p.Records["systemd"].(*Records); len(recs.Units) != 0 {
		t.Errorf("records %+v, want none", recs.Units)
	}
	r.WantEmptyPlan(cfg())

	svc.Enable = true
	p = r.Switch(cfg())
	if c := providertest.Change(t, p, svcID); c.Action != platform.Create || c.After != "unit file; enable, start" {
		t.Errorf("plan line %s %q, want create %q", c.Action, c.After, "unit file; enable, start")
	}
	if st := r.state("svc.service"); st.Active != "active" || st.FileState != "enabled" {
		t.Errorf("state %+v, want active and enabled", st)
	}
	r.WantEmptyPlan(cfg())
}

// TestNotWantedRestarted: a service that no target wants (a timer or
// another unit starts it: enable on, wanted_by empty) is installed but
// not started by the switch; started by someone else, a change
// restarts it.
func TestNotWantedRestarted(t *testing.T) {
	r := newRig(t)
	svc := service("/bin/sleep 300")
	svc.WantedBy = nil
	cfg := func() *Config { return svcConfig(svc) }
	r.Switch(cfg())
	if st := r.state("svc.service"); st.Active != "inactive" || !exists(r.unitPath("svc.service")) {
		t.Errorf("state %+v, want installed and not started", st)
	}
	r.WantEmptyPlan(cfg())
	if out, err := r.mgr.Systemctl("start", "svc.service"); err != nil {
		t.Fatalf("systemctl start: %v\n%s", err, out)
	}
	pid := r.state("svc.service").PID
	svc.ExecStart = ptr("/bin/sleep 301")
	p := r.Switch(cfg())
	if c := providertest.Change(t, p, svcID); c.After != "unit file changed; restart" {
		t.Errorf("plan line %q, want %q", c.After, "unit file changed; restart")
	}
	if st := r.state("svc.service"); st.Active != "active" || st.PID == pid || !strings.Contains(st.ExecStart, "301") {
		t.Errorf("state %+v, want restarted (main PID was %d) running sleep 301", st, pid)
	}
	r.WantEmptyPlan(cfg())
}

// TestFlagsRecorded: a change to a switching flag alone (stop_on_removal)
// writes a generation that records it, so that removing the unit later
// follows the new flag.
func TestFlagsRecorded(t *testing.T) {
	r, svc := runningRig(t)
	pid := r.state("svc.service").PID
	svc.StopOnRemoval = false
	p := r.Switch(svcConfig(svc))
	c := providertest.Change(t, p, svcID)
	if c.Action != platform.Update || len(c.Ops) != 0 || c.Note != "stop_on_removal true → false" {
		t.Errorf("plan line %s %q (%s) with %d ops, want an update of the records only", c.Action, c.After, c.Note, len(c.Ops))
	}
	if len(p.Changes) != 1 {
		t.Errorf("%d changes, want only the unit's:\n%s", len(p.Changes), planText(p))
	}
	r.WantEmptyPlan(svcConfig(svc))
	p = r.Switch(userConfig(nil, nil))
	if got, want := jobs(p), []string{"disable svc.service", "daemon-reload"}; !slices.Equal(got, want) {
		t.Errorf("jobs %q, want %q", got, want)
	}
	if st := r.state("svc.service"); st.Active != "active" || st.PID != pid {
		t.Errorf("state %+v, want still running as PID %d (stop_on_removal = false)", st, pid)
	}
	absent(t, r.unitPath("svc.service"))
	absent(t, r.wantsLink("default.target", "svc.service"))
}

// TestTimerFires: a timer and its oneshot service, which no target
// wants (enable on, wanted_by empty: installed, not started by the
// switch); the timer starts the service a second after the switch.
func TestTimerFires(t *testing.T) {
	r := newRig(t)
	out := filepath.Join(r.mgr.Home(), "ticked")
	tick := service("/bin/sh -c 'date >> " + out + "'")
	tick.Type, tick.WantedBy = "oneshot", nil
	timer := unit.Timer{TimerConfig: map[string]string{"OnActiveSec": "1s", "AccuracySec": "100ms"},
		WantedBy: []string{"timers.target"}, Enable: true}
	cfg := userConfig(map[string]unit.Service{"tick": tick}, map[string]unit.Timer{"tick": timer})
	start := time.Now()
	p := r.Switch(cfg)
	if c := providertest.Change(t, p, "unit:user:root:tick.timer"); c.After != "unit file; enable, start" {
		t.Errorf("timer's plan line %q", c.After)
	}
	if c := providertest.Change(t, p, "unit:user:root:tick.service"); c.After != "unit file" {
		t.Errorf("service's plan line %q, want %q (no [Install]: nothing to enable)", c.After, "unit file")
	}
	if st := r.state("tick.timer"); st.Active != "active" || st.FileState != "enabled" {
		t.Errorf("timer state %+v, want active and enabled", st)
	}
	if !waitFor(8*time.Second, func() bool { return exists(out) }) {
		t.Fatalf("%s did not appear within 8 s; service: %+v", out, r.state("tick.service"))
	}
	t.Logf("the timer fired after %v", time.Since(start).Round(time.Millisecond))
	if st := r.state("tick.service"); st.Active == "failed" {
		t.Errorf("tick.service failed: %+v", st)
	}
	r.WantEmptyPlan(cfg)
}

// TestRemoveEditedByHand: a unit file edited by hand since gocfg wrote it is
// left alone when the unit is dropped, with a warning.
func TestRemoveEditedByHand(t *testing.T) {
	r, _ := runningRig(t)
	if err := os.WriteFile(r.unitPath("svc.service"), []byte("[Service]\nExecStart=/bin/sleep 299\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, _ := r.Plan(svcConfig(service("/bin/sleep 300")))
	if len(p.Conflicts) != 1 || p.Conflicts[0].ID != svcID {
		t.Errorf("conflicts %+v, want one for %s", p.Conflicts, svcID)
	}
	p = r.Switch(userConfig(nil, nil))
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "changed by hand") {
		t.Errorf("warnings %q", p.Warnings)
	}
	if !exists(r.unitPath("svc.service")) {
		t.Error("the edited unit file was removed")
	}
	if st := r.state("svc.service"); st.Active != "inactive" {
		t.Errorf("state %+v, want stopped (stop_on_removal)", st)
	}
}

// TestOffline: under --root a system service and a user's service are
// written into the tree and enabled by their links, as systemctl --root
// does; nothing is started, and the plan says so.
func TestOffline(t *testing.T) {
	root := t.TempDir()
	sys := system.NewRooted(root, system.NewReal())
	for _, d := range []string{"/var/lib/gocfg", "/home/alice"} {
		if err := os.MkdirAll(sys.HostPath(d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	db, err := accounts.Read(sys)
	if err != nil {
		t.Fatal(err)
	}
	store := generations.New(sys, "/var/lib/gocfg")
	// No files configuration: homes come from the tree's passwd, else
	// /home/<name>.
	r := (&rig{t: t, db: db}).on(sys, store)
	layout := func(to int) *machine.Machine {
		return &machine.Machine{Sys: sys, Host: system.NewReal(), Store: store, Current: r.current(), To: to,
			Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: db}
	}
	plan := func(cfg *Config) (*platform.Plan, platform.Switch) {
		t.Helper()
		l := layout(r.sw.Next())
		p := r.sw.Plan(&Provider{Machine: l, FilesConfig: r.fcfg, Config: cfg})
		return p, r.sw.SwitchTo(p, l.Current, l.To)
	}
	web := service("/usr/sbin/nginx")
	web.WantedBy = []string{"multi-user.target"}
	cfg := &Config{
		Services: map[string]unit.Service{"web": web},
		Users:    map[string]UserUnits{"alice": {Services: map[string]unit.Service{"sync": service("/usr/bin/true")}}},
	}
	p, sw := plan(cfg)
	if err := r.apply(sw); err != nil {
		t.Fatal(err)
	}
	const note = "unit file; enable; (not started under --root)"
	for _, id := range []string{"unit:system:web.service", "unit:user:alice:sync.service"} {
		if c := providertest.Change(t, p, id); c.Action != platform.Create || c.After != note {
			t.Errorf("%s: plan line %s %q, want create %q", id, c.Action, c.After, note)
		}
	}
	for _, j := range jobs(p) {
		if !strings.HasPrefix(j, "enable ") && j != "daemon-reload" {
			t.Errorf("job %q under --root", j)
		}
	}
	host := sys.HostPath
	if got, want := testfs.Read(t, host("/etc/systemd/system/web.service")), rendered(t, "web.service", web); got != want {
		t.Errorf("web.service:\n%s\nwant:\n%s", got, want)
	}
	links := map[string]string{
		"/etc/systemd/system/multi-user.target.wants/web.service":            "/etc/systemd/system/web.service",
		"/home/alice/.config/systemd/user/default.target.wants/sync.service": "/home/alice/.config/systemd/user/sync.service",
	}
	for link, want := range links {
		if got, err := os.Readlink(host(link)); err != nil || got != want {
			t.Errorf("%s → %q (%v), want → %s", link, got, err, want)
		}
	}
	if p, _ := plan(cfg); !p.Empty() {
		t.Errorf("second plan not empty:\n%s", planText(p))
	}

	// Dropped: disabled and removed.
	p, sw = plan(&Config{})
	if err := r.apply(sw); err != nil {
		t.Fatal(err)
	}
	if c := providertest.Change(t, p, "unit:system:web.service"); c.Action != platform.Delete || c.After != "disable" {
		t.Errorf("plan line %s %q, want delete %q", c.Action, c.After, "disable")
	}
	for link := range links {
		absent(t, host(link))
	}
	absent(t, host("/etc/systemd/system/web.service"))
	absent(t, host("/home/alice/.config/systemd/user/sync.service"))
}

// TestOfflineKilledAndRecovered: a --root switch that adds an enabled
// unit, killed once everything ran, is undone: file and links gone.
func TestOfflineKilledAndRecovered(t *testing.T) {
	root := t.TempDir()
	sys := system.NewRooted(root, system.NewReal())
	if err := os.MkdirAll(sys.HostPath("/var/lib/gocfg"), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := accounts.Read(sys)
	if err != nil {
		t.Fatal(err)
	}
	r := (&rig{t: t, db: db, fcfg: &files.Config{}}).on(sys, generations.New(sys, "/var/lib/gocfg"))
	l := &machine.Machine{Sys: sys, Host: system.NewReal(), Store: r.store, Current: 0, To: 1,
		Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: db}
	web := service("/usr/sbin/nginx")
	web.WantedBy = []string{"multi-user.target"}
	p, err := platform.MakePlan(t.Context(), nil, &Provider{Machine: l, FilesConfig: r.fcfg, Config: &Config{Services: map[string]unit.Service{"web": web}}})
	if err != nil {
		t.Fatal(err)
	}
	providertest.KillAt(t, r.engine(), r.sw.SwitchTo(p, 0, 1), "applied")
	if !exists(sys.HostPath("/etc/systemd/system/multi-user.target.wants/web.service")) {
		t.Fatal("the switch did not enable web.service before the kill")
	}
	providertest.WantUndone(t, r.engine())
	absent(t, sys.HostPath("/etc/systemd/system/multi-user.target.wants/web.service"))
	absent(t, sys.HostPath("/etc/systemd/system/web.service"))
}

// TestDuplicateUnitName: two keys naming the same unit are refused.
func TestDuplicateUnitName(t *testing.T) {
	sys := system.NewRooted(t.TempDir(), system.NewReal())
	l := &machine.Machine{Sys: sys, Host: system.NewReal(), Store: generations.New(sys, "/var/lib/gocfg"), To: 1,
		Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: &accounts.Database{}}
	cfg := &Config{Services: map[string]unit.Service{"web": service("/bin/true"), "web.service": service("/bin/false")}}
	_, err := platform.MakePlan(t.Context(), nil, &Provider{Machine: l, Config: cfg})
	var ce *platform.ConfigError
	if !errors.As(err, &ce) || ce.Option != `systemd.services."web.service"` || !strings.Contains(ce.Msg, `web.service is also configured as systemd.services."web"`) {
		t.Errorf("error %v, want a platform.ConfigError naming both options", err)
	}
}

// TestTemplateUnitRefused (tester AC): a template unit ("her@") is
// refused at its option, saying what to write instead; the plan failed
// on the manager's answer for its state before.
func TestTemplateUnitRefused(t *testing.T) {
	sys := system.NewRooted(t.TempDir(), system.NewReal())
	l := &machine.Machine{Sys: sys, Host: system.NewReal(), Store: generations.New(sys, "/var/lib/gocfg"), To: 1,
		Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: &accounts.Database{}}
	cfg := &Config{Services: map[string]unit.Service{"her@": service("/bin/true"), "a.b@x": service("/bin/true")}}
	_, err := platform.MakePlan(t.Context(), nil, &Provider{Machine: l, Config: cfg})
	ces := providertest.ConfigErrors(err)
	if len(ces) != 1 || ces[0].Option != `systemd.services."her@"` || !strings.Contains(ces[0].Msg, "her@.service is a template unit, which gocfg does not manage yet") ||
		!strings.Contains(ces[0].Hint, "her@alice instead of %i") {
		t.Errorf("error %v, want one platform.ConfigError at her@, with a hint", err)
	}
}
