#!/usr/bin/env bash
# The first command: install what is missing, build, then run the demo (scripts/demo.sh): seed an
# example region, invite its people and start the daemon. Safe to repeat.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product overstap
exec scripts/demo.sh
