package deploy

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// Select returns the hosts the patterns name, in name order: a host's
// name, `@tag` (every host with that tag) or a glob (path.Match: `web*`,
// `db[12]`). No pattern selects every host. A pattern that selects no host
// is an error that says which hosts and tags there are, so a typo never
// deploys to nothing (or, worse, to less than meant) silently.
func Select(hosts []Host, patterns []string) ([]Host, error) {
	sorted := append([]Host(nil), hosts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	if len(patterns) == 0 {
		return sorted, nil
	}
	picked := map[string]bool{}
	for _, p := range patterns {
		n, err := pick(sorted, p, picked)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, noMatch(sorted, p)
		}
	}
	var out []Host
	for _, h := range sorted {
		if picked[h.Name] {
			out = append(out, h)
		}
	}
	return out, nil
}

// pick marks the hosts p selects and returns how many it does.
func pick(hosts []Host, p string, picked map[string]bool) (int, error) {
	n := 0
	if tag, ok := strings.CutPrefix(p, "@"); ok {
		if tag == "" {
			return 0, fmt.Errorf("--on @: a tag is missing after @")
		}
		for _, h := range hosts {
			if h.HasTag(tag) {
				picked[h.Name] = true
				n++
			}
		}
		return n, nil
	}
	if _, err := path.Match(p, ""); err != nil {
		return 0, fmt.Errorf("--on %s: not a glob (%w)", p, err)
	}
	for _, h := range hosts {
		if ok, _ := path.Match(p, h.Name); ok {
			picked[h.Name] = true
			n++
		}
	}
	return n, nil
}

func noMatch(hosts []Host, p string) error {
	var names []string
	tags := map[string]bool{}
	for _, h := range hosts {
		names = append(names, h.Name)
		for _, t := range h.Tags {
			tags["@"+t] = true
		}
	}
	var ts []string
	for t := range tags {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	msg := fmt.Sprintf("--on %s: no host matches; the hosts are %s", p, strings.Join(names, ", "))
	if len(ts) > 0 {
		msg += "; the tags are " + strings.Join(ts, ", ")
	}
	return fmt.Errorf("%s", msg)
}

// Literal returns the host names patterns are, when each is a plain name
// (no @tag, no glob), among names (the hosts there are); nil otherwise,
// when selecting needs every host's deployment options, or when a name
// is not a host (Select then says which hosts there are).
func Literal(patterns, names []string) []string {
	if len(patterns) == 0 {
		return nil
	}
	var out []string
	for _, p := range patterns {
		if strings.HasPrefix(p, "@") || strings.ContainsAny(p, `*?[\`) || !slices.Contains(names, p) {
			return nil
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
