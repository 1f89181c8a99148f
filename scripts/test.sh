#!/usr/bin/env bash
# The second command: build everything and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
