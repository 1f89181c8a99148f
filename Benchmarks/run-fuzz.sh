#!/usr/bin/env bash
# Seeded fuzzing of the worker CSV reader and the .ics reader/expander (release build): a million
# inputs each by default; fails when an input crashes or takes longer than a second.
# Usage: run-fuzz.sh [COUNT] [SEED]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
count="${1:-1000000}"
seed="${2:-2027}"
swift build -c release --package-path "$here" --product overstap-fuzz
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm), libical $(pkg-config --modversion libical)"
"$here/.build/release/overstap-fuzz" csv --count "$count" --seed "$seed" --catalogues "$here/../config"
"$here/.build/release/overstap-fuzz" ics --count "$count" --seed "$seed"
