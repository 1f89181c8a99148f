/// The SQLite schema, as named migrations. Never edit a shipped migration: add a new one
/// (`MigrationHistoryTests` holds the hash of each shipped text and fails when one changes).
///
/// Outbox kinds grow in code only: `OutboxKind` is the one list of kinds, and rows are written
/// from it alone. Migration `007_outbox_kinds_in_code` rebuilt the table once without the shipped
/// `CHECK (kind IN …)`, so a new kind (a nudge, a notice) needs no table rebuild in SQLite.
enum Migrations {
    static let all: [(name: String, sql: String)] = [
        ("001_foundation", """
        CREATE TABLE partner (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            kind TEXT NOT NULL,
            region TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE session (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            kind TEXT NOT NULL,
            sector TEXT NOT NULL,
            audience TEXT NOT NULL,
            start_local TEXT NOT NULL,
            end_local TEXT NOT NULL,
            timezone TEXT NOT NULL,
            recurrence TEXT,
            capacity INTEGER NOT NULL,
            online_url TEXT,
            location TEXT,
            region TEXT NOT NULL,
            language TEXT NOT NULL,
            status TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            cancel_reason TEXT,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX session_starts_at ON session (starts_at);
        CREATE INDEX session_region ON session (region, starts_at);
        CREATE TABLE session_partner (
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            partner_id INTEGER NOT NULL REFERENCES partner (id),
            position INTEGER NOT NULL,
            PRIMARY KEY (session_id, partner_id)
        );
        CREATE INDEX session_partner_partner ON session_partner (partner_id);
        CREATE TABLE worker (
            id INTEGER PRIMARY KEY,
            email_key TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            sector TEXT NOT NULL,
            targets TEXT NOT NULL,
            region TEXT NOT NULL,
            languages TEXT NOT NULL,
            availability TEXT NOT NULL,
            available_from TEXT,
            available_until TEXT,
            status TEXT NOT NULL,
            locale TEXT NOT NULL,
            first_imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE enrollment (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (session_id, worker_id)
        );
        CREATE INDEX enrollment_worker ON enrollment (worker_id);
        """),
        ("002_partner_busy", """
        CREATE TABLE partner_busy (
            id INTEGER PRIMARY KEY,
            partner_id INTEGER NOT NULL REFERENCES partner (id) ON DELETE CASCADE,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL
        );
        CREATE INDEX partner_busy_partner ON partner_busy (partner_id, starts_at);
        """),
        ("003_outbox", """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('invitation', 'update', 'cancellation', 'reminder')),
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
            recipient TEXT NOT NULL,
            message_id TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('held', 'pending', 'sending', 'sent', 'failed', 'superseded')),
            due_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            lease_owner TEXT,
            lease_until TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX outbox_enrollment ON outbox (session_id, worker_id);
        CREATE INDEX outbox_worker ON outbox (worker_id);
        ALTER TABLE worker ADD COLUMN undeliverable_since TEXT;
        """),
        ("004_feed_tokens", """
        ALTER TABLE partner ADD COLUMN feed_token_hash TEXT;
        """),
        ("005_reminders", """
        ALTER TABLE outbox ADD COLUMN meeting_at TEXT;
        """),
        // 003 was edited after it shipped to add this index, so databases migrated in between
        // lack it; those migrated after the edit have it already.
        ("006_enrollment_session_state", """
        CREATE INDEX IF NOT EXISTS enrollment_session_state ON enrollment (session_id, state);
        """),
        ("007_outbox_kinds_in_code", """
        CREATE TABLE outbox_new (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
            recipient TEXT NOT NULL,
            message_id TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('held', 'pending', 'sending', 'sent', 'failed', 'superseded')),
            due_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            lease_owner TEXT,
            lease_until TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            meeting_at TEXT
        );
        INSERT INTO outbox_new (
            id, kind, session_id, worker_id, recipient, message_id, state, due_at, attempts, next_attempt_at,
            lease_owner, lease_until, last_error, created_at, sent_at, meeting_at)
        SELECT id, kind, session_id, worker_id, recipient, message_id, state, due_at, attempts, next_attempt_at,
            lease_owner, lease_until, last_error, created_at, sent_at, meeting_at
        FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_new RENAME TO outbox;
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX outbox_enrollment ON outbox (session_id, worker_id);
        CREATE INDEX outbox_worker ON outbox (worker_id);
        """),
        ("008_calendar_replies", """
        CREATE TABLE sent_sequence (
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            was_cancel INTEGER NOT NULL,
            PRIMARY KEY (session_id, worker_id)
        );
        CREATE TABLE reply (
            id INTEGER PRIMARY KEY,
            message_id TEXT,
            received_at TEXT NOT NULL,
            from_address TEXT NOT NULL,
            attendee TEXT,
            method TEXT NOT NULL,
            partstat TEXT,
            session_id INTEGER REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER REFERENCES worker (id) ON DELETE CASCADE,
            recurrence_id TEXT,
            sequence INTEGER,
            stamp TEXT,
            outcome TEXT NOT NULL,
            reason TEXT NOT NULL,
            comment TEXT,
            proposed_start TEXT,
            proposed_end TEXT,
            decided_at TEXT
        );
        CREATE INDEX reply_message ON reply (message_id);
        CREATE INDEX reply_session ON reply (session_id, worker_id);
        CREATE INDEX reply_outcome ON reply (outcome, received_at);
        """),
        ("009_seat_refill", """
        CREATE TABLE seat_refill (
            session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
            freed_at TEXT NOT NULL
        );
        """),
        // Roster numbers count per session and are never handed out twice, even after an erasure
        // removed the enrollment that held the highest one: `roster_counter` keeps the last one given.
        ("010_manual_placement", """
        ALTER TABLE enrollment ADD COLUMN override_reason TEXT;
        ALTER TABLE enrollment ADD COLUMN removal_reason TEXT;
        ALTER TABLE enrollment ADD COLUMN roster_number INTEGER;
        UPDATE enrollment SET roster_number =
            (SELECT COUNT(*) FROM enrollment e WHERE e.session_id = enrollment.session_id AND e.id <= enrollment.id);
        CREATE UNIQUE INDEX enrollment_roster ON enrollment (session_id, roster_number);
        CREATE TABLE roster_counter (
            session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
            last_number INTEGER NOT NULL
        );
        INSERT INTO roster_counter (session_id, last_number)
            SELECT session_id, MAX(roster_number) FROM enrollment GROUP BY session_id;
        CREATE TABLE attendance (
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
            meeting_start TEXT NOT NULL,
            presence TEXT NOT NULL CHECK (presence IN ('attended', 'no_show', 'excused')),
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (session_id, worker_id, meeting_start)
        );
        CREATE INDEX attendance_meeting ON attendance (session_id, meeting_start);
        """),
        // One meeting of a series cancelled or moved, keyed by its original local start; and the
        // outbox rebuilt once so a row addresses a worker or (a partner notice) a partner.
        ("011_meeting_exceptions", """
        CREATE TABLE meeting_exception (
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            original_start TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('moved', 'cancelled')),
            start_local TEXT,
            end_local TEXT,
            reason TEXT,
            PRIMARY KEY (session_id, original_start)
        );
        CREATE TABLE outbox_new (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER REFERENCES worker (id) ON DELETE CASCADE,
            partner_id INTEGER REFERENCES partner (id) ON DELETE CASCADE,
            recipient TEXT NOT NULL,
            message_id TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('held', 'pending', 'sending', 'sent', 'failed', 'superseded')),
            due_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            lease_owner TEXT,
            lease_until TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            meeting_at TEXT,
            CHECK ((worker_id IS NULL) <> (partner_id IS NULL))
        );
        INSERT INTO outbox_new (
            id, kind, session_id, worker_id, recipient, message_id, state, due_at, attempts, next_attempt_at,
            lease_owner, lease_until, last_error, created_at, sent_at, meeting_at)
        SELECT id, kind, session_id, worker_id, recipient, message_id, state, due_at, attempts, next_attempt_at,
            lease_owner, lease_until, last_error, created_at, sent_at, meeting_at
        FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_new RENAME TO outbox;
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX outbox_enrollment ON outbox (session_id, worker_id);
        CREATE INDEX outbox_worker ON outbox (worker_id);
        CREATE INDEX outbox_partner ON outbox (partner_id);
        """),
        // Invitations sent before this migration keep their send time and no deadline, so they
        // never expire; held or unsent ones get theirs when they are delivered.
        ("012_answer_deadline", """
        ALTER TABLE enrollment ADD COLUMN invitation_sent_at TEXT;
        ALTER TABLE enrollment ADD COLUMN answer_by TEXT;
        ALTER TABLE enrollment ADD COLUMN nudged_at TEXT;
        UPDATE enrollment SET invitation_sent_at = (
            SELECT MIN(o.sent_at) FROM outbox o
            WHERE o.session_id = enrollment.session_id AND o.worker_id = enrollment.worker_id
                AND o.kind = 'invitation' AND o.state = 'sent');
        CREATE INDEX enrollment_answer_by ON enrollment (state, answer_by);
        """),
        // Outcomes are added, never overwritten, so a person's history stays. The enrollment
        // milestones say how far an enrollment got before a later state (a cancellation, a no-show)
        // hid it; rows from before this migration get them from their state.
        ("013_outcomes", """
        CREATE TABLE outcome (
            id INTEGER PRIMARY KEY,
            worker_id INTEGER NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
            result TEXT NOT NULL CHECK (result IN ('found_work', 'in_training', 'still_looking', 'stopped')),
            sector TEXT,
            outcome_date TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX outcome_worker ON outcome (worker_id, outcome_date);
        ALTER TABLE enrollment ADD COLUMN invited_at TEXT;
        ALTER TABLE enrollment ADD COLUMN answered_at TEXT;
        ALTER TABLE enrollment ADD COLUMN accepted_at TEXT;
        UPDATE enrollment SET invited_at = updated_at WHERE state NOT IN ('selected', 'cancelled');
        UPDATE enrollment SET answered_at = updated_at WHERE state IN ('accepted', 'tentative', 'declined');
        UPDATE enrollment SET accepted_at = updated_at WHERE state = 'accepted';
        """),
        ("014_demand", """
        CREATE TABLE demand_group (
            number INTEGER PRIMARY KEY,
            sector TEXT NOT NULL,
            audience TEXT NOT NULL,
            language TEXT NOT NULL,
            region TEXT,
            listed_at TEXT NOT NULL
        );
        """),
        // Consent to show a person's name and address on a session's roster is added, never
        // overwritten: each answer keeps its time, language and the version of the text shown.
        ("015_roster_consent", """
        CREATE TABLE roster_consent (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            worker_id INTEGER NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
            agreed INTEGER NOT NULL CHECK (agreed IN (0, 1)),
            answered_at TEXT NOT NULL,
            locale TEXT NOT NULL,
            text_version TEXT NOT NULL
        );
        CREATE INDEX roster_consent_enrollment ON roster_consent (session_id, worker_id, id);
        """),
        // What retention keeps of the people it erases: their part of every report figure, on the
        // report's finest grid, with no person in it. Empty texts and -1 stand for "none" so every
        // column can be part of the key. The indexes let an erasure find a person's rows without
        // reading whole tables, which retention does for many people at once.
        ("016_retention_aggregates", """
        CREATE TABLE retained_people (
            period_month TEXT NOT NULL,
            region TEXT NOT NULL,
            source_sector TEXT NOT NULL,
            reached INTEGER NOT NULL,
            work_sector TEXT NOT NULL,
            in_session_sector INTEGER NOT NULL,
            days_to_work INTEGER NOT NULL,
            people INTEGER NOT NULL,
            PRIMARY KEY (period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work)
        );
        CREATE TABLE retained_enrollments (
            session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
            region TEXT NOT NULL,
            enrollments INTEGER NOT NULL,
            taken INTEGER NOT NULL,
            invited INTEGER NOT NULL,
            answered INTEGER NOT NULL,
            attended INTEGER NOT NULL,
            no_shows INTEGER NOT NULL,
            PRIMARY KEY (session_id, region)
        );
        CREATE INDEX attendance_worker ON attendance (worker_id);
        CREATE INDEX sent_sequence_worker ON sent_sequence (worker_id);
        CREATE INDEX reply_worker ON reply (worker_id);
        CREATE INDEX reply_from ON reply (from_address COLLATE NOCASE);
        CREATE INDEX reply_attendee ON reply (attendee COLLATE NOCASE);
        CREATE INDEX roster_consent_worker ON roster_consent (worker_id);
        """),
        // Several daemons on one database: the database itself refuses a second reminder, nudge
        // or expiry notice, so two runs at once queue one. A waiting reminder is one per person,
        // meeting and due time (older duplicates, if a race ever made any, are superseded first);
        // a nudge and an expiry notice are one per invitation round, named by the delivery time of
        // the round's invitation (rows from before this migration have none and are left as they are).
        ("017_idempotent_schedules", """
        ALTER TABLE outbox ADD COLUMN invitation_sent_at TEXT;
        UPDATE outbox SET state = 'superseded'
        WHERE kind = 'reminder' AND state IN ('held', 'pending') AND id NOT IN (
            SELECT MIN(id) FROM outbox WHERE kind = 'reminder' AND state IN ('held', 'pending')
            GROUP BY session_id, worker_id, meeting_at, due_at);
        CREATE UNIQUE INDEX outbox_one_waiting_reminder ON outbox (session_id, worker_id, meeting_at, due_at)
            WHERE kind = 'reminder' AND state IN ('held', 'pending');
        CREATE UNIQUE INDEX outbox_one_per_round ON outbox (session_id, worker_id, kind, invitation_sent_at)
            WHERE kind IN ('nudge', 'expiry') AND invitation_sent_at IS NOT NULL;
        """),
    ]
}
