package syntax

import "github.com/hashicorp/hcl/v2"

// A Pos is a position in a module's file: hcl.Pos in 32-bit numbers,
// which hold any position of a file the loader reads (at most
// loader.MaxFileSize, 16 MiB).
type Pos struct {
	Line, Column, Byte int32
}

// PosOf returns p as a Pos.
func PosOf(p hcl.Pos) Pos {
	return Pos{Line: int32(p.Line), Column: int32(p.Column), Byte: int32(p.Byte)}
}

// HCL returns p as an hcl.Pos.
func (p Pos) HCL() hcl.Pos {
	return hcl.Pos{Line: int(p.Line), Column: int(p.Column), Byte: int(p.Byte)}
}
