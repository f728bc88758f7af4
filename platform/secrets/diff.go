package secrets

import (
	"maps"
	"slices"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register("secrets", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs between the secrets a and b record: by
// ciphertext hash and metadata, never content.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	for _, n := range uniq(append(a.names(), b.names()...)) {
		cs = diffOne(cs, SecretID(n), a.Secrets[n], b.Secrets[n], describe)
	}
	users := map[string]bool{}
	for u := range a.Homes {
		users[u] = true
	}
	for u := range b.Homes {
		users[u] = true
	}
	for _, u := range slices.Sorted(maps.Keys(users)) {
		ha, hb := a.Homes[u], b.Homes[u]
		names := map[string]bool{}
		for _, h := range []*HomeRecords{ha, hb} {
			if h != nil {
				for n := range h.Secrets {
					names[n] = true
				}
			}
		}
		for _, n := range slices.Sorted(maps.Keys(names)) {
			var ra, rb *Record
			if ha != nil {
				ra = ha.Secrets[n]
			}
			if hb != nil {
				rb = hb.Secrets[n]
			}
			cs = diffOne(cs, HomeSecretID(u, n), ra, rb, describeHome)
		}
	}
	return cs
}

// diffOne adds how one secret differs between two generations.
func diffOne(cs []recdiff.Change, id string, ra, rb *Record, show func(*Record) string) []recdiff.Change {
	switch {
	case ra == nil && rb == nil:
		return cs
	case ra == nil:
		return append(cs, recdiff.Created(id, kind, recdiff.Value("", "", show(rb))))
	case rb == nil:
		return append(cs, recdiff.Deleted(id, kind, recdiff.Value("", show(ra), "")))
	}
	var fs recdiff.Fields
	fs.Add("ciphertext", short(ra.Hash), short(rb.Hash))
	fs.Add("path", ra.Path, rb.Path)
	fs.Add("owner", ra.Owner, rb.Owner)
	fs.Add("group", ra.Group, rb.Group)
	fs.Add("mode", ra.Mode, rb.Mode)
	fs.Add("restart_units", recdiff.List(ra.RestartUnits), recdiff.List(rb.RestartUnits))
	fs.Add("reload_units", recdiff.List(ra.ReloadUnits), recdiff.List(rb.ReloadUnits))
	return recdiff.Updated(cs, id, kind, fs)
}
