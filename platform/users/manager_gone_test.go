package users

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
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

// sessionsOf is a backend whose accounts have the login sessions given
// by uid.
type sessionsOf struct {
	backend
	ids map[int]string
}

func (s sessionsOf) sessions(_ context.Context, uid int) string { return s.ids[uid] }

// TestLoggedInRefusedAtPlan (tester BH): the plan refuses to delete an
// account whose owner is logged in, naming her sessions, instead of a
// switch that fails at userdel and is undone; an account gone already,
// or with no session, is deleted.
func TestLoggedInRefusedAtPlan(t *testing.T) {
	db := accounts.New([]accounts.Account{{Name: "lena", UID: 1001}, {Name: "mia", UID: 1002}, {Name: "noor", UID: 1003}}, nil)
	pl := &planner{db: db, delUsers: map[string]bool{"lena": true, "mia": true, "noor": true, "gone": true},
		b: sessionsOf{ids: map[int]string{1001: "3", 1003: "5 c2"}}}
	err := pl.loggedIn(context.Background())
	var ces []*platform.ConfigError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *platform.ConfigError
		if !errors.As(e, &ce) {
			t.Fatalf("%v is not a ConfigError", e)
		}
		ces = append(ces, ce)
	}
	if len(ces) != 2 {
		t.Fatalf("loggedIn = %v, want lena's and noor's refusals", err)
	}
	for i, want := range []struct{ option, msg, hint string }{
		{"users.lena", "lena is logged in (session 3), and an account in use is not deleted", "loginctl terminate-user lena"},
		{"users.noor", "noor is logged in (sessions 5, c2)", "or declare users.noor again to keep the account"},
	} {
		if ces[i].Option != want.option || !strings.Contains(ces[i].Msg, want.msg) || !strings.Contains(ces[i].Hint, want.hint) {
			t.Errorf("refusal %d = %+v, want %s: …%s… hint …%s…", i, ces[i], want.option, want.msg, want.hint)
		}
	}
	// A rollback's plan: its configuration cannot be declared again
	// (reviewer R34).
	pl.want.fromRecords = true
	var ce *platform.ConfigError
	if err := pl.loggedIn(context.Background()); !errors.As(err, &ce) || !strings.Contains(ce.Hint, "or roll back to a generation that keeps the account") {
		t.Errorf("a rollback's refusal: %v, want the hint to say roll back to another generation", err)
	}
	pl.b = sessionsOf{}
	if err := pl.loggedIn(context.Background()); err != nil {
		t.Errorf("with no session: %v", err)
	}
}

// TestAskLogind: logind's answers, and its silence, read as they are.
func TestAskLogind(t *testing.T) {
	tests := []struct {
		name string
		sys  loginctlAnswers
		want logindUser
	}{
		{"logged in twice", loginctlAnswers{show: "Sessions=3 7\nLinger=no\n"}, logindUser{known: true, sessions: "3 7"}},
		{"lingering", loginctlAnswers{show: "Sessions=\nLinger=yes\n"}, logindUser{known: true, lingers: true}},
		{"not known to logind", loginctlAnswers{showErr: errors.New("exit status 1 (Failed to get user: User ID 1001 is not logged in or lingering)")}, logindUser{known: true}},
		{"no bus", loginctlAnswers{showErr: errors.New("exit status 1 (Failed to connect to bus)")}, logindUser{}},
		{"no Linger property: counted as lingering", loginctlAnswers{show: "Sessions=\n"}, logindUser{known: true, lingers: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := tt.sys
			if got := askLogind(context.Background(), &sys, 1001); got != tt.want {
				t.Errorf("askLogind = %+v, want %+v", got, tt.want)
			}
		})
	}
}
