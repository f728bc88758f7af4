package evalcache

import (
	"bytes"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/gocfg/gocfg/modules"
	"github.com/hashicorp/hcl/v2"
)

func sampleRecord() *record {
	return &record{
		buildID: "id/1",
		key:     Key{Entry: "/c/default.hcl", Host: modules.Host{OS: "linux", Arch: "amd64", Name: "h", User: "u", Distro: "debian"}, Query: "eval json", WorkDir: "/c"},
		in: inputs{
			files: []fileRecord{
				{Path: "/c/default.hcl", Present: true, Sig: signature{Size: 10, Mode: 0o644, MtimeNS: 1, CtimeNS: -2, Ino: 3, Dev: 4}, Racy: true, Sum: [32]byte{1, 2}},
				{Path: "/c/absent"},
			},
			folders: []folderRecord{{Path: "/c/mods", Files: []string{"/c/mods/a.hcl"}}},
			env:     [][2]string{{"HOME", "/root"}, {"EMPTY", ""}},
		},
		out: Entry{
			Outputs: map[string][]byte{"json": []byte("{}\n"), "empty": {}},
			Diags: hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "s", Detail: "d",
				Subject: &hcl.Range{Filename: "/c/default.hcl", Start: hcl.Pos{Line: 1, Column: 2, Byte: 3}, End: hcl.Pos{Line: 4, Column: 5, Byte: 6}}}},
		},
	}
}

// decode reads an entry file whole, as decodeLocated and then every
// file record: what the tests compare with what was encoded.
func decode(b []byte) (*record, error) {
	r, files, err := decodeLocated(b)
	if err != nil {
		return nil, err
	}
	r.in.files = files.records()
	return r, nil
}

func TestRecordRoundTrip(t *testing.T) {
	r := sampleRecord()
	got, err := decode(r.encode())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, r)
	}
}

// FuzzDecode: no input makes decode panic, and what decodes encodes to
// the same bytes.
func FuzzDecode(f *testing.F) {
	b := sampleRecord().encode()
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decode(b)
		if err != nil {
			return
		}
		if again := r.encode(); !bytes.Equal(again, b) {
			t.Errorf("re-encoded differently")
		}
	})
}

func TestValueRoundTrip(t *testing.T) {
	v := map[string]any{
		"b": true, "f": false, "s": "x", "i": int64(-3), "u": uint64(1 << 63), "r": 1.5,
		"d": time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), "data": []byte{0, 1}, "nil": nil,
		"list": []any{"a", int64(1), map[string]any{}}, "map": map[string]any{"k": []any{}},
	}
	b, err := EncodeValue(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeValue(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("got %#v\nwant %#v", got, v)
	}
	if _, err := EncodeValue(struct{}{}); err == nil {
		t.Error("a struct was encoded")
	}
	for i := range b {
		if _, err := DecodeValue(b[:i]); err == nil {
			t.Errorf("truncated to %d bytes: decoded", i)
		}
	}
}

// TestIntRoundTrip: reader.int decodes the zig-zag varints writer.int
// writes, at both ends of the range.
func TestIntRoundTrip(t *testing.T) {
	ints := []int64{0, 1, -1, 63, -64, 64, -65, 1 << 40, -1 << 40, math.MaxInt64, math.MinInt64}
	var w writer
	for _, v := range ints {
		w.int(v)
	}
	r := &reader{b: w.b}
	for _, want := range ints {
		if got := r.int(); got != want {
			t.Errorf("int = %d, want %d", got, want)
		}
	}
	if r.err != nil || len(r.b) != 0 {
		t.Errorf("after the numbers: err %v, %d bytes left", r.err, len(r.b))
	}
}
