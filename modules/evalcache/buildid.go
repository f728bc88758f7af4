package evalcache

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"sync"
)

var buildID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	// The ELF note is in the first page; the marker of other formats
	// may be further.
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head[:4<<10])
	if id := findBuildID(head[:n]); id != "" || n < 4<<10 {
		return id
	}
	m, _ := io.ReadFull(f, head[n:])
	return findBuildID(head[:n+m])
})

// BuildID is the Go build ID of the running executable, which changes
// with anything compiled into it (the evaluator, the built-in modules);
// "" when it cannot be found, and then nothing is cached.
func BuildID() string { return buildID() }

// findBuildID finds the Go build ID in the first bytes of an executable:
// the Go note of an ELF file (name "Go", type 4), or the marker the
// linker writes at the start of the text of Mach-O and other files.
func findBuildID(head []byte) string {
	if bytes.HasPrefix(head, []byte("\x7fELF")) {
		note := []byte("\x04\x00\x00\x00Go\x00\x00")
		for off := 0; ; {
			i := bytes.Index(head[off:], note)
			if i < 0 {
				break
			}
			i += off
			off = i + 1
			if i < 8 || binary.LittleEndian.Uint32(head[i-8:]) != 4 {
				continue
			}
			n := int(binary.LittleEndian.Uint32(head[i-4:]))
			start := i + len(note)
			if n <= 0 || n > 256 || start+n > len(head) {
				continue
			}
			if id := string(head[start : start+n]); printable(id) {
				return id
			}
		}
	}
	const marker = "\xff Go build ID: \""
	i := bytes.Index(head, []byte(marker))
	if i < 0 {
		return ""
	}
	rest := head[i+len(marker):]
	j := bytes.IndexByte(rest, '"')
	if j <= 0 || j > 256 || !printable(string(rest[:j])) {
		return ""
	}
	return string(rest[:j])
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}
