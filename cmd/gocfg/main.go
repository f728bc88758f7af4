package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(runProcess(os.Args[1:], processEnv()))
}

// runProcess runs the command line as the gocfg process: SIGINT and
// SIGTERM during a switch or a rollback stop it cleanly (see interrupts).
func runProcess(args []string, env *Env) int {
	ctx, in := withInterrupts(context.Background(), env.Stderr)
	env.Interrupts = in
	return run(ctx, args, env)
}
