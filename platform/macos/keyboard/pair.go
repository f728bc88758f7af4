package keyboard

import (
	"fmt"
	"strings"
)

// A Pair is one remapping: the HID usage of the key pressed (Src) and of
// the key it acts as (Dst), 0x700000000 | the key's usage on page 7.
type Pair struct {
	Src int64 `json:"src"`
	Dst int64 `json:"dst"`
}

// equal compares two mappings; nil and empty are the same (no mapping).
func equal(a, b []Pair) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// keyNames are the keys a plan names instead of showing their usage.
var keyNames = map[int64]string{
	0x700000029: "Escape",
	0x700000039: "Caps Lock",
	0x7000000E0: "Left Control",
	0x7000000E1: "Left Shift",
	0x7000000E2: "Left Option",
	0x7000000E3: "Left Command",
	0x7000000E4: "Right Control",
	0x7000000E5: "Right Shift",
	0x7000000E6: "Right Option",
	0x7000000E7: "Right Command",
}

func keyName(u int64) string {
	if n, ok := keyNames[u]; ok {
		return n
	}
	return fmt.Sprintf("0x%X", u)
}

// show describes a mapping in a plan: "Caps Lock → Escape".
func show(m []Pair) string {
	if len(m) == 0 {
		return "(no mapping)"
	}
	parts := make([]string, len(m))
	for i, p := range m {
		parts[i] = keyName(p.Src) + " → " + keyName(p.Dst)
	}
	return strings.Join(parts, ", ")
}
