package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// The types of a manifest's entries.
const (
	TypeFile = "file"
	TypeDir  = "dir"
	TypeLink = "link"
)

// An Entry is one path of a bundle's sources: a file (its mode, size and
// SHA-256), a folder (its mode) or a link (its target).
type Entry struct {
	// Path is the absolute path on the deploying machine (slashes).
	Path   string      `json:"path"`
	Type   string      `json:"type"`
	Mode   fs.FileMode `json:"mode,omitempty"`
	Size   int64       `json:"size,omitempty"`
	SHA256 string      `json:"sha256,omitempty"`
	Target string      `json:"target,omitempty"`
}

// A Manifest lists every path of a bundle's sources, sorted, folders
// before what they hold. It travels as manifest.json, before the files:
// the files themselves are sent only when the host lacks them (Missing),
// and Extract takes the others from the host's previous bundle.
type Manifest []Entry

// MakeManifest walks the sources (absolute paths; a folder whole: its
// folders, regular files and symlinks) and hashes their files. Anything
// else is an error naming its path.
func MakeManifest(sources []string) (Manifest, error) {
	var m Manifest
	for _, s := range sortedSources(sources) {
		if !filepath.IsAbs(s) {
			return nil, fmt.Errorf("source %s: not an absolute path", s)
		}
		if _, err := os.Lstat(s); err != nil {
			return nil, fmt.Errorf("source %w", err)
		}
		err := filepath.WalkDir(s, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("source %w", err)
			}
			fi, err := d.Info()
			if err != nil {
				return fmt.Errorf("source %w", err)
			}
			e := Entry{Path: filepath.ToSlash(q), Mode: fi.Mode().Perm()}
			switch {
			case fi.Mode().IsRegular():
				e.Type = TypeFile
				if e.Size, e.SHA256, err = HashFile(q); err != nil {
					return fmt.Errorf("source %w", err)
				}
			case fi.IsDir():
				e.Type = TypeDir
			case fi.Mode()&fs.ModeSymlink != 0:
				e.Type, e.Mode = TypeLink, 0
				if e.Target, err = os.Readlink(q); err != nil {
					return fmt.Errorf("source %w", err)
				}
			default:
				return fmt.Errorf("source %s: %s is neither a file, a folder nor a symlink", q, fi.Mode().Type())
			}
			m = append(m, e)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Files counts the manifest's files and their bytes.
func (m Manifest) Files() (n int, size int64) {
	for _, e := range m {
		if e.Type == TypeFile {
			n++
			size += e.Size
		}
	}
	return n, size
}

// check refuses a manifest that names a path twice, a path that is not
// absolute and clean, one below a link of the manifest, an unknown type,
// or a file without a SHA-256.
func (m Manifest) check() error {
	seen := map[string]bool{}
	links := map[string]bool{}
	for _, e := range m {
		p := e.Path
		if !path.IsAbs(p) || path.Clean(p) != p || p == "/" {
			return fmt.Errorf("manifest: %q: not a clean absolute path", p)
		}
		if seen[p] {
			return fmt.Errorf("manifest: %s: listed twice", p)
		}
		seen[p] = true
		for d := path.Dir(p); d != "/"; d = path.Dir(d) {
			if links[d] {
				return fmt.Errorf("manifest: %s: it lies below %s, a link", p, d)
			}
		}
		switch e.Type {
		case TypeLink:
			links[p] = true
		case TypeFile:
			if len(e.SHA256) != 64 || e.Size < 0 {
				return fmt.Errorf("manifest: %s: no size and SHA-256", p)
			}
		case TypeDir:
		default:
			return fmt.Errorf("manifest: %s: type %q: only files, folders and links", p, e.Type)
		}
	}
	return nil
}

// Missing is the paths of the manifest's files that the extracted bundle
// in dir (a host's previous one; "" or absent: none) does not hold with
// their size and SHA-256: the files to send. Links and folders carry no
// content and are never missing.
func (m Manifest) Missing(dir string) []string {
	var root *os.Root
	if dir != "" {
		root, _ = os.OpenRoot(SourceRoot(dir))
	}
	if root != nil {
		defer root.Close()
	}
	var out []string
	for _, e := range m {
		if e.Type != TypeFile {
			continue
		}
		if root == nil || copyVerified(root, e, io.Discard) != nil {
			out = append(out, e.Path)
		}
	}
	return out
}

// copyVerified copies e's file from below root to w, and fails unless it
// is a regular file of e's size and SHA-256.
func copyVerified(root *os.Root, e Entry, w io.Writer) error {
	f, err := root.Open(strings.TrimPrefix(e.Path, "/"))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() || fi.Size() != e.Size {
		return errors.New("not the same file")
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(f, e.Size+1))
	if err != nil {
		return err
	}
	if n != e.Size || hex.EncodeToString(h.Sum(nil)) != e.SHA256 {
		return errors.New("not the same content")
	}
	return nil
}

// HashFile returns the size of the file at p and the SHA-256 of its
// content in hex, as an Entry records them.
func HashFile(p string) (size int64, sum string, err error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
