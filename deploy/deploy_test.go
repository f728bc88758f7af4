package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/testfs"
)

func TestHostFromJSON(t *testing.T) {
	tests := []struct {
		name, js string
		want     Host
	}{
		{"defaults", `{"deployment": {"tags": [], "health_checks": [], "magic_rollback": true, "confirm_timeout": 30, "ssh_options": []}}`,
			Host{Name: "web1", Target: "web1", Become: "sudo", MagicRollback: true, ConfirmTimeout: 30 * time.Second}},
		{"no deployment at all", `{}`,
			Host{Name: "web1", Target: "web1", Become: "sudo", MagicRollback: true, ConfirmTimeout: 30 * time.Second}},
		{"root needs no sudo", `{"deployment": {"target_user": "root", "target_host": "10.0.0.1", "target_port": 2222}}`,
			Host{Name: "web1", Target: "10.0.0.1", User: "root", Port: 2222, MagicRollback: true, ConfirmTimeout: 30 * time.Second}},
		{"become none", `{"deployment": {"target_user": "alice", "become": "none", "magic_rollback": false, "confirm_timeout": 5}}`,
			Host{Name: "web1", Target: "web1", User: "alice", MagicRollback: false, ConfirmTimeout: 5 * time.Second}},
		{"doas and checks", `{"deployment": {"become": "doas", "tags": ["web"], "ssh_options": ["Compression=yes"],
			"health_checks": [{"command": "true", "timeout": 10, "url": null}, {"command": null, "url": "http://x/", "timeout": 3}]}}`,
			Host{Name: "web1", Target: "web1", Become: "doas", Tags: []string{"web"}, SSHOptions: []string{"Compression=yes"}, MagicRollback: true, ConfirmTimeout: 30 * time.Second,
				HealthChecks: []HealthCheck{{Command: "true", Timeout: 10 * time.Second}, {URL: "http://x/", Timeout: 3 * time.Second}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HostFromJSON("web1", []byte(tt.js))
			if err != nil {
				t.Fatal(err)
			}
			if g, w := dump(got), dump(tt.want); g != w {
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
	// A port ssh would be given is checked before any connection.
	for _, port := range []string{"0", "70000", "-5"} {
		const want = "host web1: deployment.target_port: %s is not a port (1 to 65535); gocfg check --host web1 shows where it is set"
		if _, err := HostFromJSON("web1", []byte(`{"deployment": {"target_port": `+port+`}}`)); err == nil || err.Error() != fmt.Sprintf(want, port) {
			t.Errorf("port %s: %v", port, err)
		}
	}
	if _, err := HostFromJSON("web1", []byte(`{"deployment": {"tags": "web"}}`)); err == nil || !strings.HasPrefix(err.Error(), "host web1: ") {
		t.Errorf("bad JSON: %v", err)
	}
}

// dump prints a Host whole; %+v prints a nil and an empty slice alike.
func dump(h Host) string { return fmt.Sprintf("%+v", h) }

func TestSelect(t *testing.T) {
	hosts := []Host{{Name: "web2", Tags: []string{"web", "eu"}}, {Name: "db1", Tags: []string{"db"}}, {Name: "web1", Tags: []string{"web"}}, {Name: "cache"}}
	tests := []struct {
		on   []string
		want string
		err  string
	}{
		{nil, "cache db1 web1 web2", ""},
		{[]string{"web1"}, "web1", ""},
		{[]string{"@web"}, "web1 web2", ""},
		{[]string{"@eu", "db1"}, "db1 web2", ""},
		{[]string{"web*"}, "web1 web2", ""},
		{[]string{"web[2-9]", "@web"}, "web1 web2", ""},
		{[]string{"wbe1"}, "", "--on wbe1: no host matches; the hosts are cache, db1, web1, web2; the tags are @db, @eu, @web"},
		{[]string{"@nosuch"}, "", "--on @nosuch: no host matches"},
		{[]string{"web1", "@"}, "", "--on @: a tag is missing after @"},
		{[]string{"web["}, "", "--on web[: not a glob (syntax error in pattern)"},
	}
	for _, tt := range tests {
		got, err := Select(hosts, tt.on)
		var names []string
		for _, h := range got {
			names = append(names, h.Name)
		}
		switch {
		case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
			t.Errorf("--on %q: err = %v, want %q", tt.on, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("--on %q: %v", tt.on, err)
		case strings.Join(names, " ") != tt.want:
			t.Errorf("--on %q: %q, want %q", tt.on, strings.Join(names, " "), tt.want)
		}
	}
}

func TestMaxFail(t *testing.T) {
	tests := []struct {
		in    string
		total int
		want  int
		err   bool
	}{
		{"", 10, 0, false},
		{"1", 10, 1, false},
		{"3", 2, 3, false},
		{"50%", 10, 5, false},
		{"10%", 3, 1, false}, // rounds down, but at least one host
		{"100%", 7, 7, false},
		{"0", 10, 0, true},
		{"0%", 10, 0, true},
		{"101%", 10, 0, true},
		{"-1", 10, 0, true},
		{"two", 10, 0, true},
	}
	for _, tt := range tests {
		got, err := MaxFail(tt.in, tt.total)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("MaxFail(%q, %d) = %d, %v; want %d, error %v", tt.in, tt.total, got, err, tt.want, tt.err)
		}
	}
}

func TestInventory(t *testing.T) {
	dir := t.TempDir()
	if _, err := HostNames(dir); err == nil || !strings.Contains(err.Error(), "no hosts/*.hcl") {
		t.Errorf("no hosts folder: %v", err)
	}
	for _, f := range []string{"hosts/web1.hcl", "hosts/db1.hcl", "hosts/.hidden.hcl", "hosts/notes.txt", "default.hcl"} {
		testfs.Write(t, filepath.Join(dir, f), "")
	}
	if err := os.Mkdir(filepath.Join(dir, "hosts", "dir.hcl"), 0o755); err != nil {
		t.Fatal(err)
	}
	eval := func(_ context.Context, host string) ([]byte, error) {
		if host == "db1" {
			return nil, errors.New("evaluation failed")
		}
		return []byte(`{"deployment": {"tags": ["web"]}}`), nil
	}
	hosts, err := Inventory(context.Background(), dir, eval)
	if err == nil || err.Error() != "host db1: evaluation failed" {
		t.Errorf("err = %v, want db1's evaluation error", err)
	}
	if len(hosts) != 1 || hosts[0].Name != "web1" || !hosts[0].HasTag("web") {
		t.Errorf("hosts = %+v, want web1 tagged web", hosts)
	}
}

// TestLiteral: --on given only host names (each a host there is) spares
// the others' evaluation; a tag, a glob or an unknown name needs them.
func TestLiteral(t *testing.T) {
	names := []string{"db1", "web1", "web2"}
	for _, tc := range []struct {
		on   []string
		want []string
	}{
		{nil, nil},
		{[]string{"web1"}, []string{"web1"}},
		{[]string{"web1", "db1", "web1"}, []string{"web1", "db1"}},
		{[]string{"web1", "@db"}, nil},
		{[]string{"web*"}, nil},
		{[]string{"db[1]"}, nil},
		{[]string{"web3"}, nil},
	} {
		if got := Literal(tc.on, names); !slices.Equal(got, tc.want) {
			t.Errorf("Literal(%q) = %q, want %q", tc.on, got, tc.want)
		}
	}
}
