package secrets

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/errorfixture"
)

func TestRecipientsFileValid(t *testing.T) {
	rf, diags := LoadRecipientsFile("testdata/valid/secrets.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var got strings.Builder
	for _, s := range rf.Secrets {
		got.WriteString(s.File + ":")
		for _, r := range s.Recipients {
			got.WriteString(" " + r.Label())
		}
		got.WriteString("\n")
		if len(s.AgeRecipients()) != len(s.Recipients) {
			t.Errorf("%s: AgeRecipients has %d, want %d", s.File, len(s.AgeRecipients()), len(s.Recipients))
		}
		if s.Path != filepath.Join("testdata/valid", s.File) {
			t.Errorf("%s: Path = %s", s.File, s.Path)
		}
	}
	want, err := os.ReadFile("testdata/valid/expected.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("secrets:\n%s\nwant\n%s", got.String(), want)
	}
	if len(rf.Recipients) != 4 || len(rf.Groups["admins"]) != 2 {
		t.Errorf("recipients %d, admins %d", len(rf.Recipients), len(rf.Groups["admins"]))
	}

	// Lookup by a name relative to the working folder, or absolute.
	if s := rf.Lookup("testdata/valid/secrets/wifi.age"); s == nil || s.File != "secrets/wifi.age" {
		t.Errorf("Lookup(relative) = %v", s)
	}
	abs, _ := filepath.Abs("testdata/valid/secrets/./api-token.age")
	if s := rf.Lookup(abs); s == nil || s.File != "secrets/api-token.age" {
		t.Errorf("Lookup(absolute) = %v", s)
	}
	if s := rf.Lookup("testdata/valid/secrets/other.age"); s != nil {
		t.Errorf("Lookup(unlisted) = %v", s)
	}
}

// The named keys encrypt: a file encrypted to a secret's recipients opens
// with the key of each.
func TestRecipientsFileEncrypts(t *testing.T) {
	alice, host := ageKey(t), ed25519Key(t, "")
	src := "recipients = {\n  alice = \"" + alice.public + "\"\n  host = \"" + host.public + "\"\n}\n" +
		"secret \"s.age\" {\n  recipients = [recipients.alice, recipients.host]\n}\n"
	rf, diags := ParseRecipientsFile("/repo/secrets.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ct, err := Encrypt([]byte("x"), rf.Secrets[0].AgeRecipients(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []testKey{alice, host} {
		ids, _ := ParseIdentities("k", k.private, nil)
		if got, err := Decrypt(ct, ids); err != nil || string(got) != "x" {
			t.Errorf("Decrypt = %q, %v", got, err)
		}
	}
}

// TestRecipientsFileInvalid parses each testdata/invalid/*.hcl: every line
// marked `# ERROR: <summary>` must be the start of an error with that
// summary, and every error must be marked.
func TestRecipientsFileInvalid(t *testing.T) {
	for _, file := range errorfixture.Glob(t, "testdata/invalid/*.hcl") {
		t.Run(errorfixture.Name(file), func(t *testing.T) {
			rf, diags := LoadRecipientsFile(file)
			if rf != nil {
				t.Error("a result despite errors")
			}
			errorfixture.Check(t, file, diags)
			for _, d := range diags {
				// A private key written by mistake is never echoed.
				if strings.Contains(d.Detail, "AGE-SECRET-KEY-1") {
					t.Errorf("%s: detail quotes a private key: %s", d.Summary, d.Detail)
				}
			}
		})
	}
}

func TestRecipientsFileDetails(t *testing.T) {
	_, diags := LoadRecipientsFile("testdata/invalid/unknown_recipient.hcl")
	var details []string
	for _, d := range diags {
		details = append(details, d.Detail)
	}
	all := strings.Join(details, "\n")
	for _, want := range []string{
		`There is no recipient named "alcie" in recipients. Did you mean "alice"?`,
		`There is no recipient named "carol" in recipients. Known: alice, web1.`,
		`There is no group named "admins" in groups.`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("details lack %q:\n%s", want, all)
		}
	}
	for file, wants := range map[string][]string{
		"names": {
			`"alice" is already defined in recipients.`,
			`A recipient's name is an identifier or a quoted string.`,
			`"admins" is already defined in groups.`,
			`A group's name is an identifier or a quoted string.`,
		},
		"not_objects": {
			`recipients is an object of names to public keys: recipients = { alice = "age1…", web1 = "ssh-ed25519 AAAA…" }.`,
			`groups is an object of names to lists of recipients: groups = { admins = [recipients.alice, recipients.bob] }.`,
		},
	} {
		_, diags := LoadRecipientsFile("testdata/invalid/" + file + ".hcl")
		var details []string
		for _, d := range diags {
			details = append(details, d.Detail)
		}
		for _, want := range wants {
			if !slices.Contains(details, want) {
				t.Errorf("%s: details lack %q:\n%s", file, want, strings.Join(details, "\n"))
			}
		}
	}
	_, diags = LoadRecipientsFile("testdata/invalid/duplicate.hcl")
	if len(diags) != 2 || diags[1].Detail != "secrets/a.age is already listed at line 5; list each secret once." {
		t.Errorf("duplicate secret: %v", diags)
	}
	_, diags = LoadRecipientsFile("testdata/no-such-file.hcl")
	if !diags.HasErrors() || !bytes.Contains([]byte(diags.Error()), []byte("no-such-file.hcl")) {
		t.Errorf("missing file: %v", diags)
	}
}

func TestFindRecipientsFile(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "repo", "secrets", "sub")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := FindRecipientsFile(deep); got != "" && strings.HasPrefix(got, root) {
		t.Errorf("FindRecipientsFile with none = %s", got)
	}
	want := filepath.Join(root, "repo", "secrets.hcl")
	if err := os.WriteFile(want, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := FindRecipientsFile(deep); got != want {
		t.Errorf("FindRecipientsFile = %q, want %q", got, want)
	}
}
