package recdiff

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"sync"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// A Differ compares two generations' records of one provider.
type Differ interface {
	// DiffRecords lists what differs from a's records to b's. An error
	// is a *DecodeError when a side's records cannot be read.
	DiffRecords(a, b Side) ([]Change, error)
}

// DifferFunc is a function that is a Differ.
type DifferFunc func(a, b Side) ([]Change, error)

// DiffRecords calls f.
func (f DifferFunc) DiffRecords(a, b Side) ([]Change, error) { return f(a, b) }

var _ Differ = DifferFunc(nil)

// A Side is one generation's records of one provider.
type Side struct {
	// Records are the provider's records in resources.json (nil: none).
	Records json.RawMessage
	// Content reads a file the generation stored; nil when the stored
	// files cannot be read.
	Content Content
}

// Content reads the file a generation stored at rel under its files
// root root ("systemd/system", "web.service").
type Content func(root, rel string) ([]byte, error)

// A DecodeError is records of one side that cannot be read: a damaged
// resources.json.
type DecodeError struct {
	// B: the records are b's (else a's).
	B   bool
	Err error
}

func (e *DecodeError) Error() string { return e.Err.Error() }
func (e *DecodeError) Unwrap() error { return e.Err }

var (
	mu       sync.RWMutex
	registry = map[string]Differ{}
)

// Register makes d the Differ of the provider whose records resources.json
// keeps under name. Provider packages call it from init; registering a
// name twice panics.
func Register(name string, d Differ) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[name]; dup {
		panic("recdiff: a Differ is registered twice for " + name)
	}
	registry[name] = d
}

// Lookup returns the Differ registered for the provider name.
func Lookup(name string) (Differ, bool) {
	mu.RLock()
	defer mu.RUnlock()
	d, ok := registry[name]
	return d, ok
}

// Decoded makes a Differ from a provider's DecodeRecords and its diff of
// two decoded records.
func Decoded[R any](decode func(json.RawMessage) (R, error), diff func(a, b R) []Change) Differ {
	return DecodedContent(decode, func(a, b R, _, _ Content) []Change { return diff(a, b) })
}

// DecodedContent is Decoded for records that point into the generation's
// files tree: diff gets each side's Content too (nil: not readable).
func DecodedContent[R any](decode func(json.RawMessage) (R, error), diff func(a, b R, ca, cb Content) []Change) Differ {
	return DifferFunc(func(a, b Side) ([]Change, error) {
		ra, err := decode(a.Records)
		if err != nil {
			return nil, &DecodeError{Err: err}
		}
		rb, err := decode(b.Records)
		if err != nil {
			return nil, &DecodeError{B: true, Err: err}
		}
		return diff(ra, rb, a.Content, b.Content), nil
	})
}

// NoRecords is the Differ of a provider that records nothing (its
// records are null or {}); records it does not expect are a DecodeError.
var NoRecords Differ = DifferFunc(func(a, b Side) ([]Change, error) {
	for i, s := range []Side{a, b} {
		if !empty(s.Records) {
			return nil, &DecodeError{B: i == 1, Err: fmt.Errorf("records where none are kept: %.40s", s.Records)}
		}
	}
	return nil, nil
})

func empty(r json.RawMessage) bool {
	r = bytes.TrimSpace(r)
	return len(r) == 0 || string(r) == "null" || string(bytes.Join(bytes.Fields(r), nil)) == "{}"
}

// A Generation is what Diff reads of one generation.
type Generation struct {
	Records platform.Applied
	// Content reads its stored files (nil: they are not read).
	Content Content
}

// A Result is every provider's differences, sorted by ID.
type Result struct {
	Changes []Change
	// Warnings name the providers whose records differ but that no
	// Differ compares.
	Warnings []string
}

// Empty reports whether the two generations record the same.
func (r *Result) Empty() bool { return len(r.Changes) == 0 }

// A ProviderError is a Differ's error, naming the provider.
type ProviderError struct {
	Provider string
	Err      error
}

func (e *ProviderError) Error() string { return e.Err.Error() }
func (e *ProviderError) Unwrap() error { return e.Err }

// Diff compares every provider's records from a to b with the registered
// Differs. An error of a Differ is a *ProviderError, wrapping a
// *DecodeError when a side's records cannot be read.
func Diff(a, b Generation) (*Result, error) {
	names := map[string]bool{}
	for n := range a.Records {
		names[n] = true
	}
	for n := range b.Records {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	r := &Result{}
	for _, n := range sorted {
		d, ok := Lookup(n)
		if !ok {
			if !sameJSON(a.Records[n], b.Records[n]) {
				r.Warnings = append(r.Warnings, fmt.Sprintf("the records of %q differ, and this gocfg cannot compare them", n))
			}
			continue
		}
		cs, err := d.DiffRecords(Side{Records: a.Records[n], Content: a.Content}, Side{Records: b.Records[n], Content: b.Content})
		if err != nil {
			return nil, &ProviderError{Provider: n, Err: err}
		}
		r.Changes = append(r.Changes, cs...)
	}
	sort.SliceStable(r.Changes, func(i, j int) bool { return r.Changes[i].ID < r.Changes[j].ID })
	return r, nil
}

func sameJSON(a, b json.RawMessage) bool {
	if empty(a) && empty(b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// Local reports whether root and rel name a file inside a generation's
// files tree (no absolute path, no "..": records are read, not
// trusted). Content functions check it before reading.
func Local(root, rel string) bool {
	return root != "" && rel != "" && filepath.IsLocal(root) && filepath.IsLocal(rel)
}

// Read returns the file a generation stored at root/rel when c can read
// it and it still has the recorded sha256 hash (hex); false otherwise
// (no Content, a path outside the files tree, a file missing, changed
// or unreadable), when a provider shows the hashes instead.
func Read(c Content, root, rel, hash string) ([]byte, bool) {
	if c == nil || hash == "" || !Local(root, rel) {
		return nil, false
	}
	data, err := c(root, rel)
	if err != nil {
		return nil, false
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != hash {
		return nil, false
	}
	return data, true
}
