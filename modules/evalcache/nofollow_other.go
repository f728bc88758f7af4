//go:build !unix

package evalcache

const oNoFollow = 0
