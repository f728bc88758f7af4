package deploy

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// binaryCache keeps each local binary a host gets, read once: its
// bytes and their hash. Every host that gets it is sent those bytes, the
// ones hashed (tester AW: the file was hashed, then opened again to be
// sent, so that one who could write it in between had her program
// stored on the hosts under the hash of gocfg's, and run by every later
// deploy).
type binaryCache struct {
	mu sync.Mutex
	m  map[string]*localBinary
}

// localBinary is a gocfg binary as it was read.
type localBinary struct {
	data []byte
	// sum is the first 16 hex digits of data's SHA-256: the binary's
	// name on the hosts (gocfg-<sum>), so that a host has the same
	// binary exactly when it has that name.
	sum string
}

func (c *binaryCache) read(path string) (*localBinary, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.m[path]; ok {
		return b, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	b := &localBinary{data: data, sum: hex.EncodeToString(sum[:])[:16]}
	if c.m == nil {
		c.m = map[string]*localBinary{}
	}
	c.m[path] = b
	return b, nil
}

// ensureBinary puts the gocfg binary for the host's OS and architecture
// on it, unless it has it already. It returns the binary's path there
// and the deploy folder's, both as the way check found them: with no
// link on the way (reviewer R11: "$HOME"/.cache/... followed again by
// root's sudo went through a link another user could point elsewhere
// after the check).
func (d *Deployer) ensureBinary(ctx context.Context, h Host, f Facts, w io.Writer) (bin Raw, folder string, err error) {
	local, err := d.Binary(f.OS, f.Arch)
	if err != nil {
		return "", "", err
	}
	lb, err := d.binaries.read(local)
	if err != nil {
		return "", "", fmt.Errorf("the gocfg binary for %s/%s: %w", f.OS, f.Arch, err)
	}
	name := "gocfg-" + lb.sum
	// Only once the way to it is safe (wayCheck) does anything run from
	// the deploy folder, as root or not, and only by the path checked.
	out := &tailBuffer{max: tailMessage}
	token := wayToken()
	command, script := wayRun(HomePath(remoteDir+"/"+name), token)
	err = d.runStep(ctx, h, Remote{Command: command, Stdin: strings.NewReader(script), Stdout: out}, "the check of the deploy folder")
	var re *RemoteError
	switch {
	case err == nil:
	case errors.As(err, &re) && re.Code == 3:
		return "", "", fmt.Errorf("the deploy folder on the host is not safe for root to run gocfg from: %s", strings.TrimPrefix(re.Stderr, "gocfg: error: "))
	case !errors.As(err, &re) || re.Code != 1:
		return "", "", fmt.Errorf("looking for gocfg on the host: %w", err)
	}
	dir, ok := wayFolder(out.String(), token)
	// The folder, not another one the check may have been pointed at
	// (reviewer R14: a cut of the script's last line checked $PWD/1).
	if !strings.HasSuffix(dir, "/gocfg/deploy") {
		ok = false
	}
	if !ok {
		return "", "", fmt.Errorf("looking for gocfg on the host: the check of its folder did not say where the folder is (it printed %q)", out.String())
	}
	folder, bin = dir, Raw(Quote(dir+"/"+name))
	if err == nil {
		return bin, folder, nil
	}
	size := int64(len(lb.data))
	fmt.Fprintf(w, "sending gocfg (%s/%s, %d MB)\n", f.OS, f.Arch, (size+1<<19)>>20)
	tmp := dir + "/" + name + ".tmp-" + d.RunID
	upload := Shell("/bin/sh", "-c", uploadScript, "gocfg-upload", tmp, dir+"/"+name, strconv.FormatInt(size, 10))
	if err := d.T.Run(ctx, h, Remote{Command: upload, Stdin: bytes.NewReader(lb.data), Stderr: w}); err != nil {
		return "", "", fmt.Errorf("sending gocfg to the host: %w", err)
	}
	return bin, folder, nil
}

// wayToken is a new random word for the way check's folder line.
func wayToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// uploadScript writes its standard input to $1, and, if it has $3 bytes,
// makes it executable and moves it to $2 (reviewer R13: standard input
// that something of the login user's read from first left a cut binary
// under its hash's name, and the host broken until it was removed). One
// line with no "!", run by /bin/sh, so that any login shell passes it
// on alike.
const uploadScript = `umask 077 && cat > "$1" && n=$(wc -c < "$1") && [ $n -eq "$3" ] && chmod 755 "$1" && mv -f "$1" "$2" || { rm -f "$1"; echo "gocfg: error: the gocfg binary did not arrive whole" >&2; exit 1; }`
