#!/usr/bin/env bash
# Worker import on both backends (release build): the complete `overstap worker import` of one
# generated 100,000-row CSV into an empty SQLite file and into an empty PostgreSQL database, each
# timed with hyperfine. PostgreSQL runs in a throwaway cluster with default settings (fsync on,
# as SQLite's commit is durable too) on 127.0.0.1:$OVERSTAP_BENCH_POSTGRES_PORT (default 54341).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
port="${OVERSTAP_BENCH_POSTGRES_PORT:-54341}"
work="$(mktemp -d)"
chmod 755 "$work"
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_postgres() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    as_postgres "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
swift build -c release --package-path "$root" --product overstap
swift build -c release --package-path "$here" --product overstap-bench
bin="$root/.build/release/overstap"

mkdir "$work/pg"
[[ $EUID -eq 0 ]] && chown postgres "$work/pg"
as_postgres "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" -w start >/dev/null
admin="postgres://postgres@127.0.0.1:$port/postgres"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm); $("$pgbin/postgres" --version)"
"$here/.build/release/overstap-bench" workers-csv --count 100000 "$work/workers.csv"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00
config="--config $root/config/overstap.yaml"
hyperfine --warmup 0 --runs 3 --prepare "rm -f $work/import.sqlite*" \
    "$bin worker import $work/workers.csv $config --database-url sqlite:$work/import.sqlite"
hyperfine --warmup 0 --runs 3 --prepare "psql -q $admin -c 'DROP DATABASE IF EXISTS import' -c 'CREATE DATABASE import'" \
    "$bin worker import $work/workers.csv $config --database-url postgres://postgres@127.0.0.1:$port/import"
echo "workers in PostgreSQL: $(psql -tA "postgres://postgres@127.0.0.1:$port/import" -c 'SELECT count(*) FROM worker')"
