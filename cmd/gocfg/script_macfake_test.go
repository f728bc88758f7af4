package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform/macos/prefs"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/rogpeppe/go-internal/testscript"
	"howett.net/plist"
)

// scriptEnv is the environment of gocfg as the scripts run it. With
// GOCFG_TEST_MACFAKE=DIR set, gocfg runs on a fake Mac: it believes it
// runs on darwin, and every path and every macOS command goes to
// internal/macfake over DIR (the Mac's /), without --root, so the live
// code paths (defaults, launchctl, scutil, ...) are the ones tested.
//
// GOCFG_TEST_ARCH sets host.arch, so that golden outputs that show an
// architecture's default (such as Homebrew's prefix) are the same on
// every machine that runs the tests.
func scriptEnv() *Env {
	env := processEnv()
	if a := os.Getenv("GOCFG_TEST_ARCH"); a != "" {
		env.Arch = a
	}
	dir := os.Getenv("GOCFG_TEST_MACFAKE")
	if dir == "" {
		return env
	}
	env.OS = "darwin"
	self := env.User
	if env.EUID == 0 {
		self = "root"
	}
	env.WrapSystem = func(real system.System) system.System {
		return macfake.New(system.NewRooted(dir, real), self)
	}
	return env
}

// macfakeCmds are the scripts' commands for a fake Mac ($GOCFG_TEST_MACFAKE):
//
//	macuser NAME UID       add an account (home /Users/NAME, with
//	                       Library/Preferences) to the fake Mac's directory
//	plistdump FILE         print a plist file (XML or binary) on stdout: its
//	                       format ("format Binary"), then the plist as XML
//	                       with sorted keys
func macfakeCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"macuser":   cmdMacuser,
		"plistdump": cmdPlistdump,
	}
}

func cmdMacuser(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 2, 2, "macuser NAME UID")
	dir := ts.Getenv("GOCFG_TEST_MACFAKE")
	if dir == "" {
		ts.Fatalf("macuser: set GOCFG_TEST_MACFAKE first")
	}
	uid, err := strconv.Atoi(args[1])
	ts.Check(err)
	f := macfake.New(system.NewRooted(dir, system.NewReal()), "root")
	ts.Check(f.AddUser(macfake.UserRecord{Name: args[0], UID: uid, GID: 20, RealName: args[0]}))
}

func cmdPlistdump(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 1, 1, "plistdump FILE")
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var v any
	format, err := plist.Unmarshal(data, &v)
	ts.Check(err)
	out, err := plist.MarshalIndent(prefs.Normalize(v), plist.XMLFormat, "  ")
	ts.Check(err)
	_, err = fmt.Fprintf(ts.Stdout(), "format %s\n%s\n", plist.FormatNames[format], out)
	ts.Check(err)
}
