#!/usr/bin/env bash
# peers.sh puts gocfg side by side with its peers on the workloads of
# issue 17, in one run, and prints each time, the peer's, and the ratio:
#
#   first switch   gocfg switch --root R (fresh R)  vs  stow --no-folding (fresh target)
#   no-op switch   the same again, nothing changed  vs  stow again
#   eval --json    gocfg eval --json, --no-cache and cached
#                  vs  nix-instantiate --eval --strict --json of lib.evalModules
#                  (the cold one also with each tool's runs in a row, a row
#                  without a goal: see bench/README.md)
#
# on the workloads of bench/README.md: N dotfiles written by
# bench/cmd/gendotfiles (.config/app_*/sub_*/file_*, one recursive
# home.bench.files entry for gocfg, the same tree as a stow package) and
# the M-module evaluation of bench/genmodules (and its -nix twin). Every
# figure is the median of K whole-process runs, gocfg's and the peer's
# interleaved, and next to the ratio of the medians stand the lowest and
# the highest ratio of one gocfg run to the peer's run beside it; HOME, --root, stow's target and the workloads are on tmpfs
# ($TMPFS, default /dev/shm), so the disk does not hide the tools' own
# cost.
#
#   bench/peers.sh                                  # N=10000, M=1000, K=5
#   N=1000,10000,100000 bench/peers.sh              # linear growth
#   K=9 M=100,1000 NIXPKGS_LIB=/path/to/nixpkgs/lib bench/peers.sh
#   PAUSE=3 bench/peers.sh                          # each run on a quiet machine
#
# Peers: GNU stow and nix-instantiate are Debian packages (apt-get install
# stow nix-bin); the script does not install them. Nix also needs nixpkgs'
# lib folder, given as NIXPKGS_LIB (a checkout of nixpkgs' lib/, or of
# nix-community/nixpkgs.lib's). A missing peer is reported as missing, with
# the figure recorded in /work/shared/benchmarks.md quoted instead.
# gocfg is built from this work tree, as the release is, and installed
# for the runs into a new folder of $BINDIR (default ${TMPDIR:-/tmp}),
# which should be on a disk, as the peers' /usr/bin is. Run it under
# the shared lock when others use the machine:
#   flock /tmp/lead/heavy.lock bench/peers.sh
set -euo pipefail

cd "$(dirname "$0")/.."
K=${K:-5}
N=${N:-10000}
M=${M:-1000}
TMPFS=${TMPFS:-/dev/shm}
# PAUSE: seconds of quiet before every timed run (default 0). On a
# virtual machine that hands freed memory back to its host (free page
# reporting), a run right after another pays less for its memory than a
# run on a quiet machine, which is how a user runs gocfg: PAUSE=3
# measures that case (bench/README.md, "Results (2026-12-04, later)").
PAUSE=${PAUSE:-0}

case $K in '' | *[!0-9]*) echo "peers.sh: K=$K: not a number" >&2; exit 2 ;; esac
case $PAUSE in '' | *[!0-9.]* | *.*.*) echo "peers.sh: PAUSE=$PAUSE: not a number of seconds" >&2; exit 2 ;; esac

work=$(mktemp -d "$TMPFS/gocfg-peers.XXXXXX")
# BINDIR: where the gocfg binary is installed for the runs (default: a
# new folder in ${TMPDIR:-/tmp}); it should be on a disk, not tmpfs.
bindir=$(mktemp -d "${BINDIR:-${TMPDIR:-/tmp}}/gocfg-peers-bin.XXXXXX")
trap 'rm -rf "$work" "$bindir"' EXIT
mkdir -p "$work/home" "$work/bin"
# gocfg is built by scripts/release.sh, as the binaries users install
# are (static, CGO_ENABLED=0, -trimpath, -s -w, Go's previous garbage
# collector: see the script): a cgo build (go install on
# a machine with a C compiler) also starts the dynamic loader and libc,
# about 1.2 ms more for every process here. And it runs from where a
# user's runs from, as the peers do (/usr/bin, unpacked by dpkg): a file
# on a disk file system, copied there (install(1), as a release binary
# is), not the linker's output on tmpfs. Starting from tmpfs took 1.4 to
# 1.9 ms more here (`gocfg version` and a cached `eval`, medians of 101
# interleaved runs at 75dfd7d; bench/README.md).
scripts/release.sh "$work/release" "$(go env GOOS)/$(go env GOARCH)" >/dev/null
install -m 0755 "$work/release/gocfg-$(go env GOOS)-$(go env GOARCH)" "$bindir/gocfg"
rm -rf "$work/release"
go build -o "$work/bin/gendotfiles" ./bench/cmd/gendotfiles
go build -o "$work/bin/genmodules" ./bench/genmodules
go build -o "$work/bin/timeit" ./bench/cmd/timeit
# The tools run with HOME on tmpfs (after the builds, which keep the
# caller's Go caches).
export HOME=$work/home
# gocfg's evaluation cache goes to the scratch folder too, not to the
# machine's (/var/cache/gocfg for root).
export GOCFG_CACHE_DIR=$work/cache
unset GOCFG_CONFIG
# GOCFG_NO_CACHE=1 from the caller measures the switches without the
# evaluation cache (the eval rows always show both).

gocfg=$bindir/gocfg
nocache=()
if "$gocfg" eval --help 2>/dev/null | grep -q -- '--no-cache'; then
	nocache=(--no-cache)
fi

stow_ok=1 nix_ok=1 nix_why=""
if ! command -v stow >/dev/null; then
	stow_ok=0
	echo "peers.sh: GNU stow is not installed: apt-get install stow" >&2
fi
if ! command -v nix-instantiate >/dev/null; then
	nix_ok=0 nix_why="nix-instantiate is not installed (apt-get install nix-bin)"
elif [ -z "${NIXPKGS_LIB:-}" ]; then
	nix_ok=0 nix_why="NIXPKGS_LIB is not set: Nix's lib.evalModules needs nixpkgs' lib folder (a checkout of nixpkgs' lib/), and this machine's network reaches only package registries, so the script cannot fetch it"
elif [ ! -f "$NIXPKGS_LIB/default.nix" ]; then
	nix_ok=0 nix_why="NIXPKGS_LIB=$NIXPKGS_LIB has no default.nix: it must be nixpkgs' lib folder"
fi
[ "$nix_ok" = 1 ] || echo "peers.sh: Nix is missing: $nix_why" >&2

# run_us CMD...: runs CMD (output discarded) and prints its wall time in
# microseconds and its peak RSS in KB, as bench/cmd/timeit measures them:
# it starts CMD itself, since starting a program from bash and through
# /usr/bin/time costs about 3 ms here, more than a cached evaluation.
run_us() {
	[ "$PAUSE" = 0 ] || sleep "$PAUSE"
	"$work/bin/timeit" -o "$work/stderr" -- "$@"
}

# median of the numbers on stdin.
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# fmt_ms MICROSECONDS: milliseconds, three significant figures or so.
fmt_ms() { awk -v u="$1" 'BEGIN { if (u == "-") { print "-"; exit } ms = u / 1000; if (ms >= 100) printf "%.0f", ms; else if (ms >= 10) printf "%.1f", ms; else printf "%.2f", ms }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.3f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f", k / 1024 }'; }

# spread GOCFG_FILE PEER_FILE: the lowest and the highest ratio of one
# run of gocfg to the peer's run next to it (line k of each file), "-"
# without the peer's runs. The host's noise moves single runs far more
# than the medians; this shows how far, next to the ratio of medians.
spread() {
	[ -s "$2" ] || { echo "-"; return; }
	paste -d' ' "$1" "$2" | awk '$3 > 0 { r = $1 / $3; if (n == 0 || r < lo) lo = r; if (n == 0 || r > hi) hi = r; n++ }
		END { if (n == 0) print "-"; else printf "%.3f–%.3f", lo, hi }'
}

rows=()
# row WORKLOAD SIZE GOCFG_US GOCFG_KB PEER PEER_US PEER_KB GOAL SPREAD
row() {
	local peer=$5
	[ "$6" = "-" ] || peer="$5 $(fmt_ms "$6") ms, $(mb "$7") MB"
	rows+=("| $1 | $2 | $(fmt_ms "$3") ms, $(mb "$4") MB | $peer | $(ratio "$3" "$6") | $9 | $8 |")
}

# collect FILE: the medians of the "us kb" lines in FILE.
med_us() { awk '{ print $1 }' "$1" | median; }
med_kb() { awk '{ print $2 }' "$1" | { grep -v '^-$' || true; } | median; }

declare -A first_g first_s noop_g noop_s

for n in ${N//,/ }; do
	echo "peers.sh: N=$n: generating the dotfiles" >&2
	cfg=$work/dots$n
	"$work/bin/gendotfiles" -n "$n" -o "$cfg" >/dev/null
	# stow's package: the same tree under .config, as hard links.
	mkdir -p "$work/stow$n/dots/.config"
	cp -al "$cfg/dotfiles/." "$work/stow$n/dots/.config/"
	sleep 1.1 # past the racily-clean second, as bench/switch.sh does
	: >"$work/g.first" && : >"$work/s.first" && : >"$work/g.noop" && : >"$work/s.noop"
	for ((k = 1; k <= K; k++)); do
		rm -rf "$work/root" "$work/target"
		run_us "$gocfg" switch -c "$cfg" --root "$work/root" >>"$work/g.first"
		if [ "$stow_ok" = 1 ]; then
			mkdir -p "$work/target/home/bench"
			run_us stow --no-folding -d "$work/stow$n" -t "$work/target/home/bench" dots >>"$work/s.first"
		fi
	done
	for ((k = 1; k <= K; k++)); do
		run_us "$gocfg" switch -c "$cfg" --root "$work/root" >>"$work/g.noop"
		if [ "$stow_ok" = 1 ]; then
			run_us stow --no-folding -d "$work/stow$n" -t "$work/target/home/bench" dots >>"$work/s.noop"
		fi
	done
	# Check both did the work: a link for the last file.
	last=$(((n - 1) / 100)) && last="app_$last/sub_$(((n - 1) / 10 % 10))/file_$(((n - 1) % 10))"
	[ -L "$work/root/home/bench/.config/$last" ] || { echo "peers.sh: gocfg did not link .config/$last" >&2; exit 1; }
	[ "$stow_ok" = 0 ] || [ -L "$work/target/home/bench/.config/$last" ] || { echo "peers.sh: stow did not link .config/$last" >&2; exit 1; }
	first_g[$n]=$(med_us "$work/g.first") noop_g[$n]=$(med_us "$work/g.noop")
	if [ "$stow_ok" = 1 ]; then
		first_s[$n]=$(med_us "$work/s.first") noop_s[$n]=$(med_us "$work/s.noop")
		row "first switch" "N=$n" "${first_g[$n]}" "$(med_kb "$work/g.first")" "stow" "${first_s[$n]}" "$(med_kb "$work/s.first")" "≤ 0.5" "$(spread "$work/g.first" "$work/s.first")"
		row "no-op switch" "N=$n" "${noop_g[$n]}" "$(med_kb "$work/g.noop")" "stow" "${noop_s[$n]}" "$(med_kb "$work/s.noop")" "≤ 0.05" "$(spread "$work/g.noop" "$work/s.noop")"
	else
		row "first switch" "N=$n" "${first_g[$n]}" "$(med_kb "$work/g.first")" "stow missing (recorded N=10000: 796 ms)" - - "≤ 0.5" -
		row "no-op switch" "N=$n" "${noop_g[$n]}" "$(med_kb "$work/g.noop")" "stow missing (recorded N=10000: 1,688 ms)" - - "≤ 0.05" -
	fi
	rm -rf "$work/root" "$work/target" "$work/stow$n" "$cfg"
done

for m in ${M//,/ }; do
	echo "peers.sh: M=$m: generating the modules" >&2
	mods=$work/mods$m nixmods=$work/nixmods$m
	"$work/bin/genmodules" -m "$m" -o "$mods" >/dev/null
	"$work/bin/genmodules" -nix -m "$m" -o "$nixmods" >/dev/null
	sleep 1.1
	: >"$work/g.cold" && : >"$work/g.hot" && : >"$work/n.eval"
	GOCFG_NO_CACHE= "$gocfg" eval --json -c "$mods" >/dev/null # fills the cache
	for ((k = 1; k <= K; k++)); do
		run_us "$gocfg" eval --json "${nocache[@]}" -c "$mods" >>"$work/g.cold"
		GOCFG_NO_CACHE= run_us "$gocfg" eval --json -c "$mods" >>"$work/g.hot"
		if [ "$nix_ok" = 1 ]; then
			run_us nix-instantiate --eval --strict --json -I "nixpkgs-lib=$NIXPKGS_LIB" "$nixmods/default.nix" >>"$work/n.eval"
		fi
	done
	# The same cold evaluations, each tool's K runs in a row instead of
	# interleaved: the memory the other tool has just freed is not there
	# to be taken back (bench/README.md, "Why the cold row moves"). This
	# row shows what that costs; the row with the goal is the one above.
	: >"$work/g.b2b" && : >"$work/n.b2b"
	if [ ${#nocache[@]} -gt 0 ] && [ "$nix_ok" = 1 ]; then
		for ((k = 1; k <= K; k++)); do
			run_us "$gocfg" eval --json "${nocache[@]}" -c "$mods" >>"$work/g.b2b"
		done
		for ((k = 1; k <= K; k++)); do
			run_us nix-instantiate --eval --strict --json -I "nixpkgs-lib=$NIXPKGS_LIB" "$nixmods/default.nix" >>"$work/n.b2b"
		done
	fi
	cold_label="eval --json, cold"
	[ ${#nocache[@]} -gt 0 ] || cold_label="eval --json (no cache in this gocfg)"
	if [ "$nix_ok" = 1 ]; then
		nix_us=$(med_us "$work/n.eval") nix_kb=$(med_kb "$work/n.eval")
		row "$cold_label" "M=$m" "$(med_us "$work/g.cold")" "$(med_kb "$work/g.cold")" "Nix" "$nix_us" "$nix_kb" "≤ 0.1" "$(spread "$work/g.cold" "$work/n.eval")"
		[ ${#nocache[@]} -eq 0 ] || row "eval --json, nothing changed (cached)" "M=$m" "$(med_us "$work/g.hot")" "$(med_kb "$work/g.hot")" "Nix" "$nix_us" "$nix_kb" "≤ 0.02" "$(spread "$work/g.hot" "$work/n.eval")"
		[ ! -s "$work/g.b2b" ] || row "eval --json, cold, each tool's runs in a row" "M=$m" "$(med_us "$work/g.b2b")" "$(med_kb "$work/g.b2b")" "Nix" "$(med_us "$work/n.b2b")" "$(med_kb "$work/n.b2b")" "(how the row above moves)" "$(spread "$work/g.b2b" "$work/n.b2b")"
	else
		rec="Nix missing (recorded M=1000: 982 ms, 218 MB)"
		row "$cold_label" "M=$m" "$(med_us "$work/g.cold")" "$(med_kb "$work/g.cold")" "$rec" - - "≤ 0.1" -
		[ ${#nocache[@]} -eq 0 ] || row "eval --json, nothing changed (cached)" "M=$m" "$(med_us "$work/g.hot")" "$(med_kb "$work/g.hot")" "$rec" - - "≤ 0.02" -
	fi
	rm -rf "$mods" "$nixmods"
done

# The machine's own costs, which weigh on the ratios: a whole process
# (the peers start fewer pages than a static Go binary of 20 MB) and a
# fresh 4 KiB page of memory (a tool that touches more memory than its
# peer pays this for each page). On some virtual machines a fresh page
# costs 10-30 µs instead of well under 1 µs, and then every megabyte a
# tool touches costs milliseconds. dd reads the same 64 MiB from
# /dev/zero into one 64 MiB buffer and into one 64 KiB buffer: the
# difference is the cost of 16,384 fresh pages.
: >"$work/m.true" && : >"$work/m.big" && : >"$work/m.small"
for ((k = 1; k <= K; k++)); do
	run_us true >>"$work/m.true"
	run_us dd if=/dev/zero of=/dev/null bs=64M count=1 status=none >>"$work/m.big"
	run_us dd if=/dev/zero of=/dev/null bs=64K count=1024 status=none >>"$work/m.small"
done
page_us=$(awk -v b="$(med_us "$work/m.big")" -v s="$(med_us "$work/m.small")" 'BEGIN { printf "%.1f", (b - s) / 16384 }')

echo
rev="(not a git work tree)"
if git rev-parse --git-dir >/dev/null 2>&1; then
	rev=$(git log -1 --format='%h')
	git diff --quiet HEAD -- || rev="$rev (work tree modified)"
fi
echo "gocfg $rev; medians of K=$K runs; tmpfs: $TMPFS; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "gocfg runs from $gocfg ($(df --output=fstype "$bindir" 2>/dev/null | tail -n 1 || echo "file system unknown"))."
echo "this machine: a process (true) starts and ends in $(fmt_ms "$(med_us "$work/m.true")") ms; a fresh 4 KiB page of memory costs $page_us µs (so 1 MB touched is $(awk -v p="$page_us" 'BEGIN { printf "%.1f", p * 256 / 1000 }') ms)."
[ "$PAUSE" = 0 ] || echo "PAUSE=$PAUSE: every timed run came after $PAUSE s of quiet."
case ${GOCFG_NO_CACHE:-} in '' | 0) ;; *) echo "GOCFG_NO_CACHE=$GOCFG_NO_CACHE: the switches ran without the evaluation cache." ;; esac
[ "$stow_ok" = 0 ] || echo "peer: $(stow --version 2>/dev/null | head -n 1)"
if [ "$nix_ok" = 1 ]; then
	echo "peer: $(nix-instantiate --version 2>/dev/null | head -n 1), nixpkgs lib $NIXPKGS_LIB"
else
	echo "Nix missing: $nix_why; the recorded figure (/work/shared/benchmarks.md, 2026-12-02, Debian's nix-bin 2.8, M=1000) is quoted instead."
fi
echo
echo "| workload | size | gocfg | peer | ratio | one run's ratio, lowest–highest | goal |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

# Growth between the smallest and the largest N: microseconds per file.
ns=(${N//,/ })
if [ ${#ns[@]} -ge 2 ]; then
	a=${ns[0]} b=${ns[${#ns[@]} - 1]}
	echo
	per() { awk -v x="$1" -v y="$2" -v a="$a" -v b="$b" 'BEGIN { if (x == "" || y == "") print "-"; else printf "%.1f µs", (y - x) / (b - a) }'; }
	echo "Cost per file from N=$a to N=$b (linear growth: the same at every N):"
	echo "- first switch: gocfg $(per "${first_g[$a]}" "${first_g[$b]}"), stow $(per "${first_s[$a]:-}" "${first_s[$b]:-}")"
	echo "- no-op switch: gocfg $(per "${noop_g[$a]}" "${noop_g[$b]}"), stow $(per "${noop_s[$a]:-}" "${noop_s[$b]:-}")"
	for n in "${ns[@]}"; do
		echo "- N=$n: gocfg first $(awk -v u="${first_g[$n]}" -v n="$n" 'BEGIN { printf "%.1f", u / n }') µs/file, no-op $(awk -v u="${noop_g[$n]}" -v n="$n" 'BEGIN { printf "%.1f", u / n }') µs/file"
	done
fi
