package macfake

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	json "github.com/goccy/go-json"
)

func init() { register("hidutil", runHidutil) }

// A KeyPair is one entry of the UserKeyMapping property: the HID usage
// of the key pressed and of the key it acts as.
type KeyPair struct {
	Src int64 `json:"src"`
	Dst int64 `json:"dst"`
}

// keymapState is the fake HID event system (/.macfake/keymap.json).
type keymapState struct {
	// UserKeyMapping is nil until something sets it (after a restart),
	// which `hidutil property --get` prints as (null).
	UserKeyMapping *[]KeyPair `json:"user_key_mapping"`
}

// UserKeyMapping returns the live mapping; set is false when it was
// never set since the (fake) machine started.
func (f *Fake) UserKeyMapping() (m []KeyPair, set bool, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var st keymapState
	if err := f.Load("keymap", &st); err != nil {
		return nil, false, err
	}
	if st.UserKeyMapping == nil {
		return nil, false, nil
	}
	return *st.UserKeyMapping, true, nil
}

// SetUserKeyMapping sets the live mapping as `hidutil property --set`
// would; nil unsets it, as a restart does.
func (f *Fake) SetUserKeyMapping(m []KeyPair) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := keymapState{}
	if m != nil {
		st.UserKeyMapping = &m
	}
	return f.Save("keymap", st)
}

// runHidutil answers `hidutil property --get UserKeyMapping` and
// `hidutil property --set '{"UserKeyMapping":[...]}'`, printing the
// mapping as hidutil does: the property list description of the array
// (OpenStep text), or (null) when it was never set. Any user may run it.
func runHidutil(_ context.Context, f *Fake, c Call) ([]byte, int) {
	a := c.Args
	if len(a) != 3 || a[0] != "property" {
		return []byte("macfake: hidutil " + strings.Join(a, " ") + " not faked\n"), 127
	}
	var st keymapState
	if err := f.Load("keymap", &st); err != nil {
		return failf("macfake: %v", err)
	}
	switch a[1] {
	case "--get":
		if a[2] != "UserKeyMapping" {
			return []byte("macfake: hidutil property --get " + a[2] + " not faked\n"), 127
		}
		if st.UserKeyMapping == nil {
			return []byte("(null)\n"), 0
		}
		return []byte(describeMapping(*st.UserKeyMapping) + "\n"), 0
	case "--set":
		m, err := parseSet(a[2])
		if err != nil {
			return failf("hidutil: %v", err)
		}
		st.UserKeyMapping = &m
		if err := f.Save("keymap", st); err != nil {
			return failf("macfake: %v", err)
		}
		return []byte("UserKeyMapping:" + describeMapping(m) + "\n"), 0
	}
	return []byte("macfake: hidutil property " + a[1] + " not faked\n"), 127
}

// parseSet reads --set's JSON: only UserKeyMapping, whose entries have
// exactly the two keys, with integer values.
func parseSet(arg string) ([]KeyPair, error) {
	dec := json.NewDecoder(strings.NewReader(arg))
	dec.UseNumber()
	var props map[string]json.RawMessage
	if err := dec.Decode(&props); err != nil {
		return nil, fmt.Errorf("cannot parse the properties %q: %v", arg, err)
	}
	raw, ok := props["UserKeyMapping"]
	if !ok || len(props) != 1 {
		return nil, fmt.Errorf("macfake: only the UserKeyMapping property is faked, got %q", arg)
	}
	var entries []map[string]json.Number
	dec = json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("UserKeyMapping is not an array of {HIDKeyboardModifierMappingSrc, HIDKeyboardModifierMappingDst}: %v", err)
	}
	m := []KeyPair{}
	for i, e := range entries {
		src, err1 := strconv.ParseInt(string(e["HIDKeyboardModifierMappingSrc"]), 10, 64)
		dst, err2 := strconv.ParseInt(string(e["HIDKeyboardModifierMappingDst"]), 10, 64)
		if err1 != nil || err2 != nil || len(e) != 2 {
			return nil, fmt.Errorf("UserKeyMapping[%d] = %v: want integer HIDKeyboardModifierMappingSrc and HIDKeyboardModifierMappingDst only", i, e)
		}
		m = append(m, KeyPair{Src: src, Dst: dst})
	}
	return m, nil
}

// describeMapping prints the mapping as CFCopyDescription does, which is
// what hidutil shows.
func describeMapping(m []KeyPair) string {
	var b strings.Builder
	b.WriteString("(\n")
	for i, p := range m {
		fmt.Fprintf(&b, "        {\n        HIDKeyboardModifierMappingDst = %d;\n        HIDKeyboardModifierMappingSrc = %d;\n    }", p.Dst, p.Src)
		if i < len(m)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(")")
	return b.String()
}
