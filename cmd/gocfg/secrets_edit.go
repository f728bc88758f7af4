package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"filippo.io/age"
	"github.com/gocfg/gocfg/secrets"
	"github.com/spf13/cobra"
)

// secretsEditOptions are the inputs of `gocfg secrets edit`.
type secretsEditOptions struct {
	Env     *Env
	Secrets secretsFlags
	File    string
	// Stdin is the terminal the editor and the passphrase prompt use.
	Stdin io.Reader
}

func newSecretsEditCmd(env *Env, runF func(context.Context, *secretsEditOptions) error) *cobra.Command {
	opts := &secretsEditOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "edit FILE",
		Short: "Decrypt a secret, open it in $EDITOR and encrypt it again to its recipients",
		Long: `Decrypt the age file FILE into a private temporary file (mode 0600 in a 0700
folder under $XDG_RUNTIME_DIR when that is yours alone, else $TMPDIR, else
/dev/shm, else /tmp), open it with
$VISUAL, else $EDITOR, else vi, and when the editor exits encrypt the new
content to the recipients secrets.hcl lists for FILE, replacing FILE
atomically. The plaintext file is removed in every case, also on error or
when gocfg is interrupted; one that a killed gocfg could not remove is
removed by the next edit, which says so.

An age file does not say who it is encrypted to, so FILE must be listed in
secrets.hcl (found in FILE's folder or above, else in the configuration
folder; --recipients-file names another). A FILE that does not exist yet
starts empty and is written ASCII-armoured; an existing one keeps its form
(armoured or binary). When the content did not change, FILE is left as it
was; so it is when the editor saved it empty (an error: use secrets encrypt
for an empty secret).

Decryption uses the --identity files, else ~/.config/gocfg/age.key,
~/.ssh/id_ed25519 and, for root, /etc/ssh/ssh_host_ed25519_key. A
passphrase-protected SSH key asks for its passphrase on the terminal.` + exitCodesHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			opts.Stdin = cmd.InOrStdin()
			return runF(cmd.Context(), opts)
		},
	}
	opts.Secrets.register(cmd, true)
	return cmd
}

func runSecretsEdit(ctx context.Context, opts *secretsEditOptions) error {
	env := opts.Env
	file := opts.File
	path, entry, err := opts.Secrets.listedSecret(env, file)
	if err != nil {
		return err
	}
	// A link to the secret (a checkout reached through a link) is
	// followed: the file it points at is replaced, not the link.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}

	old, err := os.ReadFile(path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", file, unwrapPathError(err))
	}
	armored := true
	var plaintext []byte
	var ids []age.Identity
	if exists {
		armored = secrets.Armored(old)
		ids, err = opts.Secrets.loadIdentities(env, secrets.TerminalPassphrase(opts.Stdin, env.Stderr))
		if err != nil {
			return err
		}
		plaintext, err = secrets.Decrypt(old, ids)
		if err != nil {
			return decryptError(file, err)
		}
	}
	defer clear(plaintext)

	edited, err := editPlaintext(ctx, opts, filepath.Base(path), plaintext)
	defer clear(edited)
	if err != nil {
		return err
	}
	if exists && bytes.Equal(edited, plaintext) {
		fmt.Fprintf(env.Stdout, "%s: unchanged\n", file)
		return nil
	}
	if !exists && len(edited) == 0 {
		fmt.Fprintf(env.Stdout, "%s: empty, not created\n", file)
		return nil
	}
	if len(edited) == 0 {
		// As git takes an emptied commit message: most often an editor
		// that truncated the file, rarely a wish for an empty secret.
		return withHints(fmt.Errorf("%s: saved empty; the secret was left as it was", file),
			"to drop the secret, remove the file and its entry in secrets.hcl; an empty secret can be written with gocfg secrets encrypt "+file+" < /dev/null")
	}
	if err := encryptSecret(path, entry, edited, armored); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintf(env.Stdout, "%s: encrypted to %s\n", file, recipientLabels(entry))
	return nil
}

// decryptError explains a failed decryption of file.
func decryptError(file string, err error) error {
	var noMatch *secrets.NoMatchError
	if errors.As(err, &noMatch) {
		return withHints(fmt.Errorf("%s: %w", file, err),
			"pass the key it is encrypted to with --identity FILE; to add a recipient, someone who can decrypt it runs gocfg secrets rekey")
	}
	var corrupt *secrets.CorruptError
	if errors.As(err, &corrupt) {
		return withHints(fmt.Errorf("%s: %w", file, err), "restore it from version control (git checkout -- FILE)")
	}
	return fmt.Errorf("%s: %w", file, err)
}

// privateTempRoot returns the folder to make the plaintext's private
// folder in: the user's runtime folder ($XDG_RUNTIME_DIR, a RAM file
// system on systemd machines, so the plaintext never reaches a disk), or
// the temporary folder ($TMPDIR), else /dev/shm (a RAM file system on
// Linux: root under sudo has no runtime folder, and /tmp is often on
// disk), else /tmp. A folder is taken only if no one
// else can change where its path leads (privateWay). So root under sudo,
// whose $XDG_RUNTIME_DIR or $TMPDIR may still be the user's, or a link
// of hers, does not put a secret where the user could swap a folder for
// a link.
//
// None of them: an error (reviewer R19: it fell back to $TMPDIR, the very
// folder it had refused).
func privateTempRoot(env *Env) (string, error) {
	return choosePrivateFolder([]folderChoice{{"$XDG_RUNTIME_DIR", env.Getenv("XDG_RUNTIME_DIR")}, {"$TMPDIR", env.Getenv("TMPDIR")}, {"", sharedMemory}, {"", "/tmp"}},
		env.EUID, 0, "the decrypted copy", "make one: mkdir -m 700 /tmp/$(id -u) && TMPDIR=/tmp/$(id -u) gocfg secrets edit ... (yours, that no one else can write)")
}

// privateWay reports whether no account but root and euid can change
// where the path dir leads, nor rename what euid makes in it: dir and
// every folder above it are folders, not links (looked at with Lstat),
// owned by root or euid and writable by no one else, or sticky (/tmp:
// no one else renames what is not theirs); dir itself is euid's and
// writable by no one else, or root's and sticky.
func privateWay(dir string, euid int) bool {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Lstat(p)
		if err != nil || !fi.IsDir() {
			return false
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return false
		}
		uid := int(st.Uid)
		closed := fi.Mode().Perm()&0o022 == 0
		sticky := fi.Mode()&fs.ModeSticky != 0
		switch {
		case p == dir && !((uid == euid && closed) || (uid == 0 && sticky)):
			return false
		case p != dir && !((uid == 0 || uid == euid) && (closed || sticky)):
			return false
		}
		if p == "/" {
			return true
		}
	}
}

// editPlaintext writes plaintext to a private temporary file named like
// the secret (without .age, so the editor recognises its type), runs the
// editor on it and returns what it holds afterwards. The file and its
// folder are removed before it returns, whatever happens; SIGINT and
// SIGQUIT, which the terminal also sends the editor, are left to the
// editor, and SIGTERM and SIGHUP end the editor and the edit.
//
// The editor runs as git runs it, `sh -c "$EDITOR \"$@\""`, so the
// process gocfg starts is a shell (which may fork the editor rather than
// become it), and an editor may be a script that starts processes of its
// own (a `tail -f` of the file, a viewer): all of them can hold the
// plaintext. SIGTERM and SIGHUP therefore go to the whole tree gocfg
// started (stopProcessTree): the shell and its descendants still in
// gocfg's process group, killed if they have not ended after a few
// seconds; gocfg returns only when they have.
//
// The editor stays in gocfg's process group, the terminal's foreground
// job, rather than in a group of its own that could be signalled at once
// (kill(-pgid)): in a group of its own it would have to be made the
// terminal's foreground group (tcsetpgrp) to read the terminal, and then
// Ctrl-Z would stop only the editor, behind the shell's back: gocfg would
// have to relay stops and continues as a job-control shell does, and in
// an orphaned group (gocfg as a session leader, under ssh -t, tmux or
// script) the editor would stay stopped where today the kernel ignores
// the Ctrl-Z. Nor is the editor run without sh: that spares the shell,
// not the editor's own children. In the shell's group, Ctrl-C, Ctrl-Z,
// fg and bg work on gocfg and the editor together, as with git.
func editPlaintext(ctx context.Context, opts *secretsEditOptions, base string, plaintext []byte) (_ []byte, err error) {
	env := opts.Env
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)

	root, err := privateTempRoot(env)
	if err != nil {
		return nil, err
	}
	removeEditLeftovers(env, root)
	dir, err := os.MkdirTemp(root, editDirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("a private temporary folder: %w", err)
	}
	defer func() {
		if rmErr := os.RemoveAll(dir); rmErr != nil && err == nil {
			err = withHints(fmt.Errorf("%s: removing the decrypted copy: %w", dir, rmErr), "remove it by hand: it holds the plaintext")
		}
	}()
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(base, ".age")
	if name == "" || name == "." {
		name = "secret"
	}
	tmp := filepath.Join(dir, name)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	_, werr := f.Write(plaintext)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("%s: %w", tmp, werr)
	}

	editor := env.Getenv("VISUAL")
	if editor == "" {
		editor = env.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	// As git does: the editor setting is a shell command, to which the
	// file is added as an argument.
	cmd := exec.Command("/bin/sh", "-c", editor+` "$@"`, editor, tmp)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opts.Stdin, env.Stdout, env.Stderr
	if err := cmd.Start(); err != nil {
		return nil, withHints(fmt.Errorf("running the editor %q: %w", editor, err), "set $EDITOR to your editor")
	}
	// stopped is the signal that ended the edit, set before finished
	// is closed.
	var stopped os.Signal
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			var sig syscall.Signal
			select {
			case s := <-sigs:
				if s != syscall.SIGTERM && s != syscall.SIGHUP {
					continue
				}
				sig = s.(syscall.Signal)
			case <-ctx.Done():
				sig = syscall.SIGTERM
			case <-done:
				return
			}
			stopped = sig
			stopProcessTree(cmd.Process, sig)
			return
		}
	}()
	runErr := cmd.Wait()
	close(done)
	<-finished
	if stopped != nil {
		return nil, fmt.Errorf("%s: interrupted (%s); the secret was left as it was", opts.File, signalName(stopped))
	}
	if runErr != nil {
		return nil, withHints(fmt.Errorf("%s: the editor %q failed: %w", opts.File, editor, runErr), "the secret was left as it was")
	}
	return os.ReadFile(tmp)
}
