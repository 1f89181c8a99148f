#!/usr/bin/env bash
# SQLite beside PostgreSQL (release build), for the backend decision in docs/architecture.md:
# `match --json` at 100,000 workers / 5,000 sessions on both, the PostgreSQL database made from the
# SQLite one with `overstap db copy` (timed too), on a throwaway cluster on port 54338
# (scripts/postgres-test-cluster.sh). SCRATCH sets the build folder; SKIP_BUILD=1 uses the
# binaries as they are. `worker import` on both is Benchmarks/run-import-backends.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
export OVERSTAP_TEST_POSTGRES_PORT=54338
cleanup() { "$root/scripts/postgres-test-cluster.sh" stop; rm -rf "$work"; }
trap cleanup EXIT
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
scratch="${SCRATCH:-$root/.build}"
if [[ -z "${SKIP_BUILD:-}" ]]; then
    swift build -c release --package-path "$root" --scratch-path "$scratch" --product overstap
    swift build -c release --package-path "$here" --product overstap-bench
fi
bin="$scratch/release/overstap"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
admin="$("$root/scripts/postgres-test-cluster.sh" start)"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00 OVERSTAP_CONFIG="$root/config/overstap.yaml"
"$here/.build/release/overstap-bench" match-data --workers 100000 --sessions 5000 --database "$work/match.sqlite"
psql "$admin" -qc "CREATE DATABASE bench"
target="${admin%/postgres}/bench"
/usr/bin/time -f "db copy: %e s wall, %U s user, %M KB max resident" \
    "$bin" db copy --from "sqlite:$work/match.sqlite" --to "$target" | tail -n 1
for url in "sqlite:$work/match.sqlite" "$target"; do
    "$bin" match --json --database-url "$url" > "$work/out.json"
    python3 -c "import json; s=json.load(open('$work/out.json'))['stats']; print('$url'.split(':')[0], 'pairs', s['eligible_pairs'], 'placed', s['placed'], 'objective', s['objective'])"
    hyperfine --warmup 1 --runs 5 "$bin match --json --database-url $url > /dev/null"
    /usr/bin/time -v "$bin" match --json --database-url "$url" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
done
