package pathtrust

import "testing"

// TestModeless: the file systems whose modes chmod cannot change are
// named (a live FAT or 9p mount is not possible here: no vfat in this
// kernel, no 9p server); the test's own folder, a Linux one, is not.
func TestModeless(t *testing.T) {
	for magic, want := range map[int64]string{0x01021997: "9p (WSL's drvfs, a virtual machine's shared folder)", 0x4d44: "FAT", 0xef53: ""} {
		got, ok := modelessType(magic)
		if got != want || ok != (want != "") {
			t.Errorf("modelessType(%#x) = %q, %v; want %q", magic, got, ok, want)
		}
	}
	if name, ok := Modeless(t.TempDir()); ok {
		t.Errorf("Modeless(a temporary folder) = %q", name)
	}
}
