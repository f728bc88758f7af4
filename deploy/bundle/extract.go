package bundle

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	json "github.com/goccy/go-json"
)

// Extract writes the bundle read from r into dir, with no previous
// bundle to take files from: ExtractReusing(r, dir, "").
func Extract(r io.Reader, dir string) error { return ExtractReusing(r, dir, "") }

// ExtractReusing writes the bundle read from r into dir, which it creates
// (mode 0700) and which must not exist yet or be empty, and makes
// dir/src whole from its manifest: the files the stream holds, and
// copies of the others from the previous bundle extracted in last ("":
// none), each checked against the manifest's size and SHA-256. A file
// listed but neither sent nor found there is an error naming it. It
// refuses names that leave dir, entries below a link, types other than
// files, folders and links, files the manifest does not list, and more
// than MaxSize bytes in all; on an error, what it wrote stays for the
// caller to remove.
func ExtractReusing(r io.Reader, dir, last string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return err
	} else if len(entries) > 0 {
		return fmt.Errorf("%s: not empty: a bundle is extracted into a folder of its own", dir)
	}
	x := &extractor{dir: dir, links: map[string]bool{}, sent: map[string]bool{}}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		if err := x.entry(h, tr); err != nil {
			return fmt.Errorf("bundle: %s: %w", h.Name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "gocfg-bundle")); err != nil {
		return fmt.Errorf("bundle: no gocfg-bundle entry: not a gocfg bundle")
	}
	if x.manifest == nil {
		return fmt.Errorf("bundle: no manifest.json entry")
	}
	return x.complete(last)
}

type extractor struct {
	dir      string
	size     int64
	links    map[string]bool // names (src/…) of the manifest's links
	manifest map[string]Entry
	order    Manifest
	sent     map[string]bool // paths of the files the stream held
}

func (x *extractor) entry(h *tar.Header, r io.Reader) error {
	name, err := x.check(h.Name)
	if err != nil {
		return err
	}
	p := filepath.Join(x.dir, filepath.FromSlash(name))
	if h.Typeflag != tar.TypeReg {
		return fmt.Errorf("type %q: only files are sent (folders and links are in the manifest)", h.Typeflag)
	}
	if x.size += h.Size; x.size > MaxSize {
		return fmt.Errorf("the bundle is larger than %d bytes", MaxSize)
	}
	if name == "manifest.json" {
		return x.readManifest(io.LimitReader(r, h.Size))
	}
	if !strings.HasPrefix(name, "src/") {
		return writeFile(p, os.FileMode(h.Mode).Perm()&^0o022, io.LimitReader(r, h.Size), h.Size, "")
	}
	src := strings.TrimPrefix(name, "src")
	e, ok := x.manifest[src]
	switch {
	case x.manifest == nil:
		return errors.New("a source file before the manifest")
	case !ok || e.Type != TypeFile:
		return errors.New("a file the manifest does not list")
	case x.sent[src]:
		return errors.New("sent twice: file exists")
	case h.Size != e.Size:
		return fmt.Errorf("%d bytes, the manifest says %d", h.Size, e.Size)
	}
	x.sent[src] = true
	return writeFile(p, e.Mode, io.LimitReader(r, h.Size), h.Size, e.SHA256)
}

// readManifest reads manifest.json and records its links, so that no
// file is written below one.
func (x *extractor) readManifest(r io.Reader) error {
	if x.manifest != nil {
		return errors.New("file exists")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(x.dir, "manifest.json"), data, 0o644); err != nil {
		return err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	if err := m.check(); err != nil {
		return err
	}
	x.manifest, x.order = map[string]Entry{}, m
	for i, e := range m {
		// Without write for group and others, whatever the sender's
		// umask made them: root's gocfg on the host refuses a source
		// another user could change (cmd/gocfg's untrustedTree), and
		// the group of a sender's umask 002 means nothing here
		// (reviewer R6: a deploy from such a sender was refused).
		e.Mode &^= 0o022
		m[i] = e
		x.manifest[e.Path] = e
		if e.Type == TypeLink {
			x.links["src"+e.Path] = true
		}
	}
	return nil
}

// complete makes the manifest's folders and links, and the files the
// stream did not hold from the previous bundle in last.
func (x *extractor) complete(last string) error {
	var root *os.Root
	if last != "" {
		root, _ = os.OpenRoot(SourceRoot(last))
	}
	if root != nil {
		defer root.Close()
	}
	for _, e := range x.order {
		name := "src" + e.Path
		if _, err := x.check(name); err != nil {
			return fmt.Errorf("bundle: %s: %w", name, err)
		}
		p := filepath.Join(x.dir, filepath.FromSlash(name))
		var err error
		switch e.Type {
		case TypeDir:
			if err = os.MkdirAll(p, 0o755); err == nil {
				err = os.Chmod(p, e.Mode|0o700)
			}
		case TypeLink:
			if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
				err = os.Symlink(e.Target, p)
			}
		case TypeFile:
			if x.sent[e.Path] {
				continue
			}
			if x.size += e.Size; x.size > MaxSize {
				return fmt.Errorf("bundle: the bundle is larger than %d bytes", MaxSize)
			}
			err = x.reuse(root, e, p)
		}
		if err != nil {
			return fmt.Errorf("bundle: %s: %w", name, err)
		}
	}
	return nil
}

// reuse copies e's file from the previous bundle's sources (root) to p.
func (x *extractor) reuse(root *os.Root, e Entry, p string) error {
	missing := errors.New("listed in the manifest but neither sent nor in the previous bundle")
	if root == nil {
		return missing
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = copyVerified(root, e, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(p)
		return fmt.Errorf("%w (%v)", missing, err)
	}
	return os.Chmod(p, e.Mode)
}

// check cleans a name and refuses one that leaves the folder, is not a
// bundle entry, or lies below a link of the manifest.
func (x *extractor) check(name string) (string, error) {
	clean := path.Clean(strings.TrimSuffix(name, "/"))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return "", errors.New("the name leaves the bundle's folder")
	}
	switch clean {
	case "gocfg-bundle", "meta.json", "config.json", "plists.xml", "manifest.json":
	default:
		if !strings.HasPrefix(clean, "src/") {
			return "", errors.New("not an entry of a gocfg bundle")
		}
	}
	for d := path.Dir(clean); d != "."; d = path.Dir(d) {
		if x.links[d] {
			return "", fmt.Errorf("it lies below %s, a link", d)
		}
	}
	return clean, nil
}

// writeFile writes size bytes of r to a new file p; with sum, their
// SHA-256 must be it.
func writeFile(p string, mode os.FileMode, r io.Reader, size int64, sum string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode|0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = io.ErrUnexpectedEOF
	}
	if err == nil && sum != "" && hex.EncodeToString(h.Sum(nil)) != sum {
		err = errors.New("its SHA-256 is not the manifest's")
	}
	if err != nil {
		return err
	}
	return os.Chmod(p, mode)
}
