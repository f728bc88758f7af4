package main

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdLegacySecrets is the scripts' command
//
//	legacysecrets ROOT N   write generation N of the --root tree ROOT again,
//	                       as the next generation, the way gocfg stored
//	                       users' secrets before secrets.HomeStoreRoot:
//	                       each ciphertext under secrets.StoreRoot, at
//	                       home/<user>/<name>, with its records; and make
//	                       it current
//
// for the rollbacks from and to such a generation, which gocfg still
// reads. Only a generation whose files are its users' secrets alone is
// written again whole.
func cmdLegacySecrets(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "legacysecrets")
	wantArgs(ts, neg, args, 2, 2, "legacysecrets ROOT N")
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	root := ts.MkAbs(args[0])
	store := generations.New(system.NewRooted(root, system.NewReal()), "/var/lib/gocfg")
	res, err := store.ReadFile(n, "resources.json")
	ts.Check(err)
	// Records as gocfg wrote them then: without home_roots.
	if !bytes.Contains(res, []byte(`,"home_roots":true`)) {
		ts.Fatalf("generation %d's secrets records say nothing of home_roots", n)
	}
	res = bytes.ReplaceAll(res, []byte(`,"home_roots":true`), nil)
	applied, err := platform.DecodeAppliedFile("resources.json", res)
	ts.Check(err)
	recs, err := secrets.DecodeRecords(applied["secrets"])
	ts.Check(err)
	var files []generations.Entry
	for user, h := range recs.Homes {
		for name, rec := range h.Secrets {
			data, err := os.ReadFile(root + store.FilePath(n, secrets.HomeStoreRoot(user), name))
			ts.Check(err)
			files = append(files, generations.Entry{Root: secrets.StoreRoot, Rel: "home/" + user + "/" + name, Hash: strings.TrimPrefix(rec.Hash, "sha256:"),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
		}
	}
	next, err := store.Next()
	ts.Check(err)
	config, err := store.ReadFile(n, "config.json")
	ts.Check(err)
	ts.Check(store.Write(generations.NewGeneration{Meta: generations.Meta{Number: next, Time: time.Unix(0, 0), Version: "old", Command: "switch"},
		Config: config, Resources: res, Files: files,
		Areas: map[string]generations.Area{secrets.StoreRoot: {Name: secrets.StoreRoot, UID: 0, GID: 0, Private: true}}}))
	ts.Check(store.Flip(next))
}
