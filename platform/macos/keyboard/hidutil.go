package keyboard

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
	"howett.net/plist"
)

// The keys of one UserKeyMapping entry.
const (
	srcKey = "HIDKeyboardModifierMappingSrc"
	dstKey = "HIDKeyboardModifierMappingDst"
)

// live reads the mapping with `hidutil property --get UserKeyMapping`.
func live(ctx context.Context, sys system.System) ([]Pair, error) {
	out, err := sys.Run(ctx, macos.Query(macos.Hidutil, "property", "--get", "UserKeyMapping"))
	if err != nil {
		return nil, fmt.Errorf("%s property --get UserKeyMapping: %w", macos.Hidutil, err)
	}
	m, err := parse(out)
	if err != nil {
		return nil, fmt.Errorf("%s property --get UserKeyMapping: %w", macos.Hidutil, err)
	}
	return m, nil
}

// parse reads hidutil's output: "(null)" when nothing set the mapping,
// else the OpenStep text of an array of dictionaries, whose numbers
// howett.net/plist gives as strings (OpenStep text has no number type).
func parse(out []byte) ([]Pair, error) {
	s := strings.TrimSpace(string(out))
	if s == "" || s == "(null)" {
		return nil, nil
	}
	var entries []map[string]any
	if _, err := plist.Unmarshal([]byte(s), &entries); err != nil {
		return nil, fmt.Errorf("cannot read the mapping %q: %v", s, err)
	}
	m := make([]Pair, 0, len(entries))
	for i, e := range entries {
		src, err1 := usage(e[srcKey])
		dst, err2 := usage(e[dstKey])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("entry %d of the mapping %q: want the integers %s and %s", i, s, srcKey, dstKey)
		}
		m = append(m, Pair{Src: src, Dst: dst})
	}
	return m, nil
}

func usage(v any) (int64, error) {
	switch t := v.(type) {
	case string:
		return strconv.ParseInt(t, 0, 64)
	case int64:
		return t, nil
	case uint64:
		return int64(t), nil
	}
	return 0, fmt.Errorf("%v is not an integer", v)
}

// set makes m the live mapping (`hidutil property --set`); empty m
// clears it.
func set(ctx context.Context, sys system.System, m []Pair) error {
	arg := setArg(m)
	if _, err := sys.Run(ctx, macos.Command(macos.Hidutil, "property", "--set", arg)); err != nil {
		return fmt.Errorf("%s property --set %s: %w", macos.Hidutil, arg, err)
	}
	return nil
}

// setArg is hidutil's JSON argument for m, with the keys in the order
// Apple documents them (TN2450).
func setArg(m []Pair) string {
	var b strings.Builder
	b.WriteString(`{"UserKeyMapping":[`)
	for i, p := range m {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"%s":%d,"%s":%d}`, srcKey, p.Src, dstKey, p.Dst)
	}
	b.WriteString("]}")
	return b.String()
}
