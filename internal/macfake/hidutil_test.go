package macfake_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform/macos"
	"howett.net/plist"
)

func TestHidutil(t *testing.T) {
	f, _ := fakeMac(t, "alice")
	hu := macos.Hidutil
	if out, code := runFake(t, f, hu, "property", "--get", "UserKeyMapping"); code != 0 || out != "(null)\n" {
		t.Errorf("get before any set: %d %q", code, out)
	}
	set := `{"UserKeyMapping":[{"HIDKeyboardModifierMappingSrc":30064771129,"HIDKeyboardModifierMappingDst":30064771113},{"HIDKeyboardModifierMappingSrc":1,"HIDKeyboardModifierMappingDst":2}]}`
	out, code := runFake(t, f, hu, "property", "--set", set)
	if code != 0 || !strings.HasPrefix(out, "UserKeyMapping:(\n") {
		t.Errorf("set: %d %q", code, out)
	}
	out, code = runFake(t, f, hu, "property", "--get", "UserKeyMapping")
	want := "(\n        {\n        HIDKeyboardModifierMappingDst = 30064771113;\n        HIDKeyboardModifierMappingSrc = 30064771129;\n    },\n        {\n        HIDKeyboardModifierMappingDst = 2;\n        HIDKeyboardModifierMappingSrc = 1;\n    }\n)\n"
	if code != 0 || out != want {
		t.Errorf("get: %d\n%s\nwant:\n%s", code, out, want)
	}
	// The output is an OpenStep property list, as hidutil prints it.
	var entries []map[string]string
	if _, err := plist.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 2 || entries[0]["HIDKeyboardModifierMappingSrc"] != "30064771129" {
		t.Errorf("the output as a plist: %v, %v", entries, err)
	}
	if m, ok, err := f.UserKeyMapping(); err != nil || !ok || !slices.Equal(m, []macfake.KeyPair{{Src: 30064771129, Dst: 30064771113}, {Src: 1, Dst: 2}}) {
		t.Errorf("UserKeyMapping: %v %v %v", m, ok, err)
	}
	if _, code := runFake(t, f, hu, "property", "--set", `{"UserKeyMapping":[]}`); code != 0 {
		t.Errorf("set empty: %d", code)
	}
	if out, _ := runFake(t, f, hu, "property", "--get", "UserKeyMapping"); out != "(\n)\n" {
		t.Errorf("get after clearing: %q", out)
	}
	for _, bad := range []string{`{"UserKeyMapping":[{"HIDKeyboardModifierMappingSrc":1}]}`, `{"UserKeyMapping":`, `{"CapsLockDelayOverride":0}`} {
		if out, code := runFake(t, f, hu, "property", "--set", bad); code == 0 {
			t.Errorf("set %s: accepted (%q)", bad, out)
		}
	}
	if err := f.SetUserKeyMapping(nil); err != nil {
		t.Fatal(err)
	}
	if out, _ := runFake(t, f, hu, "property", "--get", "UserKeyMapping"); out != "(null)\n" {
		t.Errorf("get after a restart: %q", out)
	}
}
