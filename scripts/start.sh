#!/usr/bin/env bash
# The first command: install what is missing, build, seed the demo region and show it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product overstap
bin=.build/debug/overstap
"$bin" demo
echo
"$bin" session list
echo
echo "Try: $bin session show 1   |   $bin worker list   |   $bin --help"
