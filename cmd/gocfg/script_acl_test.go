package main

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"
)

// cmdACL prints the POSIX access ACL of a path as getfacl does (without
// its header): acl PATH.
func cmdACL(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 1, 1, "acl PATH")
	buf := make([]byte, 1024)
	n, err := unix.Lgetxattr(ts.MkAbs(args[0]), "system.posix_acl_access", buf)
	if err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
	b := buf[:n]
	if len(b) < 4 || binary.LittleEndian.Uint32(b) != 2 {
		ts.Fatalf("%s: not a version 2 ACL", args[0])
	}
	names := map[uint16]string{0x01: "user", 0x02: "user", 0x04: "group", 0x08: "group", 0x10: "mask", 0x20: "other"}
	var out strings.Builder
	for b = b[4:]; len(b) >= 8; b = b[8:] {
		tag, perm, id := binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:]), binary.LittleEndian.Uint32(b[4:])
		who := ""
		if tag == 0x02 || tag == 0x08 {
			who = fmt.Sprint(id)
		}
		rwx := []byte("---")
		for i, c := range "rwx" {
			if perm&(4>>i) != 0 {
				rwx[i] = byte(c)
			}
		}
		fmt.Fprintf(&out, "%s:%s:%s\n", names[tag], who, rwx)
	}
	_, _ = ts.Stdout().Write([]byte(out.String()))
}
