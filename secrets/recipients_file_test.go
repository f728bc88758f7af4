package secrets

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
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

var errorMarker = regexp.MustCompile(`#\s*ERROR:\s*(.+?)\s*$`)

// TestRecipientsFileInvalid parses each testdata/invalid/*.hcl: every line
// marked `# ERROR: <summary>` must be the start of an error with that
// summary, and every error must be marked.
func TestRecipientsFileInvalid(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.hcl")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".hcl"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := map[int]string{}
			for i, line := range strings.Split(string(src), "\n") {
				if m := errorMarker.FindStringSubmatch(line); m != nil {
					want[i+1] = m[1]
				}
			}
			rf, diags := LoadRecipientsFile(file)
			if rf != nil {
				t.Error("a result despite errors")
			}
			got := map[int]string{}
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				if d.Subject == nil || d.Subject.Filename != file {
					t.Errorf("error without a source range in the file: %s: %s", d.Summary, d.Detail)
					continue
				}
				if got[d.Subject.Start.Line] != "" {
					t.Errorf("line %d: two errors: %q and %q", d.Subject.Start.Line, got[d.Subject.Start.Line], d.Summary)
				}
				got[d.Subject.Start.Line] = d.Summary
				// A private key written by mistake is never echoed.
				if strings.Contains(d.Detail, "AGE-SECRET-KEY-1") {
					t.Errorf("line %d: detail quotes a private key: %s", d.Subject.Start.Line, d.Detail)
				}
			}
			for line, summary := range want {
				if got[line] != summary {
					t.Errorf("line %d: error %q, want %q", line, got[line], summary)
				}
			}
			for line, summary := range got {
				if want[line] == "" {
					t.Errorf("line %d: unexpected error %q", line, summary)
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
