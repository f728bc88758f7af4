// Package filestat reads what a stat keeps in a different field on each
// OS: a file's modification and change times in nanoseconds, for the
// stat signatures that the files provider, the store's signature cache
// and the evaluation cache compare.
package filestat
