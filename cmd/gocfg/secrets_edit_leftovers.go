package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/gocfg/gocfg/internal/diagnostics"
)

// sharedMemory is Linux's RAM file system for everyone (sticky, like
// /tmp); on macOS it does not exist and is passed over.
const sharedMemory = "/dev/shm"

// editDirPrefix starts the name of the private folder of a secrets edit,
// followed by the process ID of the gocfg that made it and a random part.
const editDirPrefix = "gocfg-secret-"

// removeEditLeftovers removes, in root, the private folders of earlier
// secrets edits by this account whose gocfg is gone: a gocfg killed
// (SIGKILL, a power cut) cannot remove its plaintext, and nothing else
// would (tester Q found one in /tmp, on disk). A folder whose process
// still runs is another edit's, and is left; so is anything not a
// folder of this account's. It says what it removed.
func removeEditLeftovers(env *Env, root string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), editDirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || processRuns(pid) {
			continue
		}
		p := filepath.Join(root, e.Name())
		fi, err := os.Lstat(p)
		if err != nil || !fi.IsDir() {
			continue
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != env.EUID {
			continue
		}
		if err := os.RemoveAll(p); err == nil {
			fmt.Fprintf(env.Stderr, "gocfg: removed %s: the decrypted copy of a secrets edit that was killed\n", diagnostics.Escaped(p))
		}
	}
}

// processRuns says whether process pid exists (one of another account
// too: kill then fails with EPERM).
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
