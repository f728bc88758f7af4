package users

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json:
//
//	{"users":   [{"name": "alice", "config": {"shell": "/bin/zsh", "groups": ["wheel"]},
//	              "uid": 1001, "gid": 1001, "home": "/home/alice", "created": true, "private_group": true}],
//	 "groups":  [{"name": "devs", "config": {}, "gid": 1002, "created": true}],
//	 "members": [{"group": "wheel", "user": "alice"}]}
//
// Every user and group the configuration declares is recorded with its
// declaration (Config, the desired state of a rollback) and the IDs it
// has once the switch applied. Created marks the ones gocfg made, the
// only ones it ever deletes; PrivateGroup marks a user whose own group
// gocfg made with it. Members are the memberships gocfg added.
type Records struct {
	Users   []*UserRecord  `json:"users"`
	Groups  []*GroupRecord `json:"groups"`
	Members []Membership   `json:"members"`
}

// A UserRecord is one managed user.
type UserRecord struct {
	Name   string `json:"name"`
	Config User   `json:"config"`
	UID    int    `json:"uid"`
	// GID is the primary group's ID.
	GID          int    `json:"gid"`
	Home         string `json:"home"`
	Created      bool   `json:"created,omitempty"`
	PrivateGroup bool   `json:"private_group,omitempty"`
	// Original is, for a user gocfg adopted (not Created), each field
	// gocfg sets as it was before gocfg first set it: put back when
	// gocfg stops setting it (the option unset, the user no longer
	// declared), as files and /etc put back what they replaced. A record
	// of an older gocfg has none, and nothing is put back.
	Original *UserOriginal `json:"original,omitempty"`
}

// A UserOriginal holds an adopted user's fields as they were before
// gocfg set them (nil: gocfg does not set that field).
type UserOriginal struct {
	Description *string `json:"description,omitempty"`
	Shell       *string `json:"shell,omitempty"`
}

// A GroupRecord is one managed group.
type GroupRecord struct {
	Name    string `json:"name"`
	Config  Group  `json:"config"`
	GID     int    `json:"gid"`
	Created bool   `json:"created,omitempty"`
}

// A Membership is a user listed as a member of a group.
type Membership struct {
	Group string `json:"group"`
	User  string `json:"user"`
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("users", data)
}

func (r *Records) empty() bool {
	return r == nil || len(r.Users) == 0 && len(r.Groups) == 0 && len(r.Members) == 0
}

// normalize makes the lists non-nil, so that they are written as [].
func (r *Records) normalize() *Records {
	if r.Users == nil {
		r.Users = []*UserRecord{}
	}
	if r.Groups == nil {
		r.Groups = []*GroupRecord{}
	}
	if r.Members == nil {
		r.Members = []Membership{}
	}
	return r
}

// sort orders the records by name.
func (r *Records) sort() {
	sort.Slice(r.Users, func(i, j int) bool { return r.Users[i].Name < r.Users[j].Name })
	sort.Slice(r.Groups, func(i, j int) bool { return r.Groups[i].Name < r.Groups[j].Name })
}

func sortedMembers(set map[Membership]bool) []Membership {
	ms := slices.AppendSeq(make([]Membership, 0, len(set)), maps.Keys(set))
	slices.SortFunc(ms, func(a, b Membership) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.User, b.User))
	})
	return ms
}
