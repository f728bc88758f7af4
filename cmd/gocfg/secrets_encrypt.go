package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// secretsEncryptOptions are the inputs of `gocfg secrets encrypt`.
type secretsEncryptOptions struct {
	Env     *Env
	Secrets secretsFlags
	File    string
	Binary  bool
	// AllowEmpty writes an empty plaintext; without it empty input is
	// refused (a failed `cat f |` replaced a secret with nothing).
	AllowEmpty bool
	Stdin      io.Reader
}

func newSecretsEncryptCmd(env *Env, runF func(context.Context, *secretsEncryptOptions) error) *cobra.Command {
	opts := &secretsEncryptOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "encrypt FILE",
		Short: "Encrypt standard input into a secret, to the recipients secrets.hcl lists for it",
		Long: `Read a plaintext from standard input and write it to FILE, encrypted to the
recipients secrets.hcl lists for FILE (ASCII-armoured unless --binary),
replacing FILE atomically. For scripts and for secrets that already exist
as a file (gocfg secrets encrypt secrets/netrc.age < ~/.netrc); gocfg
secrets edit is the interactive way. Empty input is refused, FILE left as
it is (a command before the pipe that failed, such as cat of a missing
file, writes nothing): --allow-empty encrypts an empty secret.` + exitCodesHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			opts.Stdin = cmd.InOrStdin()
			return runF(cmd.Context(), opts)
		},
	}
	opts.Secrets.register(cmd, false)
	cmd.Flags().BoolVar(&opts.Binary, "binary", false, "write binary age instead of ASCII armour")
	cmd.Flags().BoolVar(&opts.AllowEmpty, "allow-empty", false, "encrypt empty input too (refused without it)")
	return cmd
}

func runSecretsEncrypt(_ context.Context, opts *secretsEncryptOptions) error {
	env := opts.Env
	path, entry, err := opts.Secrets.listedSecret(env, opts.File)
	if err != nil {
		return err
	}
	plaintext, err := io.ReadAll(opts.Stdin)
	defer clear(plaintext)
	if err != nil {
		return fmt.Errorf("reading standard input: %w", err)
	}
	if len(plaintext) == 0 && !opts.AllowEmpty {
		return withHints(fmt.Errorf("%s: standard input was empty; not written, the file is as it was", opts.File),
			"pipe the plaintext in (gocfg secrets encrypt "+opts.File+" < FILE) and check the command before the pipe succeeded; for an empty secret on purpose, add --allow-empty")
	}
	if err := encryptSecret(path, entry, plaintext, !opts.Binary); err != nil {
		return fmt.Errorf("%s: %w", opts.File, err)
	}
	fmt.Fprintf(env.Stdout, "%s: encrypted to %s\n", opts.File, recipientLabels(entry))
	return nil
}
