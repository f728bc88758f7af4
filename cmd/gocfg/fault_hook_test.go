package main

// The test binary (testscript runs gocfg in it) honours
// GOCFG_TEST_KILL_AT and GOCFG_TEST_HOLD_AT.
func init() {
	faultHookFromEnv = envFaultHook
	testBoundsFromEnv = envTestBounds
}
