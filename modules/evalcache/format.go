package evalcache

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"unsafe"

	"github.com/hashicorp/hcl/v2"
)

// magic starts every entry file; the last byte is the format's version
// (3: the checksum is CRC-32/IEEE, which was CRC-32C).
const magic = "gocfg-evalcache\x03"

// record is an entry file: the key and the binary it was written for,
// what the evaluation read, and what the command kept of it.
type record struct {
	buildID string
	key     Key
	in      inputs
	out     Entry
}

// encode writes r in the entry format: magic, fields as
// length-prefixed strings and varints, then a CRC-32 (IEEE) of all before
// it. IEEE rather than Castagnoli: both are computed by the processor on
// amd64 and arm64, but the Castagnoli tables hash/crc32 builds on first
// use cost 0.13 ms, more than summing a 0.5 MB entry, in every process.
func (r *record) encode() []byte {
	var w writer
	w.b = append(w.b, magic...)
	w.str(r.buildID)
	w.key(r.key)
	w.uint(uint64(len(r.in.files)))
	for _, f := range r.in.files {
		w.str(f.Path)
		w.bool(f.Present)
		if !f.Present {
			continue
		}
		w.sig(f.Sig)
		w.bool(f.Racy)
		w.b = append(w.b, f.Sum[:]...)
	}
	w.uint(uint64(len(r.in.folders)))
	for _, d := range r.in.folders {
		w.str(d.Path)
		w.strs(d.Files)
		w.bool(d.Signed)
		if d.Signed {
			w.sig(d.Sig)
			w.bool(d.Racy)
		}
	}
	w.uint(uint64(len(r.in.env)))
	for _, kv := range r.in.env {
		w.str(kv[0])
		w.str(kv[1])
	}
	w.uint(uint64(len(r.out.Outputs)))
	for _, k := range sortedKeys(r.out.Outputs) {
		w.str(k)
		w.bytes(r.out.Outputs[k])
	}
	w.uint(uint64(len(r.out.Diags)))
	for _, d := range r.out.Diags {
		w.uint(uint64(d.Severity))
		w.str(d.Summary)
		w.str(d.Detail)
		w.rng(d.Subject)
		w.rng(d.Context)
	}
	return binary.LittleEndian.AppendUint32(w.b, crc32.ChecksumIEEE(w.b))
}

var errDamaged = errors.New("damaged cache entry")

// decodeLocated reads an entry file, but for its file records: it checks
// them and returns where each is (the record's in.files is nil; see
// fileTable.records). Any flaw is errDamaged. The record's key and
// inputs share b's bytes (see view): it must not outlive b, except for
// its out, which has copies of its strings (its Outputs share b). A hit
// reads each file record once, where it is (fileTable.at), instead of
// filling a slice of them: for 1,000 modules 112 KB of fresh memory,
// which costs more to fault in than all the decoding (0.4 ms on the
// benchmark machine, where a fresh page costs 14 µs).
func decodeLocated(b []byte) (*record, fileTable, error) {
	if len(b) < len(magic)+4 || string(b[:len(magic)]) != magic {
		return nil, fileTable{}, errDamaged
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fileTable{}, errDamaged
	}
	rd := reader{b: body[len(magic):]}
	r := &record{}
	r.buildID = rd.view()
	r.key = rd.key()
	n := rd.count()
	files := fileTable{b: rd.b, offs: make([]uint32, 0, n)}
	for i := 0; i < n && rd.err == nil; i++ {
		files.offs = append(files.offs, uint32(len(files.b)-len(rd.b)))
		rd.file()
	}
	n = rd.count()
	for i := 0; i < n && rd.err == nil; i++ {
		d := folderRecord{Path: rd.view(), Files: rd.views(), Signed: rd.bool()}
		if d.Signed {
			d.Sig = rd.sig()
			d.Racy = rd.bool()
		}
		r.in.folders = append(r.in.folders, d)
	}
	n = rd.count()
	for i := 0; i < n && rd.err == nil; i++ {
		r.in.env = append(r.in.env, [2]string{rd.view(), rd.view()})
	}
	n = rd.count()
	r.out.Outputs = make(map[string][]byte, n)
	for i := 0; i < n && rd.err == nil; i++ {
		k := rd.str()
		r.out.Outputs[k] = rd.take(rd.count())
	}
	n = rd.count()
	for i := 0; i < n && rd.err == nil; i++ {
		d := &hcl.Diagnostic{Severity: hcl.DiagnosticSeverity(rd.uint()), Summary: rd.str(), Detail: rd.str()}
		d.Subject, d.Context = rd.rng(), rd.rng()
		r.out.Diags = append(r.out.Diags, d)
	}
	if rd.err != nil || len(rd.b) != 0 {
		return nil, fileTable{}, errDamaged
	}
	return r, files, nil
}

// A fileTable is the file records of an entry, located in its bytes
// (decodeLocated) and decoded one at a time.
type fileTable struct {
	b    []byte   // the entry's bytes from the first file record on
	offs []uint32 // where each record starts in b
}

func (t fileTable) len() int { return len(t.offs) }

// at decodes the i-th record, which decodeLocated checked.
func (t fileTable) at(i int) fileRecord {
	rd := reader{b: t.b[t.offs[i]:]}
	return rd.file()
}

// records decodes every record, for an entry written again.
func (t fileTable) records() []fileRecord {
	recs := make([]fileRecord, t.len())
	for i := range recs {
		recs[i] = t.at(i)
	}
	return recs
}

// path is at(i).Path, without decoding the rest.
func (t fileTable) path(i int) string {
	rd := reader{b: t.b[t.offs[i]:]}
	return rd.view()
}

type writer struct{ b []byte }

func (w *writer) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *writer) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *writer) str(s string)  { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *writer) bytes(p []byte) {
	w.uint(uint64(len(p)))
	w.b = append(w.b, p...)
}
func (w *writer) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}
func (w *writer) sig(s signature) {
	w.int(s.Size)
	w.uint(uint64(s.Mode))
	w.int(s.MtimeNS)
	w.int(s.CtimeNS)
	w.uint(s.Ino)
	w.uint(s.Dev)
}

func (w *writer) strs(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}
func (w *writer) key(k Key) {
	w.str(k.Entry)
	w.str(k.Query)
	w.strs([]string{k.Host.OS, k.Host.Arch, k.Host.Name, k.Host.User, k.Host.Distro})
	w.str(k.WorkDir)
}
func (w *writer) rng(r *hcl.Range) {
	if r == nil {
		w.bool(false)
		return
	}
	w.bool(true)
	w.str(r.Filename)
	for _, p := range []hcl.Pos{r.Start, r.End} {
		w.int(int64(p.Line))
		w.int(int64(p.Column))
		w.int(int64(p.Byte))
	}
}

// reader decodes what writer wrote; the first error sticks and every
// read after it returns zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errDamaged
		return 0
	}
	r.b = r.b[n:]
	return v
}

// int reads what binary.AppendVarint wrote: the zig-zag encoding of v
// as an unsigned varint, decoded as binary.Varint does.
func (r *reader) int() int64 {
	u := r.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// count reads a length, which cannot exceed the bytes left.
func (r *reader) count() int {
	v := r.uint()
	if v > uint64(len(r.b)) {
		r.err = errDamaged
		return 0
	}
	return int(v)
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.err = errDamaged
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

// str is the next string, copied.
func (r *reader) str() string { return string(r.take(r.count())) }

// view is the next string read in place: it shares the decoded bytes (a
// mapped entry file), so it must not outlive them. decodeLocated reads what
// only Get uses (the key, the inputs) with view and what Get returns
// (output names, diagnostics) with str: a hit of 1,000 modules reads
// 2,000 paths, which copied would be as many allocations.
func (r *reader) view() string {
	b := r.take(r.count())
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (r *reader) bool() bool {
	p := r.take(1)
	if p == nil || p[0] > 1 {
		r.err = errDamaged
		return false
	}
	return p[0] == 1
}

// file is the next file record; its Path is read in place (view).
func (r *reader) file() fileRecord {
	f := fileRecord{Path: r.view(), Present: r.bool()}
	if f.Present {
		f.Sig = r.sig()
		f.Racy = r.bool()
		copy(f.Sum[:], r.take(len(f.Sum)))
	}
	return f
}

func (r *reader) sig() signature {
	return signature{Size: r.int(), Mode: uint32(r.uint()), MtimeNS: r.int(), CtimeNS: r.int(), Ino: r.uint(), Dev: r.uint()}
}

// views is a list of strings, read with view.
func (r *reader) views() []string {
	n := r.count()
	ss := make([]string, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		ss = append(ss, r.view())
	}
	return ss
}

func (r *reader) key() Key {
	k := Key{Entry: r.view(), Query: r.view()}
	h := r.views()
	if len(h) != 5 {
		r.err = errDamaged
		return k
	}
	k.Host.OS, k.Host.Arch, k.Host.Name, k.Host.User, k.Host.Distro = h[0], h[1], h[2], h[3], h[4]
	k.WorkDir = r.view()
	return k
}

func (r *reader) rng() *hcl.Range {
	if !r.bool() {
		return nil
	}
	rg := &hcl.Range{Filename: r.str()}
	for _, p := range []*hcl.Pos{&rg.Start, &rg.End} {
		p.Line, p.Column, p.Byte = int(r.int()), int(r.int()), int(r.int())
	}
	return rg
}
