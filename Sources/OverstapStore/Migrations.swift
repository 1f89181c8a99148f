/// The schema, as named migrations in the SQL that SQLite and PostgreSQL share. Never edit a
/// shipped migration: add a new one.
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
        CREATE INDEX enrollment_session_state ON enrollment (session_id, state);
        """),
        ("004_feed_tokens", """
        ALTER TABLE partner ADD COLUMN feed_token_hash TEXT;
        """),
        ("005_reminders", """
        ALTER TABLE outbox ADD COLUMN meeting_at TEXT;
        """),
    ]
}
