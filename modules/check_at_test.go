package modules_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestAssertAt checks what an assert with at reports: one error for
// each path, in at's order, its detail starting with the path (as
// printed: quoted where it is not a name), at the user's line that sets
// the path, even when a built-in module sets it too.
func TestAssertAt(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		details []string
		lines   []int // of each error's subject, in default.hcl
	}{
		{
			name: "two paths, in at's order",
			src: `users "alice" {
  uid = 1000
}
environment {
  etc = { "a b" = { text = "x" } }
}
assert {
  condition = false
  message   = "no."
  at        = ["environment.etc.\"a b\"", "users.alice.uid"]
}`,
			details: []string{`environment.etc."a b": no.`, "users.alice.uid: no."},
			lines:   []int{5, 2},
		},
		{
			name: "a value a built-in module sets too: the user's line",
			src: `services {
  openssh { enable = true }
}
networking {
  firewall {
    enable            = true
    allowed_tcp_ports = [0]
  }
}`,
			details: []string{"networking.firewall.allowed_tcp_ports: ports are from 1 to 65535."},
			lines:   []int{7},
		},
		{
			name: "a built-in module's assert names the key at fault",
			src: `boot {
  kernel {
    sysctl = {
      "vm.swappiness" = 10
      "bad key"       = 1
    }
  }
}`,
			details: []string{`boot.kernel.sysctl."bad key": keys are sysctl names such as net.ipv4.ip_forward, and values one line.`},
			lines:   []int{5},
		},
		{
			name: "a value the user sets in two places: the first, naming the other",
			src: `users "alice" {
  uid = 1000
}
users = {
  alice = { shell = "/bin/sh" }
}
assert {
  condition = false
  message   = "no."
  at        = "users.alice"
}`,
			details: []string{"users.alice: no.\nusers.alice is also defined at default.hcl:5:3."},
			lines:   []int{1},
		},
		{
			name: "a path nothing sets: at the condition",
			src: `assert {
  condition = false
  message   = "needs a host name."
  at        = "networking.host_name"
}`,
			details: []string{"networking.host_name: needs a host name."},
			lines:   []int{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"default.hcl": tt.src})
			_, diags := evalJSON(t, dir, "", true)
			var details []string
			var lines []int
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				if d.Summary != "Assertion failed" || d.Subject == nil || d.Subject.Filename != filepath.Join(dir, "default.hcl") {
					t.Fatalf("unexpected error: %s", d.Error())
				}
				details = append(details, strings.ReplaceAll(d.Detail, dir+string(filepath.Separator), ""))
				lines = append(lines, d.Subject.Start.Line)
			}
			if !slices.Equal(details, tt.details) || !slices.Equal(lines, tt.lines) {
				t.Errorf("errors %q at lines %v,\nwant %q at lines %v", details, lines, tt.details, tt.lines)
			}
		})
	}
}
