package main

import (
	"context"
	"fmt"
	"os"

	// Gives the heap chunk the process starts in huge pages, in its
	// init, which runs among the first (see its documentation).
	_ "github.com/gocfg/gocfg/internal/hugestart"
	"github.com/gocfg/gocfg/internal/inheritedfd"
	"github.com/gocfg/gocfg/internal/startheap"
)

func main() {
	// A gocfg process keeps most of what it allocates: no collection
	// until its heap reaches the budget (unless GOGC or GOMEMLIMIT say
	// otherwise), then as usual.
	startheap.Start(os.Getenv, startheap.Budget)
	env := processEnv()
	// No descriptor gocfg inherited reaches what it starts, a user's
	// hook above all (tester V).
	if err := inheritedfd.CloseOnExec(); err != nil {
		fmt.Fprintf(env.Stderr, "gocfg: warning: the descriptors gocfg inherited may pass to the programs it runs: %v\n", err)
	}
	os.Exit(runProcess(os.Args[1:], env))
}

// runProcess runs the command line as the gocfg process: SIGINT and
// SIGTERM (and SIGHUP) during a switch or a rollback stop it cleanly (see interrupts).
func runProcess(args []string, env *Env) int {
	ctx, in := withInterrupts(context.Background(), env.Stderr)
	env.Interrupts = in
	return run(ctx, args, env)
}
