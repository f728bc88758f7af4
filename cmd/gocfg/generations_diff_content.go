package main

import (
	"regexp"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/contentdiff"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/recdiff"
)

// contentDiffs is the content diff of every file generations a and b
// both record with different contents, or only one of them records
// (created or deleted), by ID (see files.ContentDiffs):
// what `generations diff` shows under those files. Records that cannot
// be read give none (recdiff.Diff has said what is wrong with them).
func contentDiffs(a, b recdiff.Generation) map[string]*contentdiff.Diff {
	ra, err := files.DecodeRecords(a.Records["files"])
	if err != nil {
		return nil
	}
	rb, err := files.DecodeRecords(b.Records["files"])
	if err != nil {
		return nil
	}
	return files.ContentDiffs(ra, rb, a.Content, b.Content)
}

// withContentDiffs sets the diff of the changes of files whose content
// differs, as plans' JSON has.
func withContentDiffs(j recdiff.JSON, diffs map[string]*contentdiff.Diff) recdiff.JSON {
	for i := range j.Changes {
		j.Changes[i].Diff = diffs[j.Changes[i].ID]
	}
	return j
}

var ansiEscape = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("\x1b\\[[0-9;]*m") })

// insertContentDiffs puts each diff of diffs under the line of its
// change in text, the output of recdiff.View: the line that starts with
// the change's mark ("  ~ " changed, "  + " created, "  - " deleted) and
// ID (as printed: Printable, then padding or the end of the line), once
// per ID.
func insertContentDiffs(text []byte, diffs map[string]*contentdiff.Diff, color bool) []byte {
	if len(diffs) == 0 {
		return text
	}
	byID := make(map[string]*contentdiff.Diff, len(diffs))
	for id, d := range diffs {
		byID[platform.Printable(id)] = d
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(text), "\n") {
		b.WriteString(line)
		plain := strings.TrimSuffix(ansiEscape().ReplaceAllString(line, ""), "\n")
		rest, ok := cutMark(plain)
		if !ok {
			continue
		}
		for id, d := range byID {
			after, ok := strings.CutPrefix(rest, id)
			if ok && (after == "" || strings.HasPrefix(after, "  ")) {
				platform.View{Color: color}.Diff(&b, d, "    ")
				delete(byID, id)
				break
			}
		}
	}
	return []byte(b.String())
}

// cutMark returns line without its change mark ("  ~ ", "  + " or
// "  - "), and whether it had one.
func cutMark(line string) (string, bool) {
	for _, mark := range []string{"  ~ ", "  + ", "  - "} {
		if rest, ok := strings.CutPrefix(line, mark); ok {
			return rest, true
		}
	}
	return "", false
}
