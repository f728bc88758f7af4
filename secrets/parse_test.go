package secrets

import (
	"strings"
	"testing"
)

func TestParseIdentitiesKinds(t *testing.T) {
	a, b := ageKey(t), ageKey(t)
	twoKeys := append(append([]byte("# two keys\n\n"), a.private...), b.private...)
	tests := []struct {
		name  string
		data  []byte
		types []string
		lines []int
	}{
		{"age key file with comments", a.private, []string{"X25519"}, []int{3}},
		{"two age keys, CRLF", []byte(strings.ReplaceAll(string(twoKeys), "\n", "\r\n")), []string{"X25519", "X25519"}, []int{5, 8}},
		{"ssh ed25519", ed25519Key(t, "").private, []string{"ssh-ed25519"}, []int{0}},
		{"ssh rsa", rsaKey(t, "").private, []string{"ssh-rsa"}, []int{0}},
		{"ssh ed25519 protected", ed25519Key(t, "p").private, []string{"ssh-ed25519"}, []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := ParseIdentities("f", tt.data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != len(tt.types) {
				t.Fatalf("got %d identities, want %d", len(ids), len(tt.types))
			}
			for n, id := range ids {
				i := id.(*Identity)
				if i.Type != tt.types[n] || i.Line != tt.lines[n] || i.Source != "f" {
					t.Errorf("identity %d = %s line %d source %s, want %s line %d", n, i.Type, i.Line, i.Source, tt.types[n], tt.lines[n])
				}
				if i.Recipient() == nil {
					t.Errorf("identity %d has no recipient", n)
				}
			}
		})
	}
}

// Whatever a file holds, an error names it and never quotes it: it may be
// a secret or, read by root, someone else's file.
func TestParseIdentitiesHostile(t *testing.T) {
	const secret = "hunter2"
	shadow := "root:$6$" + secret + "$Xq1:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
	pub := ed25519Key(t, "").public
	tests := []struct {
		name string
		data string
		want string
	}{
		{"shadow file", shadow, "/etc/shadow: line 1: neither an age secret key (AGE-SECRET-KEY-1…) nor an OpenSSH private key"},
		{"empty", "", "/etc/shadow: no key in it (expected an age key, AGE-SECRET-KEY-1…, or an OpenSSH private key)"},
		{"comments only", "# " + secret + "\n\n", "/etc/shadow: no key in it (expected an age key, AGE-SECRET-KEY-1…, or an OpenSSH private key)"},
		{"bad age key", "AGE-SECRET-KEY-1" + strings.ToUpper(secret) + "\n", "/etc/shadow: line 1: not a valid age secret key"},
		{"bad pq key", "AGE-SECRET-KEY-PQ-1" + strings.ToUpper(secret) + "\n", "/etc/shadow: line 1: not a valid age post-quantum secret key"},
		{"public key", "# mine\n" + pub + "\n", "/etc/shadow: line 2: a public key (a recipient), not a private key; an identity file holds the private key"},
		{"age key then junk", string(ageKey(t).private) + secret + "\n", "/etc/shadow: line 4: neither an age secret key (AGE-SECRET-KEY-1…) nor an OpenSSH private key"},
		{"PEM with hostile type", "-----BEGIN " + secret + " PRIVATE KEY-----\nAAAA\n-----END " + secret + " PRIVATE KEY-----\n", "/etc/shadow: not a usable OpenSSH private key"},
		{"PEM garbage body", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + secret + "\n-----END OPENSSH PRIVATE KEY-----\n", "/etc/shadow: not a usable OpenSSH private key"},
		{"ecdsa key", string(ecdsaKey(t).private), "/etc/shadow: an ECDSA key; age uses only ed25519 and RSA SSH keys"},
		{"binary", "\x00\x01" + secret + "\xff", "/etc/shadow: line 1: neither an age secret key (AGE-SECRET-KEY-1…) nor an OpenSSH private key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseIdentities("/etc/shadow", []byte(tt.data), fixedPassphrase("x"))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error =\n  %s\nwant\n  %s", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "$6$") {
				t.Errorf("error quotes the file: %v", err)
			}
		})
	}
}

func TestParseRecipient(t *testing.T) {
	good := []string{
		ageKey(t).public,
		"  " + ageKey(t).public + "\n",
		ed25519Key(t, "").public,
		rsaKey(t, "").public,
		strings.Fields(ed25519Key(t, "").public)[0] + " " + strings.Fields(ed25519Key(t, "").public)[1], // no comment
	}
	for _, s := range good {
		if _, err := ParseRecipient(s); err != nil {
			t.Errorf("ParseRecipient(%q): %v", s, err)
		}
	}
	ageSecret := strings.TrimSpace(strings.Split(string(ageKey(t).private), "\n")[2])
	bad := map[string]string{
		"":                          "not a recipient: expected an age public key (age1…) or an ssh-ed25519 or ssh-rsa public key",
		"age1notbech32":             "not a valid age recipient (age1…)",
		"ssh-ed25519 AAAAnotbase64": "not a valid ssh-ed25519 public key",
		ageSecret:                   "a private key, not a public one: give its public key (age-keygen -y FILE, or the .pub file of an SSH key)",
		"ecdsa-sha2-nistp256 AAAA":  "age encrypts only to ed25519 and RSA SSH keys; use the ssh-ed25519 key (ssh-keyscan -t ed25519)",
	}
	for s, want := range bad {
		_, err := ParseRecipient(s)
		if err == nil || err.Error() != want {
			t.Errorf("ParseRecipient(%q) = %v, want %q", s, err, want)
		}
		if err != nil && s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("ParseRecipient(%q) quotes its input", s)
		}
	}
}
