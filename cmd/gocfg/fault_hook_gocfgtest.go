//go:build gocfgtest

package main

// A build with -tags gocfgtest (the machine tests' gocfg, built by
// internal/nspawntest) honours GOCFG_TEST_KILL_AT and GOCFG_TEST_HOLD_AT.
func init() { faultHookFromEnv = envFaultHook }
