package eval

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/internal/slab"
	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/funcs"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// An Evaluator computes option values from collected definitions. It is
// not safe for concurrent use; it uses the other cores itself, for the
// members of a large object (fork.go).
type Evaluator struct {
	set  *loader.Set
	tree *schema.Tree
	coll *defs.Collection

	root   *hcl.EvalContext
	modCtx map[*loader.Module]*hcl.EvalContext

	rootNode *node
	locals   map[*loader.Module]map[string]*slot
	// defVal holds the values of the definitions evaluated, without a
	// slot's done flag: a value is stored once done (a map slot of 40
	// bytes, not 48).
	defVal map[*defs.Def]cty.Value
	// condVal holds the when conditions evaluated (condHolds), by
	// expression: 1 true, -1 false or unusable.
	condVal map[hcl.Expression]int8
	// unset holds the paths of declared options that have no value, by
	// optpath.Path.Key; while unsetLate is not nil (AllBeside), what is
	// found unset goes there instead, and unset is only read.
	unset, unsetLate map[string]bool
	// paths holds the nodes' paths; nodes and defaultDefs hand out the
	// nodes and the options' default definitions, one allocation for
	// many (all of them are kept).
	paths       optpath.Arena
	nodes       slab.Slab[node]
	defaultDefs slab.Slab[defs.Def]
	// defaultExtras holds, by depth, what the options' defaults hold
	// besides their expression (defaultExtra).
	defaultExtras []*defs.DefExtra

	// active is the stack of computations under way, for cycles. A
	// node's are flagged on it too (node.active); a local's are looked
	// for on the stack, which holds few.
	active []task
	cycles map[string]bool

	// attrMaps holds the free maps of composite's objects, by
	// attrClass; keys is its stack of sorted keys (one array for all
	// the objects being built, the innermost's last).
	attrMaps [][]map[string]cty.Value
	keys     []string
	// shapes holds the type of the last object built for each group,
	// which the next object of that group's shape shares
	// (objects.ValLike).
	shapes map[*schema.Node]cty.Type
	// vals is the stack of values the merges gather (pushVals).
	vals []cty.Value
	// keySet is distinctKeys's set, empty between its calls.
	keySet map[string]struct{}

	diags hcl.Diagnostics
	// checked is set once the assert and warn blocks have run.
	checked bool

	// forkMembers is the fewest members of an object that composite
	// shares out among forkWorkers goroutines (fork.go; 0: never);
	// forked is set in a fork, which makes none of its own, and forking
	// counts the forks under way, while which the evaluator starts no
	// more; joined counts the members taken from forks.
	forkMembers, forkWorkers int
	forked                   bool
	forking, joined          int
}

// node is what is known about one configuration path. Its 160 bytes
// make a slab's array of 256 nodes five pages exactly (at 176, it took
// six): the flags are together, and what only a node with members has
// is in a branch of its own.
type node struct {
	path   optpath.Path
	pos    schema.Position
	parent *node
	more   *branch // nil until the node has members

	value cty.Value

	defs     []*defs.Def
	filtered []*defs.Def

	set  bool
	done bool
	// active flags the node's tasks under way (taskBit).
	active                 uint8
	haveDefs, haveFiltered bool
}

// A branch is what is known about a node's members: their nodes, and
// the definitions that reach them (childDefs).
type branch struct {
	// kids are the members' nodes, sorted by key: half the size of a
	// map of them (a quarter or less for a few: a map's smallest table
	// has room for eight). composite makes them in key order, so they
	// are appended; only a path read before its parent's value is
	// inserted.
	kids []kid
	// byKey holds the members instead of kids once one is inserted
	// among more than maxSortedKids of them: inserting into the middle
	// of a long slice, key after key, would take quadratic time.
	byKey        map[string]*node
	children     children
	haveChildren bool
}

// maxSortedKids is the most members among which a new one is inserted
// into kids (see byKey).
const maxSortedKids = 128

// find returns the member of key, or where in kids it goes.
func (b *branch) find(key string) (*node, int, bool) {
	if b.byKey != nil {
		c, ok := b.byKey[key]
		return c, 0, ok
	}
	i, ok := b.findKid(key)
	if ok {
		return b.kids[i].n, i, true
	}
	return nil, i, false
}

// addKid adds the member c of key, which find said goes at i.
func (b *branch) addKid(i int, key string, c *node) {
	if b.byKey == nil {
		if i == len(b.kids) || len(b.kids) < maxSortedKids {
			b.kids = slices.Insert(b.kids, i, kid{key: key, n: c})
			return
		}
		b.byKey = make(map[string]*node, 2*len(b.kids))
		for _, k := range b.kids {
			b.byKey[k.key] = k.n
		}
		b.kids = nil
	}
	b.byKey[key] = c
}

// A kid is a member's node, in branch.kids.
type kid struct {
	key string
	n   *node
}

// findKid returns the index of key in b.kids, or where it goes, and
// whether it is there.
func (b *branch) findKid(key string) (int, bool) {
	if n := len(b.kids); n > 0 && b.kids[n-1].key < key {
		return n, false // the common case: composite appending
	}
	return slices.BinarySearchFunc(b.kids, key, func(k kid, key string) int { return strings.Compare(k.key, key) })
}

// expectKids makes room for n members, before their nodes are made.
func (b *branch) expectKids(n int) {
	if b.kids == nil && b.byKey == nil {
		b.kids = make([]kid, 0, n)
	}
}

// branch returns n's branch, making it if n has none yet.
func (n *node) branch() *branch {
	if n.more == nil {
		n.more = &branch{}
	}
	return n.more
}

// slot is a memoised expression value.
type slot struct {
	value cty.Value
	done  bool
}

// New prepares an evaluator. host is the `host` object; getenv backs env().
func New(set *loader.Set, tree *schema.Tree, coll *defs.Collection, host cty.Value, getenv func(string) string) *Evaluator {
	root := &hcl.EvalContext{
		Variables: map[string]cty.Value{"host": host},
		Functions: funcs.Base(getenv),
	}
	e := newEvaluator(set, tree, coll, root)
	e.rootNode = &node{path: optpath.Path{}, pos: tree.Root()}
	e.forkMembers, e.forkWorkers = defaultForkMembers, runtime.GOMAXPROCS(0)
	return e
}

// newEvaluator returns an Evaluator of the definitions coll with its
// memo tables made, and no root node yet (New; a fork's is a copy).
func newEvaluator(set *loader.Set, tree *schema.Tree, coll *defs.Collection, root *hcl.EvalContext) *Evaluator {
	return &Evaluator{
		set: set, tree: tree, coll: coll, root: root,
		modCtx:  map[*loader.Module]*hcl.EvalContext{},
		locals:  map[*loader.Module]map[string]*slot{},
		defVal:  map[*defs.Def]cty.Value{},
		condVal: map[hcl.Expression]int8{},
		unset:   map[string]bool{},
		cycles:  map[string]bool{},
	}
}

// Diagnostics returns every problem found so far.
func (e *Evaluator) Diagnostics() hcl.Diagnostics { return e.diags }

// Unset reports whether the declared option at path has no value. The
// output asks about every member it writes, so the key is built in a
// buffer on the stack (a map lookup by string(bytes) does not allocate).
// Once the values it asks about are evaluated, it is safe for concurrent
// use (render.AppendJSONConcurrent), also while AllBeside runs the
// assert and warn blocks.
func (e *Evaluator) Unset(p []string) bool {
	var buf [256]byte
	k := buf[:0]
	for i, s := range p {
		if i > 0 {
			k = append(k, 0)
		}
		k = append(k, s...)
	}
	return e.unset[string(k)]
}

// markUnset records that the declared option of key (optpath.Path.Key)
// has no value.
func (e *Evaluator) markUnset(key string) {
	if e.unsetLate != nil {
		e.unsetLate[key] = true
		return
	}
	e.unset[key] = true
}

// node returns the node of a path, walking down from the root.
func (e *Evaluator) node(p optpath.Path) *node {
	n := e.rootNode
	for _, k := range p {
		n = e.child(n, k)
	}
	return n
}

// child returns the node of key below n.
func (e *Evaluator) child(n *node, key string) *node {
	b := n.branch()
	c, i, ok := b.find(key)
	if ok {
		return c
	}
	c = e.nodes.New()
	c.path, c.parent, c.pos = e.paths.Append(n.path, key), n, e.tree.Child(n.pos, key)
	b.addKid(i, key, c)
	return c
}

// Position says what the schema declares at path.
func (e *Evaluator) Position(p optpath.Path) schema.Position { return e.node(p).pos }

func (e *Evaluator) errorf(rng *hcl.Range, summary, detail string, args ...any) {
	e.diags = append(e.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detail, args...),
		Subject:  rng,
	})
}

// A task is one computation under way: a node's value, children or
// filtered definitions, or a module's local value.
type task struct {
	kind  byte // 'v', 'c', 'f' for nodes, 'l' for locals
	n     *node
	m     *loader.Module
	local string
}

// label names a task in cycle chains.
func (t task) label() string {
	if t.kind == 'l' {
		return "local." + t.local
	}
	return label(t.n.path)
}

// enter marks a computation as under way; it returns false, after
// reporting the cycle, when it already is.
func (e *Evaluator) enter(t task, rng *hcl.Range) bool {
	if e.isActive(t) {
		i := e.activeIndex(t)
		var chain []string
		for _, a := range e.active[i:] {
			if l := a.label(); len(chain) == 0 || chain[len(chain)-1] != l {
				chain = append(chain, l)
			}
		}
		if l := t.label(); chain[len(chain)-1] != l || len(chain) == 1 {
			chain = append(chain, l)
		}
		text := strings.Join(chain, " -> ")
		if !e.cycles[text] {
			e.cycles[text] = true
			e.errorf(rng, "Cycle in configuration", "These values depend on each other: %s.\nhint: break the cycle by giving one of them a value that does not read the others.", text)
		}
		return false
	}
	if t.n != nil {
		t.n.active |= t.bit()
	}
	e.active = append(e.active, t)
	return true
}

func (e *Evaluator) leave(t task) {
	if t.n != nil {
		t.n.active &^= t.bit()
	}
	e.active = e.active[:len(e.active)-1]
}

// bit is the flag of a node's task in node.active.
func (t task) bit() uint8 {
	switch t.kind {
	case 'v':
		return 1
	case 'c':
		return 2
	}
	return 4 // 'f'
}

// isActive reports whether t is under way.
func (e *Evaluator) isActive(t task) bool {
	if t.n != nil {
		return t.n.active&t.bit() != 0
	}
	return e.activeIndex(t) >= 0
}

// activeIndex is t's place on the stack of tasks under way, -1 when it
// is not on it.
func (e *Evaluator) activeIndex(t task) int {
	for i := len(e.active) - 1; i >= 0; i-- {
		if e.active[i] == t {
			return i
		}
	}
	return -1
}

// label names a path in cycle chains.
func label(p optpath.Path) string {
	if len(p) == 0 {
		return "config"
	}
	return p.String()
}
