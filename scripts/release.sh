#!/usr/bin/env bash
# Build the release binaries of gocfg: one static binary per platform
# (CGO_ENABLED=0: no libc, nothing to install beside it), for linux and
# darwin on amd64 and arm64, into DIR (default dist/), named
# gocfg-<os>-<arch>, with SHA256SUMS and VERSION beside them.
#
#   scripts/release.sh [DIR]
#
# The version the binaries print (gocfg version) and record in every
# generation's meta.json is $VERSION, else `git describe --tags --always
# --dirty`, else "devel". .ci/run builds them and checks that the linux
# ones are static (internal/buildinfo TestReleaseBinaries).
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-dist}"
version="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo devel)}"
mkdir -p "$out"
rm -f "$out"/gocfg-* "$out/SHA256SUMS" "$out/VERSION"

for os in linux darwin; do
  for arch in amd64 arm64; do
    echo "gocfg $version $os/$arch"
    CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath \
      -ldflags "-s -w -X github.com/gocfg/gocfg/internal/buildinfo.version=$version" \
      -o "$out/gocfg-$os-$arch" ./cmd/gocfg
  done
done
(cd "$out" && sha256sum gocfg-* >SHA256SUMS)
echo "$version" >"$out/VERSION"
