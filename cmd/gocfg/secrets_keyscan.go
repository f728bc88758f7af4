package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocfg/gocfg/secrets"
	"github.com/spf13/cobra"
)

// secretsKeyscanOptions are the inputs of `gocfg secrets keyscan`.
type secretsKeyscanOptions struct {
	Env  *Env
	Host string
	Port int
	// Name is the recipient's name in the printed line; default: the
	// host's first label.
	Name string
	// Timeout is ssh-keyscan's connection timeout in seconds.
	Timeout int
}

func newSecretsKeyscanCmd(env *Env, runF func(context.Context, *secretsKeyscanOptions) error) *cobra.Command {
	opts := &secretsKeyscanOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "keyscan HOST",
		Short: "Print a host's SSH ed25519 key as a recipient line for secrets.hcl",
		Long: `Ask HOST's SSH server for its ed25519 host key (with ssh-keyscan -t ed25519)
and print it as a line to paste into the recipients of secrets.hcl:

  web1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…"  # web1.example.com

A secret encrypted to it can be decrypted by that host with its
/etc/ssh/ssh_host_ed25519_key, which is what gocfg switch does there.

HOST may be an alias of your ssh_config (as gocfg deploy reaches hosts):
ssh-keyscan reads no ssh_config, so its HostName and Port (ssh -G) are
scanned, and the printed line is named for the alias.

ssh-keyscan does not authenticate the host: compare the key with what the
host itself shows (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it)
before you trust a network you do not control.` + exitCodesHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Host = args[0]
			return runF(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVarP(&opts.Port, "port", "p", 22, "the SSH server's `PORT`")
	cmd.Flags().StringVar(&opts.Name, "name", "", "the recipient's `NAME` in the printed line (default: the host name's first label)")
	cmd.Flags().IntVar(&opts.Timeout, "timeout", 5, "give up connecting after `SECONDS`")
	return cmd
}

func runSecretsKeyscan(ctx context.Context, opts *secretsKeyscanOptions) error {
	env := opts.Env
	host := opts.Host
	if host == "" || strings.HasPrefix(host, "-") || strings.ContainsAny(host, " \t\n,") {
		return withHints(fmt.Errorf("%q: not a host name or address", host), "see: gocfg secrets keyscan --help")
	}
	if opts.Port < 1 || opts.Port > 65535 {
		return withHints(fmt.Errorf("--port %d: not a port", opts.Port), "see: gocfg secrets keyscan --help")
	}
	bin, err := exec.LookPath("ssh-keyscan")
	if err != nil {
		return withHints(errors.New("ssh-keyscan: not found on $PATH"), "install the OpenSSH client (openssh-client on Debian and Ubuntu, openssh on Arch and Fedora)")
	}
	name := opts.Name
	if name == "" {
		name = recipientName(host)
	}
	// ssh-keyscan reads no ssh_config: an alias (Host web1, HostName
	// 10.0.0.5, as gocfg deploy reaches it) is resolved as ssh would.
	host, opts.Port = sshResolved(ctx, host, opts.Port)
	args := []string{"-t", "ed25519", "-T", strconv.Itoa(max(opts.Timeout, 1))}
	if opts.Port != 22 {
		args = append(args, "-p", strconv.Itoa(opts.Port))
	}
	args = append(args, host)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	var keys []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || strings.HasPrefix(f[0], "#") || f[1] != "ssh-ed25519" {
			continue
		}
		key := f[1] + " " + f[2]
		if _, err := secrets.ParseRecipient(key); err != nil {
			return fmt.Errorf("%s: the server sent a key that is not a valid ed25519 key", hostPort(host, opts.Port))
		}
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return keyscanError(ctx, host, opts, stderr.String(), runErr)
	}
	for _, key := range keys {
		fmt.Fprintf(env.Stdout, "%s = %q  # %s\n", name, key, hostPort(host, opts.Port))
	}
	return nil
}

// sshResolved is the host name and port ssh would connect to for host
// (ssh -G, from the user's ssh_config), with port kept when it is not
// the default 22 (--port given); host and port as given when there is
// no ssh or it says nothing.
func sshResolved(ctx context.Context, host string, port int) (string, int) {
	bin, err := exec.LookPath("ssh")
	if err != nil {
		return host, port
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-G", "--", host).Output()
	if err != nil {
		return host, port
	}
	for _, l := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(l), " ")
		switch {
		case k == "hostname" && v != "":
			host = v
		case k == "port" && port == 22:
			if p, err := strconv.Atoi(v); err == nil && p > 0 && p < 65536 {
				port = p
			}
		}
	}
	return host, port
}

// keyscanError explains why no key came: ssh-keyscan says little (nothing
// at all for a refused connection), so a connection is tried to tell an
// unreachable host from a server without an ed25519 key.
func keyscanError(ctx context.Context, host string, opts *secretsKeyscanOptions, stderr string, runErr error) error {
	where := hostPort(host, opts.Port)
	reason := keyscanReason(stderr)
	d := net.Dialer{Timeout: time.Duration(max(opts.Timeout, 1)) * time.Second}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(opts.Port)))
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			return withHints(fmt.Errorf("%s: unknown host: %v", where, dnsErr.Err), "check the host name, or give its address")
		}
		var sysErr *os.SyscallError
		var opErr *net.OpError
		if errors.As(err, &sysErr) {
			err = sysErr.Err
		} else if errors.As(err, &opErr) && opErr.Err != nil {
			err = opErr.Err
		}
		return withHints(fmt.Errorf("%s: cannot connect: %v", where, err), "check that the host is up and that its SSH server listens on that port (--port N)")
	}
	_ = conn.Close()
	msg := where + ": the SSH server offered no ed25519 host key"
	if reason != "" {
		msg += " (ssh-keyscan: " + reason + ")"
	} else if runErr != nil {
		msg += " (ssh-keyscan: " + runErr.Error() + ")"
	}
	return withHints(errors.New(msg), "on the host, ssh-keygen -A makes the missing host keys; age needs its ed25519 key")
}

// keyscanReason picks ssh-keyscan's error lines (it prints a comment line
// per key it found, and errors otherwise).
func keyscanReason(stderr string) string {
	var lines []string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "; ")
}

func hostPort(host string, port int) string {
	if port == 22 {
		return host
	}
	return host + ":" + strconv.Itoa(port)
}

var notIdentChar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9_-]+`) })

// recipientName makes an HCL identifier from a host name: its first
// label (web1.example.com → web1), an address with "host_" before it.
func recipientName(host string) string {
	isAddr := strings.Contains(host, ":") || net.ParseIP(host) != nil
	name := host
	if !isAddr {
		name, _, _ = strings.Cut(host, ".")
	}
	name = strings.Trim(notIdentChar().ReplaceAllString(name, "_"), "_")
	if isAddr || name == "" || (name[0] >= '0' && name[0] <= '9') || name[0] == '-' {
		name = "host_" + name
	}
	return name
}
