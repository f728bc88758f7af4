//go:build gocfgtest

package main

// A build with -tags gocfgtest (the machine tests' gocfg, built by
// internal/nspawntest) honours GOCFG_TEST_KILL_AT, GOCFG_TEST_HOLD_AT,
// GOCFG_TEST_JOB_TIMEOUT, GOCFG_TEST_PEER_TIMEOUT and
// GOCFG_TEST_DEPLOY_RECONNECT.
func init() {
	faultHookFromEnv = envFaultHook
	testBoundsFromEnv = envTestBounds
}
