package users

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// TestValidateConfig: what gocfg check finds in users and groups
// without the machine, by the platform's rules; groups, members and
// shells that this machine may or may not have are the plan's.
func TestValidateConfig(t *testing.T) {
	for _, tc := range []struct {
		name, os, js string
		want         []string // each error's start, in order; none: valid
	}{
		{"valid, with names this machine lacks", "linux",
			`{"users":{"carol":{"groups":["no-such-group"],"shell":"/bin/no-such-shell","uid":4294967294}},"groups":{"ops":{"members":["no-such-user"],"gid":0}}}`, nil},
		{"names", "linux", `{"users":{"Bad":{},"ok":{"groups":["a:b"]}},"groups":{"g g":{},"h":{"members":["x y"]}}}`,
			[]string{`users.Bad: "Bad": the name must`, `users.ok.groups: "a:b": the name must`, `groups."g g": "g g": the name must`, `groups.h.members: "x y": the name must`}},
		{"IDs", "linux", `{"users":{"a":{"uid":7},"b":{"uid":7},"c":{"uid":-1}},"groups":{"g":{"gid":4294967295},"h":{"gid":3},"i":{"gid":3}}}`,
			[]string{"users.b.uid: uid 7 is also declared for users.a", "users.c.uid: -1 is not a user ID", "groups.g.gid: 4294967295 is not a group ID", "groups.i.gid: gid 3 is also declared for groups.h"}},
		{"paths and descriptions", "linux", `{"users":{"a":{"home":"rel","shell":"zsh","description":"a:b"}}}`,
			[]string{`users.a.home: "rel" is not an absolute path`, `users.a.shell: "zsh" is not an absolute path`, `users.a.description: "a:b": the comment may not contain`}},
		{"macOS's rules", "darwin", `{"users":{"a.b":{"description":"a:b"},"A":{}}}`,
			[]string{`users.A: "A": the name must be lowercase`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := validateConfig(t.Context(), nil, tc.os, &platform.Config{JSON: []byte(tc.js)})
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if len(got) != len(tc.want) {
				t.Fatalf("errors:\n%s\nwant %d", strings.Join(got, "\n"), len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("error %d: %s\nwant %s…", i, got[i], w)
				}
			}
		})
	}
}
