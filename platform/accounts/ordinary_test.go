package accounts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestOrdinary (tester AF): a unit of the machine's own that a job of
// root's waits for is hers when its User= is a login account, read from
// the machine's accounts as LoginAccount reads them for declared units;
// a dynamic user no account has is systemd's, not hers, and so are
// nobody and systemd's dynamic range (reviewer).
func TestOrdinary(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"passwd":     "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\nmallory:x:1001:1001::/home/mallory:/bin/bash\nlow:x:600:600::/home/low:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nldap:x:70000:70000::/home/ldap:/bin/sh\n",
		"login.defs": "UID_MIN 500\nUID_MAX 60000\n",
	} {
		if err := os.WriteFile(filepath.Join(root, "etc", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hers := Ordinary(system.NewRooted(root, system.NewReal()))
	for _, c := range []struct {
		user    string
		dynamic bool
		want    bool
	}{
		{"root", false, false},
		{"www-data", false, false},
		{"mallory", false, true},
		{"mallory", true, true}, // DynamicUser= runs as the account when it exists
		{"low", false, true},    // login.defs' UID_MIN is read
		{"1001", false, true},
		{"33", false, false},
		{"nobody-here", false, true}, // unknown: the bound is the safe side
		{"nobody-here", true, false}, // allocated by systemd, not a login
		{"nobody", false, false},
		{"65534", false, false},
		{"61184", false, false}, // systemd's dynamic range
		{"65519", false, false},
		{"ldap", false, true}, // above UID_MAX: a directory's account
		{"61183", false, true},
	} {
		if got := hers(c.user, c.dynamic); got != c.want {
			t.Errorf("Ordinary(%q, dynamic %v) = %v, want %v", c.user, c.dynamic, got, c.want)
		}
	}
}
