#!/usr/bin/env bash
# Report benchmark (release build): on a 100,000-worker / 5,000-session database, matching places
# and invites everyone it can, the enrollments get answers and attendance, 40% of those who
# attended get a found_work outcome; then `overstap report --period 2027` is computed (one read
# of the store, the figures, the suppression) and written in every format.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
swift build -c release --package-path "$here" --product overstap-bench
bench="$here/.build/release/overstap-bench"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
"$bench" match-data --workers 100000 --sessions 5000 --database "$work/report.sqlite"
OVERSTAP_NOW=2027-10-01T09:00:00+02:00 "$bench" report --database "$work/report.sqlite" --config "$root/config/overstap.yaml"
