#!/usr/bin/env bash
# db copy benchmark (release build): a 100,000-worker / 5,000-session SQLite database, placed and
# invited by matching (enrollments and their outbox rows, most sent, some failed), copied into an
# empty PostgreSQL 15 database with `overstap db copy`'s code: migrate, COPY every table, reset the
# identity sequences, read every row back and compare it column by column, commit.
# PostgreSQL runs from Debian's binaries in a temporary cluster on 127.0.0.1:${PGPORT:-54351}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
scratch="${SCRATCH_PATH:-$root/.build-release}"
port="${PGPORT:-54351}"
pgbin=/usr/lib/postgresql/15/bin
work="$(mktemp -d)"
chmod 755 "$work"
stop() {
    [ -f "$work/pg/postmaster.pid" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null || true
    rm -rf "$work"
}
trap stop EXIT
swift build -c release --package-path "$here" --scratch-path "$scratch" --product overstap-bench
bench="$scratch/release/overstap-bench"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
mkdir "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
    -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
psql -q "postgres://postgres@127.0.0.1:$port/postgres" -c "CREATE DATABASE copybench"
"$bench" match-data --workers 100000 --sessions 5000 --database "$work/copy.sqlite"
"$bench" copy-data --database "$work/copy.sqlite" --config "$root/config/overstap.yaml"
echo "SQLite file: $(du -h "$work/copy.sqlite" | cut -f1)"
"$bench" copy --database "$work/copy.sqlite" --to "postgres://postgres@127.0.0.1:$port/copybench" --config "$root/config/overstap.yaml"
