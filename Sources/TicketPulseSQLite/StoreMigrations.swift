import GRDB

/// The schema, one migration per step. Times are stored as UTC seconds since 1970 (REAL),
/// so range queries compare numbers and use the indices.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-roster-tickets-history") { db in
            try db.execute(sql: """
                CREATE TABLE csms (
                    email TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
                    name TEXT NOT NULL,
                    slack_user_id TEXT,
                    role TEXT NOT NULL,
                    manager_email TEXT COLLATE NOCASE
                );
                CREATE UNIQUE INDEX csms_slack_user ON csms(slack_user_id) WHERE slack_user_id IS NOT NULL;

                CREATE TABLE customers (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    aliases TEXT NOT NULL DEFAULT '',
                    domains TEXT NOT NULL DEFAULT '',
                    tier TEXT NOT NULL,
                    arr REAL NOT NULL DEFAULT 0,
                    csm_email TEXT COLLATE NOCASE,
                    renewal_date REAL,
                    health_score REAL,
                    champion_name TEXT,
                    champion_email TEXT,
                    onboarded_at REAL
                );
                CREATE INDEX customers_csm ON customers(csm_email);

                CREATE TABLE tickets (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    customer_id TEXT,
                    match_rule TEXT,
                    subject TEXT NOT NULL,
                    description TEXT NOT NULL,
                    status TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    category TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    requester_email TEXT,
                    assignee TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    first_response_at REAL,
                    solved_at REAL,
                    closed_at REAL,
                    csat_score INTEGER,
                    csat_raw TEXT,
                    csat_comment TEXT,
                    csat_at REAL,
                    escalated INTEGER NOT NULL DEFAULT 0,
                    escalation_reason TEXT,
                    escalation_level INTEGER,
                    escalated_at REAL,
                    reopen_count INTEGER NOT NULL DEFAULT 0,
                    first_response_due_at REAL,
                    resolution_due_at REAL,
                    UNIQUE(source, external_id)
                );
                CREATE INDEX tickets_customer_created ON tickets(customer_id, created_at);
                CREATE INDEX tickets_customer_unresolved ON tickets(customer_id, created_at)
                    WHERE status IN ('new', 'open', 'pending', 'on_hold');
                CREATE INDEX tickets_created ON tickets(created_at);
                CREATE INDEX tickets_source_updated ON tickets(source, updated_at);

                CREATE TABLE ticket_events (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    at REAL NOT NULL,
                    from_value TEXT,
                    to_value TEXT,
                    actor TEXT,
                    detail TEXT
                );
                CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at);

                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    customer_ids TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX audit_log_at ON audit_log(at);
                """)
        }
        migrator.registerMigration("v2-subscriptions-preferences-actions") { db in
            try db.execute(sql: """
                CREATE TABLE subscriptions (
                    id INTEGER PRIMARY KEY,
                    target TEXT NOT NULL,
                    feed TEXT NOT NULL,
                    customer_id TEXT NOT NULL DEFAULT '',
                    priorities TEXT NOT NULL DEFAULT '',
                    created_by TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE(target, feed, customer_id)
                );

                CREATE TABLE preferences (
                    email TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
                    dm_priorities TEXT,
                    digest_hour INTEGER,
                    digest_minute INTEGER,
                    quiet_start_hour INTEGER,
                    quiet_end_hour INTEGER,
                    updated_at REAL NOT NULL
                );

                CREATE TABLE snoozes (
                    email TEXT NOT NULL COLLATE NOCASE,
                    customer_id TEXT NOT NULL,
                    until REAL NOT NULL,
                    PRIMARY KEY(email, customer_id)
                );

                CREATE TABLE ticket_actions (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    writeback_status TEXT NOT NULL DEFAULT 'pending'
                );
                CREATE INDEX ticket_actions_ticket ON ticket_actions(ticket_id, created_at);
                CREATE INDEX ticket_actions_writeback ON ticket_actions(writeback_status) WHERE writeback_status = 'pending';
                """)
        }
        migrator.registerMigration("v3-slack-events") { db in
            // Slack retries an event until it sees a 2xx; remembering ids here (not in memory)
            // keeps a retry after a restart a duplicate.
            try db.execute(sql: """
                CREATE TABLE slack_events (
                    event_id TEXT PRIMARY KEY NOT NULL,
                    received_at REAL NOT NULL
                );
                CREATE INDEX slack_events_received ON slack_events(received_at);
                """)
        }
        migrator.registerMigration("v4-connection-state-writeback") { db in
            // Each connector's cursor and health, written in the same transaction as the page
            // of tickets it covers; and the write-back outbox's retry bookkeeping.
            try db.execute(sql: """
                CREATE TABLE connection_state (
                    connection TEXT PRIMARY KEY NOT NULL,
                    state_json TEXT NOT NULL,
                    updated_at REAL NOT NULL
                );
                ALTER TABLE ticket_actions ADD COLUMN writeback_attempts INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE ticket_actions ADD COLUMN writeback_retry_at REAL;
                ALTER TABLE ticket_actions ADD COLUMN writeback_error TEXT;
                ALTER TABLE ticket_actions ADD COLUMN written_back_at REAL;
                CREATE INDEX tickets_unmatched ON tickets(created_at) WHERE customer_id IS NULL;
                """)
        }
        migrator.registerMigration("v5-alerts-outbox") { db in
            // Alerts with their lifecycle; the outbox of every message TicketPulse sends about
            // them, written in the same transaction as the alert; digest items; and the CSM
            // actions' records (tasks, health adjustments, email drafts, who did what).
            try db.execute(sql: """
                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY,
                    dedup_key TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    status TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    body_json TEXT NOT NULL,
                    detected_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    acknowledged_by TEXT,
                    acknowledged_at REAL,
                    resolved_at REAL
                );
                CREATE UNIQUE INDEX alerts_live_key ON alerts(dedup_key) WHERE status != 'resolved';
                CREATE INDEX alerts_key ON alerts(dedup_key);
                CREATE INDEX alerts_customer ON alerts(customer_id, status);
                CREATE INDEX alerts_detected ON alerts(detected_at);

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    alert_id INTEGER REFERENCES alerts(id),
                    kind TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    parent_id INTEGER REFERENCES outbox(id),
                    body_json TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    in_flight_since REAL,
                    channel TEXT,
                    ts TEXT,
                    last_error TEXT,
                    created_at REAL NOT NULL,
                    sent_at REAL
                );
                CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state IN ('pending', 'in_flight');
                CREATE INDEX outbox_alert ON outbox(alert_id);

                CREATE TABLE digest_items (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL COLLATE NOCASE,
                    alert_id INTEGER NOT NULL REFERENCES alerts(id),
                    created_at REAL NOT NULL,
                    outbox_id INTEGER REFERENCES outbox(id)
                );
                CREATE INDEX digest_items_pending ON digest_items(email, created_at) WHERE outbox_id IS NULL;

                CREATE TABLE alert_actions (
                    id INTEGER PRIMARY KEY,
                    alert_id INTEGER NOT NULL REFERENCES alerts(id),
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    detail TEXT NOT NULL DEFAULT '',
                    at REAL NOT NULL
                );
                CREATE INDEX alert_actions_alert ON alert_actions(alert_id, at);

                CREATE TABLE tasks (
                    id INTEGER PRIMARY KEY,
                    alert_id INTEGER REFERENCES alerts(id),
                    customer_id TEXT NOT NULL,
                    title TEXT NOT NULL,
                    assignee TEXT,
                    due_at REAL NOT NULL,
                    status TEXT NOT NULL DEFAULT 'open',
                    created_at REAL NOT NULL
                );
                CREATE INDEX tasks_assignee ON tasks(assignee, status);

                CREATE TABLE health_adjustments (
                    id INTEGER PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    alert_id INTEGER REFERENCES alerts(id),
                    delta REAL NOT NULL,
                    reason TEXT NOT NULL,
                    at REAL NOT NULL
                );

                CREATE TABLE email_drafts (
                    id INTEGER PRIMARY KEY,
                    alert_id INTEGER REFERENCES alerts(id),
                    customer_id TEXT NOT NULL,
                    author TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at REAL NOT NULL
                );

                CREATE INDEX tickets_csat_at ON tickets(csat_at) WHERE csat_at IS NOT NULL;
                """)
        }
        migrator.registerMigration("v6-webhook-deliveries") { db in
            // The generic webhook's signed requests and delivery ids of the last minutes,
            // written in the same transaction as the ticket they changed, so a replay (or a
            // sender's retry) after a restart is still recognised. Kept only as long as the
            // signature window lets a delivery be accepted at all.
            try db.execute(sql: """
                CREATE TABLE webhook_deliveries (
                    connection TEXT NOT NULL,
                    key TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    PRIMARY KEY (connection, key)
                ) WITHOUT ROWID;
                CREATE INDEX webhook_deliveries_received ON webhook_deliveries(received_at);
                """)
        }
        migrator.registerMigration("v7-audit-outcome") { db in
            // Action attempts are audited allowed or refused; questions keep '' (what they
            // showed is their record). Until now only actions that went through were
            // audited, so the existing action rows are marked allowed.
            try db.execute(sql: """
                ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
                ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT '';
                UPDATE audit_log SET outcome = 'allowed' WHERE action LIKE 'alert:%' OR action LIKE 'action:%';
                """)
        }
        migrator.registerMigration("v8-nlu-feedback-confirmations") { db in
            // The learning loop: questions answered with low confidence, the clarifications
            // offered and chosen, and the refusals, for `ticketpulse nlu review`. Questions
            // name customers, so only admins read it (`nluFeedback(visibleTo:)`).
            // `confirmations`: each [Confirm] of a write is carried out once, however often
            // it is clicked (a double click, a retried delivery).
            try db.execute(sql: """
                CREATE TABLE nlu_feedback (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    asker TEXT NOT NULL COLLATE NOCASE,
                    question TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    readings TEXT NOT NULL DEFAULT '',
                    utterance TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX nlu_feedback_at ON nlu_feedback(at);

                CREATE TABLE confirmations (
                    nonce TEXT PRIMARY KEY NOT NULL,
                    actor TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v9-csm-time-zone") { db in
            // Each person's IANA time zone (roster `timezone` column, or Slack's users.info
            // `tz`): quiet hours and digest times are on their clock, not UTC's.
            try db.execute(sql: "ALTER TABLE csms ADD COLUMN time_zone TEXT")
        }
        migrator.registerMigration("v10-live-messages-first-look") { db in
            // Grouped DMs: each person's live message per customer incident (its state as
            // JSON: items, counts, timers), the pings each person had (the interruption
            // budget), and when TicketPulse first looked at each customer's history (what
            // was already wrong then is recorded, not announced). `alerts.pending_dms`: the
            // people an alert is still to be grouped for, so a crash between storing an
            // alert and grouping it loses nothing; `alerts.silent`: recorded at first look.
            try db.execute(sql: """
                CREATE TABLE live_messages (
                    email TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    post_key TEXT NOT NULL,
                    last_item_at REAL NOT NULL,
                    state_json TEXT NOT NULL,
                    PRIMARY KEY (email, customer_id)
                ) WITHOUT ROWID;
                CREATE TABLE pings (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL,
                    post_key TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX pings_email_at ON pings(email, at);
                CREATE TABLE watched_customers (
                    customer_id TEXT PRIMARY KEY,
                    first_looked_at REAL NOT NULL
                ) WITHOUT ROWID;
                ALTER TABLE alerts ADD COLUMN pending_dms TEXT;
                ALTER TABLE alerts ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX alerts_pending_dms ON alerts(id) WHERE pending_dms IS NOT NULL;
                -- A store that already alerted has looked at those customers: upgrading must
                -- not send anyone a first-start summary.
                INSERT INTO watched_customers (customer_id, first_looked_at)
                    SELECT customer_id, MIN(detected_at) FROM alerts GROUP BY customer_id;
                """)
        }
        migrator.registerMigration("v11-watched-sources") { db in
            // The first look is per customer and source: a new connection importing an
            // already-watched customer's history from another system is a first look at that
            // history (what held before it is recorded, not announced). A watched customer's
            // sources so far are those of its stored tickets.
            try db.execute(sql: """
                CREATE TABLE watched_sources (
                    customer_id TEXT NOT NULL,
                    source TEXT NOT NULL,
                    first_looked_at REAL NOT NULL,
                    PRIMARY KEY (customer_id, source)
                ) WITHOUT ROWID;
                INSERT INTO watched_sources (customer_id, source, first_looked_at)
                    SELECT DISTINCT w.customer_id, t.source, w.first_looked_at FROM watched_customers w JOIN tickets t ON t.customer_id = w.customer_id;
                DROP TABLE watched_customers;
                """)
        }
        migrator.registerMigration("v12-tickets-latest-activity") { db in
            // `metricsInput`'s third part: older resolved tickets that were solved, closed,
            // rated or escalated lately, found per customer without reading their history.
            // The expression is `SQLiteStore.latestActivitySQL`, character for character.
            try db.execute(sql: """
                CREATE INDEX tickets_customer_latest_activity ON tickets(customer_id,
                    max(coalesce(solved_at, 0), coalesce(closed_at, 0), coalesce(csat_at, 0), coalesce(escalated_at, 0)));
                """)
        }
        migrator.registerMigration("v13-leases") { db in
            // Work done once among processes sharing the store (`LeaseStore`).
            try db.execute(sql: "CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v14-notification-views") { db in
            // When each person last looked at their in-app notifications (the Home tab).
            try db.execute(sql: "CREATE TABLE notification_views (email TEXT PRIMARY KEY, seen_at REAL NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v15-digest-email") { db in
            // Email: where each person takes their digest (slack | email | both); the
            // Message-ID an email row is sent with, fixed when it is queued, so every retry of
            // it carries the same id and a copy a lost reply let through is recognisable; and
            // the author an outreach email is sent as ("Name <address>"; NULL: `email.from`).
            try db.execute(sql: """
                ALTER TABLE preferences ADD COLUMN digest_delivery TEXT NOT NULL DEFAULT 'slack';
                ALTER TABLE outbox ADD COLUMN message_id TEXT;
                ALTER TABLE outbox ADD COLUMN email_author TEXT;
                """)
        }
        migrator.registerMigration("v16-shared-slack-jobs") { db in
            // Replicas sharing a store: acknowledged Slack jobs until answered, which a
            // replica takes over from one that died (`SlackJobStore`); and counters that
            // tell a replica its cached roster is stale (`rosterVersion`).
            try db.execute(sql: """
                CREATE TABLE slack_jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL, received_at REAL NOT NULL, payload TEXT NOT NULL) WITHOUT ROWID;
                CREATE INDEX slack_jobs_owner ON slack_jobs(owner, received_at);
                CREATE TABLE store_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v17-stored-connections-organization-mappings") { db in
            // Connections made through the API's connect flow (their tokens live in
            // connection_state, as refreshed ones do); organization → customer mappings set
            // through the API; and each ticket's organization, so that a mapping made later
            // applies to the tickets already stored.
            try db.execute(sql: """
                CREATE TABLE stored_connections (
                    name TEXT PRIMARY KEY NOT NULL,
                    system TEXT NOT NULL,
                    subdomain TEXT NOT NULL,
                    base_url TEXT,
                    external_id_prefix TEXT NOT NULL DEFAULT '',
                    created_at REAL NOT NULL,
                    created_by TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE organization_mappings (
                    source TEXT NOT NULL,
                    organization_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (source, organization_id)
                ) WITHOUT ROWID;
                ALTER TABLE tickets ADD COLUMN organization_id TEXT;
                CREATE INDEX tickets_source_organization ON tickets(source, organization_id) WHERE organization_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("v18-web-sessions") { db in
            // The web dashboard: signed-in browsers and one-time sign-in links, by the
            // SHA-256 of their secret (`WebSessionStore`).
            try db.execute(sql: """
                CREATE TABLE web_sessions (
                    token_hash TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    email TEXT NOT NULL COLLATE NOCASE,
                    csrf_token TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
                """)
        }
        migrator.registerMigration("v19-api-tokens") { db in
            // The HTTP API's bearer tokens, by their SHA-256 only (`APITokenStore`).
            try db.execute(sql: """
                CREATE TABLE api_tokens (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL,
                    name TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL,
                    revoked_at REAL
                );
                """)
        }
        migrator.registerMigration("v20-customer-escalations-ratings") { db in
            // A portfolio's escalated tickets and its ratings of a period, each from an index
            // of its own: through the customer index alone, "any escalated tickets?" and
            // "which customers have low CSAT?" read every ticket the 50 accounts ever filed.
            // The ratings' index holds all that `ratedTickets` reads, so that a portfolio's
            // half year of ratings (2,000 of them) comes from it without a row of the table.
            try db.execute(sql: """
                CREATE INDEX tickets_customer_escalated ON tickets(customer_id, created_at) WHERE escalated = 1;
                CREATE INDEX tickets_customer_rated ON tickets(customer_id, csat_at, csat_score, created_at, status) WHERE csat_at IS NOT NULL;
                """)
        }
        return migrator
    }
}
