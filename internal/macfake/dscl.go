package macfake

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func init() {
	register("dscl", runDscl)
}

// extraAttrs are the attributes of the fake directory's records that
// UserRecord and GroupRecord have no field for (AuthenticationAuthority,
// a group's RealName, ...), by record path ("/Users/alice") and name:
// /.macfake/dscl.json.
type extraAttrs map[string]map[string][]string

func (f *Fake) extras() (extraAttrs, error) {
	x := extraAttrs{}
	if err := f.Load("dscl", &x); err != nil {
		return nil, err
	}
	return x, nil
}

// nativeAttrs are printed with their dsAttrTypeNative: prefix, as dscl
// does for attributes that are not standard Open Directory ones.
var nativeAttrs = map[string]bool{"IsHidden": true}

// dsclNotFound is dscl's answer for a record that does not exist.
func dsclNotFound() ([]byte, int) {
	return []byte("<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n"), 56
}

// dsclDenied is dscl's answer to a change made without root.
func dsclDenied() ([]byte, int) {
	return []byte("<main> attribute status: eDSPermissionError\n<dscl_cmd> DS Error: -14120 (eDSPermissionError)\n"), 40
}

// runDscl answers `dscl . -read|-readall|-list|-create|-append|-delete
// /Users|/Groups[/<name>] [attr [values...]]` on the local node.
func runDscl(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if len(c.Args) < 3 || c.Args[0] != "." {
		return failf("macfake: dscl %s is not faked (only the local node \".\")", strings.Join(c.Args, " "))
	}
	op, path, rest := c.Args[1], c.Args[2], c.Args[3:]
	d, err := f.directory()
	if err != nil {
		return failf("macfake: %v", err)
	}
	kind, name, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if kind != "Users" && kind != "Groups" {
		return failf("macfake: dscl: %s: only /Users and /Groups are faked", path)
	}
	switch op {
	case "-read":
		if name == "" {
			return failf("dscl: -read needs a record path")
		}
		attrs, ok := d.record(kind, name)
		if !ok {
			return dsclNotFound()
		}
		return []byte(formatRecord(attrs, rest, true)), 0
	case "-readall":
		if name != "" {
			return failf("dscl: -readall takes a folder such as /Users")
		}
		var b strings.Builder
		for i, n := range d.names(kind) {
			if i > 0 {
				b.WriteString("-\n")
			}
			attrs, _ := d.record(kind, n)
			b.WriteString(formatRecord(attrs, rest, false))
		}
		return []byte(b.String()), 0
	case "-list":
		var b strings.Builder
		for _, n := range d.names(kind) {
			if len(rest) == 0 {
				b.WriteString(n + "\n")
				continue
			}
			attrs, _ := d.record(kind, n)
			fmt.Fprintf(&b, "%-24s %s\n", n, strings.Join(attrs[rest[0]], " "))
		}
		return []byte(b.String()), 0
	case "-create", "-append", "-delete":
		if c.User != "root" {
			return dsclDenied()
		}
		if name == "" {
			return failf("macfake: dscl %s %s: needs a record path", op, path)
		}
		out, code := d.change(op, kind, name, rest)
		if code != 0 {
			return out, code
		}
		if err := d.save(f); err != nil {
			return failf("macfake: %v", err)
		}
		return out, 0
	}
	return failf("macfake: dscl %s is not faked", op)
}

// directory is the fake local node, loaded for one command.
type directory struct {
	users  map[string]UserRecord
	groups map[string]GroupRecord
	extra  extraAttrs
}

func (f *Fake) directory() (*directory, error) {
	us, err := f.Users()
	if err != nil {
		return nil, err
	}
	gs, err := f.Groups()
	if err != nil {
		return nil, err
	}
	x, err := f.extras()
	if err != nil {
		return nil, err
	}
	return &directory{users: us, groups: gs, extra: x}, nil
}

func (d *directory) save(f *Fake) error {
	if err := f.SaveUsers(d.users); err != nil {
		return err
	}
	if err := f.SaveGroups(d.groups); err != nil {
		return err
	}
	return f.Save("dscl", d.extra)
}

func (d *directory) names(kind string) []string {
	var ns []string
	if kind == "Users" {
		for n := range d.users {
			ns = append(ns, n)
		}
	} else {
		for n := range d.groups {
			ns = append(ns, n)
		}
	}
	sort.Strings(ns)
	return ns
}

// members lists a group's members: its own list and the users whose
// record names the group (UserRecord.Groups), sorted.
func (d *directory) members(group string) []string {
	set := map[string]bool{}
	for _, m := range d.groups[group].Members {
		set[m] = true
	}
	for _, u := range d.users {
		if slices.Contains(u.Groups, group) {
			set[u.Name] = true
		}
	}
	ms := make([]string, 0, len(set))
	for m := range set {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	return ms
}

// setMember adds user to group's members or takes it out of them (and
// out of the user's own list of groups).
func (d *directory) setMember(group, user string, member bool) {
	g := d.groups[group]
	g.Members = slices.DeleteFunc(g.Members, func(m string) bool { return m == user })
	if member {
		g.Members = append(g.Members, user)
	} else if u, ok := d.users[user]; ok {
		u.Groups = slices.DeleteFunc(slices.Clone(u.Groups), func(x string) bool { return x == group })
		d.users[user] = u
	}
	if len(g.Members) == 0 {
		g.Members = nil
	}
	d.groups[group] = g
}

// record returns a record's attributes as dscl names them.
func (d *directory) record(kind, name string) (map[string][]string, bool) {
	attrs := map[string][]string{}
	if kind == "Users" {
		u, ok := d.users[name]
		if !ok {
			return nil, false
		}
		attrs["RecordName"] = []string{u.Name}
		attrs["UniqueID"] = []string{strconv.Itoa(u.UID)}
		attrs["PrimaryGroupID"] = []string{strconv.Itoa(u.GID)}
		attrs["NFSHomeDirectory"] = []string{u.Home}
		if u.Shell != "" {
			attrs["UserShell"] = []string{u.Shell}
		}
		if u.RealName != "" {
			attrs["RealName"] = []string{u.RealName}
		}
		if u.Hidden {
			attrs["IsHidden"] = []string{"1"}
		}
	} else {
		g, ok := d.groups[name]
		if !ok {
			return nil, false
		}
		attrs["RecordName"] = []string{g.Name}
		attrs["PrimaryGroupID"] = []string{strconv.Itoa(g.GID)}
		if ms := d.members(name); len(ms) > 0 {
			attrs["GroupMembership"] = ms
		}
	}
	for k, vs := range d.extra["/"+kind+"/"+name] {
		attrs[k] = vs
	}
	return attrs, true
}

// formatRecord writes attrs as dscl does: the asked ones (all when none
// are asked) in order, "Key: v1 v2" or, when a value has a space, "Key:"
// and one indented line per value; an attribute asked for and absent is
// "No such key: Key" for -read and left out by -readall.
func formatRecord(attrs map[string][]string, asked []string, read bool) string {
	keys := asked
	if len(keys) == 0 {
		for k := range attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	} else if !read && !slices.Contains(keys, "RecordName") {
		keys = append([]string{"RecordName"}, keys...)
	}
	var b strings.Builder
	for _, k := range keys {
		vs, ok := attrs[k]
		if !ok {
			if read {
				b.WriteString("No such key: " + k + "\n")
			}
			continue
		}
		label := k
		if nativeAttrs[k] {
			label = "dsAttrTypeNative:" + k
		}
		if slices.ContainsFunc(vs, func(v string) bool { return strings.ContainsAny(v, " \t") || v == "" }) {
			b.WriteString(label + ":\n")
			for _, v := range vs {
				b.WriteString(" " + v + "\n")
			}
			continue
		}
		b.WriteString(label + ": " + strings.Join(vs, " ") + "\n")
	}
	return b.String()
}

// change answers -create, -append and -delete.
func (d *directory) change(op, kind, name string, rest []string) ([]byte, int) {
	path := "/" + kind + "/" + name
	_, exists := d.record(kind, name)
	if op == "-delete" && len(rest) == 0 {
		if !exists {
			return dsclNotFound()
		}
		if kind == "Users" {
			delete(d.users, name)
		} else {
			delete(d.groups, name)
		}
		delete(d.extra, path)
		return nil, 0
	}
	if len(rest) == 0 {
		if exists {
			return nil, 0
		}
		return failf("macfake: dscl . -create %s without attributes is not faked (gocfg makes users with sysadminctl and groups with their PrimaryGroupID)", path)
	}
	attr, vals := rest[0], rest[1:]
	if !exists && op != "-create" {
		return dsclNotFound()
	}
	if !exists {
		if kind == "Users" {
			return failf("macfake: dscl . -create %s: creating a user record with dscl is not faked (gocfg uses sysadminctl)", path)
		}
		if attr != "PrimaryGroupID" || len(vals) != 1 {
			return failf("macfake: dscl . -create %s: a new group is faked only with its PrimaryGroupID", path)
		}
		d.groups[name] = GroupRecord{Name: name}
	}
	attrs, _ := d.record(kind, name)
	cur, had := attrs[attr]
	var next []string
	switch op {
	case "-create":
		next = vals
	case "-append":
		next = append(slices.Clone(cur), vals...)
	case "-delete":
		if !had {
			return []byte("<main> attribute status: eDSAttributeNotFound\n<dscl_cmd> DS Error: -14134 (eDSAttributeNotFound)\n"), 40
		}
		if len(vals) > 0 {
			next = slices.DeleteFunc(slices.Clone(cur), func(v string) bool { return slices.Contains(vals, v) })
		}
	}
	if len(next) == 0 && op != "-delete" {
		next = []string{""}
	}
	return d.set(kind, name, attr, next)
}

// set gives a record's attribute its values (none: removed).
func (d *directory) set(kind, name, attr string, vals []string) ([]byte, int) {
	one := ""
	if len(vals) > 0 {
		one = vals[0]
	}
	num := func() (int, bool) {
		n, err := strconv.Atoi(one)
		return n, err == nil && len(vals) == 1
	}
	switch {
	case attr == "RecordName":
		return failf("macfake: renaming a record is not faked")
	case kind == "Users":
		u := d.users[name]
		switch attr {
		case "UniqueID", "PrimaryGroupID":
			n, ok := num()
			if !ok {
				return failf("macfake: dscl: %s must be one number, not %q", attr, vals)
			}
			if attr == "UniqueID" {
				u.UID = n
			} else {
				u.GID = n
			}
		case "NFSHomeDirectory":
			u.Home = one
		case "UserShell":
			u.Shell = one
		case "RealName":
			u.RealName = strings.Join(vals, " ")
		case "IsHidden":
			u.Hidden = one == "1" || strings.EqualFold(one, "yes") || strings.EqualFold(one, "true")
		default:
			d.setExtra("/Users/"+name, attr, vals)
		}
		d.users[name] = u
	default:
		g := d.groups[name]
		switch attr {
		case "PrimaryGroupID":
			n, ok := num()
			if !ok {
				return failf("macfake: dscl: PrimaryGroupID must be one number, not %q", vals)
			}
			g.GID = n
			d.groups[name] = g
		case "GroupMembership":
			for _, m := range d.members(name) {
				d.setMember(name, m, false)
			}
			for _, m := range vals {
				if m != "" {
					d.setMember(name, m, true)
				}
			}
		default:
			d.setExtra("/Groups/"+name, attr, vals)
		}
	}
	return nil, 0
}

func (d *directory) setExtra(path, attr string, vals []string) {
	if len(vals) == 0 {
		delete(d.extra[path], attr)
		if len(d.extra[path]) == 0 {
			delete(d.extra, path)
		}
		return
	}
	if d.extra[path] == nil {
		d.extra[path] = map[string][]string{}
	}
	d.extra[path][attr] = vals
}

// Attr returns the values of one attribute of a record of the fake
// directory ("/Users/alice", "AuthenticationAuthority"), for tests.
func (f *Fake) Attr(path, attr string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.directory()
	if err != nil {
		return nil, err
	}
	kind, name, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	attrs, ok := d.record(kind, name)
	if !ok {
		return nil, fmt.Errorf("macfake: %s: no such record", path)
	}
	return attrs[attr], nil
}
