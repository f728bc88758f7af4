package bundle

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Extract writes the bundle read from r into dir, which it creates (mode
// 0700) and which must not exist yet or be empty. It refuses names that
// leave dir, entries below a link it extracted, types other than files,
// folders and links, and more than MaxSize bytes in all; on an error,
// what it wrote stays for the caller to remove.
func Extract(r io.Reader, dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return err
	} else if len(entries) > 0 {
		return fmt.Errorf("%s: not empty: a bundle is extracted into a folder of its own", dir)
	}
	x := &extractor{dir: dir, links: map[string]bool{}}
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
	return nil
}

type extractor struct {
	dir   string
	size  int64
	links map[string]bool // names extracted as links
}

func (x *extractor) entry(h *tar.Header, r io.Reader) error {
	name, err := x.check(h.Name)
	if err != nil {
		return err
	}
	p := filepath.Join(x.dir, filepath.FromSlash(name))
	mode := os.FileMode(h.Mode).Perm()
	switch h.Typeflag {
	case tar.TypeDir:
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
		return os.Chmod(p, mode|0o700)
	case tar.TypeReg:
		if x.size += h.Size; x.size > MaxSize {
			return fmt.Errorf("the bundle is larger than %d bytes", MaxSize)
		}
		return writeFile(p, mode, io.LimitReader(r, h.Size), h.Size)
	case tar.TypeSymlink:
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		x.links[name] = true
		return os.Symlink(h.Linkname, p)
	}
	return fmt.Errorf("type %q: only files, folders and links are extracted", h.Typeflag)
}

// check cleans a name and refuses one that leaves the folder, is not a
// bundle entry, or lies below an extracted link.
func (x *extractor) check(name string) (string, error) {
	clean := path.Clean(strings.TrimSuffix(name, "/"))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return "", errors.New("the name leaves the bundle's folder")
	}
	switch clean {
	case "gocfg-bundle", "meta.json", "config.json", "plists.xml", "src":
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

func writeFile(p string, mode os.FileMode, r io.Reader, size int64) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode|0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return err
	}
	return os.Chmod(p, mode)
}
