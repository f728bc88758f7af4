// Package syntax is the structure of a parsed module: its body, the
// blocks and attributes in it, in source order. Expressions stay
// hclsyntax's nodes (a quoted string takes one of two forms of them:
// QuotedString); what is gocfg's own is the structure around them,
// because a cold evaluation keeps every module's tree to its end (the
// definitions point into it) and hclsyntax's structure is large for it:
// an attribute is 224 bytes (three 64-byte ranges), a block with its
// body over 400, and every body has a map of its attributes. Here an
// attribute is 56 bytes and a block 152: positions are 12 bytes, and a
// range has no file name (every range in a module's tree is in the
// module's file, which the methods that return an hcl.Range take).
// Attributes and blocks are kept in slices in source order, so walking
// a body in source order needs no sorting and its diagnostics come in
// the same order every time.
//
// The loader's fast parser builds these trees directly; a file that
// hclsyntax parses (anything the fast parser does not read, and every
// file with an error) is converted by FromHCL. Only what gocfg reads is
// kept: an attribute's name and its range, a block's type, labels and
// their ranges, and where the block ends. The ranges of an equals sign,
// of braces and of a whole body are not.
package syntax
