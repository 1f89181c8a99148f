#!/usr/bin/env bash
# Seeded fuzzing of the inbound mail reader and the iTIP reader over the reply fixtures
# (Tests/Fixtures/Replies): COUNT inputs in a release build, then ASAN_COUNT in a debug build under
# AddressSanitizer with leak detection. Fails when an input crashes, takes longer than a second,
# or (under ASan) leaks or touches memory it must not.
# Usage: run-fuzz-reply.sh [COUNT] [SEED] [ASAN_COUNT]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
count="${1:-1000000}"
seed="${2:-2027}"
asan_count="${3:-10000}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm), libical $(pkg-config --modversion libical)"
swift build -c release --package-path "$here" --product overstap-fuzz
/usr/bin/time -f "release run: %e s wall, maximum resident set %M KiB" \
    "$here/.build/release/overstap-fuzz" reply --count "$count" --seed "$seed"
# A separate scratch folder, so the sanitized build does not replace the normal debug build.
swift build -c debug --sanitize=address --package-path "$here" --scratch-path "$here/.build-asan" --product overstap-fuzz
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 /usr/bin/time -f "ASan run: %e s wall, maximum resident set %M KiB" \
    "$here/.build-asan/debug/overstap-fuzz" reply --count "$asan_count" --seed "$seed" --limit 30
