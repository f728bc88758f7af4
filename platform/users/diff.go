package users

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register("users", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the users and groups a records to those b
// records: a user's uid, primary gid and home as applied, and the shell,
// description, groups, create_home and is_hidden declared; a group's gid
// and declared members. Unset options show as "(unset)": gocfg leaves
// them as they are.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	users := map[string]*UserRecord{}
	for _, u := range a.Users {
		users[u.Name] = u
	}
	for _, u := range b.Users {
		old, ok := users[u.Name]
		delete(users, u.Name)
		if !ok {
			cs = append(cs, recdiff.Created(UserID(u.Name), "user", recdiff.Value("", "", describeUser(u))))
			continue
		}
		cs = recdiff.Updated(cs, UserID(u.Name), "user", userFields(old, u))
	}
	for _, u := range a.Users {
		if _, gone := users[u.Name]; gone {
			cs = append(cs, recdiff.Deleted(UserID(u.Name), "user", recdiff.Value("", describeUser(u), "")))
		}
	}
	groups := map[string]*GroupRecord{}
	for _, g := range a.Groups {
		groups[g.Name] = g
	}
	for _, g := range b.Groups {
		old, ok := groups[g.Name]
		delete(groups, g.Name)
		if !ok {
			cs = append(cs, recdiff.Created(GroupID(g.Name), "group", recdiff.Value("", "", describeGroup(g))))
			continue
		}
		var fs recdiff.Fields
		fs.Add("gid", strconv.Itoa(old.GID), strconv.Itoa(g.GID))
		fs.Add("members", sortedList(old.Config.Members), sortedList(g.Config.Members))
		cs = recdiff.Updated(cs, GroupID(g.Name), "group", fs)
	}
	for _, g := range a.Groups {
		if _, gone := groups[g.Name]; gone {
			cs = append(cs, recdiff.Deleted(GroupID(g.Name), "group", recdiff.Value("", describeGroup(g), "")))
		}
	}
	return cs
}

func userFields(a, b *UserRecord) recdiff.Fields {
	var fs recdiff.Fields
	fs.Add("uid", strconv.Itoa(a.UID), strconv.Itoa(b.UID))
	fs.Add("gid", strconv.Itoa(a.GID), strconv.Itoa(b.GID))
	fs.Add("home", a.Home, b.Home)
	fs.Add("shell", unset(a.Config.Shell), unset(b.Config.Shell))
	fs.Add("description", quotedUnset(a.Config.Description), quotedUnset(b.Config.Description))
	fs.Add("groups", sortedList(a.Config.Groups), sortedList(b.Config.Groups))
	fs.Add("create_home", boolUnset(a.Config.CreateHome), boolUnset(b.Config.CreateHome))
	fs.Add("is_hidden", strconv.FormatBool(a.Config.IsHidden), strconv.FormatBool(b.Config.IsHidden))
	return fs
}

// describeUser is a user created or deleted, in one line.
func describeUser(u *UserRecord) string {
	parts := []string{"uid " + strconv.Itoa(u.UID), "home " + u.Home}
	if u.Config.Shell != nil {
		parts = append(parts, "shell "+*u.Config.Shell)
	}
	if len(u.Config.Groups) > 0 {
		parts = append(parts, "groups "+sortedList(u.Config.Groups))
	}
	return strings.Join(parts, ", ")
}

func describeGroup(g *GroupRecord) string {
	s := "gid " + strconv.Itoa(g.GID)
	if len(g.Config.Members) > 0 {
		s += ", members " + sortedList(g.Config.Members)
	}
	return s
}

func unset(s *string) string {
	if s == nil {
		return "(unset)"
	}
	return *s
}

func quotedUnset(s *string) string {
	if s == nil {
		return "(unset)"
	}
	return strconv.Quote(*s)
}

func boolUnset(b *bool) string {
	if b == nil {
		return "(unset)"
	}
	return strconv.FormatBool(*b)
}

func sortedList(vs []string) string {
	return recdiff.List(slices.Sorted(slices.Values(vs)))
}
