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
	cs := recdiff.Records(nil, a.Users, b.Users, recdiff.Kind[*UserRecord]{
		Name:     "user",
		ID:       func(u *UserRecord) string { return UserID(u.Name) },
		Describe: describeUser,
		Fields:   userFields,
	})
	return recdiff.Records(cs, a.Groups, b.Groups, recdiff.Kind[*GroupRecord]{
		Name:     "group",
		ID:       func(g *GroupRecord) string { return GroupID(g.Name) },
		Describe: describeGroup,
		Fields:   groupFields,
	})
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
	fs.Add("hashed_password", passwordLabel(a.Config.HashedPassword), passwordLabel(b.Config.HashedPassword))
	fs.Add("initial_hashed_password", passwordLabel(a.Config.InitialHashedPassword), passwordLabel(b.Config.InitialHashedPassword))
	return fs
}

func groupFields(a, b *GroupRecord) recdiff.Fields {
	var fs recdiff.Fields
	fs.Add("gid", strconv.Itoa(a.GID), strconv.Itoa(b.GID))
	fs.Add("members", sortedList(a.Config.Members), sortedList(b.Config.Members))
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
