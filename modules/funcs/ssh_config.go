package funcs

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	json "github.com/goccy/go-json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// addSSHConfig adds ssh_config_encode and ssh_config_problems, the text
// of an OpenSSH client configuration (ssh_config(5)) from the options of
// home.<user>.programs.ssh, and what in them ssh would refuse or read
// otherwise than meant, each with its option path, for the asserts of
// core/home_ssh.hcl (which point at the user's line; an error of the
// encoder would point at its call).
func addSSHConfig(f map[string]function.Function) {
	f["ssh_config_encode"] = sshConfigEncodeFunc
	f["ssh_config_problems"] = sshConfigProblemsFunc
}

// sshProblemType is an element of ssh_config_problems' result: kind
// groups the problems one assert reports ("line", "keyword",
// "structure", "empty", "range", "twice", "value"), at is the option path, message what is wrong and what to do.
var sshProblemType = cty.Object(map[string]cty.Type{"kind": cty.String, "at": cty.String, "message": cty.String, "keyword": cty.String, "by": cty.String})

var sshConfigEncodeFunc = function.New(&function.Spec{
	Description: "The text of an OpenSSH client configuration (~/.ssh/config) from an object of programs.ssh options: include, match_blocks, the Host * defaults and extra_config.",
	Params: []function.Parameter{
		{Name: "config", Type: cty.DynamicPseudoType, AllowNull: true, AllowDynamicType: true},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.String), nil
		}
		c := readSSHConfig(args[0], "")
		if len(c.problems) > 0 {
			p := c.problems[0]
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "%s: %s", p.at, p.message)
		}
		return cty.StringVal(c.encode()), nil
	},
})

var sshConfigProblemsFunc = function.New(&function.Spec{
	Description: "What ssh_config_encode refuses in an object of programs.ssh options, as a list of { kind, at, message }, at the option path prefixed with at.",
	Params: []function.Parameter{
		{Name: "config", Type: cty.DynamicPseudoType, AllowNull: true, AllowDynamicType: true},
		{Name: "at", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.List(sshProblemType)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.List(sshProblemType)), nil
		}
		c := readSSHConfig(args[0], args[1].AsString())
		if len(c.problems) == 0 {
			return cty.ListValEmpty(sshProblemType), nil
		}
		out := make([]cty.Value, len(c.problems))
		for i, p := range c.problems {
			out[i] = cty.ObjectVal(map[string]cty.Value{"kind": cty.StringVal(p.kind), "at": cty.StringVal(p.at), "message": cty.StringVal(p.message),
				"keyword": cty.StringVal(p.keyword), "by": cty.StringVal(p.by)})
		}
		return cty.ListVal(out), nil
	},
})

// keyword and by are those of a "twice" problem: the keyword and the
// typed option that sets it too, as a message names it.
type sshProblem struct{ kind, at, message, keyword, by string }

// sshLine is one "Keyword argument" line; arg is as written.
type sshLine struct{ keyword, arg string }

// sshBlock is a Host block of match_blocks: key is its key, tier its
// place (0: no wildcard in its patterns, 1: a wildcard, 2: just "*").
type sshBlock struct {
	key, host string
	tier      int
	lines     []sshLine
}

type sshConfig struct {
	includes []string
	blocks   []sshBlock
	defaults []sshLine
	extra    string
	problems []sshProblem
}

// sshTopLevel are the Host * defaults, in the order written, with the
// keyword each writes and how.
var sshTopLevel = []struct{ name, keyword, kind string }{
	{"forward_agent", "ForwardAgent", "bool"},
	{"add_keys_to_agent", "AddKeysToAgent", "words"},
	{"compression", "Compression", "bool"},
	{"server_alive_interval", "ServerAliveInterval", "count"},
	{"server_alive_count_max", "ServerAliveCountMax", "count"},
	{"hash_known_hosts", "HashKnownHosts", "bool"},
	{"user_known_hosts_file", "UserKnownHostsFile", "str"},
	{"control_master", "ControlMaster", "str"},
	{"control_path", "ControlPath", "str"},
	{"control_persist", "ControlPersist", "str"},
}

// sshBlockFields are a match block's typed fields, in the order written.
var sshBlockFields = []struct{ name, keyword, kind string }{
	{"hostname", "HostName", "str"},
	{"user", "User", "str"},
	{"port", "Port", "port"},
	{"identity_file", "IdentityFile", "strs"},
	{"identities_only", "IdentitiesOnly", "bool"},
	{"forward_agent", "ForwardAgent", "bool"},
	{"proxy_jump", "ProxyJump", "str"},
	{"server_alive_interval", "ServerAliveInterval", "count"},
	{"local_forwards", "LocalForward", "local"},
	{"remote_forwards", "RemoteForward", "remote"},
}

var sshTopNames, sshBlockNames = func() (map[string]bool, map[string]bool) {
	top := map[string]bool{"enable": true, "include": true, "match_blocks": true, "extra_config": true}
	for _, f := range sshTopLevel {
		top[f.name] = true
	}
	block := map[string]bool{"host": true, "extra_options": true}
	for _, f := range sshBlockFields {
		block[f.name] = true
	}
	return top, block
}()

// sshPath is prefix.name with name quoted as jsonencode quotes a key,
// or name alone when prefix is "".
func sshPath(prefix, name string, quote bool) string {
	if quote {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(name)
		name = strings.TrimSuffix(b.String(), "\n")
	}
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// sshAttr is the attribute name of object or map v, null when absent.
func sshAttr(v cty.Value, name string) cty.Value {
	if v.IsNull() {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	t := v.Type()
	if t.IsObjectType() {
		if t.HasAttribute(name) {
			return v.GetAttr(name)
		}
		return cty.NullVal(cty.DynamicPseudoType)
	}
	if t.IsMapType() && v.HasIndex(cty.StringVal(name)).True() {
		return v.Index(cty.StringVal(name))
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

func (c *sshConfig) fail(kind, at, format string, a ...any) {
	c.problems = append(c.problems, sshProblem{kind: kind, at: at, message: fmt.Sprintf(format, a...)})
}

// readSSHConfig reads the options object v; at prefixes the paths of
// its problems.
func readSSHConfig(v cty.Value, at string) *sshConfig {
	c := &sshConfig{}
	if v.IsNull() {
		return c
	}
	if !isMapLike(v.Type()) {
		c.fail("value", at, "the ssh options are an object, not %s.", v.Type().FriendlyName())
		return c
	}
	c.unknownNames(v, at, sshTopNames)
	for _, s := range c.strings(sshAttr(v, "include"), sshPath(at, "include", false)) {
		c.includes = append(c.includes, sshArg(s))
	}
	c.defaults = c.fields(v, at, sshTopLevel)
	if x := sshAttr(v, "extra_config"); !x.IsNull() {
		if x.Type() != cty.String {
			c.fail("value", sshPath(at, "extra_config", false), "extra_config is text, not %s.", x.Type().FriendlyName())
		} else if s := x.AsString(); strings.ContainsRune(s, 0) {
			c.fail("line", sshPath(at, "extra_config", false), "extra_config cannot hold a NUL character.")
		} else if strings.TrimSpace(s) != "" {
			c.extra = s
		}
	}
	mb := sshAttr(v, "match_blocks")
	if mb.IsNull() {
		return c
	}
	mbAt := sshPath(at, "match_blocks", false)
	if !isMapLike(mb.Type()) {
		c.fail("value", mbAt, "match_blocks is an object of blocks keyed by Host patterns, not %s.", mb.Type().FriendlyName())
		return c
	}
	for it := mb.ElementIterator(); it.Next(); {
		k, b := it.Element()
		if b.IsNull() {
			continue
		}
		c.block(k.AsString(), b, sshPath(mbAt, k.AsString(), true))
	}
	sort.SliceStable(c.blocks, func(i, j int) bool {
		if c.blocks[i].tier != c.blocks[j].tier {
			return c.blocks[i].tier < c.blocks[j].tier
		}
		return c.blocks[i].key < c.blocks[j].key
	})
	return c
}

// unknownNames reports attributes of v not in names (a call of the
// function with a misspelt option; the module's options are declared).
func (c *sshConfig) unknownNames(v cty.Value, at string, names map[string]bool) {
	var bad []string
	for it := v.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		if !names[k.AsString()] {
			bad = append(bad, k.AsString())
		}
	}
	sort.Strings(bad)
	for _, n := range bad {
		c.fail("value", sshPath(at, n, true), "%s is not an ssh option gocfg knows.", n)
	}
}

// block reads match block key.
func (c *sshConfig) block(key string, v cty.Value, at string) {
	if !isMapLike(v.Type()) {
		c.fail("value", at, "a match block is an object of options, not %s.", v.Type().FriendlyName())
		return
	}
	c.unknownNames(v, at, sshBlockNames)
	host := key
	hostAt := at
	if h := sshAttr(v, "host"); !h.IsNull() {
		if h.Type() != cty.String {
			c.fail("value", sshPath(at, "host", false), "host is a string of Host patterns, not %s.", h.Type().FriendlyName())
			return
		}
		host, hostAt = h.AsString(), sshPath(at, "host", false)
	}
	patterns := strings.Fields(host)
	switch {
	case strings.ContainsAny(host, "\r\n\x00"):
		c.fail("line", hostAt, "Host patterns cannot hold a line break or a NUL character: ssh_config(5) reads a keyword and its value on one line. Set another keyword in extra_options, or in extra_config.")
		return
	case len(patterns) == 0:
		c.fail("empty", hostAt, "a value cannot be empty: ssh refuses a keyword without one. Set it, or leave it out.")
		return
	case strings.ContainsAny(host, "\"'"):
		c.fail("value", hostAt, "Host patterns cannot hold quotes: they are names with * and ? wildcards, ! to negate, separated by spaces.")
		return
	}
	b := sshBlock{key: key, host: strings.Join(patterns, " ")}
	if b.host == "*" {
		b.tier = 2
	} else if strings.ContainsAny(b.host, "*?") {
		b.tier = 1
	}
	b.lines = c.fields(v, at, sshBlockFields)
	typed := map[string]string{}
	for _, f := range sshBlockFields {
		for _, l := range b.lines {
			if l.keyword == f.keyword {
				typed[strings.ToLower(f.keyword)] = sshPath(at, f.name, false)
			}
		}
	}
	if x := sshAttr(v, "extra_options"); !x.IsNull() {
		xAt := sshPath(at, "extra_options", false)
		if !isMapLike(x.Type()) {
			c.fail("value", xAt, "extra_options is an object of keyword → value, not %s.", x.Type().FriendlyName())
		} else {
			var kws []string
			vals := map[string]cty.Value{}
			for it := x.ElementIterator(); it.Next(); {
				k, val := it.Element()
				kws = append(kws, k.AsString())
				vals[k.AsString()] = val
			}
			sort.Strings(kws)
			for _, kw := range kws {
				if l, ok := c.extraOption(kw, vals[kw], sshPath(xAt, kw, true), typed); ok {
					b.lines = append(b.lines, l)
				}
			}
		}
	}
	c.blocks = append(c.blocks, b)
}

// extraOption reads one of extra_options: a keyword, and its arguments
// as written.
func (c *sshConfig) extraOption(kw string, v cty.Value, at string, typed map[string]string) (sshLine, bool) {
	if kw == "" || strings.TrimLeft(kw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
		c.fail("keyword", at, "a keyword is a single word of letters, as ssh_config(5) names them (ServerAliveCountMax); its arguments go in the value (SendEnv = \"LANG LC_*\").")
		return sshLine{}, false
	}
	switch strings.ToLower(kw) {
	case "host", "match", "include":
		c.fail("structure", at, "Host and Match start a block and Include reads a file: none is an option of a block. Add a block to match_blocks, or the file to include.")
		return sshLine{}, false
	}
	if by, ok := typed[strings.ToLower(kw)]; ok {
		by = sshPretty(by)
		c.problems = append(c.problems, sshProblem{kind: "twice", at: at, message: fmt.Sprintf("%s is also set by %s: set it in one place.", kw, by), keyword: kw, by: by})
		return sshLine{}, false
	}
	if v.IsNull() {
		return sshLine{}, false
	}
	if v.Type() != cty.String {
		c.fail("value", at, "a value is a string, the keyword's arguments as ssh_config(5) reads them, not %s.", v.Type().FriendlyName())
		return sshLine{}, false
	}
	s := v.AsString()
	if strings.ContainsAny(s, "\r\n\x00") {
		c.fail("line", at, "a value cannot hold a line break or a NUL character: ssh_config(5) reads a keyword and its value on one line. Set another keyword in extra_options, or in extra_config.")
		return sshLine{}, false
	}
	if strings.TrimSpace(s) == "" {
		c.fail("empty", at, "a value cannot be empty: ssh refuses a keyword without one. Set it, or leave it out.")
		return sshLine{}, false
	}
	return sshLine{kw, strings.TrimSpace(s)}, true
}

// fields reads the typed options of v that fs name.
func (c *sshConfig) fields(v cty.Value, at string, fs []struct{ name, keyword, kind string }) []sshLine {
	var lines []sshLine
	for _, f := range fs {
		x := sshAttr(v, f.name)
		if x.IsNull() {
			continue
		}
		fAt := sshPath(at, f.name, false)
		switch f.kind {
		case "bool":
			if x.Type() != cty.Bool {
				c.fail("value", fAt, "%s is true, false or null, not %s.", f.name, x.Type().FriendlyName())
				continue
			}
			arg := "no"
			if x.True() {
				arg = "yes"
			}
			lines = append(lines, sshLine{f.keyword, arg})
		case "str":
			if s, ok := c.str(x, fAt, f.name); ok {
				lines = append(lines, sshLine{f.keyword, sshArg(s)})
			}
		case "words":
			// Several arguments (AddKeysToAgent confirm 1h), each
			// written as it stands: quoting would make them one.
			if s, ok := c.str(x, fAt, f.name); ok {
				words := strings.Fields(s)
				switch {
				case len(words) == 0:
					c.fail("empty", fAt, "a value cannot be empty: ssh refuses a keyword without one. Set it, or leave it out.")
				case strings.ContainsAny(s, "\"'\\#="):
					c.fail("value", fAt, "%s is words separated by spaces, without quotes, \\, # or =.", f.name)
				default:
					lines = append(lines, sshLine{f.keyword, strings.Join(words, " ")})
				}
			}
		case "strs":
			for _, s := range c.strings(x, fAt) {
				lines = append(lines, sshLine{f.keyword, sshArg(s)})
			}
		case "port":
			if n, ok := c.number(x, fAt, f.name, 1, 65535); ok {
				lines = append(lines, sshLine{f.keyword, strconv.Itoa(n)})
			}
		case "count":
			if n, ok := c.number(x, fAt, f.name, 0, 1<<31-1); ok {
				lines = append(lines, sshLine{f.keyword, strconv.Itoa(n)})
			}
		case "local", "remote":
			lines = append(lines, c.forwards(x, fAt, f.name, f.keyword, f.kind == "remote")...)
		}
	}
	return lines
}

// str reads a one-line, non-empty string.
func (c *sshConfig) str(x cty.Value, at, name string) (string, bool) {
	if x.Type() != cty.String {
		c.fail("value", at, "%s is a string, not %s.", name, x.Type().FriendlyName())
		return "", false
	}
	s := x.AsString()
	if strings.ContainsAny(s, "\r\n\x00") {
		c.fail("line", at, "a value cannot hold a line break or a NUL character: ssh_config(5) reads a keyword and its value on one line. Set another keyword in extra_options, or in extra_config.")
		return "", false
	}
	if s == "" {
		c.fail("empty", at, "a value cannot be empty: ssh refuses a keyword without one. Set it, or leave it out.")
		return "", false
	}
	return s, true
}

// strings reads a list of one-line strings (nulls left out).
func (c *sshConfig) strings(x cty.Value, at string) []string {
	if x.IsNull() {
		return nil
	}
	t := x.Type()
	if !t.IsListType() && !t.IsTupleType() && !t.IsSetType() {
		c.fail("value", at, "a list of strings, not %s.", t.FriendlyName())
		return nil
	}
	var out []string
	for it := x.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			continue
		}
		if s, ok := c.str(e, at, "each element"); ok {
			out = append(out, s)
		}
	}
	return out
}

// number reads a whole number from least to most.
func (c *sshConfig) number(x cty.Value, at, name string, least, most int) (int, bool) {
	if x.Type() != cty.Number {
		c.fail("value", at, "%s is a number, not %s.", name, x.Type().FriendlyName())
		return 0, false
	}
	f := x.AsBigFloat()
	i, acc := f.Int64()
	if acc != big.Exact || i < int64(least) || i > int64(most) {
		if most == 1<<31-1 {
			c.fail("range", at, "%s is a whole number, %d or more, not %s.", name, least, f.Text('f', -1))
		} else {
			c.fail("range", at, "%s is a whole number from %d to %d, not %s.", name, least, most, f.Text('f', -1))
		}
		return 0, false
	}
	return int(i), true
}

// forwards reads local_forwards or remote_forwards: LocalForward
// [bind_address:]port host:hostport, RemoteForward the same with the
// host left out for a SOCKS proxy (ssh -R port); a Unix socket is an
// address without a port.
func (c *sshConfig) forwards(x cty.Value, at, field, keyword string, remote bool) []sshLine {
	t := x.Type()
	if !t.IsListType() && !t.IsTupleType() {
		c.fail("value", at, "a list of forwards, not %s.", t.FriendlyName())
		return nil
	}
	var lines []sshLine
	i := 0
	for it := x.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		if e.IsNull() {
			continue
		}
		name := fmt.Sprintf("%s[%d]", field, i)
		bind, okb := c.endpoint(sshAttr(e, "bind"), at, name+".bind", 0, false)
		host, okh := c.endpoint(sshAttr(e, "host"), at, name+".host", 1, remote)
		if !okb || !okh {
			continue
		}
		arg := bind
		if host != "" {
			arg += " " + host
		}
		lines = append(lines, sshLine{keyword, arg})
	}
	return lines
}

// endpoint is address:port, [address]:port (IPv6), port or an address
// alone (a Unix socket); "" when both are null and optional.
func (c *sshConfig) endpoint(v cty.Value, at, name string, leastPort int, optional bool) (string, bool) {
	addr, port := sshAttr(v, "address"), sshAttr(v, "port")
	if addr.IsNull() && port.IsNull() {
		if optional {
			return "", true
		}
		c.fail("value", at, "%s needs a port, an address, or both (an address alone is a Unix socket's path).", name)
		return "", false
	}
	var p string
	if !port.IsNull() {
		n, ok := c.number(port, at, name+".port", leastPort, 65535)
		if !ok {
			return "", false
		}
		p = strconv.Itoa(n)
	}
	if addr.IsNull() {
		return p, true
	}
	a, ok := c.str(addr, at, name+".address")
	if !ok {
		return "", false
	}
	if strings.ContainsAny(a, " \t\"'\\#[]") {
		c.fail("value", at, "%s.address %q: an address is a host name, an IP address or a socket path, without spaces, quotes or brackets.", name, a)
		return "", false
	}
	switch {
	case p == "":
		return a, true
	case strings.Contains(a, ":"):
		return "[" + a + "]:" + p, true
	}
	return a + ":" + p, true
}

// sshArg writes s as one argument that ssh (OpenSSH 8.7 and later,
// whose parser is argv_split) reads back as s: as it stands when it
// holds nothing ssh splits or unquotes, else in double quotes with \
// and " escaped. = is quoted too: older ssh splits at it.
func sshArg(s string) string {
	if !strings.ContainsAny(s, " \t\"'\\#=") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// encode writes the configuration: the includes first, then the match
// blocks (those whose patterns hold no wildcard, then those that do,
// then Host *, each sorted by key), then the defaults and extra_config
// under a last Host *. ssh keeps the first value it reads for a
// keyword, so what is written first wins.
func (c *sshConfig) encode() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
	}
	for _, inc := range c.includes {
		fmt.Fprintf(&b, "Include %s\n", inc)
	}
	for _, blk := range c.blocks {
		sep()
		fmt.Fprintf(&b, "Host %s\n", blk.host)
		for _, l := range blk.lines {
			fmt.Fprintf(&b, "  %s %s\n", l.keyword, l.arg)
		}
	}
	if len(c.defaults) > 0 || c.extra != "" {
		sep()
		b.WriteString("Host *\n")
		for _, l := range c.defaults {
			fmt.Fprintf(&b, "  %s %s\n", l.keyword, l.arg)
		}
		if c.extra != "" {
			b.WriteString(c.extra)
			if !strings.HasSuffix(c.extra, "\n") {
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// sshPretty is an option path as messages write it: a key quoted as
// jsonencode quotes it is bare when it is a plain name (home."alice" is
// home.alice).
func sshPretty(path string) string {
	var b strings.Builder
	for len(path) > 0 {
		if path[0] != '"' {
			i := strings.IndexByte(path, '"')
			if i < 0 {
				i = len(path)
			}
			b.WriteString(path[:i])
			path = path[i:]
			continue
		}
		end := 1
		for end < len(path) && path[end] != '"' {
			if path[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(path) {
			b.WriteString(path)
			break
		}
		var s string
		if json.Unmarshal([]byte(path[:end+1]), &s) == nil && sshPlainName(s) {
			b.WriteString(s)
		} else {
			b.WriteString(path[:end+1])
		}
		path = path[end+1:]
	}
	return b.String()
}

// sshPlainName: a key an option path writes without quotes.
func sshPlainName(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return s != ""
}
