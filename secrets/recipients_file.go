package secrets

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"filippo.io/age"
	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// RecipientsFileName is the name of the recipients file at the root of a
// dotfiles repository.
const RecipientsFileName = "secrets.hcl"

// A RecipientsFile is a parsed secrets.hcl: who each secret is encrypted
// to. It plays the part of agenix's secrets.nix:
//
//	recipients = {
//	  alice = "age1…"
//	  web1  = "ssh-ed25519 AAAA… root@web1"
//	}
//	groups = {
//	  admins = [recipients.alice]
//	}
//	secret "secrets/api-token.age" {
//	  recipients = [groups.admins, recipients.web1]
//	}
type RecipientsFile struct {
	// Path is the file's name as given to LoadRecipientsFile.
	Path string
	// Dir is the folder secret file names are relative to: the file's own.
	Dir string
	// Source is the file's content with its private keys masked (see
	// MaskPrivateKeys), for diagnostics snippets.
	Source []byte
	// Recipients are the named keys of `recipients`, by name.
	Recipients map[string]*Recipient
	// Groups are the named lists of `groups`, by name.
	Groups map[string][]*Recipient
	// Secrets are the `secret` blocks, in file order.
	Secrets []*Secret

	// src is the file's content while it is parsed, for the text of an
	// expression; nil after.
	src []byte
	// invalid holds the references, recipients.NAME and groups.NAME, to
	// entries that are defined but were reported invalid: a reference
	// to one is no second error, and the list it is in is not evaluated.
	invalid map[string]bool
}

// A Recipient is a public key a secret is encrypted to.
type Recipient struct {
	// Name is its name in `recipients`, "" for a key written in place.
	Name string
	// Key is the key as written: age1… or an SSH public key line.
	Key string
	// Recipient is the parsed key.
	Recipient age.Recipient
}

// Label names the recipient in messages: its name, else the start of the
// key.
func (r *Recipient) Label() string {
	if r.Name != "" {
		return r.Name
	}
	k := r.Key
	if f := strings.Fields(k); len(f) >= 2 && strings.HasPrefix(f[0], "ssh-") {
		k = f[0] + " " + f[1]
	}
	if len(k) > 24 {
		k = k[:24] + "…"
	}
	return k
}

// A Secret is one `secret` block: an age file and its recipients.
type Secret struct {
	// File is the file name as written in the label, cleaned, with
	// slashes, relative to the RecipientsFile's Dir.
	File string
	// Path is Dir joined with File.
	Path string
	// Recipients are the keys it is encrypted to, without duplicates.
	Recipients []*Recipient
	// DeclRange is the block's label, for diagnostics.
	DeclRange hcl.Range
}

// AgeRecipients returns the parsed keys of s, for Encrypt.
func (s *Secret) AgeRecipients() []age.Recipient {
	rs := make([]age.Recipient, len(s.Recipients))
	for i, r := range s.Recipients {
		rs[i] = r.Recipient
	}
	return rs
}

// Lookup returns the secret whose file is name (absolute, or relative to
// the working folder), or nil.
func (f *RecipientsFile) Lookup(name string) *Secret {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil
	}
	dir, err := filepath.Abs(f.Dir)
	if err != nil {
		return nil
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		return nil
	}
	rel = filepath.ToSlash(rel)
	for _, s := range f.Secrets {
		if s.File == rel {
			return s
		}
	}
	return nil
}

var recipientsFileSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "recipients"}, {Name: "groups"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "secret", LabelNames: []string{"file"}}},
}

var secretBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "recipients", Required: true}},
}

// LoadRecipientsFile reads and parses the recipients file at path.
// Diagnostics point at file:line:column; the result is nil when there are
// errors.
func LoadRecipientsFile(path string) (*RecipientsFile, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{errorDiag("Cannot read the recipients file", err.Error(), nil)}
	}
	return ParseRecipientsFile(path, src)
}

// ParseRecipientsFile parses src, the content of the recipients file
// named path (secret file names are relative to its folder).
//
// A private key written where a public key belongs is reported once, at
// the name of its entry (recipients.NAME, groups.NAME, a secret's
// recipients), and references to that entry are no further errors. No
// diagnostic quotes a private key, and their ranges never span one; the
// line of the name can hold it, so snippets are cut from Source (see
// MaskPrivateKeys), never from src.
func ParseRecipientsFile(path string, src []byte) (*RecipientsFile, hcl.Diagnostics) {
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		maskDiagnostics(diags)
		return nil, diags
	}
	content, d := file.Body.Content(recipientsFileSchema)
	diags = append(diags, d...)
	rf := &RecipientsFile{
		Path: path, Dir: filepath.Dir(path), Source: MaskPrivateKeys(src),
		Recipients: map[string]*Recipient{}, Groups: map[string][]*Recipient{},
		src: src, invalid: map[string]bool{},
	}
	defer func() { rf.src, rf.invalid = nil, nil }()
	byKey := map[string]*Recipient{}
	if attr := content.Attributes["recipients"]; attr != nil {
		diags = append(diags, rf.parseRecipients(attr, byKey)...)
	}
	if attr := content.Attributes["groups"]; attr != nil {
		diags = append(diags, rf.parseGroups(attr, byKey)...)
	}
	seen := map[string]*Secret{}
	for _, b := range content.Blocks {
		s, d := rf.parseSecret(b, byKey)
		diags = append(diags, d...)
		if s == nil {
			continue
		}
		if prev := seen[s.File]; prev != nil {
			diags = append(diags, errorDiag("Duplicate secret", fmt.Sprintf("%s is already listed at line %d; list each secret once.", s.File, prev.DeclRange.Start.Line), &s.DeclRange))
			continue
		}
		seen[s.File] = s
		rf.Secrets = append(rf.Secrets, s)
	}
	maskDiagnostics(diags)
	if diags.HasErrors() {
		return nil, diags
	}
	return rf, diags
}

// maskDiagnostics masks the private keys that the summary or detail of a
// diagnostic quote (an HCL message can quote the source), as the source
// snippets are masked.
func maskDiagnostics(diags hcl.Diagnostics) {
	for _, d := range diags {
		d.Summary, d.Detail = maskText(d.Summary), maskText(d.Detail)
	}
}

// parseRecipients reads `recipients = { name = "key", … }`. A name
// whose key is invalid is remembered in rf.invalid.
func (rf *RecipientsFile) parseRecipients(attr *hcl.Attribute, byKey map[string]*Recipient) hcl.Diagnostics {
	defined := func(name string) bool { return rf.Recipients[name] != nil || rf.invalid["recipients."+name] }
	return namedEntries(attr, "recipient", `recipients is an object of names to public keys: recipients = { alice = "age1…", web1 = "ssh-ed25519 AAAA…" }.`, defined,
		func(name string, p hcl.KeyValuePair) hcl.Diagnostics {
			diags := rf.parseRecipient(name, p, byKey)
			if diags.HasErrors() {
				rf.invalid["recipients."+name] = true
			}
			return diags
		})
}

// parseRecipient reads one entry `name = "key"` of recipients.
func (rf *RecipientsFile) parseRecipient(name string, p hcl.KeyValuePair, byKey map[string]*Recipient) hcl.Diagnostics {
	v, diags := p.Value.Value(nil)
	// An expression that does not evaluate ("AGE-SECRET-KEY-1${…}") is
	// judged by its text.
	if diags.HasErrors() && rf.textHoldsPrivateKey(p.Value) || !diags.HasErrors() && valueHoldsPrivateKey(v) {
		return hcl.Diagnostics{privateKeyDiag("recipients."+name+" is a private key", p.Key.Range())}
	}
	if diags.HasErrors() {
		return diags
	}
	key, ok := stringValue(v)
	if !ok {
		return append(diags, errorDiag("Invalid recipient", fmt.Sprintf("%s: a recipient is a public key in a string: \"age1…\" or \"ssh-ed25519 AAAA…\".", name), p.Value.Range().Ptr()))
	}
	r, err := ParseRecipient(key)
	if err != nil {
		return append(diags, errorDiag("Invalid recipient", fmt.Sprintf("%s: %v.", name, err), p.Value.Range().Ptr()))
	}
	rec := &Recipient{Name: name, Key: strings.TrimSpace(key), Recipient: r}
	rf.Recipients[name] = rec
	if _, dup := byKey[canonicalKey(key)]; !dup {
		byKey[canonicalKey(key)] = rec
	}
	return diags
}

// privateKeySummary is the summary of the error about a private key
// written where a public key belongs.
const privateKeySummary = "Private key instead of a public key"

// privateKeyDiag is the error about a private key written where a public
// key belongs: what says where ("recipients.alice is a private key"). Its
// subject is name, the range of the entry's name, which the key is not
// part of; its text does not quote the key. The hints say what to write
// instead and that the key is to be taken as leaked: secrets.hcl is made
// to be committed, and may have been, or shown in a CI log already.
func privateKeyDiag(what string, name hcl.Range) *hcl.Diagnostic {
	return errorDiag(privateKeySummary,
		what+" (not shown here); "+RecipientsFileName+" lists public keys only, as it is meant to be committed.\n"+
			"hint: write the public key there instead: age1… (age-keygen -y KEYFILE prints it) or ssh-ed25519 AAAA… (the key's .pub file)\n"+
			"hint: treat this private key as leaked if the file was committed, pushed or shared: make a new key, list its public key, run gocfg secrets rekey, and change the secrets the old key could open",
		&name)
}

// textHoldsPrivateKey reports whether the text of expr holds a private
// key. It is for an expression that does not evaluate: the text of one
// that does can hold a comment that only mentions a key.
func (rf *RecipientsFile) textHoldsPrivateKey(expr hcl.Expression) bool {
	r := expr.Range()
	return r.End.Byte <= len(rf.src) && looksLikePrivateKey(string(r.SliceBytes(rf.src)))
}

// valueHoldsPrivateKey reports whether a string of v, or v, holds a
// private key.
func valueHoldsPrivateKey(v cty.Value) bool {
	found := false
	_ = cty.Walk(v, func(_ cty.Path, v cty.Value) (bool, error) {
		if s, ok := stringValue(v); ok && looksLikePrivateKey(s) {
			found = true
		}
		return !found, nil
	})
	return found
}

// parseGroups reads `groups = { name = [recipients.a, …], … }`. A name
// whose list is invalid is remembered in rf.invalid.
func (rf *RecipientsFile) parseGroups(attr *hcl.Attribute, byKey map[string]*Recipient) hcl.Diagnostics {
	defined := func(name string) bool { _, ok := rf.Groups[name]; return ok || rf.invalid["groups."+name] }
	return namedEntries(attr, "group", "groups is an object of names to lists of recipients: groups = { admins = [recipients.alice, recipients.bob] }.", defined,
		func(name string, p hcl.KeyValuePair) hcl.Diagnostics {
			rs, ok, diags := rf.recipientList(p.Value, byKey, false, "The group "+name+" includes a private key", p.Key.Range())
			if ok {
				rf.Groups[name] = rs
			} else {
				rf.invalid["groups."+name] = true
			}
			return diags
		})
}

// namedEntries reads an attribute that is an object of names to values
// (the recipients, the groups; what names one in messages, notObject
// says what the attribute is when it is not an object). Each entry whose
// name is an identifier or a string not yet defined is read by each.
func namedEntries(attr *hcl.Attribute, what, notObject string, defined func(string) bool, each func(name string, p hcl.KeyValuePair) hcl.Diagnostics) hcl.Diagnostics {
	pairs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		return hcl.Diagnostics{errorDiag("Invalid "+attr.Name, notObject, attr.Expr.Range().Ptr())}
	}
	for _, p := range pairs {
		name, ok := pairName(p.Key)
		if !ok {
			diags = append(diags, errorDiag("Invalid "+what+" name", "A "+what+"'s name is an identifier or a quoted string.", p.Key.Range().Ptr()))
			continue
		}
		if looksLikePrivateKey(name) {
			// Its name quoted in a later message would show it.
			diags = append(diags, errorDiag("Invalid "+what+" name", "A "+what+"'s name is an identifier or a quoted string; this one holds a private key (not shown here).", p.Key.Range().Ptr()))
			continue
		}
		if defined(name) {
			diags = append(diags, errorDiag("Duplicate "+what+" name", fmt.Sprintf("%q is already defined in %s.", name, attr.Name), p.Key.Range().Ptr()))
			continue
		}
		diags = append(diags, each(name, p)...)
	}
	return diags
}

// parseSecret reads one `secret "FILE" { recipients = [...] }` block.
func (rf *RecipientsFile) parseSecret(b *hcl.Block, byKey map[string]*Recipient) (*Secret, hcl.Diagnostics) {
	labelRange := b.LabelRanges[0]
	file := b.Labels[0]
	clean := path.Clean(filepath.ToSlash(file))
	if file == "" || path.IsAbs(clean) || filepath.IsAbs(file) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
		return nil, hcl.Diagnostics{errorDiag("Invalid secret file", "A secret's file is relative to the folder of "+RecipientsFileName+" and inside it, such as \"secrets/api-token.age\".", &labelRange)}
	}
	content, diags := b.Body.Content(secretBlockSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	attr := content.Attributes["recipients"]
	rs, ok, d := rf.recipientList(attr.Expr, byKey, true, "The recipients of "+clean+" include a private key", attr.NameRange)
	diags = append(diags, d...)
	if !ok {
		return nil, diags
	}
	if len(rs) == 0 {
		return nil, append(diags, errorDiag("No recipients", fmt.Sprintf("%s has no recipients: nobody could decrypt it.", clean), attr.Expr.Range().Ptr()))
	}
	if pq := slices.IndexFunc(rs, isPostQuantum); pq >= 0 && slices.ContainsFunc(rs, func(r *Recipient) bool { return !isPostQuantum(r) }) {
		return nil, append(diags, errorDiag("Incompatible recipients", fmt.Sprintf("%s mixes a post-quantum recipient (%s) with classic ones; age refuses that, as the file would be open to a quantum computer through the classic keys. Use post-quantum keys (age-keygen -pq) for all its recipients, or none.", clean, rs[pq].Label()), attr.Expr.Range().Ptr()))
	}
	return &Secret{
		File:       clean,
		Path:       filepath.Join(rf.Dir, filepath.FromSlash(clean)),
		Recipients: rs,
		DeclRange:  labelRange,
	}, diags
}

// recipientList evaluates a list of recipients: references to
// recipients.NAME and (when groups is set) groups.NAME, and keys written
// in place, nested lists flattened, duplicates dropped. ok is false when
// the list is in error: with diagnostics, or without when it refers to
// an entry already reported invalid. Private keys written in the list
// are reported once, at at (the range of the name of the list's entry
// or attribute), by privateKeyDiag(private): private says which list
// ("The group admins includes a private key").
func (rf *RecipientsFile) recipientList(expr hcl.Expression, byKey map[string]*Recipient, groups bool, private string, at hcl.Range) (rs []*Recipient, ok bool, diags hcl.Diagnostics) {
	elems := []hcl.Expression{expr}
	if tuple, ok := expr.(*hclsyntax.TupleConsExpr); ok {
		elems = elems[:0]
		for _, e := range tuple.Exprs {
			elems = append(elems, e)
		}
	}
	// Keys written in place first, so that a private key among them is
	// reported whatever the references are.
	hasPrivate := false
	refersToInvalid := false
	var rest []hcl.Expression
	for _, e := range elems {
		if len(e.Variables()) == 0 {
			v, d := e.Value(nil)
			if d.HasErrors() && rf.textHoldsPrivateKey(e) || !d.HasErrors() && valueHoldsPrivateKey(v) {
				hasPrivate = true
				continue
			}
		}
		rest = append(rest, e)
		for _, tr := range e.Variables() {
			d, invalid := rf.checkReference(tr, groups)
			diags = append(diags, d...)
			refersToInvalid = refersToInvalid || invalid
		}
	}
	if hasPrivate {
		diags = append(diags, privateKeyDiag(private, at))
	}
	if diags.HasErrors() || refersToInvalid {
		return nil, false, diags
	}
	vars := map[string]cty.Value{"recipients": cty.EmptyObjectVal, "groups": cty.EmptyObjectVal}
	if len(rf.Recipients) > 0 {
		m := map[string]cty.Value{}
		for name, r := range rf.Recipients {
			m[name] = cty.StringVal(r.Key)
		}
		vars["recipients"] = cty.ObjectVal(m)
	}
	if groups && len(rf.Groups) > 0 {
		m := map[string]cty.Value{}
		for name, rs := range rf.Groups {
			keys := make([]cty.Value, len(rs))
			for i, r := range rs {
				keys[i] = cty.StringVal(r.Key)
			}
			m[name] = cty.TupleVal(keys)
		}
		vars["groups"] = cty.ObjectVal(m)
	}
	ctx := &hcl.EvalContext{Variables: vars}
	seen := map[string]bool{}
	for _, e := range rest {
		v, d := e.Value(ctx)
		// A key in an expression with references: the recipients and
		// groups referred to hold none.
		if d.HasErrors() && rf.textHoldsPrivateKey(e) || !d.HasErrors() && valueHoldsPrivateKey(v) {
			hasPrivate = true
			continue
		}
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		var keys []string
		if !flattenStrings(v, &keys) {
			diags = append(diags, errorDiag("Invalid recipient list", "A list of recipients: [recipients.alice, groups.admins, \"age1…\"].", e.Range().Ptr()))
			continue
		}
		for _, key := range keys {
			ck := canonicalKey(key)
			if seen[ck] {
				continue
			}
			seen[ck] = true
			if r := byKey[ck]; r != nil {
				rs = append(rs, r)
				continue
			}
			r, err := ParseRecipient(key)
			if err != nil {
				diags = append(diags, errorDiag("Invalid recipient", err.Error()+".", e.Range().Ptr()))
				continue
			}
			rs = append(rs, &Recipient{Key: strings.TrimSpace(key), Recipient: r})
		}
	}
	if hasPrivate {
		diags = append(diags, privateKeyDiag(private, at))
	}
	if diags.HasErrors() {
		return nil, false, diags
	}
	return rs, true, diags
}

// isPostQuantum reports whether r is an age post-quantum (age1pq1…)
// recipient.
func isPostQuantum(r *Recipient) bool { return strings.HasPrefix(r.Key, "age1pq1") }

// checkReference checks that a reference names a known recipient or
// group. invalid reports a reference to one that is defined but was
// reported invalid: no error again, yet not a recipient either.
func (rf *RecipientsFile) checkReference(tr hcl.Traversal, groups bool) (diags hcl.Diagnostics, invalid bool) {
	root := tr.RootName()
	var names []string
	var what, kind string
	switch {
	case root == "recipients":
		what, kind = "recipient", "recipients"
		for n := range rf.Recipients {
			names = append(names, n)
		}
		names = append(names, rf.invalidNames(kind)...)
	case root == "groups" && groups:
		what, kind = "group", "groups"
		for n := range rf.Groups {
			names = append(names, n)
		}
		names = append(names, rf.invalidNames(kind)...)
	default:
		detail := "Only recipients.NAME can be referred to here."
		if groups {
			detail = "Only recipients.NAME and groups.NAME can be referred to here."
		}
		return hcl.Diagnostics{errorDiag("Unknown reference", detail, tr.SourceRange().Ptr())}, false
	}
	if len(tr) < 2 {
		return hcl.Diagnostics{errorDiag("Invalid reference", fmt.Sprintf("Name one %s: %s.NAME.", what, kind), tr.SourceRange().Ptr())}, false
	}
	var name string
	switch step := tr[1].(type) {
	case hcl.TraverseAttr:
		name = step.Name
	case hcl.TraverseIndex:
		if step.Key.Type() == cty.String && step.Key.IsKnown() && !step.Key.IsNull() {
			name = step.Key.AsString()
		}
	}
	if rf.invalid[kind+"."+name] {
		return nil, true
	}
	if slices.Contains(names, name) {
		return nil, false
	}
	sort.Strings(names)
	detail := fmt.Sprintf("There is no %s named %q in %s.", what, name, kind)
	if s := closest(name, names); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else if len(names) > 0 {
		detail += " Known: " + strings.Join(names, ", ") + "."
	}
	return hcl.Diagnostics{errorDiag("Unknown "+what, detail, tr.SourceRange().Ptr())}, false
}

// invalidNames returns the names of kind (recipients, groups) that are
// defined but invalid: known names, to suggest.
func (rf *RecipientsFile) invalidNames(kind string) []string {
	var names []string
	for ref := range rf.invalid {
		if n, ok := strings.CutPrefix(ref, kind+"."); ok {
			names = append(names, n)
		}
	}
	return names
}

// errorDiag is an error diagnostic of the recipients file; subject is
// nil when it points at no place in it.
func errorDiag(summary, detail string, subject *hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject}
}

// closest returns the name nearest to s by edit distance, if near enough.
func closest(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := levenshtein.Distance(s, n, nil); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// pairName returns an object key written as an identifier or a string.
func pairName(expr hcl.Expression) (string, bool) {
	if kw := hcl.ExprAsKeyword(expr); kw != "" {
		return kw, true
	}
	v, d := expr.Value(nil)
	if d.HasErrors() {
		return "", false
	}
	s, ok := stringValue(v)
	return s, ok && s != ""
}

// stringValue returns a known, non-null string value.
func stringValue(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// flattenStrings appends the strings of v, a string or a (nested) list or
// tuple of strings, to out.
func flattenStrings(v cty.Value, out *[]string) bool {
	if s, ok := stringValue(v); ok {
		*out = append(*out, s)
		return true
	}
	if !v.IsKnown() || v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType()) {
		return false
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !flattenStrings(e, out) {
			return false
		}
	}
	return true
}

// canonicalKey is a key without its comment or surrounding space: two
// lines of the same SSH key with different comments are one recipient.
func canonicalKey(key string) string {
	f := strings.Fields(key)
	if len(f) >= 2 && strings.HasPrefix(f[0], "ssh-") {
		return f[0] + " " + f[1]
	}
	return strings.TrimSpace(key)
}
