package defs

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/internal/slab"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/text/unicode/norm"
)

// reserved are the top-level names that are not configuration.
var reserved = map[string]bool{"imports": true, "option": true, "locals": true, "assert": true, "warn": true}

// Wrappers are the priority and order functions valid only as the whole
// value of a definition.
var Wrappers = map[string]bool{
	"default": true, "force": true, "override": true, "when": true,
	"before": true, "after": true, "merge_all": true,
}

type collector struct {
	set   *loader.Set
	tree  *schema.Tree
	out   *Collection
	diags hcl.Diagnostics
	seq   int
	paths optpath.Arena
	// defs and keys hand out the definitions and their keys, one
	// allocation for many (all of them are kept).
	defs slab.Slab[Def]
	keys slab.Slab[Key]
	// extras hands out the DefExtras of markers and of definitions
	// whose path was spelled in another Unicode normalization.
	extras slab.Slab[DefExtra]
	// lastExtra is the levels and conditions shared by the definitions
	// last emitted with some (sharedExtra).
	lastExtra *DefExtra
	// itemStack holds the items of the bodies being walked.
	itemStack []syntax.Item
}

// wrapping is what the wrappers around a definition said. A priority or
// order is pending until the definition reaches an option (or a value
// inside one): there it is pinned, at that depth. Through groups it
// travels down, as NixOS pushes mkOverride down to the options.
type wrapping struct {
	prio     int
	prioFrom string
	order    int
	pinned   []Level
	conds    []Cond
}

// pin fixes a pending priority or order at depth.
func (w wrapping) pin(depth int) wrapping {
	if w.prioFrom == "" && w.order == 0 {
		return w
	}
	l := Level{Depth: depth, Priority: PriorityPlain, Order: OrderPlain}
	if w.prioFrom != "" {
		l.Priority = w.prio
	}
	if w.order != 0 {
		l.Order = w.order
	}
	w.pinned = append(append([]Level(nil), w.pinned...), l)
	w.prio, w.prioFrom, w.order = 0, "", 0
	return w
}

// Collect gathers the definitions, locals and checks of every module.
// A large configuration is collected in parts, runs of modules in
// module order, one goroutine each: a module's definitions depend only
// on the module and the (read-only) tree, and joining the parts in
// order, each one's definitions numbered on from the last's, gives
// what collecting them one after the other does, diagnostics included.
func Collect(set *loader.Set, tree *schema.Tree) (*Collection, hcl.Diagnostics) {
	parts := loader.SplitBySize(set.Modules, runtime.GOMAXPROCS(0), collectPart)
	cs := make([]*collector, len(parts))
	loader.EachPart(parts, func(i int, mods []*loader.Module) {
		c := &collector{set: set, tree: tree, out: &Collection{Locals: map[*loader.Module]map[string]hcl.Expression{}}}
		for _, m := range mods {
			c.module(m)
		}
		cs[i] = c
	})
	if len(cs) == 1 {
		return cs[0].out, cs[0].diags
	}
	out, diags := cs[0].out, cs[0].diags
	for _, c := range cs[1:] {
		seq := len(out.Defs)
		for _, d := range c.out.Defs {
			d.Seq += seq
		}
		out.Defs = append(out.Defs, c.out.Defs...)
		maps.Copy(out.Locals, c.out.Locals)
		out.Checks = append(out.Checks, c.out.Checks...)
		diags = append(diags, c.diags...)
	}
	return out, diags
}

// collectPart is the least source, in bytes, worth a part of Collect
// of its own (a goroutine and a join).
const collectPart = 256 << 10

// inSourceOrder sorts the diagnostics reported since the first from by
// where they stand in their module: a walk that reports an object's
// duplicate keys before those of the objects inside it does not report
// in source order.
func (c *collector) inSourceOrder(from int) {
	if len(c.diags)-from > 1 {
		diagnostics.SortBySource(c.diags[from:])
	}
}

func (c *collector) errorf(rng hcl.Range, summary, detail string, args ...any) {
	c.diags = append(c.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detail, args...),
		Subject:  rng.Ptr(),
	})
}

// items returns b's items in source order, on the collector's stack of
// them; release(n) takes them off once walked (n is the stack's height
// before).
func (c *collector) items(b *syntax.Body) ([]syntax.Item, int) {
	n := len(c.itemStack)
	c.itemStack = b.AppendItems(c.itemStack)
	return c.itemStack[n:len(c.itemStack):len(c.itemStack)], n
}

func (c *collector) release(n int) { c.itemStack = c.itemStack[:n] }

func (c *collector) module(m *loader.Module) {
	if !m.NoObjects {
		c.checkDuplicateKeys(m)
	}
	root := c.tree.Root()
	items, height := c.items(m.Body)
	defer c.release(height)
	for _, it := range items {
		if a := it.Attr; a != nil {
			switch {
			case a.Name == "imports":
			case reserved[a.Name]:
				c.errorf(a.NameRange(m.Path), "Reserved name used as an attribute", "%s is written as a block: %s { ... }.", a.Name, a.Name)
			default:
				c.route(m, root, optpath.Path{}, nil, a.Name, a.NameRange(m.Path), a.Expr, wrapping{})
			}
			continue
		}
		b := it.Block
		switch b.Type {
		case "option":
		case "locals":
			c.locals(m, b)
		case "assert", "warn":
			c.check(m, b)
		case "imports":
			c.errorf(b.TypeRange(m.Path), "imports is an attribute", `Write imports = ["./other.hcl"].`)
		default:
			c.block(m, root, optpath.Path{}, nil, b, wrapping{})
		}
	}
}

func (c *collector) locals(m *loader.Module, b *syntax.Block) {
	if len(b.Labels) > 0 || len(b.Body.Blocks) > 0 {
		c.errorf(b.TypeRange(m.Path), "Invalid locals block", "A locals block has no labels and holds only attributes: locals { name = value }.")
		return
	}
	ls := c.out.Locals[m]
	if ls == nil {
		ls = map[string]hcl.Expression{}
		c.out.Locals[m] = ls
	}
	for i := range b.Body.Attrs {
		a := &b.Body.Attrs[i]
		if old, ok := ls[a.Name]; ok {
			c.errorf(a.NameRange(m.Path), "Duplicate local value", "local.%s is already defined at %s.", a.Name, c.set.Ref(old.Range()))
			continue
		}
		ls[a.Name] = a.Expr
	}
}

func (c *collector) check(m *loader.Module, b *syntax.Block) {
	ch := &Check{Warn: b.Type == "warn", Module: m}
	for i := range b.Body.Attrs {
		a := &b.Body.Attrs[i]
		switch a.Name {
		case "condition":
			ch.Condition = a.Expr
		case "message":
			ch.Message = a.Expr
		case "at":
			ch.At = a.Expr
		default:
			c.errorf(a.NameRange(m.Path), "Unsupported attribute", "An %s block takes condition, message and at, not %s.", b.Type, a.Name)
		}
	}
	if len(b.Labels) > 0 || len(b.Body.Blocks) > 0 || ch.Condition == nil || ch.Message == nil {
		c.errorf(b.TypeRange(m.Path), "Invalid "+b.Type+" block", "Write %s { condition = <bool>, message = \"...\" }.", b.Type)
		return
	}
	c.out.Checks = append(c.out.Checks, ch)
}

// block routes a block found inside the body at position pos (path p,
// its last key written at keys).
func (c *collector) block(m *loader.Module, pos schema.Position, p optpath.Path, keys *Key, b *syntax.Block, w wrapping) {
	pos, p, keys, ok := c.descend(pos, p, keys, b.Type, b.TypeRange(m.Path))
	if !ok {
		return
	}
	for i, label := range b.Labels {
		if pos, p, keys, ok = c.descend(pos, p, keys, label, b.LabelRange(i, m.Path)); !ok {
			return
		}
	}
	if a := b.Body.Attr("when"); a != nil {
		w.conds = append(append([]Cond(nil), w.conds...), Cond{Expr: a.Expr, Module: m})
	}
	if pos.Kind == schema.Value && !pos.HasKeys() {
		// A block where a single value goes: the block is that value (an
		// object), or, for a list, one element of it.
		var e hcl.Expression = &BlockExpr{Body: &b.Body, SrcRange: b.Range(m.Path)}
		if pos.Type.Base().Kind == schema.ListOf {
			e = &ListOfOne{Elem: e}
		}
		c.emit(m, p, keys, e, b.Range(m.Path), w, false)
		return
	}
	if pos.Kind == schema.Value {
		c.emit(m, p, keys, nil, b.DefRange(m.Path), w, true)
	}
	c.body(m, pos, p, keys, &b.Body, w)
}

// body routes the attributes and blocks of a block's body.
func (c *collector) body(m *loader.Module, pos schema.Position, p optpath.Path, keys *Key, body *syntax.Body, w wrapping) {
	items, height := c.items(body)
	defer c.release(height)
	for _, it := range items {
		if a := it.Attr; a != nil {
			if a.Name == "when" {
				continue
			}
			c.route(m, pos, p, keys, a.Name, a.NameRange(m.Path), a.Expr, w)
			continue
		}
		c.block(m, pos, p, keys, it.Block, w)
	}
}

// descend moves from pos to its member key, written at keyRange,
// reporting an undeclared option there when there is none.
func (c *collector) descend(pos schema.Position, p optpath.Path, keys *Key, key string, keyRange hcl.Range) (schema.Position, optpath.Path, *Key, bool) {
	next := c.tree.Child(pos, key)
	np := c.paths.Append(p, key)
	if next.Kind == schema.None {
		c.diags = append(c.diags, Undeclared(c.tree, pos, np, keyRange))
		return next, np, nil, false
	}
	k := c.keys.New()
	*k = Key{Range: keyRange, Depth: len(np), Parent: keys}
	return next, np, k, true
}

// Undeclared is the error for a definition or reference of a path that
// no module declares; parent is the position of the path's parent.
func Undeclared(tree *schema.Tree, parent schema.Position, p optpath.Path, rng hcl.Range) *hcl.Diagnostic {
	if parent.Kind == schema.Value && parent.Type.Base().Kind != schema.Submodule {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Value has no keys",
			Detail:   fmt.Sprintf("%s is of type %s, so it has no key %s.", p[:len(p)-1], parent.Type, optpath.Segment(p[len(p)-1])),
			Subject:  rng.Ptr(),
		}
	}
	detail := fmt.Sprintf("No module declares an option %s.", p)
	pathHint := nixPathHint(p)
	if s := tree.Suggest(p); len(s) > 0 && pathHint == "" {
		// (A path hint knows better: home.alice.home suggested
		// users.<name>.home, tester W.)
		detail += " Did you mean " + strings.Join(s, ", ") + "?"
	}
	parentPath := p[:len(p)-1].String()
	h := nixUsersHint(p)
	if h == "" {
		h = pathHint
	}
	if h == "" {
		h = nixDarwinHint(p)
	}
	if h != "" {
		// Not "gocfg options users.users": the fields of a user named "users".
		detail += "\nhint: " + h
	} else if parentPath == "" {
		detail += "\nhint: list the declared options with: gocfg options"
	} else {
		detail += "\nhint: list the declared options with: gocfg options " + parentPath
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Undeclared option " + p.String(),
		Detail:   detail,
		Subject:  rng.Ptr(),
	}
}

// nixDarwinHints name, for the first segments of nix-darwin's and
// home-manager's options that gocfg spells otherwise, where gocfg has
// them (tester O: "Undeclared option system. Did you mean systemd?").
var nixDarwinHints = []struct {
	prefix []string
	hint   string
}{
	{[]string{"system"}, "nix-darwin's system.defaults.<domain> is macos.dock, macos.finder, macos.global, macos.trackpad, macos.screencapture here, and macos.defaults.\"<domain>\" for any key; system.keyboard is macos.keyboard: gocfg options macos"},
	{[]string{"homebrew"}, "nix-darwin's homebrew is macos.homebrew here (casks, taps, mas_apps, cleanup); its brews are environment.system_packages: gocfg options macos.homebrew"},
	{[]string{"launchd"}, "nix-darwin's launchd.user.agents and launchd.daemons are macos.launchd.agents and macos.launchd.daemons here, keyed by their label: gocfg options macos.launchd"},
	{[]string{"security", "pam"}, "nix-darwin's security.pam.enableSudoTouchIdAuth is macos.touch_id_sudo here"},
	{[]string{"programs"}, "home-manager's programs.<name> are home.<user>.programs.<name> here: gocfg options home"},
	// home-manager as a NixOS or nix-darwin module (tester U).
	{[]string{"home-manager"}, "home-manager.users.<name> is home.<name> here: home \"alice\" { files \".zshrc\" { ... } }: gocfg options home"},
	// Terraform's blocks (tester U): gocfg's configuration is options.
	// Names a module may well declare an option under (data, output,
	// provider) get no hint.
	{[]string{"variable"}, "Terraform's variable is an option here: option \"my.name\" { type = str, default = \"...\" } declares it, my { name = \"...\" } sets it, config.my.name reads it (docs/language.md)"},
	{[]string{"resource"}, "gocfg has no resource blocks: set the options that describe the machine (users, environment.etc, systemd, ...): gocfg options"},
	{[]string{"terraform"}, "gocfg has no terraform block: a configuration is the modules an entry module imports (docs/language.md)"},
}

// nixDarwinHint is a hint for the undeclared path p when it starts as
// one of nix-darwin's or home-manager's options gocfg names otherwise;
// "" otherwise.
func nixDarwinHint(p optpath.Path) string {
	for _, h := range nixDarwinHints {
		if len(p) >= len(h.prefix) && slices.Equal(p[:len(h.prefix)], h.prefix) {
			return h.hint
		}
	}
	return ""
}

// nixPathHints name, for NixOS's and home-manager's option paths that
// gocfg spells otherwise than a "did you mean" finds, where gocfg has
// them (tester W); "*" in a pattern stands for any one segment (a user's
// name), and %[1]s in the hint for the first segment it matched.
var nixPathHints = []struct {
	pattern []string
	hint    string
}{
	{[]string{"users", "*", "extraGroups"}, `NixOS's extraGroups is groups here: users %[1]q { groups = [...] }; for "wheel", set admin = true, which picks this system's administrators group`},
	{[]string{"users", "*", "openssh"}, `NixOS's users.users.<name>.openssh.authorizedKeys.keys is users.<name>.authorized_keys here: users %[1]q { authorized_keys = ["ssh-ed25519 ..."] }`},
	{[]string{"users", "*", "hashedPassword"}, `NixOS's hashedPassword is hashed_password here: users %[1]q { hashed_password = "$y$..." } (mkpasswd -m yescrypt); gocfg sets it at every switch, as NixOS does with users.mutableUsers = false`},
	{[]string{"users", "*", "initialPassword"}, `gocfg takes no clear-text password: users %[1]q { initial_hashed_password = "$y$..." }, the hash mkpasswd -m yescrypt makes, is set when gocfg creates the account`},
	{[]string{"users", "*", "initialHashedPassword"}, `NixOS's initialHashedPassword is initial_hashed_password here: users %[1]q { initial_hashed_password = "$y$..." }`},
	{[]string{"users", "*", "hashedPasswordFile"}, `NixOS's hashedPasswordFile is hashed_password_file here: users %[1]q { hashed_password_file = config.age.secrets.<name>.path }`},
	{[]string{"home", "*", "home"}, `home-manager's home.sessionVariables, home.file and home.packages are home.%[1]s.session_variables, home.%[1]s.files and environment.system_packages here: gocfg options home`},
	{[]string{"home", "*", "file"}, `home-manager's home.file is home.%[1]s.files here: home %[1]q { files ".zshrc" { source = "./zshrc" } }`},
	{[]string{"services", "openssh", "passwordAuthentication"}, `NixOS's older services.openssh.passwordAuthentication is services.openssh.settings.PasswordAuthentication here: settings = { PasswordAuthentication = false }`},
	{[]string{"services", "openssh", "permitRootLogin"}, `NixOS's older services.openssh.permitRootLogin is services.openssh.settings.PermitRootLogin here: settings = { PermitRootLogin = "no" }`},
	{[]string{"environment", "sessionVariables"}, "NixOS's environment.sessionVariables is environment.variables here, which gocfg gives both login shells and systemd user managers"},
	{[]string{"environment", "shellAliases"}, "gocfg has no system-wide shell aliases: set them for each user with home.<user>.programs.zsh.aliases or home.<user>.programs.bash.aliases"},
	// Tester BC: what a NixOS user writes in the first hour.
	{[]string{"users", "*", "isNormalUser"}, `leave isNormalUser out: users %[1]q is a login account with a home (create_home) here`},
	{[]string{"systemd", "services", "*", "script"}, `NixOS's script is exec_start here, a command line: write the script to a file (environment.etc."%[1]s.sh" { text = "...", mode = "0755" }) and set exec_start = "/etc/%[1]s.sh"`},
	{[]string{"systemd", "services", "*", "startAt"}, `NixOS's startAt is a timer here: systemd.timers %[1]q { on_calendar = "daily" } starts the service of the same name`},
	{[]string{"systemd", "services", "*", "path"}, `NixOS's path is the service's PATH here: systemd.services %[1]q { environment = { PATH = "/usr/local/bin:/usr/bin:/bin" } }`},
}

// nixPathHint is the hint of nixPathHints for the undeclared path p, or
// "": the first pattern p starts with.
func nixPathHint(p optpath.Path) string {
	for _, h := range nixPathHints {
		if len(p) < len(h.pattern) {
			continue
		}
		var star []any
		match := true
		for i, seg := range h.pattern {
			switch {
			case seg == "*":
				star = append(star, p[i])
			case seg != p[i]:
				match = false
			}
			if !match {
				break
			}
		}
		if match {
			if len(star) == 0 || !strings.Contains(h.hint, "%[1]") {
				return h.hint
			}
			return fmt.Sprintf(h.hint, star[0])
		}
	}
	return ""
}

// nixUsersHint is a hint for the undeclared path p when it is NixOS's
// users.users.<name> or users.groups.<name> (a field <name> of a user
// named "users" or "groups" here), which gocfg writes users.<name> and
// groups.<name>; "" otherwise.
func nixUsersHint(p optpath.Path) string {
	if len(p) != 3 || p[0] != "users" {
		return ""
	}
	name := optpath.Segment(p[2])
	switch p[1] {
	case "users":
		return "NixOS's users.users.<name> is users.<name> in gocfg: users " + strconv.Quote(p[2]) + " { ... }, or users = { " + name + " = { ... } }"
	case "groups":
		return "NixOS's users.groups.<name> is groups.<name> in gocfg: groups " + strconv.Quote(p[2]) + " { ... }, or groups = { " + name + " = { ... } }"
	}
	return ""
}

// route defines the member key of the position parent (path p) with the
// expression e, taking wrappers and object constructors apart.
func (c *collector) route(m *loader.Module, parent schema.Position, p optpath.Path, keys *Key, key string, keyRange hcl.Range, e hclsyntax.Expression, w wrapping) {
	pos, np, nkeys, ok := c.descend(parent, p, keys, key, keyRange)
	if !ok {
		return
	}
	c.value(m, pos, np, nkeys, e, w)
}

// value defines the path p (at position pos) with the expression e.
func (c *collector) value(m *loader.Module, pos schema.Position, p optpath.Path, keys *Key, e hclsyntax.Expression, w wrapping) {
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok && Wrappers[call.Name] {
		c.unwrap(m, pos, p, keys, call, w)
		return
	}
	if pos.Kind == schema.Value {
		w = w.pin(len(p))
	}
	if obj, ok := e.(*hclsyntax.ObjectConsExpr); ok && pos.HasKeys() {
		names := make([]string, len(obj.Items))
		static := true
		for i, it := range obj.Items {
			k, ok := schema.StaticKey(it.KeyExpr)
			if !ok {
				static = false
				if pos.Kind == schema.Group {
					c.computedKey(p, it.KeyExpr, it.ValueExpr)
				}
				continue
			}
			names[i] = c.keySpelling(it.KeyExpr, k)
		}
		if static {
			if pos.Kind == schema.Value {
				c.emit(m, p, keys, nil, obj.SrcRange, w, true)
			}
			for i, it := range obj.Items {
				c.route(m, pos, p, keys, names[i], it.KeyExpr.Range(), it.ValueExpr, w)
			}
			return
		}
		if pos.Kind == schema.Group {
			return
		}
	}
	c.emit(m, p, keys, e, e.Range(), w, false)
}

// computedKey reports the key e (of the value v) of an object that
// sets the group of options p, which is not written out: a dotted name,
// as NixOS writes an option path (firewall.enable = true), or an
// expression.
func (c *collector) computedKey(p optpath.Path, e, v hclsyntax.Expression) {
	if segs := dottedKey(e); segs != nil {
		name := strings.Join(segs, ".")
		value := "…"
		if r := v.Range(); r.Start.Line == r.End.Line && r.End.Byte-r.Start.Byte <= 30 {
			if src := c.set.Source(r.Filename); r.End.Byte <= len(src) {
				value = string(src[r.Start.Byte:r.End.Byte])
			}
		}
		object := strings.Join(segs, " = { ") + " = " + value + strings.Repeat(" }", len(segs)-1)
		c.errorf(e.Range(), "Option paths are not written with dots", "HCL has no dotted names. Write %s as one object, %s (docs/language.md, \"Setting values\").", name, object)
		return
	}
	c.errorf(e.Range(), "Computed key in a group of options", "The keys of %s are option names and must be written out; computed keys are allowed in attribute sets such as users.", p)
}

// dottedKey returns the names of an object key written a.b.c, nil for
// any other key.
func dottedKey(e hclsyntax.Expression) []string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok && !k.ForceNonLiteral {
		e = k.Wrapped
	}
	st, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) < 2 {
		return nil
	}
	segs := []string{st.Traversal.RootName()}
	for _, step := range st.Traversal[1:] {
		a, ok := step.(hcl.TraverseAttr)
		if !ok {
			return nil
		}
		segs = append(segs, a.Name)
	}
	return segs
}

func (c *collector) unwrap(m *loader.Module, pos schema.Position, p optpath.Path, keys *Key, call *hclsyntax.FunctionCallExpr, w wrapping) {
	want := 1
	switch call.Name {
	case "override", "when":
		want = 2
	}
	if len(call.Args) != want {
		c.errorf(call.Range(), "Wrong number of arguments", "%s takes %d argument(s).", call.Name, want)
		return
	}
	setPrio := func(prio int) bool {
		if w.prioFrom != "" {
			c.errorf(call.NameRange, "Priority given twice", "This definition is already inside %s(); use one of default, force or override.", w.prioFrom)
			return false
		}
		w.prio, w.prioFrom = prio, call.Name
		return true
	}
	setOrder := func(order int) bool {
		if w.order != 0 {
			c.errorf(call.NameRange, "Order given twice", "Use one of before() or after().")
			return false
		}
		w.order = order
		return true
	}
	inner := call.Args[len(call.Args)-1]
	switch call.Name {
	case "default":
		if !setPrio(PriorityDefault) {
			return
		}
	case "force":
		if !setPrio(PriorityForce) {
			return
		}
	case "override":
		v, diags := call.Args[0].Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Number) {
			c.errorf(call.Args[0].Range(), "Invalid priority", "override takes a constant whole number, 0 or more, as its priority, such as override(10, value).")
			return
		}
		n, acc := v.AsBigFloat().Int64()
		if acc != 0 || n < 0 {
			c.errorf(call.Args[0].Range(), "Invalid priority", "override takes a constant whole number, 0 or more, as its priority, such as override(10, value).")
			return
		}
		if !setPrio(int(n)) {
			return
		}
	case "when":
		w.conds = append(append([]Cond(nil), w.conds...), Cond{Expr: call.Args[0], Module: m})
	case "before":
		if !setOrder(OrderBefore) {
			return
		}
	case "after":
		if !setOrder(OrderAfter) {
			return
		}
	case "merge_all":
		tuple, ok := inner.(*hclsyntax.TupleConsExpr)
		if !ok {
			c.errorf(inner.Range(), "merge_all takes a literal list", "Write the definitions out: merge_all([ {...}, when(cond, {...}) ]).")
			return
		}
		for _, el := range tuple.Exprs {
			c.value(m, pos, p, keys, el, w)
		}
		return
	}
	c.value(m, pos, p, keys, inner, w)
}

// emit adds a definition of p: the expression e, or, for a marker (e
// nil), the empty object written at rng.
func (c *collector) emit(m *loader.Module, p optpath.Path, keys *Key, e hcl.Expression, rng hcl.Range, w wrapping, marker bool) {
	w = w.pin(len(p))
	d := c.defs.New()
	*d = Def{Path: p, Keys: keys, Expr: e, Module: m, Marker: marker, Seq: c.seq}
	np, spelled := nfcPath(p)
	switch {
	case e == nil || spelled:
		x := c.extras.New()
		*x = DefExtra{Levels: w.pinned, Conds: w.conds}
		if e == nil {
			x.Range = rng
		}
		if spelled {
			d.Path, x.Spelled = np, p
		}
		d.extra = x
	case w.pinned != nil || w.conds != nil:
		d.extra = c.sharedExtra(w)
	}
	c.seq++
	c.out.Defs = append(c.out.Defs, d)
}

// sharedExtra returns a DefExtra of w's levels and conditions, the same
// as the last definition's when they are the same (every definition of
// a `when` block has that block's conditions).
func (c *collector) sharedExtra(w wrapping) *DefExtra {
	if x := c.lastExtra; x != nil && sameSlice(x.Levels, w.pinned) && sameSlice(x.Conds, w.conds) {
		return x
	}
	c.lastExtra = &DefExtra{Levels: w.pinned, Conds: w.conds}
	return c.lastExtra
}

// sameSlice tells whether a and b are the same elements of one array.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// nfcPath returns p with every key in Unicode NFC, and whether that
// changed any.
func nfcPath(p optpath.Path) (optpath.Path, bool) {
	var out optpath.Path
	for i, k := range p {
		if isNFC(k) {
			continue
		}
		if out == nil {
			out = append(optpath.Path(nil), p...)
		}
		out[i] = norm.NFC.String(k)
	}
	return out, out != nil
}

// isNFC tells whether s is in Unicode NFC; ASCII, most keys, without
// norm's allocation.
func isNFC(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return norm.NFC.IsNormalString(s)
		}
	}
	return true
}
