package generations

import "io"

// An Entry is one file of the new generation's files tree.
type Entry struct {
	// Root is the files root the file belongs to: "etc" or "home/<user>".
	Root string
	// Rel is the file's slash path under Root, such as
	// ".config/app_1/sub_2/file_3".
	Rel string
	// Hash is the sha256 of the content, in lowercase hex, computed by the
	// caller. Content copied from Open is checked against it.
	Hash string
	// Exec stores the file with mode 0555 instead of 0444.
	Exec bool
	// Have is optionally the machine path of an existing store file with
	// this content and mode (in the previous generation, say): it is hard
	// linked instead of copied. Write falls back to Open when Have's mode
	// or owner differs from what the new file needs, or linking fails.
	// Its content is trusted, not read.
	Have string
	// Open returns the content, when it must be copied.
	Open func() (io.ReadCloser, error)
}
