#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start` creates it (if needed), starts it, waits
# until it answers and prints its admin URL; `stop` stops it and removes its folder. Both are
# safe to repeat. Loopback only, trust authentication, no fsync: for tests, never for data.
# It also accepts TLS, with a self-signed certificate for 127.0.0.1 and localhost made at
# creation (`server.crt` in its data directory, which `SHOW data_directory` names): the TLS
# tests trust it as their CA.
#
# OVERSTAP_TEST_POSTGRES_PORT picks another port than 54329 (for a second cluster beside it).
# Run as root, the cluster runs as the `postgres` user (initdb refuses root).
set -euo pipefail

port="${OVERSTAP_TEST_POSTGRES_PORT:-54329}"
# Each test makes a database of its own (about 8 MB): a run leaves some GB, which memory holds and
# drops faster than a disk. /dev/shm when it has room for that, else the temporary folder.
shm_free_kb="$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {print $4}' || true)"
if [[ -z "${TMPDIR:-}" ]] && { [[ -d "/dev/shm/overstap-test-postgres-$port" ]] || { [[ -n "$shm_free_kb" ]] && ((shm_free_kb > 8 * 1024 * 1024)); }; }; then
    base=/dev/shm
else
    base="${TMPDIR:-/tmp}"
fi
folder="$base/overstap-test-postgres-$port"
data="$folder/data"
log="$folder/server.log"
url="postgres://postgres@127.0.0.1:$port/postgres"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$bin" ]] || [[ ! -x "$bin/initdb" ]]; then
    echo "postgres-test-cluster: no PostgreSQL server found under /usr/lib/postgresql; run scripts/install-deps.sh" >&2
    exit 1
fi

# Runs a server program as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
    [[ -f "$data/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    if running; then
        echo "$url"
        return
    fi
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1; then
        echo "postgres-test-cluster: another server already listens on 127.0.0.1:$port;" \
            "stop it, or choose a free port with OVERSTAP_TEST_POSTGRES_PORT" >&2
        exit 1
    fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
        # A folder left half-made by an interrupted start is made again.
        rm -rf "$folder"
        mkdir -p "$folder"
        chmod 700 "$folder"
        if [[ $EUID -eq 0 ]]; then chown postgres: "$folder"; fi
        as_owner "$bin/initdb" -D "$data" --username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
            >"$folder/initdb.log" 2>&1 || {
            echo "postgres-test-cluster: initdb failed:" >&2
            cat "$folder/initdb.log" >&2
            exit 1
        }
        as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
            -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$data/server.key" -out "$data/server.crt" \
            >"$folder/openssl.log" 2>&1 || {
            echo "postgres-test-cluster: openssl could not make the server certificate:" >&2
            cat "$folder/openssl.log" >&2
            exit 1
        }
        as_owner chmod 600 "$data/server.key"
        # Trust only what reaches the server over loopback or its own socket (inside the 0700 folder).
        as_owner tee "$data/pg_hba.conf" >/dev/null <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
        as_owner tee -a "$data/postgresql.conf" >/dev/null <<CONF
# overstap test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
timezone = 'UTC'
fsync = off
synchronous_commit = off
full_page_writes = off
ssl = on
CONF
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
        echo "postgres-test-cluster: the server did not start; its log:" >&2
        tail -n 30 "$log" >&2 || true
        exit 1
    fi
    for _ in $(seq 1 60); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
        sleep 0.5
    done
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || {
        echo "postgres-test-cluster: the server does not answer on 127.0.0.1:$port" >&2
        exit 1
    }
    echo "$url"
}

stop() {
    if running; then
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    rm -rf "$folder"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
