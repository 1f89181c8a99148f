#!/usr/bin/env bash
# Mail benchmark (release build): render and deliver 2,000 invitations through the SMTP client to
# Postfix's smtp-sink (target ≥ 1,000 messages/s), and beside it Postfix's own smtp-source against
# the same sink with messages of the same size over the same number of connections, in one run,
# and prints the ratio (target: at least 0.5 of smtp-source's messages/s, rendering included).
# SCRATCH sets the build folder (default .build); SKIP_BUILD=1 uses the release binary as it is;
# BASELINE=/path/to/an/older/overstap measures that binary too, on the same data, in the same run;
# KEEP=1 leaves the work folder (its databases and environment) for profiling.
# PAIRS (default 15) sets the rounds of the paired comparison at the end (see there).
# COUNT (default 2,000) sets the number of invitations. DELAY_MS puts `delay-proxy.py` between both
# clients and the sink, delaying each direction by that much, as a mail server across a network.
# POSTGRES=1 also sends the same outbox from PostgreSQL (a throwaway cluster on port 54339, see
# scripts/postgres-test-cluster.sh) with one, two and three `outbox send` processes at once, the
# code path every daemon runs, each copied fresh from the SQLite outbox with `overstap db copy`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
count="${COUNT:-2000}"
connections="${CONNECTIONS:-2}"
port=$((20000 + RANDOM % 20000))
sink_pid=""
proxy_pid=""
cleanup() {
    [[ -n "$sink_pid" ]] && kill "$sink_pid" 2>/dev/null
    [[ -n "$proxy_pid" ]] && kill "$proxy_pid" 2>/dev/null
    [[ -z "${POSTGRES:-}" ]] || OVERSTAP_TEST_POSTGRES_PORT=54339 "$root/scripts/postgres-test-cluster.sh" stop
    if [[ -n "${KEEP:-}" ]]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

command -v smtp-sink >/dev/null || [[ -x /usr/sbin/smtp-sink ]] || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
export PATH="$PATH:/usr/sbin"
scratch="${SCRATCH:-$root/.build}"
[[ -n "${SKIP_BUILD:-}" ]] || swift build -c release --package-path "$root" --scratch-path "$scratch" --product overstap
bin="$scratch/release/overstap"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"

# One session with room for everyone, 2,000 workers placed and invited: the outbox to send.
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00 OVERSTAP_CONFIG="$root/config/overstap.yaml"
export OVERSTAP_TEMPLATES_PATH="$root/templates" OVERSTAP_DATABASE_URL="sqlite:$work/base.sqlite"
# outbox send refuses without the key of the answer links (invitations never leave without them).
export OVERSTAP_RSVP_SECRET="$(head -c 48 /dev/urandom | base64 -w0)"
{
    echo "email,name,sector,targets,region,languages,availability,status"
    for ((i = 0; i < count; i++)); do echo "deelnemer$i@bench.example.org,Deelnemer $i,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed"; done
} > "$work/workers.csv"
(
    cd "$work"
    "$bin" partner add --name "ROC Bench" --email roc@bench.example.org --slug roc >/dev/null
    "$bin" session create --title "Van keuken naar zorg" --partner roc --kind webinar --sector zorg --audience horeca \
        --start "2027-02-02 19:00" --duration 90m --capacity "$count" --online https://meet.example.org/bench >/dev/null
    "$bin" worker import workers.csv >/dev/null
    "$bin" match --commit >/dev/null
    "$bin" invite
)
size=$(cd "$work" && "$bin" outbox show 1 --raw | wc -c)
echo "message size: $size bytes"

smtp-sink -u nobody "127.0.0.1:$port" 256 >/dev/null &
sink_pid=$!
if [[ -n "${DELAY_MS:-}" ]]; then
    "$here/delay-proxy.py" $((port + 1)) "$port" "$DELAY_MS" &
    proxy_pid=$!
    port=$((port + 1))
    echo "every chunk delayed by $DELAY_MS ms each way (delay-proxy.py)"
fi
sleep 0.5
export OVERSTAP_MAIL_TRANSPORT=smtp OVERSTAP_SMTP_HOST=127.0.0.1 OVERSTAP_SMTP_PORT="$port" OVERSTAP_SMTP_TLS=none
export OVERSTAP_SMTP_CONNECTIONS="$connections" OVERSTAP_DATABASE_URL="sqlite:$work/run.sqlite"
{
    echo "export OVERSTAP_NOW=$OVERSTAP_NOW OVERSTAP_CONFIG=$OVERSTAP_CONFIG OVERSTAP_TEMPLATES_PATH=$OVERSTAP_TEMPLATES_PATH"
    echo "export OVERSTAP_RSVP_SECRET=$OVERSTAP_RSVP_SECRET OVERSTAP_MAIL_TRANSPORT=smtp OVERSTAP_SMTP_HOST=127.0.0.1"
    echo "export OVERSTAP_SMTP_PORT=$port OVERSTAP_SMTP_TLS=none OVERSTAP_SMTP_CONNECTIONS=$connections"
    echo "export OVERSTAP_DATABASE_URL=$OVERSTAP_DATABASE_URL"
} > "$work/env.sh"
measure() { # name binary
    hyperfine --warmup 1 --runs 5 --export-json "$work/$1.json" \
        --prepare "rm -f $work/run.sqlite* && cp $work/base.sqlite $work/run.sqlite" \
        "cd $work && $2 outbox send"
}
measure overstap "$bin"
[[ -z "${BASELINE:-}" ]] || measure baseline "$BASELINE"
if [[ -n "${POSTGRES:-}" ]]; then
    admin="$(OVERSTAP_TEST_POSTGRES_PORT=54339 "$root/scripts/postgres-test-cluster.sh" start)"
    target="${admin%/postgres}/mail"
    for senders in 1 2 3; do
        hyperfine --warmup 1 --runs 5 --export-json "$work/postgres-$senders.json" \
            --prepare "psql $admin -qc 'DROP DATABASE IF EXISTS mail' -c 'CREATE DATABASE mail' \
                && cd $work && $bin db copy --from sqlite:$work/base.sqlite --to $target >/dev/null" \
            "cd $work && for i in \$(seq $senders); do OVERSTAP_DATABASE_URL=$target $bin outbox send >/dev/null & done; wait"
    done
fi
hyperfine --warmup 1 --runs 5 --export-json "$work/source.json" \
    "smtp-source -d -s $connections -m $count -l $size -f team@bench.example.org -t sink@bench.example.org 127.0.0.1:$port"
python3 - "$work" "$count" "$connections" <<'PY'
import json, os, sys
work, count, connections = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def median(name):
    return json.load(open(f"{work}/{name}.json"))["results"][0]["median"]
theirs = median("source")
print(f"postfix smtp-source:  {count} messages of the same size in {theirs:.3f} s = {count / theirs:.0f} messages/s ({connections} connections)")
for name, label in [("overstap", "overstap outbox send"), ("baseline", "baseline outbox send")]:
    if os.path.exists(f"{work}/{name}.json"):
        ours = median(name)
        print(f"{label}: {count} invitations rendered and delivered in {ours:.3f} s = {count / ours:.0f} messages/s "
              f"({connections} connections) = {theirs / ours:.2f}x smtp-source")
for senders in (1, 2, 3):
    if os.path.exists(f"{work}/postgres-{senders}.json"):
        ours = median(f"postgres-{senders}")
        print(f"PostgreSQL, {senders} outbox send at once: {count} in {ours:.3f} s = {count / ours:.0f} messages/s "
              f"({connections} connections each) = {theirs / ours:.2f}x smtp-source")
PY
# Paired runs: the machine's speed drifts by tens of percent over a minute (a shared VM), which
# moves hyperfine's blocks of five runs apart. So each round runs smtp-source and then outbox send
# (and the baseline) back to back, and the ratio is taken per round: the median of PAIRS rounds.
python3 - "$work" "$count" "$connections" "$size" "$port" "$bin" "${BASELINE:-}" "${PAIRS:-15}" <<'PY'
import os, shutil, statistics, subprocess, sys, time
work, count, connections, size, port, ours, baseline, pairs = sys.argv[1:9]
count, pairs = int(count), int(pairs)
source = ["smtp-source", "-d", "-s", connections, "-m", str(count), "-l", size, "-f", "team@bench.example.org",
          "-t", "sink@bench.example.org", f"127.0.0.1:{port}"]
def timed(command, prepare=False):
    if prepare:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{work}/run.sqlite{suffix}"): os.remove(f"{work}/run.sqlite{suffix}")
        shutil.copy(f"{work}/base.sqlite", f"{work}/run.sqlite")
    started = time.perf_counter()
    subprocess.run(command, cwd=work, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started
binaries = [("overstap", ours)] + ([("baseline", baseline)] if baseline else [])
ratios = {name: [] for name, _ in binaries}
for _ in range(pairs):
    theirs = timed(source)
    for name, binary in binaries:
        ratios[name].append(theirs / timed([binary, "outbox", "send"], prepare=True))
for name, values in ratios.items():
    values.sort()
    print(f"paired, {pairs} rounds: {name} outbox send = {statistics.median(values):.2f}x smtp-source "
          f"(median; quartiles {values[len(values) // 4]:.2f}-{values[3 * len(values) // 4]:.2f}, range {values[0]:.2f}-{values[-1]:.2f})")
PY
