#!/usr/bin/env bash
# Matching benchmark (release build): the complete `overstap match --json` (load, build the
# eligibility graph, solve, print) at 10k/1k, 50k/2.5k and 100k/5k. Target at 100k/5k with
# ≥ 2 million eligible pairs: ≤ 5 s and ≤ 1.5 GB resident.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
swift build -c release --package-path "$root" --product overstap
swift build -c release --package-path "$here" --product overstap-bench
bin="$root/.build/release/overstap"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00
for scale in "10000 1000" "50000 2500" "100000 5000"; do
    set -- $scale
    db="$work/match-$1.sqlite"
    "$here/.build/release/overstap-bench" match-data --workers "$1" --sessions "$2" --database "$db"
    args="match --json --config $root/config/overstap.yaml --database-url sqlite:$db"
    "$bin" $args > "$work/out.json"
    python3 -c "import json,sys; s=json.load(open('$work/out.json'))['stats']; print('$1 workers / $2 sessions:', 'pairs', s['eligible_pairs'], 'eligible workers', s['eligible_workers'], 'free seats', s['free_seats'], 'placed', s['placed'], 'objective', s['objective'], 'profiles', s['profiles'])"
    hyperfine --warmup 1 --runs 3 "$bin $args > /dev/null"
    /usr/bin/time -v "$bin" $args 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
done
