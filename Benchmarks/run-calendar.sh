#!/usr/bin/env bash
# iCalendar benchmarks (release build): a 1,000-session partner feed (target ≤ 20 ms) and a single
# invitation (target ≤ 100 µs), both rendered by libical through the Swift layer.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
swift build -c release --package-path "$here" --product overstap-bench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm), libical $(pkg-config --modversion libical)"
"$here/.build/release/overstap-bench" calendar
