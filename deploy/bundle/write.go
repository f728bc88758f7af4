package bundle

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	json "github.com/goccy/go-json"
)

// Write writes b to w as a tar stream (see the package doc): the
// manifest of its sources (b.Manifest, else made from b.Sources: each
// source must exist; a folder is listed whole), then the content of the
// manifest's files that b.Send names (nil: all of them). A file whose
// content no longer matches the manifest is an error naming it.
func Write(w io.Writer, b *Bundle) error {
	m := b.Manifest
	if m == nil {
		var err error
		if m, err = MakeManifest(b.Sources); err != nil {
			return err
		}
	}
	tw := tar.NewWriter(w)
	meta, err := json.Marshal(b.Meta)
	if err != nil {
		return err
	}
	px, err := encodePlists(b.Plists)
	if err != nil {
		return fmt.Errorf("plist options: %w", err)
	}
	mj, err := json.Marshal(m)
	if err != nil {
		return err
	}
	for _, e := range []struct {
		name string
		data []byte
	}{{"gocfg-bundle", fmt.Appendf(nil, "%d\n", Version)}, {"meta.json", meta}, {"config.json", b.Config}, {"plists.xml", px}, {"manifest.json", mj}} {
		if e.data == nil {
			continue
		}
		if err := writeData(tw, e.name, e.data); err != nil {
			return err
		}
	}
	for _, e := range m {
		if e.Type != TypeFile || b.Send != nil && !b.Send[e.Path] {
			continue
		}
		if err := writeSource(tw, e); err != nil {
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

// writeSource adds e's file as src/<path>, and fails when its content is
// not the manifest's any more.
func writeSource(tw *tar.Writer, e Entry) error {
	f, err := os.Open(e.Path)
	if err != nil {
		return fmt.Errorf("source %w", err)
	}
	defer f.Close()
	h := &tar.Header{Name: "src/" + strings.TrimPrefix(e.Path, "/"), Mode: int64(e.Mode), Size: e.Size, Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	sum := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(tw, sum), f, e.Size); err != nil {
		return fmt.Errorf("source %s: %w (changed while it was sent?)", e.Path, err)
	}
	if hex.EncodeToString(sum.Sum(nil)) != e.SHA256 {
		return fmt.Errorf("source %s: changed while it was sent", e.Path)
	}
	return nil
}
