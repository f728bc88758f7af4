package macfake_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// fakeMac is a fake Mac with alice (501) and bob (502), where gocfg runs
// as self.
func fakeMac(t *testing.T, self string) (*macfake.Fake, string) {
	t.Helper()
	root := t.TempDir()
	f := macfake.New(system.NewRooted(root, system.NewReal()), self)
	for _, u := range []macfake.UserRecord{{Name: "alice", UID: 501}, {Name: "bob", UID: 502}} {
		if err := f.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	return f, root
}

// runFake runs a command and returns its output and exit status.
func runFake(t *testing.T, f *macfake.Fake, path string, args ...string) (string, int) {
	t.Helper()
	out, err := f.Run(context.Background(), macos.Command(path, args...))
	if err == nil {
		return string(out), 0
	}
	var ee *macfake.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("%s %v: %v", path, args, err)
	}
	return string(out), ee.Code
}

const jobPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>org.example.job</string>
	<key>ProgramArguments</key>
	<array><string>/bin/true</string></array>
</dict>
</plist>
`

func putFile(t *testing.T, root, p, content string, mode os.FileMode) {
	t.Helper()
	testfs.WriteMode(t, filepath.Join(root, p), content, mode)
}

func TestLaunchctl(t *testing.T) {
	f, root := fakeMac(t, "root")
	lc := macos.Launchctl
	const daemon = "/Library/LaunchDaemons/org.example.job.plist"

	// Refused as launchd refuses them.
	for _, tt := range []struct {
		name, content string
		mode          os.FileMode
		code          int
		msg           string
	}{
		{name: "missing", code: 2, msg: "Bootstrap failed: 2: No such file or directory"},
		{name: "not a plist", content: "<plist", mode: 0o644, code: 5, msg: "not a property list"},
		{name: "another label", content: strings.Replace(jobPlist, "org.example.job", "org.example.other", 1), mode: 0o644, code: 5, msg: "does not match the file name"},
		{name: "no program", content: strings.Replace(jobPlist, "ProgramArguments", "Arguments", 1), mode: 0o644, code: 5, msg: "neither Program nor ProgramArguments"},
		{name: "writable by others", content: jobPlist, mode: 0o666, code: 5, msg: "bad ownership or permissions"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_ = os.Remove(filepath.Join(root, daemon))
			if tt.content != "" {
				putFile(t, root, daemon, tt.content, tt.mode)
			}
			out, code := runFake(t, f, lc, "bootstrap", "system", daemon)
			if code != tt.code || !strings.Contains(out, tt.msg) {
				t.Errorf("bootstrap: exit %d %q, want %d with %q", code, out, tt.code, tt.msg)
			}
		})
	}

	putFile(t, root, daemon, jobPlist, 0o644)
	out, code := runFake(t, f, lc, "print", "system/org.example.job")
	if code != 113 || out != "Could not find service \"org.example.job\" in domain for system\n" {
		t.Errorf("print before bootstrap: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "bootstrap", "system", daemon); code != 0 {
		t.Fatalf("bootstrap: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "print", "system/org.example.job"); code != 0 || !strings.Contains(out, "path = "+daemon) {
		t.Errorf("print: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "print", "system"); code != 0 || !strings.Contains(out, "org.example.job") {
		t.Errorf("print system: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "bootstrap", "system", daemon); code != 5 || !strings.Contains(out, "already loaded") {
		t.Errorf("bootstrap twice: %d %q", code, out)
	}
	if jobs, _ := f.LaunchdJobs("system"); jobs["org.example.job"] != daemon {
		t.Errorf("LaunchdJobs: %v", jobs)
	}
	if out, code := runFake(t, f, lc, "bootout", "system/org.example.job"); code != 0 {
		t.Errorf("bootout: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "bootout", "system/org.example.job"); code != 113 || !strings.Contains(out, "Could not find specified service") {
		t.Errorf("bootout twice: %d %q", code, out)
	}
	// bootout by path.
	runFake(t, f, lc, "bootstrap", "system", daemon)
	if out, code := runFake(t, f, lc, "bootout", "system", daemon); code != 0 {
		t.Errorf("bootout by path: %d %q", code, out)
	}
	if jobs, _ := f.LaunchdJobs("system"); len(jobs) != 0 {
		t.Errorf("after bootout: %v", jobs)
	}

	// A user's gui domain: there while logged in.
	agent := "/Users/alice/Library/LaunchAgents/org.example.job.plist"
	putFile(t, root, agent, jobPlist, 0o644)
	if out, code := runFake(t, f, lc, "bootstrap", "gui/501", agent); code != 0 {
		t.Fatalf("bootstrap gui/501: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "print", "gui/501/org.example.job"); code != 0 || !strings.Contains(out, "type = LaunchAgent") {
		t.Errorf("print gui/501/...: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "print", "gui/502/org.example.job"); code != 113 || !strings.Contains(out, `Could not find service "org.example.job" in domain for user gui: 502`) {
		t.Errorf("print gui/502/...: %d %q", code, out)
	}
	if err := f.SetGUISession(502, false); err != nil {
		t.Fatal(err)
	}
	if _, code := runFake(t, f, lc, "print", "gui/502"); code == 0 {
		t.Error("print gui/502 of a user who is logged out succeeded")
	}
	if _, code := runFake(t, f, lc, "print", "gui/501"); code != 0 {
		t.Error("print gui/501 failed")
	}
	if out, code := runFake(t, f, lc, "bootstrap", "gui/502", agent); code != 125 || !strings.Contains(out, "Domain does not support specified action") {
		t.Errorf("bootstrap into a logged-out user's domain: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "bootstrap", "gui/600", agent); code != 125 {
		t.Errorf("bootstrap into gui/600 (no such user): %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "kickstart", "gui/501/org.example.job"); code != 127 {
		t.Errorf("an unfaked subcommand: %d %q", code, out)
	}
}

// TestLaunchctlAsUser: a user changes only their own gui domain.
func TestLaunchctlAsUser(t *testing.T) {
	f, root := fakeMac(t, "alice")
	lc := macos.Launchctl
	agent := "/Users/alice/Library/LaunchAgents/org.example.job.plist"
	putFile(t, root, agent, jobPlist, 0o644)
	if out, code := runFake(t, f, lc, "bootstrap", "gui/501", agent); code != 0 {
		t.Errorf("bootstrap into her own domain: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "bootstrap", "gui/502", agent); code != 1 || !strings.Contains(out, "Operation not permitted") {
		t.Errorf("bootstrap into bob's domain: %d %q", code, out)
	}
	daemon := "/Library/LaunchDaemons/org.example.job.plist"
	putFile(t, root, daemon, jobPlist, 0o644)
	if out, code := runFake(t, f, lc, "bootstrap", "system", daemon); code != 1 || !strings.Contains(out, "Bootstrap failed: 1: Operation not permitted") {
		t.Errorf("bootstrap system as alice: %d %q", code, out)
	}
	if out, code := runFake(t, f, lc, "bootout", "gui/501/org.example.job"); code != 0 {
		t.Errorf("bootout of her own: %d %q", code, out)
	}
}
