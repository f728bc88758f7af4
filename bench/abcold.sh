#!/bin/bash
# abcold.sh: two gocfg builds' cold `eval --json --no-cache` of the
# bench/genmodules workload, in turn, each run after a Nix run as in
# peers.sh's cold row, and the difference of their medians.
#
#	NIXPKGS_LIB=DIR bench/abcold.sh OLD_GOCFG NEW_GOCFG
#	N=60 AFTER=none bench/abcold.sh OLD_GOCFG NEW_GOCFG   # back to back
#
# Why: on the benchmark machine one cold run is about 40 ms when the
# host still backs the memory it is given, or 60 to 100 ms when it backs
# it anew (bench/README.md), and which one a run gets is chance. Against
# that, 30 runs a side showed -5 and -7.6 ms for two changes that 150 a
# side put at -1.7 and 0 ms. So the default is 150 pairs (about three
# minutes), in ABBA order, and the script prints the quartiles beside
# the medians: a change that moves the median but not the quartiles is
# noise.
#
# N pairs (default 150); M modules (default 1000); AFTER=nix (default:
# a Nix evaluation of the same workload before every gocfg run, which
# needs nix-instantiate and NIXPKGS_LIB as for peers.sh) or none.
# EDIT=1 measures what a user's edit costs instead: the evaluation
# cache on (each build with its own), and before every run a line added
# to the entry module, so that every run is a cold evaluation that the
# cache's stale entry has seen (cmd/gocfg's reserveWorth reads it).
# NOOP=N measures no-op switches instead: N dotfiles of
# bench/cmd/gendotfiles, one --root and one evaluation cache for each
# build, switched once before the runs (AFTER=none only).
set -euo pipefail

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
	echo "usage: [NIXPKGS_LIB=DIR] [N=150] [M=1000] [AFTER=nix|none] [EDIT=1 | NOOP=FILES] bench/abcold.sh OLD_GOCFG NEW_GOCFG" >&2
	exit 2
fi
a=$(realpath "$1") b=$(realpath "$2")
N=${N:-150} M=${M:-1000} AFTER=${AFTER:-nix} EDIT=${EDIT:-} NOOP=${NOOP:-}
if [ -n "$NOOP" ] && [ "$AFTER" != none ]; then
	echo "abcold.sh: NOOP=$NOOP runs back to back only (AFTER=none)" >&2
	exit 1
fi
if [ "$AFTER" = nix ]; then
	if ! command -v nix-instantiate >/dev/null; then
		echo "abcold.sh: nix-instantiate is not installed (apt-get install nix-bin); AFTER=none runs back to back" >&2
		exit 1
	fi
	if [ ! -f "${NIXPKGS_LIB:-}/default.nix" ]; then
		echo "abcold.sh: NIXPKGS_LIB must be nixpkgs' lib folder (see bench/README.md); AFTER=none runs back to back" >&2
		exit 1
	fi
fi

cd "$(dirname "$0")/.."
work=$(mktemp -d "${SCRATCH:-/dev/shm}/gocfg-abcold.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/genmodules" ./bench/genmodules
go build -o "$work/timeit" ./bench/cmd/timeit
"$work/genmodules" -m "$M" -o "$work/mods" >/dev/null
"$work/genmodules" -nix -m "$M" -o "$work/nixmods" >/dev/null
export HOME=$work GOCFG_CACHE_DIR=$work/cache
unset GOCFG_CONFIG GOCFG_NO_CACHE

if [ -n "$NOOP" ]; then
	go build -o "$work/gendotfiles" ./bench/cmd/gendotfiles
	"$work/gendotfiles" -n "$NOOP" -o "$work/dots" >/dev/null
	sleep 1.1 # past the racily-clean second, as bench/switch.sh does
	for side in a b; do
		bin=$a
		[ "$side" = a ] || bin=$b
		GOCFG_CACHE_DIR="$work/cache-$side" "$bin" switch -c "$work/dots" --root "$work/root-$side" >/dev/null 2>&1
	done
fi

# The two builds must compute the same thing.
if ! cmp -s <("$a" eval --json --no-cache -c "$work/mods") <("$b" eval --json --no-cache -c "$work/mods"); then
	echo "abcold.sh: the two builds print different configurations" >&2
	exit 1
fi

: >"$work/runs"
for ((i = 1; i <= N; i++)); do
	order="a b"
	[ $((i % 2)) = 1 ] || order="b a"
	for side in $order; do
		bin=$a
		[ "$side" = a ] || bin=$b
		if [ "$AFTER" = nix ]; then
			nix-instantiate --eval --strict --json -I "nixpkgs-lib=$NIXPKGS_LIB" "$work/nixmods/default.nix" >/dev/null
		fi
		if [ -n "$NOOP" ]; then
			echo "$side $(GOCFG_CACHE_DIR="$work/cache-$side" "$work/timeit" -- "$bin" switch -c "$work/dots" --root "$work/root-$side")" >>"$work/runs"
		elif [ -n "$EDIT" ]; then
			echo "# edit $i $side" >>"$work/mods/default.hcl"
			echo "$side $(GOCFG_CACHE_DIR="$work/cache-$side" "$work/timeit" -- "$bin" eval --json -c "$work/mods")" >>"$work/runs"
		else
			echo "$side $("$work/timeit" -- "$bin" eval --json --no-cache -c "$work/mods")" >>"$work/runs"
		fi
	done
done

# quantile Q: the Q-th quantile (0 to 1) of the numbers on stdin.
quantile() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { i = int(q * (NR - 1) + 0.5) + 1; print v[i] }'; }

# stats SIDE: median, quartiles and lowest wall time (ms), median RSS
# (MB), and the number of runs.
stats() {
	local w
	w=$(awk -v s="$1" '$1 == s { printf "%.1f\n", $2 / 1000 }' "$work/runs")
	echo "$(quantile 0.5 <<<"$w") $(quantile 0.25 <<<"$w") $(quantile 0.75 <<<"$w") $(quantile 0 <<<"$w")" \
		"$(awk -v s="$1" '$1 == s { printf "%.1f\n", $3 / 1024 }' "$work/runs" | quantile 0.5) $(wc -l <<<"$w")"
}
read -r am aq1 aq3 amin arss an <<<"$(stats a)"
read -r bm bq1 bq3 bmin brss _ <<<"$(stats b)"
if [ -n "$NOOP" ]; then
	echo "no-op switch of N=$NOOP dotfiles, back to back; $an runs each, in turn"
elif [ -n "$EDIT" ]; then
	echo "cold eval --json after an edit (the cache on), M=$M, after $AFTER; $an runs each, in turn"
else
	echo "cold eval --json --no-cache, M=$M, after $AFTER; $an runs each, in turn"
fi
printf '| build | median | quartiles | lowest | RSS |\n|---|---|---|---|---|\n'
printf '| old %s | %s ms | %s–%s ms | %s ms | %s MB |\n' "$1" "$am" "$aq1" "$aq3" "$amin" "$arss"
printf '| new %s | %s ms | %s–%s ms | %s ms | %s MB |\n' "$2" "$bm" "$bq1" "$bq3" "$bmin" "$brss"
awk -v a="$am" -v b="$bm" 'BEGIN { printf "new - old: %+.1f ms at the median\n", b - a }'
