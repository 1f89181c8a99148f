#!/usr/bin/env bash
# The second command: build everything, run the whole test suite on SQLite, then run the suites
# that touch the database again on PostgreSQL, in a throwaway cluster on 127.0.0.1:54329
# (scripts/postgres-test-cluster.sh) or the running server named by OVERSTAP_TEST_POSTGRES_URL.
# Fails when either pass fails; both passes always run.
set -euo pipefail
cd "$(dirname "$0")/.."

# The libraries that never open a database run once; everything else runs on both backends.
database_suites='^(OverstapStoreTests|OverstapServiceTests|OverstapHTTPTests|OverstapCLITests)\.'

swift build --build-tests

echo "== tests on SQLite"
sqlite_status=0
env -u OVERSTAP_TEST_POSTGRES_URL swift test --skip-build || sqlite_status=$?

echo "== tests on PostgreSQL"
postgres_url="${OVERSTAP_TEST_POSTGRES_URL:-}"
if [[ -z "$postgres_url" ]]; then
    trap 'scripts/postgres-test-cluster.sh stop' EXIT
    postgres_url="$(scripts/postgres-test-cluster.sh start)"
fi
postgres_status=0
OVERSTAP_TEST_POSTGRES_URL="$postgres_url" swift test --skip-build --filter "$database_suites" || postgres_status=$?

echo "== SQLite pass: exit $sqlite_status; PostgreSQL pass: exit $postgres_status"
((sqlite_status == 0 && postgres_status == 0))
