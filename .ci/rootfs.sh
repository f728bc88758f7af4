#!/usr/bin/env bash
# Builds, once, what internal/nspawntest needs to boot a real Debian 12
# systemd in a systemd-nspawn container (see that package's doc.go):
#
#   $GOCFG_TEST_ROOTFS (default /var/cache/gocfg-test/rootfs)
#       a debootstrap'd bookworm root file system with systemd, dbus, apt,
#       passwd, login, procps, ... and the marker file /.gocfg-test-rootfs;
#   $GOCFG_TEST_DEBS (default /var/cache/gocfg-test/debs)
#       a flat local apt repository (Packages, Release and the .debs of
#       $DEB_PACKAGES below with the dependencies the root file system
#       lacks: hello, openssh-server, openssh-client and sudo for the SSH
#       targets of internal/fleettest, and what the option modules' live
#       tests in e2e install: locales, zsh, nftables, iproute2, nginx,
#       docker.io (with containerd, runc and iptables about 63 MB, most
#       of the repository), console-setup (3.4 MB), network-manager
#       (9 MB with its libraries), git, systemd-timesyncd (64 KB),
#       direnv (2.2 MB), neovim (about 9 MB with its runtime), cron and
#       systemd-resolved (300 KB))
#       that containers see read-only
#       at /srv/gocfg-debs, for "deb [trusted=yes] file:/srv/gocfg-debs ./".
#
# Both are reused when present (each is built in a temporary folder next
# to its final place and renamed at the end, so a half-built one is never
# used). Needs root and the package debootstrap (.ci/run installs it). Downloads only from the Debian mirror configured in
# /etc/apt/sources.list* (override with GOCFG_TEST_MIRROR).
#
# Usage: .ci/rootfs.sh [--rebuild]    (--rebuild: throw away and rebuild both)
set -euo pipefail

ROOTFS="${GOCFG_TEST_ROOTFS:-/var/cache/gocfg-test/rootfs}"
DEBS="${GOCFG_TEST_DEBS:-/var/cache/gocfg-test/debs}"
SUITE="${GOCFG_TEST_SUITE:-bookworm}"
DEB_PACKAGES="${GOCFG_TEST_DEB_PACKAGES:-hello openssh-server openssh-client sudo locales zsh nftables iproute2 nginx docker.io console-setup network-manager git systemd-timesyncd direnv neovim cron fzf zsh-autosuggestions zsh-syntax-highlighting systemd-resolved}"
MARKER=.gocfg-test-rootfs # keep in sync with internal/nspawntest (markerName)
# Bump when what goes into the root file system changes: a cached one
# with another version is rebuilt.
ROOTFS_VERSION=1

# What a gocfg test needs inside the container, on top of minbase.
INCLUDE=(
  systemd systemd-sysv dbus dbus-user-session libpam-systemd libnss-systemd
  passwd login apt dpkg procps util-linux
)

rebuild=no
case "${1:-}" in
  "") ;;
  --rebuild) rebuild=yes ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "rootfs.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then
  echo "rootfs.sh: must run as root (debootstrap)" >&2
  exit 1
fi
for cmd in debootstrap dpkg-deb apt-get; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "rootfs.sh: $cmd not found; apt-get install -y --no-install-recommends debootstrap" >&2
    exit 1
  fi
done

# The first "deb" source for $SUITE in the host's apt configuration, in
# either the one-line format or deb822 (*.sources).
find_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (j = 1; j <= NF; j++) {
          line = $j
          if (line ~ /^[ \t]*#/ || index(line, ":") == 0) continue
          key = tolower(substr(line, 1, index(line, ":") - 1))
          val = substr(line, index(line, ":") + 1)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if ((" " types " ") ~ / deb / && enabled != "no" && (" " suites " ") ~ (" " suite " ")) {
          split(uris, u, " "); print u[1]; exit
        }
      }' "$f"
  done
}

mkdir -p "$(dirname "$ROOTFS")" "$(dirname "$DEBS")"
# One builder at a time (two CI jobs, or a hand run during a test run).
exec 9>"$(dirname "$ROOTFS")/.rootfs.lock"
flock 9

if [ "$rebuild" = yes ]; then
  rm -rf "$(dirname "$DEBS")/.$(basename "$DEBS").old" # see below
  # Only what this script built (GOCFG_TEST_ROOTFS might name anything).
  for d in "$ROOTFS" "$DEBS"; do
    [ -e "$d" ] || continue
    if [ -f "$d/$MARKER" ] || [ -f "$d/Packages" ]; then
      rm -rf "$d"
    else
      echo "rootfs.sh: $d was not built by this script; not removing it" >&2
      exit 1
    fi
  done
fi

# ---------------------------------------------------------------- rootfs
if [ -f "$ROOTFS/$MARKER" ] && ! grep -qx "version=$ROOTFS_VERSION" "$ROOTFS/$MARKER"; then
  echo "rootfs.sh: $ROOTFS is from another version of this script; rebuilding it"
  rm -rf "$ROOTFS"
fi
if [ -f "$ROOTFS/$MARKER" ]; then
  echo "rootfs.sh: $ROOTFS is built (reusing it; --rebuild to rebuild)"
else
  mirror="${GOCFG_TEST_MIRROR:-$(find_mirror | head -n1)}"
  if [ -z "$mirror" ]; then
    echo "rootfs.sh: no 'deb' source for $SUITE in /etc/apt/sources.list*; set GOCFG_TEST_MIRROR" >&2
    exit 1
  fi
  if [ -e "$ROOTFS" ]; then
    echo "rootfs.sh: $ROOTFS exists without $MARKER; remove it or use --rebuild" >&2
    exit 1
  fi
  tmp="$(dirname "$ROOTFS")/.$(basename "$ROOTFS").tmp"
  rm -rf "$tmp" # a half-built one from an interrupted run
  echo "rootfs.sh: debootstrap $SUITE from $mirror into $ROOTFS"
  start=$(date +%s)
  include=$(IFS=,; echo "${INCLUDE[*]}")
  if ! debootstrap --variant=minbase --components=main --include="$include" \
      "$SUITE" "$tmp" "$mirror" >"$tmp.log" 2>&1; then
    tail -n 30 "$tmp.log" >&2
    [ -f "$tmp/debootstrap/debootstrap.log" ] && tail -n 30 "$tmp/debootstrap/debootstrap.log" >&2
    echo "rootfs.sh: debootstrap failed (full log: $tmp.log)" >&2
    exit 1
  fi
  rm -f "$tmp.log"

  # No static hostname: the container keeps the one systemd-nspawn gives it
  # (-M NAME) instead of the build host's name that debootstrap copied.
  rm -f "$tmp/etc/hostname"
  # Timers that would run apt or dpkg jobs right after a boot (Persistent=
  # with no stamp yet) and take the dpkg lock from under a test.
  for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer; do
    ln -sfn /dev/null "$tmp/etc/systemd/system/$unit"
  done
  # No documentation, manual pages or translations, now or from packages
  # installed later: a third of the size and 40% of the files, which
  # every boot copies (systemd-nspawn --ephemeral).
  cat >"$tmp/etc/dpkg/dpkg.cfg.d/gocfg-test-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
EOF
  find "$tmp/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$tmp/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$tmp/usr/share/man/"* "$tmp/usr/share/info/"*
  find "$tmp/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  mkdir -p "$tmp/srv/gocfg-debs" # the mount point of the local repository
  chroot "$tmp" apt-get clean
  rm -rf "$tmp/var/lib/apt/lists/"* "$tmp/var/log/"*.log "$tmp/var/log/apt/"*

  {
    echo "built-by=.ci/rootfs.sh"
    echo "version=$ROOTFS_VERSION"
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "suite=$SUITE"
    echo "mirror=$mirror"
    echo "include=$include"
  } >"$tmp/$MARKER"
  mv -T "$tmp" "$ROOTFS"
  echo "rootfs.sh: built $ROOTFS in $(( $(date +%s) - start ))s ($(du -sh "$ROOTFS" | cut -f1))"
fi

# ------------------------------------------------- local apt repository
# The repository records the package list it was built for
# ($DEBS/gocfg-test-packages); one built for another list is rebuilt.
if [ -f "$DEBS/Packages" ] && [ "$(cat "$DEBS/gocfg-test-packages" 2>/dev/null)" = "$DEB_PACKAGES" ]; then
  echo "rootfs.sh: $DEBS is built (reusing it)"
else
  tmp="$(dirname "$DEBS")/.$(basename "$DEBS").tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # shellcheck disable=SC2086 # DEB_PACKAGES is a list
  if ! apt-cache show $DEB_PACKAGES >/dev/null 2>&1; then
    apt-get update -qq
  fi
  # What installing them in a container needs: the packages themselves
  # and the dependencies the root file system lacks, found by simulating
  # the install against the root file system's dpkg database with the
  # host's package lists (no Recommends, as apt inside is told).
  # shellcheck disable=SC2086
  if ! sim=$(apt-get -s -q -o Dir::State::status="$ROOTFS/var/lib/dpkg/status" \
      -o APT::Install-Recommends=false install $DEB_PACKAGES 2>&1); then
    echo "$sim" >&2
    echo "rootfs.sh: cannot resolve $DEB_PACKAGES against $ROOTFS" >&2
    exit 1
  fi
  # "Inst NAME [OLD] (VERSION ...)": NAME=VERSION, the version resolved.
  wanted=$(echo "$sim" | awk '$1 == "Inst" { v = ($3 ~ /^\[/) ? $4 : $3; sub(/^\(/, "", v); print $2 "=" v }')
  # apt downloads as _apt; give it the folder so it need not fall back to
  # root (and warn).
  if id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
  # shellcheck disable=SC2086
  (cd "$tmp" && apt-get download -q $wanted)
  # apt-get download names a file with an epoch NAME_1%3aVERSION_ARCH.deb,
  # which apt would read back as "1:" in a file: URI; name it as the
  # Debian pool does, without the epoch.
  for deb in "$tmp"/*%3a*.deb; do
    [ -e "$deb" ] || continue
    mv "$deb" "$(echo "$deb" | sed 's/_[0-9]*%3a/_/')"
  done
  chown -R root:root "$tmp"
  chmod 0755 "$tmp"
  # The index apt reads: each package's control fields (dpkg-deb, from
  # dpkg itself, so no dpkg-dev needed) plus where the file is and its hash.
  for deb in "$tmp"/*.deb; do
    dpkg-deb -f "$deb"
    echo "Filename: ./$(basename "$deb")"
    echo "Size: $(stat -c %s "$deb")"
    echo "SHA256: $(sha256sum "$deb" | cut -d' ' -f1)"
    echo
  done >"$tmp/Packages"
  gzip -9kn "$tmp/Packages"
  # A Release file, so apt accepts the flat repository without complaint
  # (it is still marked [trusted=yes]: nothing is signed).
  {
    echo "Origin: gocfg-test"
    echo "Label: gocfg-test"
    echo "Date: $(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
    echo "SHA256:"
    for f in Packages Packages.gz; do
      printf ' %s %s %s\n' "$(sha256sum "$tmp/$f" | cut -d' ' -f1)" "$(stat -c %s "$tmp/$f")" "$f"
    done
  } >"$tmp/Release"
  echo "$DEB_PACKAGES" >"$tmp/gocfg-test-packages"
  chmod 0644 "$tmp"/*
  if [ -e "$DEBS" ]; then
    # One built for another list (see above): swapped out, so that a
    # container booting meanwhile binds the old one or the new one, and
    # kept until the next rebuild, for containers that have it bound now.
    if [ ! -f "$DEBS/Packages" ]; then
      echo "rootfs.sh: $DEBS exists without Packages; remove it or use --rebuild" >&2
      exit 1
    fi
    echo "rootfs.sh: $DEBS was built for other packages; rebuilding it"
    old="$(dirname "$DEBS")/.$(basename "$DEBS").old"
    rm -rf "$old"
    mv -T "$DEBS" "$old"
    mv -T "$tmp" "$DEBS"
  else
    mv -T "$tmp" "$DEBS"
  fi
  echo "rootfs.sh: local apt repository in $DEBS: $(cd "$DEBS" && printf '%s ' *.deb)"
fi
