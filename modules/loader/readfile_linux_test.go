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
