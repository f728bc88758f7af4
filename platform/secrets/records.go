package secrets

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/platform"
)

// Records are what a generation keeps: per secret its ciphertext's hash
// and metadata (never content), the identity paths, and the set of
// /run/gocfg/secrets.d that holds the plaintext.
type Records struct {
	// Set is the folder under /run/gocfg/secrets.d that the switch made
	// live ("" when there are no secrets, or under --root).
	Set string `json:"set,omitempty"`
	// Secrets by name.
	Secrets map[string]*Record `json:"secrets,omitempty"`
	// Identities are the identity paths, tried in order.
	Identities []string `json:"identities,omitempty"`
	// Homes are the users' secrets (home.<user>.age), by user.
	Homes map[string]*HomeRecords `json:"homes,omitempty"`
	// HomeRoots: each user's ciphertexts are in her own files root
	// (HomeStoreRoot), whatever else the generation's tree holds.
	// Without it (generations made before it was recorded), the roots
	// there say so (Stored): a generation that a rollback to an older
	// one recorded keeps that one's shared root, users' old copies in it,
	// beside their own roots, and one of those lost was taken for the
	// old layout, and not for damage (tester AZ).
	HomeRoots bool `json:"home_roots,omitempty"`
}

// HomeRecords are one user's secrets as a generation applied them.
type HomeRecords struct {
	// Identities are the user's identity files, as absolute paths.
	Identities []string `json:"identities,omitempty"`
	// Secrets by name; a Record's Path is the file's absolute path, its
	// Owner the user.
	Secrets map[string]*Record `json:"secrets,omitempty"`
}

// A Record is one secret as a generation applied it.
type Record struct {
	// Hash is the ciphertext's secrets.CiphertextHash ("sha256:<hex>");
	// the ciphertext is stored in the generation's files tree, root
	// "age", as system/<name>.
	Hash string `json:"hash"`
	// Source is the ciphertext's file as the configuration named it
	// (age.secrets.<name>.file), from which gocfg store verify --repair
	// writes a damaged stored ciphertext again while it still holds it
	// (tester AX); "" in generations made before it was recorded.
	Source string `json:"source,omitempty"`
	Path   string `json:"path,omitempty"`
	Owner  string `json:"owner"`
	// Group is "" for the owner's primary group.
	Group        string   `json:"group,omitempty"`
	Mode         string   `json:"mode"`
	RestartUnits []string `json:"restart_units,omitempty"`
	ReloadUnits  []string `json:"reload_units,omitempty"`
	// Unwritten: the switch that recorded this secret did not write it
	// (under --root without --secrets, or a user's secret whose folder
	// was not there), so what is on the machine, if anything, is an
	// older ciphertext's plaintext: the next switch that decrypts writes
	// it, though the records match. Carried until then.
	Unwritten bool `json:"unwritten,omitempty"`
}

// unwrittenNote is the note of a secret written because the switch that
// recorded it did not write it (Record.Unwritten).
const unwrittenNote = "written now: the switch that recorded it did not decrypt it"

// unwritten reports whether r (nil: none) is Unwritten.
func (r *Record) unwritten() bool { return r != nil && r.Unwritten }

// same reports whether two records describe the same secret on the
// machine (the units do not change what is written).
func (r *Record) same(o *Record) bool {
	return r != nil && o != nil && r.Hash == o.Hash && r.Path == o.Path && r.Owner == o.Owner && r.Group == o.Group && r.Mode == o.Mode
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	r, err := platform.DecodeRecords[Records]("secrets", data)
	if err != nil {
		return nil, err
	}
	// In key order, so that the error is the same from run to run.
	for _, name := range slices.Sorted(maps.Keys(r.Secrets)) {
		s := r.Secrets[name]
		if s == nil || !validHash(s.Hash) {
			return nil, fmt.Errorf("secrets records: secret %q: no valid ciphertext hash", name)
		}
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("secrets records: %w", err)
		}
	}
	for _, user := range slices.Sorted(maps.Keys(r.Homes)) {
		h := r.Homes[user]
		if h == nil {
			return nil, fmt.Errorf("secrets records: home %q: empty", user)
		}
		for _, name := range slices.Sorted(maps.Keys(h.Secrets)) {
			s := h.Secrets[name]
			if s == nil || !validHash(s.Hash) || !filepath.IsAbs(s.Path) {
				return nil, fmt.Errorf("secrets records: secret %q of %s: no valid ciphertext hash or path", name, user)
			}
			if err := checkName(name); err != nil {
				return nil, fmt.Errorf("secrets records: %w", err)
			}
		}
	}
	return r, nil
}

// names are the secrets' names, sorted.
func (r *Records) names() []string {
	return slices.Sorted(maps.Keys(r.Secrets))
}
