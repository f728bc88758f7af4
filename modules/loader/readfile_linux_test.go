package loader

import (
	"bytes"
	"os"
	"testing"
)

// TestReadFileBeyondStat reads a file with more content than its stat
// says, as a file that grew between the stat and the read: procfs
// reports size 0 for /proc/self/status. All of it is read.
func TestReadFileBeyondStat(t *testing.T) {
	const name = "/proc/self/status"
	st, err := os.Stat(name)
	if err != nil || st.Size() != 0 || !st.Mode().IsRegular() {
		t.Skipf("%s: not a regular file of size 0 here (%v)", name, err)
	}
	b, err := ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("Name:")) || !bytes.Contains(b, []byte("\nPid:")) || b[len(b)-1] != '\n' {
		t.Errorf("ReadFile(%s) = %q, want the whole status", name, b)
	}
}

// TestReadFileShortOfStat reads a file with less content than its stat
// says: sysfs reports 4,096 bytes for a line of text. The read goes on
// to the end of what there is, not the stat's size.
func TestReadFileShortOfStat(t *testing.T) {
	const name = "/sys/kernel/mm/transparent_hugepage/enabled"
	st, err := os.Stat(name)
	if err != nil || !st.Mode().IsRegular() {
		t.Skipf("%s: not here (%v)", name, err)
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Skipf("%s: %v", name, err)
	}
	if int64(len(want)) >= st.Size() {
		t.Skipf("%s: %d bytes of %d by its stat: not short here", name, len(want), st.Size())
	}
	b, err := ReadFile(name)
	if err != nil || !bytes.Equal(b, want) {
		t.Errorf("ReadFile(%s) = %q, %v; want %q", name, b, err, want)
	}
}
