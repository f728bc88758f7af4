package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The plaintext goes only where no one else can rename gocfg's folder.
func TestPrivateTempRoot(t *testing.T) {
	own := t.TempDir()
	if err := os.Chmod(own, 0o700); err != nil {
		t.Fatal(err)
	}
	open := t.TempDir()
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other")
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(other, 12345, 12345); err != nil {
		t.Skipf("cannot give a folder away: %v", err)
	}
	sticky := t.TempDir()
	if err := os.Chmod(sticky, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	// A link to a folder of ours (a TMPDIR kept from a user's session,
	// her link): its owner can make it lead elsewhere later, but the
	// folder is made where it leads now, which is checked.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(own, link); err != nil {
		t.Fatal(err)
	}
	// Her link in a sticky folder, to a folder of ours she may reach
	// otherwise (a synced one): not followed (reviewer R22).
	hers := filepath.Join(sticky, "hers")
	if err := os.Symlink(own, hers); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(hers, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	// Our link to someone else's folder: the folder is checked.
	toOther := filepath.Join(t.TempDir(), "to-other")
	if err := os.Symlink(other, toOther); err != nil {
		t.Fatal(err)
	}
	// A folder of ours in a folder someone else owns: she can rename it
	// away and put a link in its place.
	theirs := filepath.Join(t.TempDir(), "theirs")
	if err := os.Mkdir(theirs, 0o755); err != nil {
		t.Fatal(err)
	}
	inTheirs := filepath.Join(theirs, "ours")
	if err := os.Mkdir(inTheirs, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(theirs, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	env := testEnv(t) // root
	// Without a usable runtime or temporary folder: the RAM file
	// system, where there is one.
	fallback := "/tmp"
	if privateWay(sharedMemory, env.EUID) {
		fallback = sharedMemory
	}
	for _, tt := range []struct {
		name, xdg, tmp, want string
	}{
		{"own runtime folder", own, "", own},
		{"runtime folder writable by others", open, sticky, sticky},
		{"someone else's runtime folder (sudo)", other, own, own},
		{"a link to our own folder", link, sticky, own},
		{"her link in a sticky folder", hers, sticky, sticky},
		{"our link to her folder", toOther, sticky, sticky},
		{"our folder in someone else's", inTheirs, sticky, sticky},
		{"relative", "run", "", fallback},
		{"none", "", "", fallback},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env.Getenv = func(k string) string {
				return map[string]string{"XDG_RUNTIME_DIR": tt.xdg, "TMPDIR": tt.tmp}[k]
			}
			if got, err := privateTempRoot(env); err != nil || got != tt.want {
				t.Errorf("privateTempRoot = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

// TestTrustedLinks (reviewer R23): a link is followed only where it and
// its folder are root's or ours, the folder closed or sticky; each
// refusal says which; a loop ends.
func TestTrustedLinks(t *testing.T) {
	base := t.TempDir()
	own := filepath.Join(base, "own")
	mk := func(p string, mode os.FileMode, uid int) string {
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Lchown(p, uid, uid); err != nil {
			t.Skipf("cannot give a folder away: %v", err)
		}
		return p
	}
	ln := func(target, p string) string {
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk(own, 0o700, 0)
	theirs := mk(filepath.Join(base, "theirs"), 0o755, 12345)
	open := mk(filepath.Join(base, "open"), 0o777, 0)
	sticky := mk(filepath.Join(base, "sticky"), os.ModeSticky|0o777, 0)
	ln("b", filepath.Join(base, "a"))
	loop := ln("a", filepath.Join(base, "b"))
	for _, tc := range []struct{ dir, real, why string }{
		{ln(own, filepath.Join(sticky, "l")), own, ""},
		{ln(own, filepath.Join(theirs, "l")), "", "is in a folder of uid 12345's, who may replace it"},
		{ln(own, filepath.Join(open, "l")), "", "is in a folder others may write (mode 0777, no sticky bit)"},
		{loop, "", "lead on more than 40 times (a loop)"},
	} {
		real, why := trustedLinks(tc.dir, 0)
		if tc.why == "" && (why != "" || real != tc.real) || tc.why != "" && !strings.Contains(why, tc.why) {
			t.Errorf("trustedLinks(%s) = %q, %q; want %q, %q", tc.dir, real, why, tc.real, tc.why)
		}
	}
	hers := ln(own, filepath.Join(sticky, "hers"))
	if err := os.Lchown(hers, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	if _, why := trustedLinks(hers, 0); !strings.Contains(why, "the link "+hers+" is uid 12345's") {
		t.Errorf("her link: %q", why)
	}
}
