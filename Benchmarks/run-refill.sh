#!/usr/bin/env bash
# Seat refill benchmark (release build): on a 100,000-worker / 5,000-session database, matching
# places and invites everyone it can, then 20 invited people in full sessions decline. Prints how
# long the transaction that frees the seat holds the write lock and how long the refill from the
# waiting list takes (matching in a read transaction, then a short write).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
swift build -c release --package-path "$here" --product overstap-bench
bench="$here/.build/release/overstap-bench"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
"$bench" match-data --workers 100000 --sessions 5000 --database "$work/refill.sqlite"
OVERSTAP_NOW=2027-01-10T09:00:00+01:00 "$bench" refill --database "$work/refill.sqlite" --config "$root/config/overstap.yaml"
