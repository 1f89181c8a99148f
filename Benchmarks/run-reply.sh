#!/usr/bin/env bash
# `reply ingest` of one acceptance as a whole process, as a mail fetcher runs it (release build):
# a database of 10,000 workers with one 20-seat session whose invitations were sent, then RUNS
# (default 50) separate processes each reading one participant's iTIP REPLY (ACCEPTED, its own
# Message-ID) on standard input. Target: under 50 ms per process. Measured as deployed, with
# `overstap serve` running on the same database (so the fetcher's process is not the last
# connection and does not checkpoint the write-ahead log when it exits), and again without the
# daemon (the worst case). Beside it, in the same run, the floor every overstap process pays:
# `overstap config check` against the same config.
# BIN names a release overstap binary to use instead of building one, BENCH an overstap-bench (it
# only writes the worker CSV, which is not timed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs="${RUNS:-50}"
work="$(mktemp -d)"
daemon_pid=""
trap '[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; rm -rf "$work"' EXIT
if [ -z "${BIN:-}" ]; then
    # As the README builds it for a server: Swift's own libraries linked in, which saves every
    # process about 11 ms of dynamic linking.
    swift build -c release --static-swift-stdlib --package-path "$root" --product overstap
    BIN="$root/.build/release/overstap"
fi
if [ -z "${BENCH:-}" ]; then
    swift build -c release --package-path "$here" --product overstap-bench
    BENCH="$here/.build/release/overstap-bench"
fi
bench="$BENCH"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"

export OVERSTAP_CONFIG="$root/config/overstap.yaml" OVERSTAP_TEMPLATES_PATH="$root/templates"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00 OVERSTAP_RSVP_SECRET=bench-secret-that-is-long-enough-0123456789
export OVERSTAP_DATABASE_URL="sqlite:$work/reply.sqlite" OVERSTAP_MAIL_DIRECTORY="$work/mail"
cd "$work"
"$bench" workers-csv --count 10000 "$work/workers.csv"
"$BIN" partner add --name "ROC Midden Nederland" --email planning@roc.example.org --slug roc --region midden-utrecht >/dev/null
"$BIN" session create --title "Van keuken naar zorg" --partner roc --kind webinar --sector zorg --audience horeca \
    --start "2027-02-02 19:00" --duration 90m --capacity 20 --online https://meet.example.org/abc --force >/dev/null
"$BIN" worker import "$work/workers.csv" >/dev/null
"$BIN" match --commit >/dev/null
"$BIN" invite >/dev/null
"$BIN" outbox send >/dev/null
uid="$(sqlite3 "$work/reply.sqlite" "SELECT uid FROM session WHERE id = 1")"
mapfile -t invited < <(sqlite3 "$work/reply.sqlite" \
    "SELECT w.email FROM enrollment e JOIN worker w ON w.id = e.worker_id WHERE e.session_id = 1 AND e.state = 'invited'")
echo "workers: $(sqlite3 "$work/reply.sqlite" "SELECT COUNT(*) FROM worker"), invited: ${#invited[@]}"

measure() {
python3 - "$BIN" "$uid" "$runs" "$1" "${invited[@]}" <<'PY'
import statistics, subprocess, sys, time
binary, uid, runs, first, people = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]

def reply(index, person):
    calendar = "\r\n".join([
        "BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0", "METHOD:REPLY",
        "BEGIN:VEVENT", f"UID:{uid}", "SEQUENCE:0", f"DTSTAMP:20270110T{8 + index // 3600:02d}{index // 60 % 60:02d}{index % 60:02d}Z",
        f"ATTENDEE;PARTSTAT=ACCEPTED;CN=Deelnemer:mailto:{person}", "END:VEVENT", "END:VCALENDAR", ""])
    return ("\r\n".join([
        f"From: Deelnemer <{person}>", "To: team@example.org", f"Message-ID: <bench-{index}@example.org>",
        "Subject: Geaccepteerd: Van keuken naar zorg", "MIME-Version: 1.0",
        'Content-Type: text/calendar; method=REPLY; charset="utf-8"', "Content-Transfer-Encoding: 7bit", "", calendar])).encode()

def timed(arguments, stdin=None):
    start = time.perf_counter()
    result = subprocess.run(arguments, input=stdin, capture_output=True)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"{arguments} exited {result.returncode}: {result.stderr.decode()}")
    return elapsed

floor = [timed([binary, "config", "check"]) for _ in range(runs)]
ingest = [timed([binary, "reply", "ingest"], reply(first + index, people[index % len(people)])) for index in range(runs)]
def summary(values):
    values = sorted(values)
    return f"median {statistics.median(values):.1f} ms, p90 {values[int(len(values) * 0.9)]:.1f} ms, max {values[-1]:.1f} ms"
print(f"  reply ingest of one accept, {runs} processes: {summary(ingest)}  (target < 50 ms)")
print(f"  overstap config check (process floor):      {summary(floor)}")
PY
}
OVERSTAP_HTTP_PORT="${PORT:-18090}" "$BIN" serve >"$work/serve.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:${PORT:-18090}/healthz" >/dev/null && break; sleep 0.2; done
echo "with overstap serve running on the database:"
measure 0
kill "$daemon_pid" && wait "$daemon_pid" 2>/dev/null || true
daemon_pid=""
echo "without the daemon (each process checkpoints the log when it exits):"
measure "$runs"
echo "replies applied: $(sqlite3 "$work/reply.sqlite" "SELECT COUNT(*) FROM reply WHERE outcome = 'applied'") of $((2 * runs))"
