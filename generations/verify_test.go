package generations

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
)

// Verify names the damaged file, the generations that use it and what
// they recorded; Repair writes the object again under its name from an
// intact stored copy or from a source, keeps the changed bytes, and
// reports what it cannot rebuild.
func TestVerifyAndRepair(t *testing.T) {
	s, _ := tempStore(t)
	one := []Entry{
		entry("home/alice", ".bashrc", "configured\n", false),
		entry("home/alice", ".config/app/conf", "conf\n", false),
		entry("home/alice", ".config/app/run", "#!/bin/sh\n", true),
		entry("etc", "motd", "hello\n", false),
	}
	two := []Entry{
		entry("home/alice", ".bashrc", "configured\n", false),
		entry("home/alice", ".config/app/conf", "conf\n", false),
		entry("home/alice", ".config/app/run", "#!/bin/sh\n", true),
		entry("etc", "motd", "hello 2\n", false),
		entry("etc", "issue", "configured\n", false), // an intact copy of .bashrc's content
	}
	if err := s.Write(gen(1, one)); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(gen(2, two)); err != nil {
		t.Fatal(err)
	}
	recorded := map[int][]Entry{1: one, 2: two}
	expect := func(n int, root, rel string) (string, bool, bool) {
		for _, e := range recorded[n] {
			if e.Root == root && e.Rel == rel {
				return e.Hash, e.Exec, true
			}
		}
		return "", false, false
	}
	rep, err := s.Verify(VerifyOptions{Expect: expect})
	if err != nil || len(rep.Damaged) > 0 {
		t.Fatalf("Verify of an intact store: %+v, %v", rep, err)
	}
	if rep.Files != 6 {
		t.Errorf("Verify checked %d files, want 6", rep.Files)
	}

	editInPlace(t, s.FilePath(1, "home/alice", ".bashrc"), "edited\n")
	editInPlace(t, s.FilePath(1, "home/alice", ".config/app/conf"), "edited conf\n")
	if err := os.Chmod(s.FilePath(1, "home/alice", ".config/app/run"), 0o755); err != nil {
		t.Fatal(err)
	}
	editInPlace(t, s.FilePath(1, "etc", "motd"), "edited motd\n") // generation 1 only

	rep, err = s.Verify(VerifyOptions{Expect: expect})
	if err != nil {
		t.Fatal(err)
	}
	type found struct {
		name, problem string
		gens          []int
	}
	var got []found
	for _, d := range rep.Damaged {
		var gens []int
		for _, u := range d.Uses {
			gens = append(gens, u.Generation)
		}
		slices.Sort(gens)
		got = append(got, found{d.Name, d.Problem, gens})
	}
	want := []found{
		{".bashrc", "content changed in place (content " + sum("edited\n")[:8] + ", recorded " + sum("configured\n")[:8] + ")", []int{1, 2}},
		{"conf", "content changed in place (content " + sum("edited conf\n")[:8] + ", recorded " + sum("conf\n")[:8] + ")", []int{1, 2}},
		{"run", "mode 0755, not 0444 or 0555", []int{1, 2}},
		{"motd", "content changed in place (content " + sum("edited motd\n")[:8] + ", recorded " + sum("hello\n")[:8] + ")", []int{1}},
	}
	// Sorted by path: home-alice's objects, then system's.
	slices.SortFunc(got, func(a, b found) int { return strings.Compare(a.name, b.name) })
	slices.SortFunc(want, func(a, b found) int { return strings.Compare(a.name, b.name) })
	if !slices.EqualFunc(got, want, func(a, b found) bool {
		return a.name == b.name && a.problem == b.problem && slices.Equal(a.gens, b.gens)
	}) {
		t.Errorf("Verify found\n%+v\nwant\n%+v", got, want)
	}

	// conf's content has a source; .bashrc's has an intact copy (etc/issue);
	// motd's has none.
	source := func(hash string) (RepairSource, bool) {
		if hash != sum("conf\n") {
			return RepairSource{}, false
		}
		return RepairSource{From: "/src/conf", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("conf\n")), nil }}, true
	}
	fixed, failed, err := s.Repair(rep, source)
	if err != nil {
		t.Fatal(err)
	}
	var fixedNames, failedNames []string
	for _, f := range fixed {
		fixedNames = append(fixedNames, f.Damage.Name)
	}
	for _, f := range failed {
		failedNames = append(failedNames, f.Damage.Name)
		if !strings.HasPrefix(f.Why, "no source gives its recorded content") {
			t.Errorf("%s: %s", f.Damage.Name, f.Why)
		}
	}
	slices.Sort(fixedNames)
	if !slices.Equal(fixedNames, []string{".bashrc", "conf", "run"}) || !slices.Equal(failedNames, []string{"motd"}) {
		t.Errorf("Repair fixed %q and not %q; want .bashrc, conf, run and not motd", fixedNames, failedNames)
	}
	for rel, content := range map[string]string{".bashrc": "configured\n", ".config/app/conf": "conf\n", ".config/app/run": "#!/bin/sh\n"} {
		if got := testfs.Read(t, s.FilePath(1, "home/alice", rel)); got != content {
			t.Errorf("after Repair: %s = %q, want %q", rel, got, content)
		}
	}
	if got := perm(t, s.FilePath(2, "home/alice", ".config/app/run")); got != 0o555 {
		t.Errorf("after Repair: run has mode %04o, want 0555", got)
	}
	if got := testfs.Read(t, s.EditedPath(sum("edited conf\n"))); got != "edited conf\n" {
		t.Errorf("the changed bytes were not kept: %q", got)
	}
	rep, err = s.Verify(VerifyOptions{Expect: expect})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Damaged) != 1 || rep.Damaged[0].Name != "motd" {
		t.Errorf("Verify after Repair: %+v, want only motd", rep.Damaged)
	}
}

// Without what the generations recorded, Verify reports a changed object
// whole, and Repair leaves it.
func TestVerifyWithoutRecords(t *testing.T) {
	s, _ := tempStore(t)
	if err := s.Write(gen(1, []Entry{entry("home/alice", ".bashrc", "configured\n", false)})); err != nil {
		t.Fatal(err)
	}
	editInPlace(t, s.FilePath(1, "home/alice", ".bashrc"), "edited\n")
	if err := os.Remove(s.FilePath(1, "etc", "")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	rep, err := s.Verify(VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Damaged) != 1 || rep.Damaged[0].Name != "" || !strings.Contains(rep.Damaged[0].Problem, "not to its name") {
		t.Fatalf("Verify = %+v, want the object reported whole", rep.Damaged)
	}
	_, failed, err := s.Repair(rep, nil)
	if err != nil || len(failed) != 1 {
		t.Errorf("Repair = %+v, %v; want it left", failed, err)
	}
}

// An object named from the listing earlier versions wrote for an
// executable file ("f 0455 …") still verifies.
func TestVerifyLegacyListing(t *testing.T) {
	dir, s, e := writeExecutable(t)
	h, err := s.TreeHash(1, "home/alice")
	if err != nil {
		t.Fatal(err)
	}
	// Rename the object to its old name, as an older gocfg wrote it.
	old := sum("f 0455 " + e.Hash + " run\n")
	area := dir + "/store/home-alice/"
	if err := os.Rename(area+h, area+old); err != nil {
		t.Fatal(err)
	}
	link := s.FilePath(1, "home/alice", "")
	if err := os.Chmod(dir+"/generations/1/files/home", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../store/home-alice/"+old, link); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Verify(VerifyOptions{}); err != nil || len(rep.Damaged) > 0 || rep.Files != 1 {
		t.Errorf("Verify of an object named from the old listing: %+v, %v", rep, err)
	}
}

// TestVerifyLoops: a stored folder whose entry links back to it, and a
// chain of folders that each link twice to the next one, are damage
// that Verify reports, once, without walking round (reviewer R10: store
// verify, doctor and rollback's check spun on them for minutes).
func TestVerifyLoops(t *testing.T) {
	s, _ := tempStore(t)
	if err := s.Write(gen(1, []Entry{entry("home/alice", ".config/app/conf", "conf\n", false)})); err != nil {
		t.Fatal(err)
	}
	obj, err := filepath.EvalSymlinks(s.FilePath(1, "home/alice", ".config/app"))
	if err != nil {
		t.Fatal(err)
	}
	area := filepath.Dir(obj)
	if err := os.Chmod(obj, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../"+filepath.Base(obj), filepath.Join(obj, "self")); err != nil {
		t.Fatal(err)
	}
	// 30 folders named as objects, each linking twice to the next.
	next := ""
	for i := range 30 {
		name := fmt.Sprintf("%064x", i+1)
		dir := filepath.Join(area, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if next != "" {
			for _, l := range []string{"a", "b"} {
				if err := os.Symlink("../"+next, filepath.Join(dir, l)); err != nil {
					t.Fatal(err)
				}
			}
		}
		next = name
	}
	if err := os.Symlink("../"+next, filepath.Join(obj, "chain")); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cycle := false
	for _, d := range rep.Damaged {
		cycle = cycle || strings.Contains(d.Problem, "a cycle")
		if len(d.Uses) > maxWalkVisits*2 {
			t.Errorf("%s: %d uses, want at most %d", d.Path, len(d.Uses), maxWalkVisits*2)
		}
	}
	if !cycle {
		t.Errorf("no damage says the folder links back to itself: %+v", rep.Damaged)
	}
}
