#!/usr/bin/env bash
# Build the release binaries of gocfg: one static binary per platform
# (CGO_ENABLED=0: no libc, nothing to install beside it), for linux and
# darwin on amd64 and arm64, into DIR (default dist/), named
# gocfg-<os>-<arch>, with SHA256SUMS and VERSION beside them. Name
# platforms (OS/ARCH, such as linux/amd64) to build only those:
# bench/peers.sh builds the one it measures so.
#
#   scripts/release.sh [DIR [OS/ARCH...]]
#
# The version the binaries print (gocfg version) and record in every
# generation's meta.json is $VERSION, else `git describe --tags --always
# --dirty`, else "devel". .ci/run builds them and checks that the linux
# ones are static (internal/buildinfo TestReleaseBinaries).
#
# GOEXPERIMENT=nogreenteagc: the binaries use Go's previous garbage
# collector, not Go 1.26's default (Green Tea). A gocfg process is short
# and collects little or never (internal/startheap), so what it pays for
# is memory touched: Green Tea keeps a small-object span's mark bits at
# the span's end, a second fresh page for each span a process starts,
# and a fresh page costs 11 to 14 µs on a virtual machine such as
# bench/README.md's. There, a cached evaluation of 1,000 modules took
# 1.3 to 1.9 ms less (about 590 page faults instead of 540-560), a no-op
# switch of 10,000 files 111 → 107 ms and a first switch 350 → 335 ms
# (bench/README.md, "Results (2026-12-04, afternoon)"). Go 1.27 is to
# remove this opt-out: with a Go that no longer knows it, the build goes
# on with Go's default collector and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-dist}"
[ $# -gt 0 ] && shift
platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64)
version="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo devel)}"
experiment=nogreenteagc
if ! GOEXPERIMENT=$experiment go env GOEXPERIMENT >/dev/null 2>&1; then
  echo "release.sh: $(go env GOVERSION) does not know GOEXPERIMENT=$experiment; building with its default garbage collector" >&2
  experiment=
fi
mkdir -p "$out"
rm -f "$out"/gocfg-* "$out/SHA256SUMS" "$out/VERSION"

for platform in "${platforms[@]}"; do
  os=${platform%/*} arch=${platform#*/}
  case $os/$arch in
  linux/amd64 | linux/arm64 | darwin/amd64 | darwin/arm64) ;;
  *) echo "release.sh: $platform: not a release platform (linux or darwin, amd64 or arm64)" >&2; exit 2 ;;
  esac
  echo "gocfg $version $os/$arch"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" GOEXPERIMENT="$experiment" go build -trimpath \
    -ldflags "-s -w -X github.com/gocfg/gocfg/internal/buildinfo.version=$version" \
    -o "$out/gocfg-$os-$arch" ./cmd/gocfg
done
(cd "$out" && sha256sum gocfg-* >SHA256SUMS)
echo "$version" >"$out/VERSION"
