package modules

// ForkEverywhere returns o with every object of two members or more
// evaluated by three goroutines (eval.Evaluator.SetForking), whatever
// the machine's cores: the tests compare it with NoForks.
func ForkEverywhere(o Options) Options {
	o.forkMembers, o.forkWorkers = 2, 3
	return o
}

// NoForks returns o evaluated on one goroutine.
func NoForks(o Options) Options {
	o.forkMembers, o.forkWorkers = -1, 1
	return o
}
