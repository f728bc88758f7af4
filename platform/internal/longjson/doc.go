// Package longjson writes a JSON document that holds one long list as
// json.Marshal (go-json) writes it, byte for byte, with the list encoded a
// part at a time into one buffer sized for the whole.
//
// A switch writes two such documents: the new generation's
// resources.json, whose files records list every managed file (5 MB for
// 10,000 dotfiles), and the journal, which lists every op (2.6 MB).
// json.Marshal encodes a value into a buffer of its own that grows by
// appending, a quarter at a time once it is large, and then copies the
// result out: a 5 MB document touched about 25 MB of fresh memory, and in
// a fresh gocfg process the page faults of that memory were most of the
// 20 ms the encoding took (2 ms once the memory is the process's), and
// much of its peak resident size.
//
// Marshal finds the list's place from two small encodings of the
// document, with the list null and with it empty (they differ there
// only), and fills the place with the encodings of the list's parts, each
// a JSON array whose brackets are left out and whose elements are joined
// by commas: what an array is. Every value is encoded by go-json; when
// the place cannot be found (a list that is omitted when empty), the
// document is encoded whole.
package longjson
