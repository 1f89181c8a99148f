#!/usr/bin/env bash
# Store transaction benchmark (release build): one-query read and write transactions through the
# async store (the body runs on GRDB's connection thread via ThreadBoundExecutor) beside the same
# query through GRDB's own async API, on a 10,000-worker database.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
swift build -c release --package-path "$here" --product overstap-bench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
"$here/.build/release/overstap-bench" store-transactions --workers 10000 --count 20000
