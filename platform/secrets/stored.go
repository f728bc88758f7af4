package secrets

import (
	"io/fs"
	"maps"
	"slices"

	"github.com/gocfg/gocfg/generations"
)

// Stored lists the ciphertexts that generation n of store keeps, as
// recs, its records, name them: the system's under StoreRoot, and each
// user's under her HomeStoreRoot, or under StoreRoot where the
// generation has no root of hers (made before HomeStoreRoot). gocfg store
// verify then names a damaged ciphertext, and what it should hold, where
// it could only say that a root's object no longer hashes to its name
// (tester AX). Records that say HomeRoots want her own root, always.
func Stored(sys interface {
	Lstat(string) (fs.FileInfo, error)
}, store *generations.Store, n int, recs *Records) []generations.StoredFile {
	var out []generations.StoredFile
	for _, name := range slices.Sorted(maps.Keys(recs.Secrets)) {
		out = append(out, generations.StoredFile{Gen: n, Root: StoreRoot, Rel: storeRel(name), Hash: hexOf(recs.Secrets[name].Hash)})
	}
	for _, user := range slices.Sorted(maps.Keys(recs.Homes)) {
		_, err := sys.Lstat(store.FilePath(n, HomeStoreRoot(user), ""))
		own := recs.HomeRoots || err == nil || !StoredWithEveryones(sys, store, n, user)
		for _, name := range slices.Sorted(maps.Keys(recs.Homes[user].Secrets)) {
			f := generations.StoredFile{Gen: n, Root: HomeStoreRoot(user), Rel: name, Hash: hexOf(recs.Homes[user].Secrets[name].Hash)}
			if !own {
				f.Root, f.Rel = StoreRoot, legacyHomeRel(user, name)
			}
			out = append(out, f)
		}
	}
	return out
}

// Sources returns the ciphertexts' files that recs name, by the content
// hash (hex) they had when the generation was made, for gocfg store
// verify --repair, which hashes them again before it writes anything
// from them.
func Sources(recs *Records) map[string][]string {
	out := map[string][]string{}
	add := func(r *Record) {
		if r.Source != "" {
			out[hexOf(r.Hash)] = append(out[hexOf(r.Hash)], r.Source)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(recs.Secrets)) {
		add(recs.Secrets[name])
	}
	for _, user := range slices.Sorted(maps.Keys(recs.Homes)) {
		for _, name := range slices.Sorted(maps.Keys(recs.Homes[user].Secrets)) {
			add(recs.Homes[user].Secrets[name])
		}
	}
	return out
}
