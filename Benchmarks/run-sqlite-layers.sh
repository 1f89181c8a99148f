#!/usr/bin/env bash
# SQLite layer benchmark (release build), for the backend decision in docs/architecture.md:
# 100,000 workers inserted and read back through GRDB (what the store uses) and through SQLKit on
# sqlite-nio (the layer sql-kit would share with PostgreSQL), in Overstap's own schema.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
swift build -c release --package-path "$here" --product overstap-bench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
"$here/.build/release/overstap-bench" sqlite-layers --workers "${WORKERS:-100000}"
