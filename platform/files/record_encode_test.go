package files_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
)

// TestEncodeRecordsSameAsMarshal: resources.json is what json.Marshal
// writes of the plan's records, whatever the number of files
// (EncodeRecords writes the files records a part at a time), with every
// field of a file set or not, strings that go-json escapes, and other
// providers' records around.
func TestEncodeRecordsSameAsMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 4))
	strs := []string{"", "a", "<b>&amp;</b>", "q\"uote", "\u2028", "bad\xff", "tab\t", "ünï"}
	str := func() string { return strs[r.IntN(len(strs))] + fmt.Sprint(r.IntN(100)) }
	for _, n := range []int{0, 1, 300, 10000} {
		recs := &files.Records{Files: []*files.File{}, Dirs: []*files.Dir{{Path: "/home/a/.config", Root: "home/a", Rel: ".config", Mode: 0o755, UID: 1000, GID: 1000}}}
		for i := range n {
			f := &files.File{Path: "/home/a/" + str(), Root: "home/a", Rel: str(), Method: "link", Hash: str(), UID: -1, GID: -1, Target: str(), Source: str()}
			switch i % 5 {
			case 1:
				f.Method, f.Mode, f.Exec, f.UID, f.GID = "copy", 0o600, true, 1000, 1000
			case 2:
				f.Sig, f.Private = &files.Sig{Size: r.Int64N(1 << 20), Mtime: r.Int64(), Ctime: r.Int64(), Ino: r.Uint64()}, true
			case 3:
				f.Folder, f.Files = true, []files.Content{{Rel: str(), Hash: str(), Exec: true, Sig: &files.Sig{Size: 3}}, {Rel: str(), Hash: str()}}
			case 4:
				f.Force, f.OnChange, f.Home, f.Backup = true, "echo <"+str()+">", "/home/a", str()
				f.Original = &files.Original{Target: str(), Hash: str(), Mode: 0o644, UID: 1, GID: 2}
				f.BackupOf = &files.Original{Hash: str(), Mode: 0o600, UID: 3, GID: 4}
			}
			recs.Files = append(recs.Files, f)
		}
		p := &platform.Plan{Records: map[string]any{"files": recs, "users": map[string]any{"a": []int{1000}}, "hostname": nil, "zz": "<z>"}}
		want, err := json.Marshal(struct {
			Version int            `json:"version"`
			Records map[string]any `json:"records"`
		}{1, p.Records})
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.EncodeRecords()
		if err != nil {
			t.Fatalf("%d files: %v", n, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%d files: EncodeRecords differs from json.Marshal:\n got %.400s\nwant %.400s", n, got, want)
		}
		// The records are left as they were.
		if len(recs.Files) != n {
			t.Fatalf("%d files: the records now have %d", n, len(recs.Files))
		}
	}
}
