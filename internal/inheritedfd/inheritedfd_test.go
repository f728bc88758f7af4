package inheritedfd

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
)

// TestCloseOnExec: a descriptor the process holds without close-on-exec
// (as one inherited from a shell's `exec 7<file`) reaches a child before
// CloseOnExec and not after it, and stays open in the process.
func TestCloseOnExec(t *testing.T) {
	f := t.TempDir() + "/private"
	if err := os.WriteFile(f, []byte("root only\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.Open(f, syscall.O_RDONLY, 0) // no O_CLOEXEC
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	child := func() bool {
		t.Helper()
		err := exec.Command("/bin/sh", "-c", `[ -e /dev/fd/"$1" ]`, "sh", strconv.Itoa(fd)).Run()
		return err == nil
	}
	if !child() {
		t.Fatalf("before CloseOnExec, the child did not get descriptor %d: the test shows nothing", fd)
	}
	if err := CloseOnExec(); err != nil {
		t.Fatal(err)
	}
	if child() {
		t.Errorf("after CloseOnExec, the child still got descriptor %d", fd)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		t.Errorf("descriptor %d closed in the process: %v", fd, err)
	}
}

// TestCloseOnExecOneByOne: the /dev/fd way, used where close_range(2) is
// missing, marks them too.
func TestCloseOnExecOneByOne(t *testing.T) {
	fd, err := syscall.Open("/dev/null", syscall.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	saved := closeRangeFunc
	closeRangeFunc = func() error { return syscall.ENOSYS }
	defer func() { closeRangeFunc = saved }()
	if err := CloseOnExec(); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("/bin/sh", "-c", `[ -e /dev/fd/"$1" ]`, "sh", strconv.Itoa(fd)).Run(); err == nil {
		t.Errorf("the child still got descriptor %d", fd)
	}
}
