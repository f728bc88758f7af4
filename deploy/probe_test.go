package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestProbeLoginShells: the probe gives the host's facts whatever the
// login user's shell (reviewer R12: under tcsh, "2>/dev/null" made cat
// read a file named 2, and host.distro was empty). Each shell installed
// here runs it.
func TestProbeLoginShells(t *testing.T) {
	if _, err := os.Stat("/etc/os-release"); err != nil {
		t.Skip("no /etc/os-release here")
	}
	for _, shell := range []string{"/bin/sh", "/bin/bash", "/usr/bin/zsh", "/usr/bin/fish", "/bin/tcsh"} {
		t.Run(filepath.Base(shell), func(t *testing.T) {
			if _, err := os.Stat(shell); err != nil {
				t.Skip("not installed")
			}
			// Preceded by what an rc file printed without a newline
			// (reviewer R14).
			cmd := exec.Command(shell, "-c", "printf 'from an rc file'; "+probeCommand)
			cmd.Stdin = strings.NewReader(probeScript(Host{}))
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			_, rest, ok := cutLast(string(out), probeMarker+"\n")
			if !ok {
				t.Fatalf("no %s line in %q", probeMarker, out)
			}
			f, err := ParseProbe(rest)
			if err != nil || f.OS == "" || f.Distro == "" {
				t.Errorf("facts %+v, %v from %q: want the OS and the distribution", f, err, out)
			}
		})
	}
}

// TestJSONAfterNoise: an answer gocfg reads as JSON is found past what
// the login shell's rc files printed before it (the command starts with
// an empty line, afterLine, so that it is on a line of its own).
func TestJSONAfterNoise(t *testing.T) {
	for in, want := range map[string]string{
		`["a"]`:                           `["a"]`,
		"hello from zshenv\n[\"a\"]\n":    "[\"a\"]\n",
		"x[y]\n{\"n\": 1}":                `{"n": 1}`,
		"no json here":                    "no json here",
		"\n[\n  {\"number\": 1}\n]\n":     "[\n  {\"number\": 1}\n]\n",
		"motd [not json]\n\n[1, 2]\n":     "[1, 2]\n",
		"hello from zshenv\n{\"a\": [1]}": `{"a": [1]}`,
	} {
		if got := string(jsonAfterNoise([]byte(in))); got != want {
			t.Errorf("jsonAfterNoise(%q) = %q, want %q", in, got, want)
		}
	}
}
