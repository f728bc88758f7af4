package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"filippo.io/age"
	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/secrets"
	"github.com/spf13/cobra"
)

// secretsRekeyOptions are the inputs of `gocfg secrets rekey`.
type secretsRekeyOptions struct {
	Env     *Env
	Secrets secretsFlags
	// Files are the secrets to rekey; empty: all those of secrets.hcl.
	Files []string
	// Force re-encrypts a secret already encrypted to its recipients.
	Force bool
	Stdin io.Reader
}

func newSecretsRekeyCmd(env *Env, runF func(context.Context, *secretsRekeyOptions) error) *cobra.Command {
	opts := &secretsRekeyOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "rekey [FILE...]",
		Short: "Re-encrypt secrets to the recipients secrets.hcl lists for them",
		Long: `Re-encrypt every secret secrets.hcl lists (or the FILEs named) to the
recipients listed for it there: run it after adding a host or a person to
secrets.hcl, or removing one. A removed recipient can no longer decrypt the
new files, but can still decrypt the old ones in version control: rotate
the secret itself (gocfg secrets edit) when that matters.

A secret that is provably encrypted to exactly its recipients already is
left byte for byte as it was (reported "unchanged"): SSH recipients are
recognised by their fingerprint, age X25519 recipients only when you hold
their key; otherwise it is re-encrypted to be sure. --force re-encrypts
every one. Each keeps its form (armoured or binary). A listed secret whose
file does not exist yet is skipped.

The secrets.hcl used is --recipients-file, else the nearest in the working
folder or above, else the configuration folder's. Decryption uses the
--identity files, else ~/.config/gocfg/age.key, ~/.ssh/id_ed25519 and, for
root, /etc/ssh/ssh_host_ed25519_key.` + exitCodesHelp + `
  1  also: a secret could not be decrypted or written (the others are done)`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			opts.Stdin = cmd.InOrStdin()
			return runF(cmd.Context(), opts)
		},
	}
	opts.Secrets.register(cmd, true)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "re-encrypt also the secrets already encrypted to exactly their recipients")
	return cmd
}

func runSecretsRekey(ctx context.Context, opts *secretsRekeyOptions) error {
	env := opts.Env
	rf, err := opts.Secrets.loadRecipients(env, env.WorkDir)
	if err != nil {
		return err
	}
	if rf == nil {
		return withHints(fmt.Errorf("no %s found in %s or above, nor in the configuration folder", secrets.RecipientsFileName, env.WorkDir),
			"run gocfg secrets rekey in the dotfiles repository, or pass --recipients-file FILE; docs/secrets.md describes the file")
	}
	w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir}
	failed := 0
	fail := func(err error, hints ...string) {
		failed++
		_ = w.Error(err, hints...)
	}
	todo := rf.Secrets
	if len(opts.Files) > 0 {
		todo = nil
		for _, f := range opts.Files {
			p := f
			if !filepath.IsAbs(p) {
				p = filepath.Join(env.WorkDir, p)
			}
			if s := rf.Lookup(p); s != nil {
				todo = append(todo, s)
				continue
			}
			fail(fmt.Errorf("%s: not listed in %s", f, relPath(env.WorkDir, rf.Path)), "rekey re-encrypts the secrets listed there; add it first")
		}
	}
	if len(todo) == 0 {
		if failed > 0 {
			return reportedError{errors.New("rekey failed")}
		}
		fmt.Fprintf(env.Stdout, "%s lists no secrets\n", relPath(env.WorkDir, rf.Path))
		return nil
	}
	ids, err := opts.Secrets.loadIdentities(env, secrets.TerminalPassphrase(opts.Stdin, env.Stderr))
	if err != nil {
		return err
	}
	for _, s := range todo {
		if err := ctx.Err(); err != nil {
			return err
		}
		shown := relPath(env.WorkDir, s.Path)
		if err := untrustedFile(env, s.Path, "the secret:"); err != nil {
			fail(err)
			continue
		}
		status, err := rekeySecret(s, ids, opts.Force)
		if err != nil {
			var noMatch *secrets.NoMatchError
			if errors.As(err, &noMatch) {
				fail(fmt.Errorf("%s: %w", shown, err), "pass a key it is encrypted to with --identity FILE")
			} else {
				fail(fmt.Errorf("%s: %w", shown, err))
			}
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: %s\n", shown, status)
	}
	if failed > 0 {
		return reportedError{fmt.Errorf("%d secret(s) not rekeyed", failed)}
	}
	return nil
}

// rekeySecret re-encrypts one secret and says what it did.
func rekeySecret(s *secrets.Secret, ids []age.Identity, force bool) (string, error) {
	path := s.Path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "skipped, does not exist yet (create it with gocfg secrets edit)", nil
	}
	if err != nil {
		return "", unwrapPathError(err)
	}
	plaintext, err := secrets.Decrypt(old, ids)
	defer clear(plaintext)
	if err != nil {
		return "", err
	}
	if !force {
		keys := make([]string, len(s.Recipients))
		for i, r := range s.Recipients {
			keys[i] = r.Key
		}
		if same, err := secrets.EncryptedTo(old, keys, ids); err == nil && same {
			return "unchanged", nil
		}
	}
	if err := encryptSecret(path, s, plaintext, secrets.Armored(old)); err != nil {
		return "", err
	}
	return "rekeyed to " + recipientLabels(s), nil
}
