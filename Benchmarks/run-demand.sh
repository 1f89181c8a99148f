#!/usr/bin/env bash
# `plan demand` benchmark (release build): 100,000 workers and 5,000 sessions of 20 partners over
# a year (most of them over, filled by a matching run when they were still ahead), 1% of the
# addresses undeliverable, 2% past their available_until. Prints the service call in-process
# (median of 5 runs, three variants) and the whole command with hyperfine. Target: under 1 s.
# SCRATCH=DIR builds into DIR instead of Benchmarks/.build. Both binaries come from this package
# (`overstap` as its dependency's product), so the product is compiled once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
build="${SCRATCH:-$here/.build}"
swift build -c release --package-path "$here" --scratch-path "$build" --product overstap
swift build -c release --package-path "$here" --scratch-path "$build" --product overstap-bench
bin="$build/release/overstap"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
db="$work/demand.sqlite"
"$build/release/overstap-bench" demand --database "$db" --config "$root/config/overstap.yaml"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00
args="plan demand --config $root/config/overstap.yaml --database-url sqlite:$db"
"$bin" $args > "$work/demand.txt"
head -12 "$work/demand.txt"
hyperfine --warmup 1 --runs 5 "$bin $args > /dev/null" "$bin $args --online --json > /dev/null"
/usr/bin/time -v "$bin" $args 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
