package deploy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// TestDeployerSendsWhatItHashed (tester AW): a binary is read once, and
// every host is sent the bytes that were hashed for its name, even when
// the file changes in between: before, it was hashed, then opened again
// to be sent, so that another program was stored on the hosts under the
// name of gocfg's.
func TestDeployerSendsWhatItHashed(t *testing.T) {
	noChanges := func() []func(int) (string, error) {
		return []func(int) (string, error){func(int) (string, error) {
			return status(Status{State: StateNoChanges, From: 2, To: 2}), nil
		}}
	}
	fh := &fakeHost{t: t, files: map[string][]byte{}, follows: noChanges()}
	d := newDeployer(t, fh)
	local, _ := d.Binary("linux", "amd64")
	good, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(good)
	name := fakeHome + "/.cache/gocfg/deploy/gocfg-" + hex.EncodeToString(sum[:])[:16]
	h := Host{Name: "web1", Target: "web1", Become: "sudo"}
	if r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(io.Discard))[0]; !r.OK {
		t.Fatalf("first host: %+v", r)
	}
	if err := os.WriteFile(local, []byte("#!/bin/sh\necho not gocfg\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	fh2 := &fakeHost{t: t, files: map[string][]byte{}, follows: noChanges()}
	d.T = fh2
	if r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(io.Discard))[0]; !r.OK {
		t.Fatalf("second host: %+v", r)
	}
	for i, f := range []*fakeHost{fh, fh2} {
		if got, ok := f.files[name]; !ok || !bytes.Equal(got, good) {
			t.Errorf("host %d was sent %q as %q; want the bytes hashed, %q, under %s", i+1, got, slices.Collect(maps.Keys(f.files)), good, name)
		}
	}
}
