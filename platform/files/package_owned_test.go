package files

import "testing"

// TestOwnerOf: the package names of dpkg-query -S, rpm -qf and
// pacman -Qoq, without dpkg's diversion lines (the reviewer's finding:
// they gave a bogus name).
func TestOwnerOf(t *testing.T) {
	for out, want := range map[string]string{
		"nginx-common: /etc/nginx/conf.d\n":                                           "nginx-common",
		"packagekit, debian-archive-keyring, apt: /etc/apt\n":                         "packagekit, debian-archive-keyring, apt",
		"diversion by foo from: /etc/x\ndiversion by foo to: /etc/x.d\nbar: /etc/x\n": "bar",
		"nginx-core\n": "nginx-core",
		"":             "",
	} {
		if got := ownerOf(out); got != want {
			t.Errorf("ownerOf(%q) = %q, want %q", out, got, want)
		}
	}
}
