package render

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

// TestAppendJSONConcurrentAsAppendJSON checks that AppendJSONConcurrent
// writes AppendJSON's bytes, and its errors, for roots with and without
// large members, whatever skip leaves out and however many workers.
func TestAppendJSONConcurrentAsAppendJSON(t *testing.T) {
	users := func(n int, bad int) cty.Value {
		m := map[string]cty.Value{}
		for i := range n {
			k := "u" + strconv.Itoa(i)
			u := map[string]cty.Value{"uid": cty.NumberIntVal(int64(i)), "groups": cty.TupleVal([]cty.Value{cty.StringVal("g" + k)}), "shell": cty.NullVal(cty.String)}
			if i == bad {
				u["real"] = plistval.RealVal(math.NaN())
			}
			m[k] = cty.ObjectVal(u)
		}
		return cty.ObjectVal(m)
	}
	strs := func(n int) cty.Value {
		m := map[string]cty.Value{}
		for i := range n {
			m["k\""+strconv.Itoa(i)] = cty.StringVal("v\n" + strconv.Itoa(i))
		}
		return cty.MapVal(m)
	}
	values := map[string]cty.Value{
		"sample":        sample(),
		"empty object":  cty.EmptyObjectVal,
		"empty map":     cty.MapValEmpty(cty.String),
		"not an object": cty.TupleVal([]cty.Value{cty.StringVal("a"), users(300, -1)}),
		"a large member among small ones": cty.ObjectVal(map[string]cty.Value{
			"age": cty.StringVal("a"), "bench": sample(), "users": users(1001, -1), "zz": cty.True,
		}),
		"large members only":   cty.ObjectVal(map[string]cty.Value{"a": users(700, -1), "b": strs(300)}),
		"a large map of maps":  cty.MapVal(map[string]cty.Value{"m": strs(2000), "n": strs(256), "o": strs(255)}),
		"the whole root large": large(),
		"an error in a run": cty.ObjectVal(map[string]cty.Value{
			"a": cty.ObjectVal(map[string]cty.Value{"r": plistval.RealVal(math.Inf(1))}), "users": users(600, 599),
		}),
		"errors in two runs": cty.ObjectVal(map[string]cty.Value{
			"users": users(600, 17), "zz": cty.ObjectVal(map[string]cty.Value{"r": plistval.RealVal(math.Inf(1))}),
		}),
	}
	skips := map[string]Skip{
		"no skip":                     nil,
		"a large member":              func(p []string) bool { return len(p) == 1 && p[0] == "users" },
		"every member of a large one": func(p []string) bool { return len(p) == 2 && p[0] == "users" },
		"some members deep down":      func(p []string) bool { return strings.HasSuffix(p[len(p)-1], "7") || p[len(p)-1] == "groups" },
		"everything":                  func(p []string) bool { return true },
	}
	for name, v := range values {
		for sname, skip := range skips {
			want, werr := AppendJSON([]byte("dst"), v, skip)
			for _, workers := range []int{1, 2, 3, 8} {
				got, gerr := AppendJSONConcurrent([]byte("dst"), v, skip, workers)
				if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
					t.Errorf("%s, %s, %d workers: error %v, AppendJSON's %v", name, sname, workers, gerr, werr)
					continue
				}
				if werr == nil && string(got) != string(want) {
					t.Errorf("%s, %s, %d workers: AppendJSONConcurrent =\n%.400s\nAppendJSON's\n%.400s", name, sname, workers, got, want)
				}
			}
		}
	}
}

// TestPlanJSONSplitsLargeMembers checks where the runs are cut: the
// small members of the root share runs, a large member is cut in two
// runs a worker.
func TestPlanJSONSplitsLargeMembers(t *testing.T) {
	members := map[string]cty.Value{"a": cty.True, "b": cty.True, "d": cty.True}
	big := map[string]cty.Value{}
	for i := range 1000 {
		big["u"+strconv.Itoa(i)] = cty.True
	}
	members["c"] = cty.ObjectVal(big)
	pl := planJSON(cty.ObjectVal(members), nil, 2)
	var got []string
	for _, it := range pl.items {
		if it.run >= 0 {
			got = append(got, strings.Join(pl.runs[it.run].keys, ","))
			continue
		}
		n := 0
		for _, r := range it.split {
			n += len(pl.runs[r].keys)
		}
		got = append(got, it.key+":"+strconv.Itoa(len(it.split))+" runs of "+strconv.Itoa(n))
	}
	if want := "a,b | c:4 runs of 1000 | d"; strings.Join(got, " | ") != want {
		t.Errorf("plan %q, want %q", strings.Join(got, " | "), want)
	}
}
