#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, sourced by .ci/run (or by hand:
# `source .ci/postgres.sh && start_test_postgres && swift test; stop_test_postgres`).
# Its cluster lives in a temporary folder owned by an unprivileged user, it listens on
# loopback only, on a free port, with its socket in that folder, and it exports
# TICKETPULSE_TEST_POSTGRES_URL for the tests.

pg_bin_dir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    return 1
}

start_test_postgres() {
    local bin
    if ! bin="$(pg_bin_dir)"; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        bin="$(pg_bin_dir)" || { echo "postgresql installed but no initdb under /usr/lib/postgresql" >&2; return 1; }
    fi
    # PostgreSQL refuses to run as root: the cluster belongs to the `postgres` user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    PG_TEST_DIR="$(mktemp -d /tmp/ticketpulse-pg.XXXXXX)"
    chown postgres "$PG_TEST_DIR"
    chmod 700 "$PG_TEST_DIR"
    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    local password="tp-$RANDOM$RANDOM"
    echo "$password" > "$PG_TEST_DIR/pwfile"
    chown postgres "$PG_TEST_DIR/pwfile"
    su postgres -s /bin/sh -c "'$bin/initdb' -D '$PG_TEST_DIR/data' -U ticketpulse --pwfile='$PG_TEST_DIR/pwfile' -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >'$PG_TEST_DIR/initdb.log' 2>&1" \
        || { cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
    su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$PG_TEST_DIR/data' -l '$PG_TEST_DIR/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k '$PG_TEST_DIR' -c max_connections=200 -c fsync=off\" start >/dev/null" \
        || { cat "$PG_TEST_DIR/server.log" >&2; return 1; }
    PG_TEST_BIN="$bin"
    export TICKETPULSE_TEST_POSTGRES_URL="postgres://ticketpulse:$password@127.0.0.1:$port/postgres?sslmode=disable"
    echo "PostgreSQL for the tests on 127.0.0.1:$port (cluster in $PG_TEST_DIR)"
}

stop_test_postgres() {
    [ -n "${PG_TEST_DIR:-}" ] || return 0
    su postgres -s /bin/sh -c "'$PG_TEST_BIN/pg_ctl' -D '$PG_TEST_DIR/data' -m fast -w stop >/dev/null" || true
    rm -rf "$PG_TEST_DIR"
    PG_TEST_DIR=""
}
