#!/usr/bin/env bash
# db copy benchmark (release build): a SQLite deployment of 100,000 workers, 5,000 sessions with
# 20 partners, 60,000 enrollments (roster numbers, invitation times, deadlines, answers), 60,000
# outbox rows (sent, pending, failed) and their sent sequences, moved onto an empty PostgreSQL 15
# database by the release `overstap db copy`: migrate, COPY every table, reset the identity
# sequences, read every row back and compare it column by column, commit, all in one run.
# The schema comes from `overstap db migrate`; the rows are written by seeded SQL in the stored
# forms the store writes (GRDB's UTC date text, 0/1 flags, JSON lists), which is what the copy
# converts. PostgreSQL runs from Debian's binaries in a temporary cluster on 127.0.0.1:$PGPORT.
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
swift build -c release --package-path "$root" --scratch-path "$scratch" --product overstap
overstap="$scratch/release/overstap"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
    -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
psql -q "postgres://postgres@127.0.0.1:$port/postgres" -c "CREATE DATABASE copybench"

export OVERSTAP_CONFIG="$root/config/overstap.yaml" OVERSTAP_TEMPLATES_PATH="$root/templates"
export OVERSTAP_NOW=2027-01-10T09:00:00+01:00
"$overstap" db migrate --database-url "sqlite:$work/copy.sqlite" >/dev/null
sqlite3 "$work/copy.sqlite" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19)
INSERT INTO partner (id, slug, name, email, kind, region, created_at, feed_token_hash)
SELECT i + 1, 'partner-' || i, 'Opleider ' || i, 'planning' || i || '@partner.example.org', 'school', 'midden-utrecht',
    '2026-11-01 08:00:00.000', lower(hex(randomblob(32))) FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
INSERT INTO session (id, uid, title, description, kind, sector, audience, start_local, end_local, timezone, recurrence, capacity,
    online_url, location, region, language, status, sequence, cancel_reason, starts_at, ends_at, created_at, updated_at)
SELECT i + 1, 'bench-' || i || '@example.org', 'Sessie ' || i, 'Wat u leert:' || char(10) || '- de zorg van dichtbij' || char(10) || 'Tot dan!',
    'webinar', 'zorg', '["horeca","detailhandel"]',
    strftime('%Y-%m-%dT19:00', '2027-01-11', '+' || (i % 56) || ' days'), strftime('%Y-%m-%dT21:00', '2027-01-11', '+' || (i % 56) || ' days'),
    'Europe/Amsterdam', NULL, 12, CASE WHEN i % 3 = 0 THEN 'https://meet.example.org/' || i END,
    CASE WHEN i % 3 <> 0 THEN 'Zaal ' || i || ', Utrecht' END, 'midden-utrecht', 'nl', 'scheduled', i % 3, NULL,
    strftime('%Y-%m-%d 18:00:00.000', '2027-01-11', '+' || (i % 56) || ' days'), strftime('%Y-%m-%d 20:00:00.000', '2027-01-11', '+' || (i % 56) || ' days'),
    '2026-12-01 10:00:00.000', '2026-12-02 10:30:00.250' FROM n;
INSERT INTO session_partner (session_id, partner_id, position) SELECT id, 1 + id % 20, 0 FROM session;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
INSERT INTO worker (id, email_key, email, name, sector, targets, region, languages, availability, available_from, available_until, status,
    locale, first_imported_at, updated_at, undeliverable_since)
SELECT i + 1, 'deelnemer' || i || '@bench.example.org', 'Deelnemer' || i || '@Bench.example.org', 'Deelnemer ' || i, 'horeca',
    '["zorg","techniek"]', 'midden-utrecht', '["nl"]', '[{"weekday":2,"start":1080,"end":1320}]', NULL, NULL,
    CASE WHEN i % 10 < 6 THEN 'unemployed' ELSE 'at_risk' END, 'nl', '2026-11-15 09:00:00.000', '2026-11-20 09:00:00.000',
    CASE WHEN i % 997 = 0 THEN '2026-12-20 12:00:00.000' END FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 59999)
INSERT INTO enrollment (id, session_id, worker_id, state, updated_at, roster_number, invitation_sent_at, answer_by, invited_at, answered_at, accepted_at)
SELECT i + 1, i % 5000 + 1, i + 1, CASE WHEN i % 4 = 0 THEN 'accepted' WHEN i % 4 = 1 THEN 'declined' ELSE 'invited' END,
    '2027-01-05 12:00:00.000', i / 5000 + 1, '2027-01-02 09:00:00.000', '2027-01-09 09:00:00.000', '2027-01-02 09:00:00.000',
    CASE WHEN i % 4 < 2 THEN '2027-01-05 12:00:00.000' END, CASE WHEN i % 4 = 0 THEN '2027-01-05 12:00:00.000' END FROM n;
INSERT INTO roster_counter (session_id, last_number) SELECT session_id, MAX(roster_number) FROM enrollment GROUP BY session_id;
INSERT INTO outbox (id, kind, session_id, worker_id, recipient, message_id, state, due_at, attempts, next_attempt_at, lease_owner, lease_until,
    last_error, created_at, sent_at)
SELECT e.id, 'invitation', e.session_id, e.worker_id, w.email, lower(hex(randomblob(16))) || '@example.org',
    CASE WHEN e.id % 10 < 8 THEN 'sent' WHEN e.id % 10 = 8 THEN 'pending' ELSE 'failed' END, '2027-01-02 09:00:00.000',
    CASE WHEN e.id % 10 = 8 THEN 0 ELSE 1 END, '2027-01-02 09:00:00.000', NULL, NULL,
    CASE WHEN e.id % 10 = 9 THEN '550 5.1.1 <' || w.email || '>: mailbox unavailable' END, '2027-01-02 08:59:59.500',
    CASE WHEN e.id % 10 < 8 THEN '2027-01-02 09:00:01.125' END
FROM enrollment e JOIN worker w ON w.id = e.worker_id;
INSERT INTO sent_sequence (session_id, worker_id, sequence, was_cancel) SELECT session_id, worker_id, 0, 0 FROM outbox WHERE state = 'sent';
SQL
echo "SQLite database: $(du -h "$work/copy.sqlite" | cut -f1), $(sqlite3 "$work/copy.sqlite" "SELECT (SELECT count(*) FROM worker) || ' workers, ' || (SELECT count(*) FROM enrollment) || ' enrollments, ' || (SELECT count(*) FROM outbox) || ' outbox rows'")"
/usr/bin/time -f "db copy: %e s wall, %U s user, %S s system, %M KB max resident" \
    "$overstap" db copy --from "sqlite:$work/copy.sqlite" --to "postgres://postgres@127.0.0.1:$port/copybench"
psql -qAt "postgres://postgres@127.0.0.1:$port/copybench" -c "SELECT 'a new session gets id ' || nextval(pg_get_serial_sequence('session', 'id'))"
