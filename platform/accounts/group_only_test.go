package accounts

import "testing"

func TestGroupOnlyOf(t *testing.T) {
	db := New([]Account{{Name: "alice", UID: 1000, GID: 1000}, {Name: "bob", UID: 1001, GID: 100}, {Name: "carol", UID: 1002, GID: 100}, {Name: "dave", UID: 1003, GID: 1003}},
		[]Group{{Name: "alice", GID: 1000}, {Name: "users", GID: 100}, {Name: "dave", GID: 1003, Members: []string{"alice"}}, {Name: "solo", GID: 2000, Members: []string{"alice"}}})
	for _, tc := range []struct {
		gid  int
		user string
		want bool
	}{
		{1000, "alice", true}, // her own group
		{100, "bob", false},   // carol's primary group too
		{1003, "dave", false}, // alice is listed in it
		{2000, "alice", true}, // lists her alone
		{1000, "bob", false},  // alice's
		{3000, "alice", true}, // no entry: nobody else in it
	} {
		if got := db.GroupOnlyOf(tc.gid, tc.user); got != tc.want {
			t.Errorf("GroupOnlyOf(%d, %s) = %v, want %v", tc.gid, tc.user, got, tc.want)
		}
	}
}
