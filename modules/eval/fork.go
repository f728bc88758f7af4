package eval

// defaultForkMembers is the fewest members of one object that an
// evaluator shares out among the processor's cores (see fork): the 1,000
// users or generated modules of bench/modgen, not the few dozen members
// of a group of options, whose evaluation costs less than starting a
// fork.
const defaultForkMembers = 256

// SetForking sets the fewest members of one object whose evaluation is
// shared out (0: none is), and among how many goroutines, the evaluator's
// own included (New: runtime.GOMAXPROCS; fewer than 2: none is). The
// tests share out every object of two members or more among three, so
// that what only shows with forks shows on any machine.
func (e *Evaluator) SetForking(members, workers int) {
	e.forkMembers, e.forkWorkers = members, workers
}

// A fork is another Evaluator that computes the values of some members
// of an object (an attribute set of users, a group of a thousand
// generated options) on another core while the evaluator that made it
// computes the others. The evaluator's memo tables are not safe for
// concurrent use, so a fork has its own: it starts from copies of the
// object's node and its parents, with what they hold that is no longer
// written (their definitions, their members' definitions), and shares
// only what is read and never written during an evaluation (the
// modules, the schema, the collected definitions, the root context and
// its functions, the Reader, which may be called from several
// goroutines).
//
// Values are a function of the definitions alone, so a member a fork
// computed is the value the evaluator would have computed; what a fork
// computes beyond its members (an option a member's expression reads)
// the evaluator computes again if it needs it. Diagnostics are not: an
// error's place in the list, and a cycle's chain, depend on the order
// of the work. So a fork that reports anything hands back nothing, and
// the evaluator computes those members itself, in the order it always
// does: the output and the diagnostics are the same as on one core. A
// cycle is found by a fork too: a member that reads the object, or
// anything else the evaluator is computing, makes the fork compute that
// again, and that reads the member.
type fork struct {
	f    *Evaluator
	keys []string // the members the fork computes
	done chan struct{}
}

// startForks shares out the members keys of n, which n's composite is
// about to compute, in order: it returns the forks that compute the
// last ones, and the index in keys where the first fork's part starts
// (len(keys) when it started none). The evaluator computes the members
// before that index itself, then joins the forks in order.
func (e *Evaluator) startForks(n *node, keys []string) ([]*fork, int) {
	workers := e.forkWorkers
	if e.forked || e.forking > 0 || e.forkMembers <= 0 || len(keys) < e.forkMembers || workers < 2 {
		return nil, len(keys)
	}
	share := (len(keys) + workers - 1) / workers
	var forks []*fork
	for from := share; from < len(keys); from += share {
		to := min(from+share, len(keys))
		fk := &fork{f: e.newFork(), keys: append([]string(nil), keys[from:to]...), done: make(chan struct{})}
		fn := fk.f.adopt(n)
		forks = append(forks, fk)
		e.forking++
		go fk.run(fn)
	}
	return forks, share
}

// newFork returns a fork of e: an Evaluator that shares what is only
// read, with a copy of e's root node.
func (e *Evaluator) newFork() *Evaluator {
	f := newEvaluator(e.set, e.tree, e.coll, e.root)
	f.forked = true
	f.rootNode = f.copyNode(e.rootNode, nil)
	return f
}

// adopt returns f's copy of the node m of the evaluator f forks, made
// with its parents' copies the first time.
func (f *Evaluator) adopt(m *node) *node {
	if m.parent == nil {
		return f.rootNode
	}
	p := f.adopt(m.parent)
	key := m.path[len(m.path)-1]
	b := p.branch()
	c, i, ok := b.find(key)
	if !ok {
		c = f.copyNode(m, p)
		b.addKid(i, key, c)
	}
	return c
}

// copyNode makes f's copy of m, whose parent's copy is p: what m holds
// that is written once and only read after (its definitions, its
// members' definitions, its value once done); not its members' nodes,
// which f makes as it needs them, nor the flags of e's tasks under way.
func (f *Evaluator) copyNode(m, p *node) *node {
	c := f.nodes.New()
	*c = node{
		path: m.path, pos: m.pos, parent: p,
		value: m.value, set: m.set, done: m.done,
		defs: m.defs, haveDefs: m.haveDefs,
		filtered: m.filtered, haveFiltered: m.haveFiltered,
	}
	if m.more != nil && m.more.haveChildren {
		c.more = &branch{children: m.more.children, haveChildren: true}
	}
	return c
}

// run computes the fork's members of n, f's copy of the object's node.
func (fk *fork) run(n *node) {
	defer close(fk.done)
	for _, k := range fk.keys {
		fk.f.value(fk.f.child(n, k), nil)
		if len(fk.f.diags) > 0 {
			return // handed back as nothing: see join
		}
	}
}

// joinAll joins forks in order (join).
func (e *Evaluator) joinAll(forks []*fork, n *node) {
	for _, fk := range forks {
		e.join(fk, n)
	}
}

// join waits for the fork and, if it reported nothing, makes the nodes
// of the members it computed n's (n being the object's node in e), with
// what they hold below them, and takes its record of unset options. A
// member that e made a node for meanwhile (an expression of another
// member read it) keeps e's. The members it does not take, e computes.
func (e *Evaluator) join(fk *fork, n *node) {
	<-fk.done
	e.forking--
	f := fk.f
	if len(f.diags) > 0 {
		return
	}
	fn := f.adopt(n)
	fb, b := fn.branch(), n.branch()
	for _, k := range fk.keys {
		c, _, ok := fb.find(k)
		if !ok || !c.done {
			continue
		}
		if _, i, ok := b.find(k); !ok {
			c.parent = n
			b.addKid(i, k, c)
			e.joined++
		}
	}
	for k := range f.unset {
		e.markUnset(k)
	}
}
