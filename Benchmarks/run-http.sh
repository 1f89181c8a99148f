#!/usr/bin/env bash
# HTTP benchmark of `overstap serve` (release build) side by side with nginx in the same run on the
# same machine, both on loopback, both measured with `wrk -t2 -c32 --latency`:
#   1. a 1,000-session partner feed (identity)             target: ≥ 80% of nginx's requests/s
#   2. the same with Accept-Encoding: gzip                  (nginx: gzip_static, a `gzip -k -9` .gz)
#   3. 304 Not Modified (If-None-Match: <etag>)              target: ≥ 50% of nginx's requests/s, p99 ≤ 10 ms
#   4. the daemon's resident memory after the runs with 100,000 workers in the database: ≤ 150 MB
# nginx serves the very bytes the daemon served (fetched with curl first) as static files, with
# `worker_processes auto` (= nproc, 2 here; the daemon's event loop group also uses every core),
# access_log off (the daemon keeps none either), sendfile on, etag on, and keep-alive not capped
# (keepalive_requests 1000000: wrk's connections stay open for both servers).
# DURATION (default 6s) sets each wrk run, ROUNDS (default 2) how often each pair runs; the summary
# keeps each server's best run. SKIP_BUILD=1 uses the release binaries as they are.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
duration="${DURATION:-6s}"
port="${PORT:-18080}"
nginx_port="${NGINX_PORT:-18081}"
work="$(mktemp -d)"
daemon_pid=""
nginx_pid=""
cleanup() {
    # Keep the daemon's log when something went wrong, before the work folder goes.
    [ -f "$work/serve.log" ] && [ "${keep_log:-}" = 1 ] && cp "$work/serve.log" "${TMPDIR:-/tmp}/overstap-run-http-serve.log" &&
        echo "daemon log kept in ${TMPDIR:-/tmp}/overstap-run-http-serve.log" >&2
    [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi

if [ -z "${SKIP_BUILD:-}" ]; then
    swift build -c release --package-path "$root" --product overstap
    swift build -c release --package-path "$here" --product overstap-bench
fi
bin="$root/.build/release/overstap"
bench="$here/.build/release/overstap-bench"
echo
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {printf "%.1f GiB", $2/1024}'), $(uname -srm)"
echo "tools:   $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | sed 's/^nginx version: //') (worker_processes auto)"

# --- Data: 20,000 sessions over 20 partners (partner-0 has exactly 1,000, all inside the feed window:
# from 2027-01-11 on, "now" is 2027-01-10) and 100,000 workers, in one database.
cd "$work"
db="$work/http.sqlite"
export OVERSTAP_CONFIG="$root/config/overstap.yaml"
export OVERSTAP_DATABASE_URL="sqlite:$db"
export OVERSTAP_TEMPLATES_PATH="$root/templates"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00
export OVERSTAP_HTTP_PORT="$port"
export OVERSTAP_HTTP_PUBLIC_URL="http://127.0.0.1:$port"
export OVERSTAP_MAIL_DIRECTORY="$work/mail"
export OVERSTAP_RSVP_SECRET="$(head -c 48 /dev/urandom | base64 -w0)"
"$bench" sessions --count 20000 --database "$db"
"$bench" workers-csv --count 100000 "$work/workers.csv"
"$bin" worker import "$work/workers.csv" | tail -1
url="$("$bin" partner rotate-token partner-0 | sed -n 's/^feed (give this to the partner[^:]*: *//p' | head -1)"
[ -n "$url" ] || { echo "no feed URL from partner rotate-token" >&2; exit 1; }
echo "feed: ${url%%\?*}?token=…"

# --- The daemon.
"$bin" serve > "$work/serve.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 100); do
    grep -q '^listening on' "$work/serve.log" && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.1
done
grep -q '^listening on' "$work/serve.log" || { echo "daemon did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

header() { tr -d '\r' < "$1" | awk -v name="$2" 'tolower($1) == tolower(name) ":" { sub(/^[^:]*: */, ""); print; exit }'; }
status() { tr -d '\r' < "$1" | awk 'NR == 1 { print $2 }'; }
www="$work/www"
mkdir -p "$www/feeds/partners"
curl -sf -D "$work/h-plain" -o "$www/feeds/partners/partner-0.ics" "$url"
curl -sf -D "$work/h-gzip" -H 'Accept-Encoding: gzip' -o "$work/ours.ics.gz" "$url"
etag="$(header "$work/h-plain" etag)"
gzip_etag="$(header "$work/h-gzip" etag)"
events="$(grep -c '^BEGIN:VEVENT' "$www/feeds/partners/partner-0.ics")"
size="$(stat -c %s "$www/feeds/partners/partner-0.ics")"
[ "$events" -eq 1000 ] || { echo "expected 1,000 events in the feed, got $events" >&2; exit 1; }
[ "$(header "$work/h-gzip" content-encoding)" = gzip ] || { echo "no gzip answer" >&2; exit 1; }
cmp -s <(gzip -dc "$work/ours.ics.gz") "$www/feeds/partners/partner-0.ics" || { echo "gzip body differs" >&2; exit 1; }
code="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")"
[ "$code" = 304 ] || { echo "expected 304 for If-None-Match, got $code" >&2; exit 1; }
gzip -k -9 "$www/feeds/partners/partner-0.ics"
touch -r "$www/feeds/partners/partner-0.ics" "$www/feeds/partners/partner-0.ics.gz"
echo "body:    $events events, $size bytes; gzip: ours $(stat -c %s "$work/ours.ics.gz") bytes, nginx's (gzip -9) $(stat -c %s "$www/feeds/partners/partner-0.ics.gz") bytes"
echo "ours:    ETag $etag, gzip ETag $gzip_etag"
# For reference only: the public region feed's 304 skips the partner token check.
region_url="http://127.0.0.1:$port/feeds/regions/midden-utrecht.ics"
curl -sf -D "$work/h-region" -o /dev/null "$region_url"
region_etag="$(header "$work/h-region" etag)"

# --- nginx on a private config, serving the same bytes.
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<EOF
user root;
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    types { text/calendar ics; }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    client_body_temp_path $work/nginx/tmp-body;
    proxy_temp_path $work/nginx/tmp-proxy;
    fastcgi_temp_path $work/nginx/tmp-fastcgi;
    uwsgi_temp_path $work/nginx/tmp-uwsgi;
    scgi_temp_path $work/nginx/tmp-scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $www;
        etag on;
        gzip_static on;
        gzip_vary on;
        add_header Cache-Control "private, max-age=300";
    }
}
EOF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port/feeds/partners/partner-0.ics"
for _ in $(seq 1 50); do curl -sf -o /dev/null "$nginx_url" && break; sleep 0.1; done
curl -sf -D "$work/n-plain" -o "$work/n-body" "$nginx_url"
curl -sf -D "$work/n-gzip" -H 'Accept-Encoding: gzip' -o "$work/n-body.gz" "$nginx_url"
cmp -s "$work/n-body" "$www/feeds/partners/partner-0.ics" || { echo "nginx body differs" >&2; exit 1; }
[ "$(header "$work/n-gzip" content-encoding)" = gzip ] || { echo "nginx does not serve the .gz" >&2; exit 1; }
nginx_etag="$(header "$work/n-plain" etag)"
code="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$nginx_url")"
[ "$code" = 304 ] || { echo "nginx: expected 304, got $code" >&2; exit 1; }
echo "nginx:   ETag $nginx_etag"

# --- wrk. Each scenario runs ROUNDS times, ours and nginx alternating (ours first in odd rounds,
# nginx first in even ones), and keeps each server's best run, so a burst of other load on the machine
# does not decide the ratio. A run records "rps p50_ms p99_ms errors" in $work/r-NAME.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
run() {
    local name="$1" target="$2"
    shift 2
    wrk -t2 -c32 -d2s "$@" "$target" > /dev/null
    wrk -t2 -c32 -d"$duration" --latency "$@" "$target" > "$work/wrk.txt"
    local rps p50 p99 bad
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")")"
    bad="$(awk '/Non-2xx or 3xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$work/wrk.txt")"
    printf '  %-16s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  %10s/s  errors %s\n' "$name" "$rps" "$p50" "$p99" \
        "$(awk '/^Transfer\/sec:/ { print $2 }' "$work/wrk.txt")" "$bad"
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
        keep_log=1
        echo "the daemon is gone (during $name); its log:" >&2
        tail -20 "$work/serve.log" >&2
        exit 1
    fi
    if [ "$bad" != 0 ]; then keep_log=1; fi
    if [ ! -f "$work/r-$name" ] || awk -v a="$rps" '{ exit !(a > $1) }' "$work/r-$name"; then
        echo "$rps $p50 $p99 $bad" > "$work/r-$name"
    fi
}
pair() {
    local key="$1" round="$2" ours_args=() nginx_args=()
    case "$key" in
        plain) ;;
        gzip) ours_args=(-H 'Accept-Encoding: gzip'); nginx_args=(-H 'Accept-Encoding: gzip') ;;
        304) ours_args=(-H "If-None-Match: $etag"); nginx_args=(-H "If-None-Match: $nginx_etag") ;;
    esac
    if [ $((round % 2)) -eq 1 ]; then
        run "ours-$key" "$url" "${ours_args[@]}"
        run "nginx-$key" "$nginx_url" "${nginx_args[@]}"
    else
        run "nginx-$key" "$nginx_url" "${nginx_args[@]}"
        run "ours-$key" "$url" "${ours_args[@]}"
    fi
}
rounds="${ROUNDS:-2}"
echo
echo "wrk -t2 -c32 -d$duration --latency (each after a 2 s warm-up), loopback, $rounds rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
    for key in plain gzip 304; do pair "$key" "$round"; done
done
run ours-region-304 "$region_url" -H "If-None-Match: $region_etag"

# --- Resident memory of the daemon after all runs (100,000 workers and 20,000 sessions stored).
rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$daemon_pid/status")"
hwm_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$daemon_pid/status")"
threads="$(awk '/^Threads:/ { print $2 }' "/proc/$daemon_pid/status")"

# --- Summary.
echo
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {printf "%.1f GiB", $2/1024}'), $(uname -srm)"
echo "feed: 1,000 sessions, $size bytes (gzip: ours $(stat -c %s "$work/ours.ics.gz"), nginx $(stat -c %s "$www/feeds/partners/partner-0.ics.gz"))"
echo "best of $rounds runs of $duration each:"
printf '%-22s %12s %12s %8s %10s %10s %8s  %s\n' scenario "ours req/s" "nginx req/s" ratio "ours p99" "nginx p99" target verdict
row() {
    local label="$1" key="$2" target="$3" p99_limit="${4:-}"
    read -r o_rps _ o_p99 o_bad < "$work/r-ours-$key"
    read -r n_rps _ n_p99 n_bad < "$work/r-nginx-$key"
    local ratio verdict
    ratio="$(awk -v a="$o_rps" -v b="$n_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
    verdict="$(awk -v a="$o_rps" -v b="$n_rps" -v t="$target" -v p="$o_p99" -v l="$p99_limit" -v e="$o_bad" \
        'BEGIN { ok = (100 * a / b >= t) && (l == "" || p <= l) && e == 0; print ok ? "met" : "NOT met" }')"
    printf '%-22s %12.0f %12.0f %8s %8.2fms %8.2fms %8s  %s\n' "$label" "$o_rps" "$n_rps" "$ratio" "$o_p99" "$n_p99" \
        "≥$target%${p99_limit:+, p99≤${p99_limit}ms}" "$verdict"
}
row "feed (identity)" plain 80
row "feed (gzip)" gzip 80
row "304 Not Modified" 304 50 10
read -r reg_rps _ reg_p99 _ < "$work/r-ours-region-304"
read -r n304_rps _ _ _ < "$work/r-nginx-304"
printf '%-22s %12.0f %12s %8s %8.2fms   (reference: public region feed, no token check)\n' "304, region feed" "$reg_rps" "" \
    "$(awk -v a="$reg_rps" -v b="$n304_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')" "$reg_p99"
awk -v r="$rss_kb" -v h="$hwm_kb" -v t="$threads" 'BEGIN {
    printf "%-22s %9.1f MB resident (peak %.1f MB, %d threads) with 100,000 workers   target ≤150 MB  %s\n",
        "daemon memory", r / 1024, h / 1024, t, (r / 1024 <= 150 ? "met" : "NOT met") }'
