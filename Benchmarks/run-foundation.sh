#!/usr/bin/env bash
# Foundation benchmarks (release build): import a generated 100,000-row worker CSV, and
# `session list --json` over 10,000 sessions. Targets: ≤ 10 s and ≤ 0.5 s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
swift build -c release --package-path "$root" --product overstap
swift build -c release --package-path "$here" --product overstap-bench
bin="$root/.build/release/overstap"
bench="$here/.build/release/overstap-bench"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
"$bench" workers-csv --count 100000 "$work/workers.csv"
echo "worker CSV: $(wc -l < "$work/workers.csv") lines, $(du -h "$work/workers.csv" | cut -f1)"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00
config="--config $root/config/overstap.yaml"
hyperfine --warmup 0 --runs 3 --prepare "rm -f $work/import.sqlite*" \
    "$bin worker import $work/workers.csv $config --database-url sqlite:$work/import.sqlite" \
    --export-json "$work/import.json"
/usr/bin/time -v "$bin" worker import "$work/workers.csv" $config --database-url "sqlite:$work/import.sqlite" 2>&1 \
    | grep -E "Maximum resident|Elapsed" || true

"$bench" sessions --count 10000 --database "$work/sessions.sqlite"
hyperfine --warmup 2 --runs 10 "$bin session list --json $config --database-url sqlite:$work/sessions.sqlite > /dev/null"
echo "sessions listed: $("$bin" session list --json $config --database-url "sqlite:$work/sessions.sqlite" | grep -c '"uid"')"
