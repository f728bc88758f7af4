package secrets

import (
	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register("secrets", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs between the secrets a and b record: by
// ciphertext hash and metadata, never content.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	for _, n := range uniq(append(a.names(), b.names()...)) {
		ra, rb := a.Secrets[n], b.Secrets[n]
		switch {
		case ra == nil:
			cs = append(cs, recdiff.Created(SecretID(n), kind, recdiff.Value("", "", describe(rb))))
		case rb == nil:
			cs = append(cs, recdiff.Deleted(SecretID(n), kind, recdiff.Value("", describe(ra), "")))
		default:
			var fs recdiff.Fields
			if ra.Hash != rb.Hash {
				fs.Add("ciphertext", short(ra.Hash), short(rb.Hash))
			}
			fs.Add("path", ra.Path, rb.Path)
			fs.Add("owner", ra.Owner, rb.Owner)
			fs.Add("group", ra.Group, rb.Group)
			fs.Add("mode", ra.Mode, rb.Mode)
			fs.Add("restart_units", recdiff.List(ra.RestartUnits), recdiff.List(rb.RestartUnits))
			fs.Add("reload_units", recdiff.List(ra.ReloadUnits), recdiff.List(rb.ReloadUnits))
			cs = recdiff.Updated(cs, SecretID(n), kind, fs)
		}
	}
	return cs
}
