// Package sizedread reads a file to its end without the read(2) that
// only finds the end: a file's size when it was opened tells where the
// content ends, so a short read that brings what was read to that size
// is the end (one read(2) for a small file instead of two).
//
// The readers of platform/system say that size (their Size method).
// Whoever reads through a Reader checks what it read against what it
// expected (a hash), so a file that grew since it was opened is read
// whole (the read that filled the buffer was not short) or, when it
// grew between two reads, stored only if its first bytes are the
// content asked for; a file that shrank ends at io.EOF as usual.
package sizedread
