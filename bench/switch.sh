#!/bin/sh
# switch.sh runs BenchmarkSwitch (bench/switch_bench_test.go: whole
# `gocfg switch --root` runs on N generated dotfiles) COUNT times and prints
# the median of every figure as a Markdown table.
#
#   bench/switch.sh                          # N = 100, 1000, 10000; tmpfs and $TMPDIR
#   COUNT=5 bench/switch.sh
#   GOCFG_BENCH_SWITCH_N=10000 bench/switch.sh '^BenchmarkSwitch$/disk=tmpfs'
#   TMPDIR=/mnt/xfs bench/switch.sh          # measure another disk as "tmpdir"
#   GOCFG_BENCH_GIT=1 bench/switch.sh        # the configuration in a git work tree
#
# The argument (default "^BenchmarkSwitch$") is the -bench pattern. The raw
# `go test` output is kept in $OUT (default: a temporary file, named at the
# end), for benchstat or for reading again with `bench/switch.sh -f FILE`.
# Column by column, see bench/README.md.
set -eu

cd "$(dirname "$0")/.."
COUNT=${COUNT:-3}

# cpu_times prints the aggregate "cpu" line of /proc/stat (Linux), to tell
# how much of the machine others took during the run.
cpu_times() { head -n 1 /proc/stat 2>/dev/null || true; }

steal="" rev=""
if [ "${1:-}" = "-f" ]; then
	OUT=$2
else
	OUT=${OUT:-$(mktemp "${TMPDIR:-/tmp}/gocfg-switch-bench.XXXXXX")}
	before=$(cpu_times)
	go test ./bench -run '^$' -bench "${1:-^BenchmarkSwitch$}" -benchtime 1x -count "$COUNT" -timeout 120m | tee "$OUT" >&2
	after=$(cpu_times)
	if ! grep -q '^PASS' "$OUT"; then
		echo "switch.sh: go test failed; its output is in $OUT" >&2
		exit 1
	fi
	rev="gocfg $(git log -1 --format='%h %cd' --date=short 2>/dev/null), $(git status --porcelain 2>/dev/null | grep -vc '^??' || true) tracked files modified at the end of the run."
	if [ -n "$before" ]; then
		# user nice system idle iowait irq softirq steal: busy, idle and
		# steal (taken by other guests of a virtual machine's host).
		steal=$(printf '%s\n%s\n' "$before" "$after" | awk '
			{ t = 0; for (i = 2; i <= 9; i++) t += $i; tot[NR] = t; idle[NR] = $5 + $6; st[NR] = $9 }
			END { d = tot[2] - tot[1]; if (d > 0) printf "CPU during the run: %.0f%% idle, %.0f%% stolen by the host.", 100 * (idle[2] - idle[1]) / d, 100 * (st[2] - st[1]) / d }')
	fi
fi

tmpdir=${TMPDIR:-/tmp}
fstype=$(findmnt -n -o FSTYPE --target "$tmpdir" 2>/dev/null || stat -f -c %T "$tmpdir" 2>/dev/null || echo '?')
echo
echo "Medians over the runs of each line (go test -count); disk tmpdir is $tmpdir ($fstype), tmpfs is /dev/shm."
[ -z "$rev$steal" ] || echo "$rev $steal"
echo

awk '
/^BenchmarkSwitch\// {
	name = $1
	sub(/-[0-9]+$/, "", name)          # the GOMAXPROCS suffix
	split(name, part, "/")
	disk = part[2]; sub(/^disk=/, "", disk)
	n = part[3]; sub(/^n=/, "", n)
	key = disk SUBSEP n
	if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
	runs[key]++
	for (i = 3; i + 1 <= NF; i += 2) {  # value-unit pairs after the iteration count
		m = key SUBSEP $(i + 1)
		cnt[m]++
		val[m, cnt[m]] = $i
	}
}
function median(m,    k, j, t, c, a) {
	c = cnt[m]
	if (c == 0) return ""
	for (k = 1; k <= c; k++) a[k] = val[m, k] + 0
	for (k = 2; k <= c; k++) {         # insertion sort: a handful of values
		t = a[k]
		for (j = k - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
	if (c % 2) return a[(c + 1) / 2]
	return (a[c / 2] + a[c / 2 + 1]) / 2
}
function fmt(x, unit) {
	if (x == "") return "-"
	if (unit == "ms") return x >= 100 ? sprintf("%.0f", x) : sprintf("%.1f", x)
	if (unit == "x") return sprintf("%.2f", x)
	return sprintf("%.0f", x)
}
END {
	print "| disk | N | runs | bare ms | bare+store ms | first ms | first/bare | first/bare+store | no-op ms | one-change ms | peak MB (first / no-op / one-change) |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
	for (k = 1; k <= nkeys; k++) {
		key = keys[k]
		split(key, kp, SUBSEP)
		printf "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s (%s / %s / %s) |\n", kp[1], kp[2], runs[key],
			fmt(median(key SUBSEP "bare-ms"), "ms"), fmt(median(key SUBSEP "bare-store-ms"), "ms"),
			fmt(median(key SUBSEP "first-ms"), "ms"), fmt(median(key SUBSEP "first/bare"), "x"),
			fmt(median(key SUBSEP "first/bare-store"), "x"),
			fmt(median(key SUBSEP "noop-ms"), "ms"), fmt(median(key SUBSEP "onechange-ms"), "ms"),
			fmt(median(key SUBSEP "peak-MB"), "MB"), fmt(median(key SUBSEP "first-MB"), "MB"),
			fmt(median(key SUBSEP "noop-MB"), "MB"), fmt(median(key SUBSEP "onechange-MB"), "MB")
	}
}' "$OUT"
echo
echo "raw output: $OUT"
