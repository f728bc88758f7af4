#!/usr/bin/env bash
# pagecache.sh measures what the way gocfg's binary file was written
# costs every gocfg process at start, on Linux: the same release binary
# installed twice on a disk file system, by install(1) (as a user or a
# package installs it, and as bench/peers.sh does) and by one write(2)
# of the whole file (dd with a block larger than the file), then
# `gocfg --version` and a cached `gocfg eval --json` of M modules run K
# times each, the two copies interleaved.
#
#   bench/pagecache.sh             # M=1000, K=21
#   K=41 bench/pagecache.sh
#
# Why the two differ: a starting process takes a page fault for each
# piece of the binary it touches. Where the file's page cache is in
# small pieces (pages or 64 KiB folios, as install(1)'s copy and the Go
# linker's output leave it), Linux maps at most 64 KiB of it per fault
# (fault-around); where it is in 2 MiB folios, which a file system with
# large folios (ext4 since Linux 6.16, XFS) makes from one large write,
# one fault maps 2 MiB. On bench/README.md's machine a fault costs
# 11 to 25 µs, so a gocfg process pays its start by the fault. The
# figures are in bench/README.md, "Results (2026-12-04, afternoon)".
# Nothing in gocfg depends on this: it is a measurement for deciding
# how gocfg is installed.
#
# Columns: wall time (median, ms), minor page faults (median). The
# script leaves nothing behind.
set -euo pipefail

cd "$(dirname "$0")/.."
K=${K:-21}
M=${M:-1000}
TMPFS=${TMPFS:-/dev/shm}
work=$(mktemp -d "$TMPFS/gocfg-pagecache.XXXXXX")
bindir=$(mktemp -d "${BINDIR:-${TMPDIR:-/tmp}}/gocfg-pagecache-bin.XXXXXX")
trap 'rm -rf "$work" "$bindir"' EXIT

platform="$(go env GOOS)-$(go env GOARCH)"
scripts/release.sh "$work/release" "$(go env GOOS)/$(go env GOARCH)" >/dev/null
go build -o "$work/timeit" ./bench/cmd/timeit
go build -o "$work/genmodules" ./bench/genmodules
"$work/genmodules" -m "$M" -o "$work/mods" >/dev/null

install -m 0755 "$work/release/gocfg-$platform" "$bindir/gocfg-install"
size=$(stat -c %s "$work/release/gocfg-$platform")
dd if="$work/release/gocfg-$platform" of="$bindir/gocfg-onewrite" bs=$((size + 1)) count=1 status=none
chmod 0755 "$bindir/gocfg-onewrite"
fs=$(findmnt -n -o FSTYPE -T "$bindir" 2>/dev/null || stat -f -c %T "$bindir")

export HOME=$work/home
mkdir -p "$HOME"
unset GOCFG_CONFIG
for b in install onewrite; do
	GOCFG_CACHE_DIR=$work/cache-$b "$bindir/gocfg-$b" eval --json -c "$work/mods" >/dev/null # fills the cache
done
for _ in $(seq "$K"); do
	for b in install onewrite; do
		"$work/timeit" -f -- "$bindir/gocfg-$b" --version >>"$work/version-$b"
		GOCFG_CACHE_DIR=$work/cache-$b "$work/timeit" -f -- "$bindir/gocfg-$b" eval --json -c "$work/mods" >>"$work/eval-$b"
	done
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "$("$bindir/gocfg-install" --version | head -1); $K runs each; $(nproc) CPUs; binaries on $fs ($bindir)"
echo
echo "| command | installed by | wall time | page faults |"
echo "|---|---|---|---|"
for what in version eval; do
	label="gocfg --version"
	[ "$what" = eval ] && label="gocfg eval --json, cached, M=$M"
	for b in install onewrite; do
		by="install(1)"
		[ "$b" = onewrite ] && by="one write(2)"
		us=$(awk '{ print $1 }' "$work/$what-$b" | median)
		flt=$(awk '{ print $3 }' "$work/$what-$b" | median)
		echo "| $label | $by | $(awk -v u="$us" 'BEGIN { printf "%.1f", u / 1000 }') ms | $flt |"
	done
done
