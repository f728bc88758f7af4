// Package filestat reads what a stat keeps in a different field on each
// OS: a file's modification and change times in nanoseconds, for the
// stat signatures that the files provider, the store's signature cache
// and the evaluation cache compare; and [Info], the fs.FileInfo of a
// stat made with golang.org/x/sys/unix (the confined file operations'
// fstatat, the module loader's stat before it opens a file).
package filestat
