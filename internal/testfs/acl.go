package testfs

// An ACLEntry is one entry of a POSIX access ACL: its tag (ACLUserObj,
// ACLUser, ACLGroupObj, ACLGroup, ACLMask, ACLOther), permission bits
// (4 read, 2 write, 1 execute) and, for ACLUser and ACLGroup, the ID.
type ACLEntry struct {
	Tag, Perm uint16
	ID        uint32
}

// The tags of ACL entries, as the kernel's xattr has them.
const (
	ACLUserObj  = 0x01
	ACLUser     = 0x02
	ACLGroupObj = 0x04
	ACLGroup    = 0x08
	ACLMask     = 0x10
	ACLOther    = 0x20
)

// ACLBytes is the value of the system.posix_acl_access attribute that
// holds entries (version 2; an entry other than ACLUser and ACLGroup
// gets the undefined ID): what setfacl writes, for tests where setfacl
// is not installed.
func ACLBytes(entries ...ACLEntry) []byte {
	b := []byte{2, 0, 0, 0}
	for _, e := range entries {
		id := e.ID
		if e.Tag != ACLUser && e.Tag != ACLGroup {
			id = 0xffffffff
		}
		b = append(b, byte(e.Tag), byte(e.Tag>>8), byte(e.Perm), byte(e.Perm>>8),
			byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
	}
	return b
}
