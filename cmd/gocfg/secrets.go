package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/gocfg/gocfg/internal/diagnostics"
	secretfiles "github.com/gocfg/gocfg/platform/secrets"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/secrets"
	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"
)

func newSecretsCmd(env *Env) *cobra.Command {
	return groupCmd(&cobra.Command{
		Use:   "secrets",
		Short: "Edit, re-encrypt and find the recipients of age-encrypted secrets",
		Long: `Secrets are age-encrypted files in the dotfiles repository; only their
ciphertext is committed. secrets.hcl, at the root of the repository, lists
who each secret is encrypted to (as agenix's secrets.nix does):

  recipients = {
    alice = "age1…"
    web1  = "ssh-ed25519 AAAA… root@web1"
  }
  secret "secrets/api-token.age" {
    recipients = [recipients.alice, recipients.web1]
  }

gocfg secrets edit opens a secret in $EDITOR, gocfg secrets rekey
re-encrypts the secrets after a change of secrets.hcl, gocfg secrets
keyscan prints a host's key to add it there. See docs/secrets.md.` + exitCodesHelp,
	},
		newSecretsEditCmd(env, runSecretsEdit),
		newSecretsRekeyCmd(env, runSecretsRekey),
		newSecretsKeyscanCmd(env, runSecretsKeyscan),
		newSecretsEncryptCmd(env, runSecretsEncrypt),
		newSecretsActivateCmd(env, runSecretsActivate),
	)
}

// secretsFlags are the flags the secrets commands share: where the
// identities and the recipients file are.
type secretsFlags struct {
	// Identities are --identity files; empty means the defaults.
	Identities []string
	// RecipientsFile is --recipients-file; empty means the nearest
	// secrets.hcl.
	RecipientsFile string
	// Config is --config, whose folder holds secrets.hcl when none is
	// found nearer.
	Config configFlags
}

func (f *secretsFlags) register(cmd *cobra.Command, identities bool) {
	if identities {
		cmd.Flags().StringArrayVarP(&f.Identities, "identity", "i", nil, "decrypt with the key in `FILE` (age key or OpenSSH ed25519/RSA private key; repeatable; default ~/.config/gocfg/age.key, ~/.ssh/id_ed25519 and, for root, /etc/ssh/ssh_host_ed25519_key)")
	}
	cmd.Flags().StringVar(&f.RecipientsFile, "recipients-file", "", "the recipients `FILE` (default: the nearest secrets.hcl in the secret's folder or above, else the configuration folder's)")
	nonEmptyVar(cmd.Flags(), &f.Config.Config, "config", "c", "configuration folder, whose secrets.hcl is used when there is none nearer (default $GOCFG_CONFIG, else ~/.config/gocfg)", "for the default configuration")
}

// defaultIdentityFiles are the identities tried without --identity, in
// order: the user's age key and SSH key, and for root the host's key (so
// root decrypts what is encrypted to this host).
func defaultIdentityFiles(env *Env) []string {
	files := []string{
		filepath.Join(env.Home, ".config", "gocfg", "age.key"),
		filepath.Join(env.Home, ".ssh", "id_ed25519"),
	}
	if env.EUID == 0 {
		files = append(files, "/etc/ssh/ssh_host_ed25519_key")
	}
	return files
}

// loadIdentities reads the identity files of f: the --identity files,
// each of which must exist, or the default ones that exist. passphrase
// asks for the passphrase of a protected SSH key (nil: not on a
// terminal).
func (f *secretsFlags) loadIdentities(env *Env, passphrase func(string) ([]byte, error)) ([]age.Identity, error) {
	files, explicit := f.Identities, len(f.Identities) > 0
	if !explicit {
		files = defaultIdentityFiles(env)
	}
	var ids []age.Identity
	sys := system.NewReadOnly(system.NewReal())
	for _, file := range files {
		shown := tildePath(env, file)
		data, err := secretfiles.ReadIdentityFile(sys, file)
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, withHints(fmt.Errorf("%s: %w", shown, unwrapPathError(err)), "pass the key file with --identity FILE")
		}
		got, err := secrets.ParseIdentities(shown, data, passphrase)
		clear(data)
		if err != nil {
			return nil, withHints(err, "pass the key files to use with --identity FILE")
		}
		ids = append(ids, got...)
	}
	if len(ids) == 0 {
		shown := make([]string, len(files))
		for i, file := range files {
			shown[i] = tildePath(env, file)
		}
		return nil, withHints(fmt.Errorf("no identity to decrypt with: none of %s exists", strings.Join(shown, ", ")),
			"make a key with: age-keygen -o ~/.config/gocfg/age.key (and add its public key to secrets.hcl), or pass one with --identity FILE")
	}
	return ids, nil
}

// unwrapPathError drops the path and operation of a *fs.PathError, which
// the caller names itself.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// tildePath shows a path under the home folder as ~/….
func tildePath(env *Env, p string) string {
	if env.Home != "" {
		if rel, err := filepath.Rel(env.Home, p); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return "~/" + filepath.ToSlash(rel)
		}
	}
	return p
}

// loadRecipients finds and parses the recipients file for a secret in
// dir (or, for rekey, the working folder): --recipients-file, else the
// nearest secrets.hcl in dir or above, else the one in the configuration
// folder. It returns nil and no error when there is none.
func (f *secretsFlags) loadRecipients(env *Env, dir string) (*secrets.RecipientsFile, error) {
	path := f.RecipientsFile
	if path == "" {
		path = secrets.FindRecipientsFile(dir)
	}
	if path == "" {
		loc, _ := f.Config.location(env)
		if fi, err := os.Stat(loc); err == nil && !fi.IsDir() {
			loc = filepath.Dir(loc)
		}
		p := filepath.Join(loc, secrets.RecipientsFileName)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			path = p
		}
	}
	if path == "" {
		return nil, nil
	}
	if err := untrustedFile(env, path, "the recipients file:"); err != nil {
		return nil, err
	}
	rf, diags := secrets.LoadRecipientsFile(path)
	if len(diags) > 0 {
		// Snippets come from the file with its private keys masked: a
		// private key pasted there by mistake is never printed back.
		w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir}
		if rf != nil {
			w.Sources = func(string) []byte { return rf.Source }
		} else if src, err := os.ReadFile(path); err == nil {
			masked := secrets.MaskPrivateKeys(src)
			w.Sources = func(string) []byte { return masked }
		}
		_ = w.Write(diags)
	}
	if diags.HasErrors() {
		return nil, reportedError{fmt.Errorf("%s has errors", path)}
	}
	return rf, nil
}

// writeCiphertext replaces path with data atomically, keeping the mode of
// the file it replaces (0644 for a new one: ciphertext is meant to be
// committed).
func writeCiphertext(path string, data []byte) error {
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return renameio.WriteFile(path, data, perm)
}

// listedSecret finds the entry of file (relative to the working
// folder) in the secrets.hcl that applies to it, and says where file is.
func (f *secretsFlags) listedSecret(env *Env, file string) (path string, entry *secrets.Secret, err error) {
	path = file
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.WorkDir, path)
	}
	rf, err := f.loadRecipients(env, filepath.Dir(path))
	if err != nil {
		return "", nil, err
	}
	if rf != nil {
		entry = rf.Lookup(path)
	}
	if entry == nil {
		return "", nil, notListedError(env, file, rf, filepath.Dir(path))
	}
	if err := untrustedFile(env, path, "the secret:"); err != nil {
		return "", nil, err
	}
	return path, entry, nil
}

// encryptSecret encrypts plaintext to the recipients of s (ASCII-armoured
// or binary) and replaces the file at path with it.
func encryptSecret(path string, s *secrets.Secret, plaintext []byte, armored bool) error {
	ct, err := secrets.Encrypt(plaintext, s.AgeRecipients(), armored)
	if err != nil {
		return err
	}
	if err := writeCiphertext(path, ct); err != nil {
		return unwrapPathError(err)
	}
	return nil
}

// recipientLabels names a secret's recipients for messages.
func recipientLabels(s *secrets.Secret) string {
	names := make([]string, len(s.Recipients))
	for i, r := range s.Recipients {
		names[i] = r.Label()
	}
	return strings.Join(names, ", ")
}

// notListedError says a secret has no entry in the recipients file.
func notListedError(env *Env, file string, rf *secrets.RecipientsFile, dir string) error {
	if rf == nil {
		return withHints(fmt.Errorf("%s: no %s found in %s or above, nor in the configuration folder; gocfg encrypts a secret to the recipients listed there", file, secrets.RecipientsFileName, relPath(env.WorkDir, dir)),
			fmt.Sprintf("create %s at the root of the repository, with: secret %q { recipients = [\"age1…\"] }", secrets.RecipientsFileName, filepath.ToSlash(file)),
			"or pass --recipients-file FILE")
	}
	rel := file
	if abs, err := filepath.Abs(file); err == nil {
		if r, err := filepath.Rel(rf.Dir, abs); err == nil {
			rel = filepath.ToSlash(r)
		}
	}
	return withHints(fmt.Errorf("%s: not listed in %s; an age file does not say who it is encrypted to, so gocfg encrypts to the recipients listed there", file, relPath(env.WorkDir, rf.Path)),
		fmt.Sprintf("add to %s: secret %q { recipients = [recipients.NAME, …] }", relPath(env.WorkDir, rf.Path), rel))
}
