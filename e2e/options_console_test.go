package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestOptionsConsole: in one booted Debian container with console-setup
// installed (as a Debian install has it: keyboard-configuration writes
// /etc/default/keyboard with the layout us, and setupcon compiles it into
// the keymap the console loads at boot), console.keymap = "de" replaces
// /etc/default/keyboard and its hook runs setupcon, which compiles the
// German keymap (Z on the key right of T, keycode 21); a second switch
// changes nothing; the option removed puts the package's file back and
// the hook compiles the us keymap again (Y there). The container has no
// virtual console (/dev/tty1), so the hook's loading of the keymap on the
// consoles (setupcon -k --force) does not run: only the saved keymap is
// checked.
func TestOptionsConsole(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-console")
	m.UseLocalDebs(t)
	m.MustExec(t, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "console-setup")
	if m.exists(t, "/dev/tty1") {
		t.Log("the container has /dev/tty1: the hook loads the keymap on the consoles too")
	}
	before := m.read(t, "/etc/default/keyboard")
	wantContains(t, "the package's /etc/default/keyboard", before, "\nXKBLAYOUT=\"us\"\n")
	// key21 is what the keymap that setupcon saved puts on keycode 21
	// (the key right of T: y on a us keyboard, z on a German one).
	// ckbcomp writes a letter as its code point ("keycode 21 = +U+0079").
	key21re := regexp.MustCompile(`(?m)^keycode +21 = +\+?(?:U\+([0-9a-fA-F]{4})|(\S+))`)
	key21 := func(t *testing.T) string {
		t.Helper()
		kmap := m.out(t, "sh", "-c", "zcat /etc/console-setup/cached_*.kmap.gz")
		match := key21re.FindStringSubmatch(kmap)
		if match == nil {
			t.Fatalf("no keycode 21 in the saved keymap:\n%.2000s", kmap)
		}
		if match[1] == "" {
			return match[2]
		}
		r, err := strconv.ParseUint(match[1], 16, 32)
		if err != nil {
			t.Fatal(err)
		}
		return string(rune(r))
	}
	wantEqual(t, "keycode 21 of the saved keymap before gocfg", key21(t), "y")

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, "console {\n  keymap = \"de\"\n}\n")
		wantContains(t, "the switch", out, "file:/etc/default/keyboard")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantContains(t, "/etc/default/keyboard", m.read(t, "/etc/default/keyboard"), "# Written by gocfg (console.keymap)", "\nXKBLAYOUT=\"de\"\nXKBVARIANT=\"\"\n")
		wantEqual(t, "keycode 21 of the saved keymap", key21(t), "z")
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("option removed: the package's file and keymap back", func(t *testing.T) {
		out := m.switchTo(t, "")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantEqual(t, "/etc/default/keyboard", m.read(t, "/etc/default/keyboard"), before)
		wantEqual(t, "keycode 21 of the saved keymap", key21(t), "y")
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})
}
