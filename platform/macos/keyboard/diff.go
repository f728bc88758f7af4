package keyboard

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("keyboard", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the key mapping a records to the one b
// records (keyboard:user_key_mapping). A changed mapping is shown in
// brackets, whose arrows are the mapping's own: [Caps Lock → Escape] →
// [Caps Lock → Left Control].
func Diff(a, b *Records) []recdiff.Change {
	switch {
	case !a.managed() && !b.managed():
		return nil
	case !a.managed():
		return []recdiff.Change{recdiff.Created(ID, "keyboard", recdiff.Value("", "", show(b.Mapping)))}
	case !b.managed():
		return []recdiff.Change{recdiff.Deleted(ID, "keyboard", recdiff.Value("", show(a.Mapping), ""))}
	case equal(a.Mapping, b.Mapping):
		return nil
	}
	return recdiff.Updated(nil, ID, "keyboard", recdiff.Fields{recdiff.Value("", "["+show(a.Mapping)+"]", "["+show(b.Mapping)+"]")})
}
