#!/usr/bin/env bash
# `plan demand` benchmark (release build): 100,000 workers and 5,000 sessions of 20 partners over
# a year (most of them over, filled by a matching run when they were still ahead), 1% of the
# addresses undeliverable, 2% past their available_until. Prints the service call in-process
# (median of 5 runs, three variants) and the whole command with hyperfine. Target: under 1 s.
# SCRATCH=DIR builds into DIR/main and DIR/bench instead of the packages' own .build folders.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
main_build="$root/.build"
bench_build="$here/.build"
if [ -n "${SCRATCH:-}" ]; then main_build="$SCRATCH/main"; bench_build="$SCRATCH/bench"; fi
swift build -c release --package-path "$root" --scratch-path "$main_build" --product overstap
swift build -c release --package-path "$here" --scratch-path "$bench_build" --product overstap-bench
bin="$main_build/release/overstap"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
db="$work/demand.sqlite"
"$bench_build/release/overstap-bench" demand --database "$db" --config "$root/config/overstap.yaml"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00
args="plan demand --config $root/config/overstap.yaml --database-url sqlite:$db"
"$bin" $args | head -12
hyperfine --warmup 1 --runs 5 "$bin $args > /dev/null" "$bin $args --online --json > /dev/null"
/usr/bin/time -v "$bin" $args 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
