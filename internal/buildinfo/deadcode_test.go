package buildinfo

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeadCodeElimination links gocfg as scripts/release.sh does and
// asks the linker which functions it reached: none may be marked
// <ReflectMethod> (a call of reflect's Method or MethodByName with a
// name it cannot know, as text/template's field lookup makes). One such
// call keeps every exported method of every reachable type: the binary
// grew by 3.5 MB and each gocfg process took 1.2 ms more to start when
// cobra's version template was set (cmd/gocfg setVersion). It runs where
// TestReleaseBinaries does ($GOCFG_RELEASE_DIR, set by .ci/run), since
// it links the whole command again.
func TestDeadCodeElimination(t *testing.T) {
	if os.Getenv("GOCFG_RELEASE_DIR") == "" {
		t.Skip("GOCFG_RELEASE_DIR is not set: .ci/run sets it after scripts/release.sh")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", os.DevNull, "-ldflags=-dumpdep", "./cmd/gocfg")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -ldflags=-dumpdep: %v\n%s", err, tail(out))
	}
	if n := reflectMethods(out); len(n) > 0 {
		t.Errorf("the linker keeps every exported method: reached through %s\n(find the caller with: go build -ldflags=-dumpdep ./cmd/gocfg 2>&1 | grep -F -e '-> %s')",
			strings.Join(n, ", "), n[0])
	}
	if !bytes.Contains(out, []byte(" -> ")) {
		t.Fatalf("go build -ldflags=-dumpdep printed no dependencies:\n%s", tail(out))
	}
}

// reflectMethods returns the functions the linker's dependency dump
// marks <ReflectMethod>, each once.
func reflectMethods(dump []byte) []string {
	seen := map[string]bool{}
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		for _, side := range strings.Split(sc.Text(), " -> ") {
			name, marked := strings.CutSuffix(strings.TrimSpace(side), " <ReflectMethod>")
			if marked && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	return names
}

// tail is the last 2 KB of out, for a failure message.
func tail(out []byte) []byte {
	if len(out) > 2048 {
		return out[len(out)-2048:]
	}
	return out
}
