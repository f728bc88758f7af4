package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestUploadLoginShells: the binary's upload, as each login shell
// installed here passes it on, installs it with its mode only when all
// of it arrived (reviewer R13: a cut binary stayed under its hash's
// name, and the host was broken until it was removed).
func TestUploadLoginShells(t *testing.T) {
	content := strings.Repeat("#!/bin/sh\n", 1000)
	for _, shell := range []string{"/bin/sh", "/bin/bash", "/usr/bin/zsh", "/usr/bin/fish", "/bin/tcsh"} {
		t.Run(filepath.Base(shell), func(t *testing.T) {
			if _, err := os.Stat(shell); err != nil {
				t.Skip("not installed")
			}
			dir := t.TempDir()
			tmp, bin := dir+"/gocfg-0123.tmp-run1", dir+"/gocfg-0123"
			run := func(sent string) error {
				cmd := exec.Command(shell, "-c", Shell("/bin/sh", "-c", uploadScript, "gocfg-upload", tmp, bin, strconv.Itoa(len(content))))
				cmd.Stdin = strings.NewReader(sent)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Logf("%s", out)
				}
				return err
			}
			if err := run(content[:len(content)-7]); err == nil {
				t.Error("a cut upload succeeded")
			}
			if _, err := os.Lstat(bin); err == nil {
				t.Error("a cut upload was installed")
			}
			if _, err := os.Lstat(tmp); err == nil {
				t.Error("a cut upload's temporary file was left")
			}
			if err := run(content); err != nil {
				t.Fatalf("the upload: %v", err)
			}
			if fi, err := os.Stat(bin); err != nil || fi.Mode().Perm() != 0o755 || fi.Size() != int64(len(content)) {
				t.Errorf("the binary: %v, %v: want it whole, 0755", fi, err)
			}
		})
	}
}
