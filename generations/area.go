package generations

// An Area is where a files root's objects live in the store
// (store/<Name>), and who owns them.
type Area struct {
	// Name is the area's folder under store/: "system" or "home-<user>".
	Name string
	// UID and GID own the area's folder and objects; -1 leaves ownership
	// alone (runs as a user, where everything is that user's).
	UID, GID int
	// Private makes store/<Name> 0700, so that a user's files are
	// readable only by them; otherwise it is 0755.
	Private bool
}
