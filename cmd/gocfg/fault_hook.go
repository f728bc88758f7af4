package main

import (
	"os"
	"strconv"
	"time"

	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd"
)

// faultHookFromEnv builds the engine's test hook (platform.Engine.Fault)
// from the environment, or is nil: the default, so that a release or
// `go install` build of gocfg reads no GOCFG_TEST_* variable and holds
// no code for them. Only test builds set it to envFaultHook: the test
// binary of this package (fault_hook_test.go) and builds with `-tags
// gocfgtest` (fault_hook_gocfgtest.go; internal/nspawntest builds the
// machine tests' gocfg so).
//
// Why not in every build: the hold hook writes a file at a path the
// environment names, with os.WriteFile as whoever runs gocfg, outside
// the System seam and its confinement (DESIGN.md §7), and the kill
// hook stops a switch midway. An environment that reaches root's gocfg
// (`sudo -E`, a sudoers env_keep) must not get either.
var faultHookFromEnv func(env *Env) func(string)

// testBoundsFromEnv, in test builds only (as faultHookFromEnv), shortens
// bounds on waits from the environment, so that the machine tests see a
// bound in seconds: GOCFG_TEST_JOB_TIMEOUT=<duration> bounds a job of a
// user's manager, or of a unit run as an ordinary account (5 minutes);
// GOCFG_TEST_PEER_TIMEOUT=<duration> a call to another user's manager
// (20 s; its connection 5/4 of it and the plan's wait 3/2);
// GOCFG_TEST_DEPLOY_RECONNECT=<duration> how long a deploy tries to
// reconnect to a host it lost, past its confirm_timeout (a minute);
// GOCFG_TEST_BOOT_ID=<id> is the boot the engine takes this one for
// (platform.Engine.Boot): a container shares its host's kernel, and so
// its boot_id, which a bind mount cannot cover, so a restart since a
// killed switch is told this way.
var testBoundsFromEnv func(env *Env) testBounds

// testBounds are the bounds a test build takes from the environment that
// are not a package's own (zero: the default).
type testBounds struct {
	// DeployReconnect is deploy.Deployer's Reconnect.
	DeployReconnect time.Duration
	// BootID, when set, is platform.Engine.Boot's answer.
	BootID string
}

// setTestBounds applies the environment's test bounds in a test build,
// and returns the ones its caller applies (none in a release build).
func setTestBounds(env *Env) testBounds {
	if testBoundsFromEnv != nil {
		return testBoundsFromEnv(env)
	}
	return testBounds{}
}

// envTestBounds is testBoundsFromEnv in a test build.
func envTestBounds(env *Env) testBounds {
	duration := func(name string) time.Duration {
		d, err := time.ParseDuration(env.Getenv(name))
		if err != nil || d <= 0 {
			return 0
		}
		return d
	}
	if d := duration("GOCFG_TEST_JOB_TIMEOUT"); d > 0 {
		systemd.SetJobTimeout(d)
	}
	if d := duration("GOCFG_TEST_PEER_TIMEOUT"); d > 0 {
		system.SetPeerTimeout(d)
		systemd.SetManagerTimeout(d * 3 / 2)
	}
	return testBounds{DeployReconnect: duration("GOCFG_TEST_DEPLOY_RECONNECT"), BootID: env.Getenv("GOCFG_TEST_BOOT_ID")}
}

// faultHook is the engine's test hook for this process: nil (no hook)
// unless this is a test build and the environment asks for one.
func faultHook(env *Env) func(string) {
	if faultHookFromEnv == nil {
		return nil
	}
	return faultHookFromEnv(env)
}

// envFaultHook returns the test-only hook at the engine's step boundaries
// (see platform.Engine.Fault), set from the environment:
//   - GOCFG_TEST_KILL_AT=<point>: SIGKILL this process there (recovery tests);
//   - GOCFG_TEST_HOLD_AT=<point> and GOCFG_TEST_HOLD_FILE=<path>: create
//     <path>.held there (holding the pid, renamed into place so that it
//     is never seen empty), then wait (at most a minute) until <path>
//     exists (tests of concurrent switches).
//
// Production code paths run unchanged; only the pause or the kill is added.
func envFaultHook(env *Env) func(string) {
	kill := env.Getenv("GOCFG_TEST_KILL_AT")
	hold, holdFile := env.Getenv("GOCFG_TEST_HOLD_AT"), env.Getenv("GOCFG_TEST_HOLD_FILE")
	if (kill == "" || env.Kill == nil) && (hold == "" || holdFile == "") {
		return nil
	}
	return func(point string) {
		if point == kill && env.Kill != nil {
			env.Kill()
		}
		if point == hold && holdFile != "" {
			// Renamed into place: a test that sees <path>.held reads
			// the pid from it, and must not find it empty.
			if os.WriteFile(holdFile+".held.new", []byte(strconv.Itoa(env.PID)), 0o644) == nil {
				_ = os.Rename(holdFile+".held.new", holdFile+".held")
			}
			for i := 0; i < 600; i++ {
				if _, err := os.Stat(holdFile); err == nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
}
