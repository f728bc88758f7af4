package machine

import (
	"testing"

	"github.com/gocfg/gocfg/platform/accounts"
)

// TestOwnerNow: a recorded owner becomes the user's uid and gid now when
// this run sets owners and knows the user; otherwise it stays, and a
// file gocfg leaves alone (-1, -1) stays so.
func TestOwnerNow(t *testing.T) {
	db := (&accounts.Database{}).With([]accounts.Account{{Name: "alice", UID: 1500, GID: 1000}}, nil)
	for _, tt := range []struct {
		name             string
		m                Machine
		user             string
		uid, gid         int
		wantUID, wantGID int
	}{
		{"uid changed since", Machine{Privileged: true, Accounts: db}, "alice", 1000, 1000, 1500, 1000},
		{"left alone", Machine{Privileged: true, Accounts: db}, "alice", -1, -1, -1, -1},
		{"unprivileged", Machine{Accounts: db}, "alice", 1000, 1000, 1000, 1000},
		{"offline, no such account", Machine{Privileged: true, Offline: true, Accounts: db}, "bob", 1001, 1001, 1001, 1001},
		{"live, no such account", Machine{Privileged: true, Accounts: db}, "bob", 1001, 1001, 1001, 1001},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if u, g := tt.m.OwnerNow(tt.user, tt.uid, tt.gid); u != tt.wantUID || g != tt.wantGID {
				t.Errorf("OwnerNow(%s, %d, %d) = %d, %d; want %d, %d", tt.user, tt.uid, tt.gid, u, g, tt.wantUID, tt.wantGID)
			}
		})
	}
}
