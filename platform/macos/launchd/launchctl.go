package launchd

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// launchctl runs `launchctl args...` as gocfg itself: root reaches every
// domain, and a user their own gui/<uid> one, without an asuser wrap.
func launchctl(ctx context.Context, sys system.System, args ...string) ([]byte, error) {
	return sys.Run(ctx, macos.Command(macos.Launchctl, args...))
}

// launchctlPrint runs `launchctl print target`, a question that changes
// nothing (marked ReadOnly: it runs under gocfg plan's read-only System).
func launchctlPrint(ctx context.Context, sys system.System, target string) ([]byte, error) {
	return sys.Run(ctx, macos.Query(macos.Launchctl, "print", target))
}

// loaded reports whether label is loaded in domain: `launchctl print
// <domain>/<label>` succeeds, or fails saying it cannot find the service.
func loaded(ctx context.Context, sys system.System, domain, label string) (bool, error) {
	out, err := launchctlPrint(ctx, sys, domain+"/"+label)
	if err == nil {
		return true, nil
	}
	if notFound(out) {
		return false, nil
	}
	return false, fmt.Errorf("%s/%s: launchctl print: %w", domain, label, err)
}

// notFound recognises launchctl's answer for a service that is not
// loaded (exit status 113): `Could not find service "x" in domain for
// ...` from print, `Could not find specified service` from bootout.
func notFound(out []byte) bool {
	return bytes.Contains(out, []byte("Could not find service")) || bytes.Contains(out, []byte("Could not find specified service"))
}

// hasDomain reports whether domain exists: a user's gui/<uid> domain
// exists only while they are logged in.
func hasDomain(ctx context.Context, sys system.System, domain string) bool {
	_, err := launchctlPrint(ctx, sys, domain)
	return err == nil
}

// bootstrap loads the plist at path into domain.
func bootstrap(ctx context.Context, sys system.System, domain, path string) error {
	out, err := launchctl(ctx, sys, "bootstrap", domain, path)
	if err != nil {
		return fmt.Errorf("%s: launchctl bootstrap %s: %w%s\n    %s", path, domain, err, detail(out, err), bootstrapHint(out, domain, path))
	}
	return nil
}

// bootstrapHint says what to do about a failed bootstrap, from
// launchctl's message.
func bootstrapHint(out []byte, domain, path string) string {
	switch {
	case bytes.Contains(out, []byte("Domain does not support")) || bytes.Contains(out, []byte("Could not find domain")):
		return "launchd has no " + domain + " domain: the user is not logged in; log in and run gocfg again"
	case bytes.Contains(out, []byte("Operation not permitted")):
		return "only root may load jobs into " + domain + "; run gocfg with sudo"
	}
	return "check the file with: plutil -lint " + path + " (launchd also refuses a plist that others can write)"
}

// bootout unloads domain/label; a job that is not loaded is not an
// error.
func bootout(ctx context.Context, sys system.System, domain, label string) error {
	out, err := launchctl(ctx, sys, "bootout", domain+"/"+label)
	if err == nil || notFound(out) {
		return nil
	}
	// launchctl's exit status for "not loaded" varies between releases
	// (3: No such process, 113): ask.
	if l, lerr := loaded(ctx, sys, domain, label); lerr == nil && !l {
		return nil
	}
	return fmt.Errorf("%s/%s: launchctl bootout: %w%s", domain, label, err, detail(out, err))
}

// detail adds the command's output when the error does not carry it.
func detail(out []byte, err error) string {
	s := strings.TrimSpace(string(out))
	first, _, _ := strings.Cut(s, "\n")
	if s == "" || strings.Contains(err.Error(), first) {
		return ""
	}
	return "\n    " + strings.ReplaceAll(s, "\n", "\n    ")
}
