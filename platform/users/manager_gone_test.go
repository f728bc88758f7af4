package users

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// loginctlAnswers answers loginctl show-user and systemctl stop as
// scripted, and records the commands run.
type loginctlAnswers struct {
	system.System
	show    string
	showErr error
	stopErr error
	ran     []string
}

func (l *loginctlAnswers) Run(_ context.Context, c system.Command) ([]byte, error) {
	l.ran = append(l.ran, c.Path+" "+strings.Join(c.Args, " "))
	switch c.Path {
	case "loginctl":
		return []byte(l.show), l.showErr
	case "systemctl":
		return nil, l.stopErr
	}
	return nil, errors.New("unexpected command " + c.Path)
}

// TestLetManagerGo: the manager of an account userdel refused is
// stopped only when she has no session and does not linger.
func TestLetManagerGo(t *testing.T) {
	busy := errors.New("run userdel: exit status 8 (userdel: user lena is currently used by process 1036)")
	const show = "loginctl show-user 1001 --all --property=Sessions --property=Linger"
	const stop = "systemctl stop user@1001.service"
	tests := []struct {
		name string
		err  error
		sys  loginctlAnswers
		want bool
		ran  []string
	}{
		{name: "another error of userdel", err: errors.New("run userdel: exit status 6"), want: false},
		{name: "logind let her go, her manager may still stop", err: busy, sys: loginctlAnswers{showErr: errors.New("run loginctl: exit status 1 (Failed to get user: User ID 1001 is not logged in or lingering)")}, want: true, ran: []string{show, stop}},
		{name: "logind does not answer", err: busy, sys: loginctlAnswers{showErr: errors.New("run loginctl: exit status 1 (Failed to connect to bus: No such file or directory)")}, ran: []string{show}},
		{name: "she is logged in", err: busy, sys: loginctlAnswers{show: "Sessions=3\nLinger=no\n"}, ran: []string{show}},
		{name: "she lingers", err: busy, sys: loginctlAnswers{show: "Sessions=\nLinger=yes\n"}, ran: []string{show}},
		{name: "only her manager", err: busy, sys: loginctlAnswers{show: "Sessions=\nLinger=no\n"}, want: true, ran: []string{show, stop}},
		{name: "her manager does not stop", err: busy, sys: loginctlAnswers{show: "Sessions=\nLinger=no\n", stopErr: errors.New("exit status 1")}, ran: []string{show, stop}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := tt.sys
			if got := letManagerGo(context.Background(), &sys, 1001, tt.err); got != tt.want {
				t.Errorf("letManagerGo = %v, want %v", got, tt.want)
			}
			if !slices.Equal(sys.ran, tt.ran) {
				t.Errorf("ran %q, want %q", sys.ran, tt.ran)
			}
		})
	}
}
