package secrets

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/gocfg/gocfg/internal/diagnostics"
)

// Private keys pasted into secrets.hcl by mistake, and texts of each that
// must never be printed back (distinctive parts of their bodies).
const (
	ageIdentity  = "AGE-SECRET-KEY-1TXZM5QTUJ8JCG2S6H0KQA42UNYZK5VNZDG5JMPKJGVJVY29GLQ8S6ZY7HK"
	ageFragment  = "TXZM5QTUJ8JCG2S6"
	pqIdentity   = "AGE-SECRET-KEY-PQ-1PQPQ7XGZ3ME4L9Q0W5RU2XK8CN3YHDV6SJF4TPQ"
	pqFragment   = "PQPQ7XGZ3ME4L9Q0"
	plugIdentity = "AGE-PLUGIN-YUBIKEY-1YKYK3QZ8ZMNP6WX4VG2HLUJ9RDFTE5CQSA7"
	plugFragment = "YKYK3QZ8ZMNP6WX4"
	openSSHKey   = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACAaEPKTrbLsuE/pX5+9AbLl4kz4rgDfUFARi1NKclWsLQAAAIgoT3eVKE93
lQAAAAtzc2gtZWQyNTUxOQAAACAaEPKTrbLsuE/pX5+9AbLl4kz4rgDfUFARi1NKclWsLQ
AAAEAbvyHNQNB4qFbcvIUpmIl7iGhrwRMGOFH7k8jmcfwSuhoQ8pOtsuy4T+lfn70BsuXi
TPiuAN9QUBGLU0pyVawtAAAABHRlc3QB
-----END OPENSSH PRIVATE KEY-----`
	pemKeyEscaped = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAzPEMPEMfragment0x7Q\n-----END RSA PRIVATE KEY-----\n`
	alicePublic   = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"
)

// openSSHFragments are parts of each line of openSSHKey's body.
var openSSHFragments = []string{openSSHKeyBody, "QyNTUxOQAAACAaEPKT", "lQAAAAtzc2gtZWQyNTUx", "AAAEAbvyHNQNB4qFbcv", "TPiuAN9QUBGLU0pyVawt"}

// TestRecipientsFilePrivateKey: a private key where a public key belongs
// is one error, at the name of its entry, that shows no part of the key.
// Its ranges (Subject, and Context if any: both make a printer show their
// lines) lie on the name's line and do not overlap the key's bytes; its
// texts do not quote the key; printed as gocfg prints it (the snippet cut
// from the masked source), no part of the key appears; references to the
// entry are no further error.
func TestRecipientsFilePrivateKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		// key is the private key as written in src; fragments are parts
		// of it that must not be shown.
		key       string
		fragments []string
		// at is "line:column name": where the error is, and the text of
		// its range.
		at string
	}{{
		name: "age identity",
		src: "recipients = {\n  alice = \"" + alicePublic + "\"\n  oops = \"" + ageIdentity + "\"\n}\n" +
			"secret \"a.age\" {\n  recipients = [recipients.oops, recipients.alice]\n}\n",
		key: ageIdentity, fragments: []string{ageFragment, "AGE-SECRET-KEY"}, at: "3:3 oops",
	}, {
		name: "age identity in lower case",
		src:  "recipients = {\n  \"oops\" = \"" + strings.ToLower(ageIdentity) + "\"\n}\nsecret \"a.age\" { recipients = [recipients[\"oops\"]] }\n",
		key:  strings.ToLower(ageIdentity), fragments: []string{strings.ToLower(ageFragment), "age-secret-key"}, at: "2:3 \"oops\"",
	}, {
		name: "age post-quantum identity",
		src:  "recipients = {\n  pq = \"" + pqIdentity + "\"\n}\nsecret \"a.age\" { recipients = [recipients.pq] }\n",
		key:  pqIdentity, fragments: []string{pqFragment}, at: "2:3 pq",
	}, {
		name: "age plugin identity",
		src:  "recipients = {\n  yubi = \"" + plugIdentity + "\"\n}\nsecret \"a.age\" { recipients = [recipients.yubi] }\n",
		key:  plugIdentity, fragments: []string{plugFragment, "AGE-PLUGIN"}, at: "2:3 yubi",
	}, {
		name: "OpenSSH key in a heredoc",
		src: "recipients = {\n  alice = \"" + alicePublic + "\"\n  oops2 = <<-K\n" + openSSHKey + "\n  K\n}\n" +
			"groups = {\n  admins = [recipients.alice, recipients.oops2]\n}\n" +
			"secret \"a.age\" {\n  recipients = [groups.admins]\n}\n",
		key: openSSHKey, fragments: append([]string{"PRIVATE KEY"}, openSSHFragments...), at: "3:3 oops2",
	}, {
		name: "PEM key with escapes",
		src:  "recipients = {\n  rsa = \"" + pemKeyEscaped + "\"\n}\n",
		key:  pemKeyEscaped, fragments: []string{"PEMPEMfragment0x7Q", "PRIVATE KEY"}, at: "2:3 rsa",
	}, {
		name: "OpenSSH body without its armour",
		src:  "recipients = {\n  body = \"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\"\n}\n",
		key:  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", fragments: []string{openSSHKeyBody, "AAAAMwAAAAtzc2gtZW"}, at: "2:3 body",
	}, {
		name: "age identity spelled with an escape",
		src:  "recipients = {\n  esc = \"AGE\\u002DSECRET-KEY-1" + ageIdentity[len("AGE-SECRET-KEY-1"):] + "\"\n}\n",
		key:  "AGE\\u002DSECRET-KEY-1" + ageIdentity[len("AGE-SECRET-KEY-1"):], fragments: []string{ageFragment}, at: "2:3 esc",
	}, {
		name: "age identity with an interpolation",
		src:  "recipients = {\n  interp = \"AGE-SECRET-KEY-1QQQQQQQQ7QQ${x}\"\n}\n",
		key:  "AGE-SECRET-KEY-1QQQQQQQQ7QQ", fragments: []string{"QQQQQQQQ7QQ", "AGE-SECRET-KEY"}, at: "2:3 interp",
	}, {
		name: "age identity in a list",
		src:  "recipients = {\n  list = [\"" + ageIdentity + "\"]\n}\nsecret \"a.age\" { recipients = [recipients.list] }\n",
		key:  ageIdentity, fragments: []string{ageFragment, "AGE-SECRET-KEY"}, at: "2:3 list",
	}, {
		name: "age identity written in a secret's list",
		src: "recipients = {\n  alice = \"" + alicePublic + "\"\n}\n" +
			"secret \"a.age\" {\n  recipients = [recipients.alice, \"" + ageIdentity + "\", \"" + strings.ToLower(ageIdentity) + "\"]\n}\n",
		key: ageIdentity, fragments: []string{ageFragment, strings.ToLower(ageFragment), "AGE-SECRET-KEY"}, at: "5:3 recipients",
	}, {
		name: "OpenSSH key written in a group",
		src: "recipients = {\n  alice = \"" + alicePublic + "\"\n}\n" +
			"groups = {\n  admins = [recipients.alice, <<-K\n" + openSSHKey + "\n  K\n  ]\n}\n" +
			"secret \"a.age\" { recipients = [groups.admins] }\n",
		key: openSSHKey, fragments: append([]string{"PRIVATE KEY"}, openSSHFragments...), at: "5:3 admins",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.src)
			keyStart := bytes.Index(src, []byte(tc.key))
			if keyStart < 0 {
				t.Fatal("the key is not in the source")
			}
			keyEnd := keyStart + len(tc.key)
			rf, diags := ParseRecipientsFile("/repo/secrets.hcl", src)
			if rf != nil || len(diags) != 1 {
				t.Fatalf("want one error, got %d:\n%s", len(diags), diagsText(diags))
			}
			d := diags[0]
			if d.Summary != privateKeySummary {
				t.Errorf("summary %q, want %q", d.Summary, privateKeySummary)
			}
			for _, r := range []*hcl.Range{d.Subject, d.Context} {
				if r == nil {
					continue
				}
				if r.Start.Byte < keyEnd && keyStart < r.End.Byte {
					t.Errorf("range %s overlaps the key (bytes %d-%d)", r, keyStart, keyEnd)
				}
				if r.Start.Line != r.End.Line {
					t.Errorf("range %s spans lines: a printer shows them all", r)
				}
			}
			if d.Subject == nil {
				t.Fatal("no subject")
			}
			if got := fmt.Sprintf("%d:%d %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Subject.SliceBytes(src)); got != tc.at {
				t.Errorf("error at %q, want %q (the entry's name)", got, tc.at)
			}
			for _, want := range []string{"private key (not shown here)", "age1…", "ssh-ed25519", "leaked", "gocfg secrets rekey"} {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("detail lacks %q: %s", want, d.Detail)
				}
			}

			// Printed as gocfg prints it, from the masked source.
			masked := MaskPrivateKeys(src)
			if len(masked) != len(src) || bytes.Count(masked, []byte("\n")) != bytes.Count(src, []byte("\n")) {
				t.Fatalf("masking moved the text:\n%s", masked)
			}
			var out bytes.Buffer
			w := &diagnostics.Writer{Out: &out, Sources: func(string) []byte { return masked }}
			if err := w.Write(diags); err != nil {
				t.Fatal(err)
			}
			printed := out.String()
			wantLoc := fmt.Sprintf("--> /repo/secrets.hcl:%s\n", strings.Fields(tc.at)[0])
			if !strings.Contains(printed, wantLoc) || !strings.Contains(printed, "^") {
				t.Errorf("printed without %q or a snippet:\n%s", wantLoc, printed)
			}
			for _, f := range tc.fragments {
				for what, text := range map[string]string{"summary": d.Summary, "detail": d.Detail, "masked source": string(masked), "printed diagnostic": printed} {
					if strings.Contains(text, f) {
						t.Errorf("the %s shows %q:\n%s", what, f, text)
					}
				}
			}
			if strings.Contains(printed, "There is no") {
				t.Errorf("a reference to the invalid entry is an error too:\n%s", printed)
			}
		})
	}
}

// TestRecipientsFileInvalidReferredTo: a reference to a recipient or group
// that is defined but invalid is no second error ("There is no recipient
// named …" would contradict the file); a misspelt one still is, with the
// invalid entry among the names suggested.
func TestRecipientsFileInvalidReferredTo(t *testing.T) {
	src := "recipients = {\n  typo = \"" + alicePublic + "x\"\n  num = 42\n}\n" +
		"groups = {\n  bad = [recipients.typo]\n  worse = [recipients.num, recipients.alicee]\n}\n" +
		"secret \"a.age\" { recipients = [recipients.typo, groups.bad, groups.worse] }\n" +
		"secret \"b.age\" { recipients = [recipients.typ] }\n"
	_, diags := ParseRecipientsFile("/repo/secrets.hcl", []byte(src))
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d: %s: %s", d.Subject.Start.Line, d.Summary, d.Detail))
	}
	want := []string{
		"2: Invalid recipient: typo: not a valid age recipient (age1…).",
		`3: Invalid recipient: num: a recipient is a public key in a string: "age1…" or "ssh-ed25519 AAAA…".`,
		`7: Unknown recipient: There is no recipient named "alicee" in recipients. Known: num, typo.`,
		`10: Unknown recipient: There is no recipient named "typ" in recipients. Did you mean "typo"?`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRecipientsFileMentionsKeys: a comment that mentions private keys,
// even inside a list, is no private key.
func TestRecipientsFileMentionsKeys(t *testing.T) {
	src := "recipients = {\n  alice = \"" + alicePublic + "\"\n}\n" +
		"groups = {\n  admins = [\n    # never an AGE-SECRET-KEY-1… or a PRIVATE KEY here\n    recipients.alice,\n  ]\n}\n" +
		"secret \"a.age\" {\n  recipients = [\n    groups.admins, # public keys only, no PRIVATE KEY\n  ]\n}\n"
	rf, diags := ParseRecipientsFile("/repo/secrets.hcl", []byte(src))
	if diags.HasErrors() || len(rf.Secrets) != 1 || len(rf.Secrets[0].Recipients) != 1 {
		t.Fatalf("diagnostics:\n%s", diagsText(diags))
	}
}

// TestMaskPrivateKeys: the source shown in snippets keeps its offsets and
// lines, masks every private key, also in a file that does not parse or
// in a comment, and leaves the rest as it is.
func TestMaskPrivateKeys(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{{
		name: "age identity in a comment",
		src:  "# was: AGE-SECRET-KEY-1ABC\nrecipients = {}\n",
		want: "# was: *******************\nrecipients = {}\n",
	}, {
		name: "armoured key that does not parse",
		src:  "recipients = {\n  k = -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1r\nQyNTUx\n-----END OPENSSH PRIVATE KEY-----\n}\n",
		want: "recipients = {\n  k = ********** ******* ******* ********\n************\n******\n******** ******* ******* ********\n}\n",
	}, {
		name: "armour without its end",
		src:  "k = <<EOF\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1r\nQyNTUx\nEOF\nsecret \"x\" {}\n",
		want: "k = <<EOF\n********** ******* ******* ********\n************\n******\n***\nsecret \"x\" {}\n",
	}, {
		name: "middle lines of a key's body, no start, in a file that does not parse",
		src:  "recipients = {\n  k = \"x\"\nQyNTUxOQAAACAaEPKTrbLsuE/pX5+9AbLl4kz4rgDfUFARi1NKclWsLQAAAIgoT3eVKE93\n  lQAAAAtzc2gtZWQyNTUxOQAAACAaEPKTrbLsuE/pX5+9AbLl4kz4rgDfUFARi1NKclWsLQ\r\n}\n",
		want: "recipients = {\n  k = \"x\"\n**********************************************************************\n  **********************************************************************\r\n}\n",
	}, {
		name: "short bare words are left",
		src:  "recipients = {\n  k = \"x\"\nAAAAB3NzaC1yc2E\n}\n",
		want: "recipients = {\n  k = \"x\"\nAAAAB3NzaC1yc2E\n}\n",
	}, {
		name: "public keys are left",
		src:  "recipients = {\n  alice = \"" + alicePublic + "\" # age-plugin-yubikey is fine\n}\n",
		want: "recipients = {\n  alice = \"" + alicePublic + "\" # age-plugin-yubikey is fine\n}\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(MaskPrivateKeys([]byte(tc.src))); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}

	// A syntax error next to a key: the parser's diagnostic, printed
	// from the masked source, does not show it.
	src := []byte("recipients = {\n  oops = \"" + ageIdentity + "\" oops\n}\n")
	_, diags := ParseRecipientsFile("/repo/secrets.hcl", src)
	var out bytes.Buffer
	w := &diagnostics.Writer{Out: &out, Sources: func(string) []byte { return MaskPrivateKeys(src) }}
	_ = w.Write(diags)
	if !diags.HasErrors() || !strings.Contains(out.String(), "--> /repo/secrets.hcl:2:") || strings.Contains(out.String(), ageFragment) {
		t.Errorf("syntax error printed as:\n%s", out.String())
	}

	// A line of a key's body, alone, is the syntax error: its snippet
	// shows the line masked.
	src = []byte("recipients = {\n  alice = \"" + alicePublic + "\"\n}\nQyNTUxOQAAACAaEPKTrbLsuE/pX5+9AbLl4kz4rgDfUFARi1NKclWsLQAAAIgoT3eVKE93\n")
	_, diags = ParseRecipientsFile("/repo/secrets.hcl", src)
	out.Reset()
	_ = w.Write(diags)
	if !diags.HasErrors() || !strings.Contains(out.String(), "--> /repo/secrets.hcl:4:") || strings.Contains(out.String(), "QyNTUxOQAAACAaEPKT") {
		t.Errorf("syntax error at a key's body line printed as:\n%s", out.String())
	}
}

// diagsText is diags, one a line, for failure messages.
func diagsText(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %s: %s\n", d.Subject, d.Summary, d.Detail)
	}
	return b.String()
}
