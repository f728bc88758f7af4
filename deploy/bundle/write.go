package bundle

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	json "github.com/goccy/go-json"
)

// Write writes b to w as a tar stream (see the package doc). Each source
// must exist: a folder is sent whole (folders, regular files, symlinks as
// links); anything else in it is an error naming its path.
func Write(w io.Writer, b *Bundle) error {
	tw := tar.NewWriter(w)
	meta, err := json.Marshal(b.Meta)
	if err != nil {
		return err
	}
	px, err := encodePlists(b.Plists)
	if err != nil {
		return fmt.Errorf("plist options: %w", err)
	}
	for _, e := range []struct {
		name string
		data []byte
	}{{"gocfg-bundle", fmt.Appendf(nil, "%d\n", Version)}, {"meta.json", meta}, {"config.json", b.Config}, {"plists.xml", px}} {
		if e.data == nil {
			continue
		}
		if err := writeData(tw, e.name, e.data); err != nil {
			return err
		}
	}
	for _, s := range sortedSources(b.Sources) {
		if !filepath.IsAbs(s) {
			return fmt.Errorf("source %s: not an absolute path", s)
		}
		if err := writeSource(tw, s); err != nil {
			return err
		}
	}
	return tw.Close()
}

func writeData(tw *tar.Writer, name string, data []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// writeSource adds the file or folder at p, and the folders above it.
func writeSource(tw *tar.Writer, p string) error {
	if _, err := os.Lstat(p); err != nil {
		return fmt.Errorf("source %w", err)
	}
	return filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("source %w", err)
		}
		fi, err := d.Info()
		if err != nil {
			return fmt.Errorf("source %w", err)
		}
		name := "src/" + strings.TrimPrefix(filepath.ToSlash(q), "/")
		h := &tar.Header{Name: name, Mode: int64(fi.Mode().Perm())}
		switch {
		case fi.Mode().IsRegular():
			h.Typeflag, h.Size = tar.TypeReg, fi.Size()
		case fi.IsDir():
			h.Typeflag, h.Name = tar.TypeDir, name+"/"
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(q)
			if err != nil {
				return fmt.Errorf("source %w", err)
			}
			h.Typeflag, h.Linkname = tar.TypeSymlink, target
		default:
			return fmt.Errorf("source %s: %s is neither a file, a folder nor a symlink", q, fi.Mode().Type())
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			return nil
		}
		f, err := os.Open(q)
		if err != nil {
			return fmt.Errorf("source %w", err)
		}
		defer f.Close()
		if _, err := io.CopyN(tw, f, h.Size); err != nil {
			return fmt.Errorf("source %s: %w (changed while it was sent?)", q, err)
		}
		return nil
	})
}
