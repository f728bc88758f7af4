package modgen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	json "github.com/goccy/go-json"
)

// TestWriteNix checks the Nix twin of the workload: its entry lists
// every module in order and, where nix-instantiate and $NIXPKGS_LIB are
// at hand, lib.evalModules gives the result the workload is built for.
func TestWriteNix(t *testing.T) {
	dir := t.TempDir()
	entry, err := WriteNix(dir, 12)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	last := 0
	for i := 0; i < 12; i++ {
		want := fmt.Sprintf("./modules/m%02d.nix", i)
		at := strings.Index(text, want)
		if at < last {
			t.Fatalf("default.nix lists %s out of order or not at all:\n%s", want, text)
		}
		last = at
	}
	lib := os.Getenv("NIXPKGS_LIB")
	if _, err := exec.LookPath("nix-instantiate"); err != nil || lib == "" {
		t.Skip("nix-instantiate or NIXPKGS_LIB (nixpkgs' lib folder) missing: the evaluation is not checked")
	}
	out, err := exec.Command("nix-instantiate", "--eval", "--strict", "--json", "-I", "nixpkgs-lib="+lib, entry).Output()
	if err != nil {
		t.Fatalf("nix-instantiate: %v", err)
	}
	var got struct {
		Bench      map[string]struct{ Enable bool } `json:"bench"`
		Networking struct{ HostName string }        `json:"networking"`
		Users      struct {
			Users map[string]struct {
				UID    int
				Groups []string
			}
		}
		Defaults    map[string]map[string]string `json:"defaults"`
		Environment struct{ SystemPackages []string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.Networking.HostName != "final" {
		t.Errorf("hostName = %q, want final (module 11 over module 0's mkDefault)", got.Networking.HostName)
	}
	if got.Bench["m0"].Enable || !got.Bench["m11"].Enable {
		t.Errorf("bench = %+v, want m0 off and every other on", got.Bench)
	}
	var groups []string
	for i := 0; i < 12; i++ {
		groups = append(groups, "g"+strconv.Itoa(i))
	}
	if sh := got.Users.Users[SharedUser]; sh.UID != 5000 || !reflect.DeepEqual(slices.Sorted(slices.Values(sh.Groups)), slices.Sorted(slices.Values(groups))) {
		t.Errorf("users.%s = %+v, want uid 5000 and groups %v", SharedUser, sh, groups)
	}
	if len(got.Users.Users) != 13 || len(got.Environment.SystemPackages) != 36 || got.Defaults["domain_3"]["key_3"] != "v3" {
		t.Errorf("%d users, %d packages, defaults %v: want 13, 36 and domain_3.key_3 = v3", len(got.Users.Users), len(got.Environment.SystemPackages), got.Defaults)
	}
	if _, err := os.Stat(filepath.Join(dir, "base.nix")); err != nil {
		t.Error(err)
	}
}
