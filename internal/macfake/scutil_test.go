package macfake

import (
	"strings"
	"testing"
)

func TestScutil(t *testing.T) {
	f := accountsFake(t, "root")
	if out, code := run(t, f, "/usr/sbin/scutil", "--get", "HostName"); code != 1 || out != "HostName: not set\n" {
		t.Errorf("--get unset: %d %q", code, out)
	}
	if _, code := run(t, f, "/usr/sbin/scutil", "--set", "ComputerName", "Alice’s Mac"); code != 0 {
		t.Error("--set failed")
	}
	if out, code := run(t, f, "/usr/sbin/scutil", "--get", "ComputerName"); code != 0 || out != "Alice’s Mac\n" {
		t.Errorf("--get: %d %q", code, out)
	}
	if _, code := run(t, f, "/usr/sbin/scutil", "--set", "ComputerName", ""); code != 0 {
		t.Error("--set to empty failed")
	}
	if _, code := run(t, f, "/usr/sbin/scutil", "--get", "ComputerName"); code != 1 {
		t.Error("an empty --set did not remove the name")
	}
	if _, code := run(t, f, "/usr/sbin/scutil", "--set", "HostName"); code == 0 {
		t.Error("--set without a value (standard input) is not faked and must fail")
	}
	if out, code := run(t, New(f.System, "alice"), "/usr/sbin/scutil", "--set", "HostName", "x"); code != 1 || !strings.Contains(out, "Permission denied") {
		t.Errorf("without root: %d %q", code, out)
	}
}
