#!/usr/bin/env bash
# Issue 16's proof: three `ticketpulse serve` replicas on loopback behind nginx (round
# robin), one PostgreSQL, a fake Slack; a flood of signed Slack questions and P1 webhooks;
# `kill -9` of a replica that is not the leader, then of the leader, mid-flood; then the
# checks (verify.py): every acknowledged webhook stored once, every acknowledged question
# answered once, every alert delivered once, background work resumed within 15 s.
#
#   scripts/replicas-proof/run.sh            # exit 0 only when every check passed
#   QUESTIONS=300 WEBHOOKS=300 DURATION=50 WAIT=300 KEEP=1 scripts/replicas-proof/run.sh
#
# Needs the debug build (`swift build --product ticketpulse`, which it runs first),
# Debian's postgresql and nginx (installed with apt-get when missing), python3 and psql.
# Everything it starts is stopped on exit; KEEP=1 keeps the work folder (logs, flood.json).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="$REPO/.build/debug/ticketpulse"
QUESTIONS="${QUESTIONS:-300}"
WEBHOOKS="${WEBHOOKS:-300}"
DURATION="${DURATION:-50}"
WAIT="${WAIT:-300}"
WORK="$(mktemp -d /tmp/ticketpulse-proof.XXXXXX)"
chmod 755 "$WORK"
PIDS=()

say() { echo "$(date +%H:%M:%S) $*"; }

cleanup() {
    local status=$?
    set +e
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    stop_test_postgres 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

wait_for() { # URL, seconds
    local deadline=$((SECONDS + $2))
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "no answer from $1 within $2 s" >&2; return 1; }
        sleep 0.3
    done
}

# Always: the proof is of the sources as they are (a no-op when the build is current).
say "building ticketpulse (debug)"
(cd "$REPO" && swift build --product ticketpulse 2>&1 | grep -E "error|warning: |Compiling|Build" | grep -v "unhandled; explicitly declare" | tail -3)
[ -x "$BIN" ] || { echo "no $BIN after the build" >&2; exit 1; }
if ! command -v nginx >/dev/null; then
    say "installing nginx"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi

# --- PostgreSQL, with a database for this run
source "$REPO/.ci/postgres.sh"
start_test_postgres
ADMIN_URL="$TICKETPULSE_TEST_POSTGRES_URL"
psql "$ADMIN_URL" -X -q -c "CREATE DATABASE replicas_proof"
DB="${ADMIN_URL%/postgres\?*}/replicas_proof?sslmode=disable"

# --- the fake Slack
SLACK_BOT_TOKEN="xoxb-proof-$RANDOM$RANDOM"
SLACK_SIGNING_SECRET="proof-signing-$RANDOM$RANDOM"
TICKETPULSE_WEBHOOK_SECRET="proof-webhook-$RANDOM$RANDOM"
export SLACK_BOT_TOKEN SLACK_SIGNING_SECRET TICKETPULSE_WEBHOOK_SECRET
python3 "$HERE/fake_slack.py" --port-file "$WORK/slack.port" --token "$SLACK_BOT_TOKEN" --roster "$HERE/csms.csv" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/slack.port" ] && break; sleep 0.1; done
FAKE_SLACK="http://127.0.0.1:$(cat "$WORK/slack.port")"
export SLACK_API_URL="$FAKE_SLACK/api"

# --- the store, prepared with the real CLI: the team with Slack ids, the customers
"$BIN" import csms "$HERE/csms.csv" --db "$DB"
"$BIN" import customers "$HERE/customers.csv" --db "$DB"

cat > "$WORK/ticketpulse.yml" <<EOF
server:
  host: 127.0.0.1
slack:
  signing_secret_env: SLACK_SIGNING_SECRET
  bot_token_env: SLACK_BOT_TOKEN
  bot_user_id: U0BOT0001
  worker_concurrency: 4
connections:
  - name: proof-webhook
    system: webhook
    webhook_secret_env: TICKETPULSE_WEBHOOK_SECRET
alerts:
  enabled: true
  pass_interval_seconds: 60
  # Routine in-place updates wait group_interval (default 5 min) after the last one: short
  # here, so that every outbox row is due, and can be checked sent, within the run.
  group_interval: 5
EOF

# --- three replicas
REPLICAS=()
declare -A PORT
UPSTREAMS=""
for id in r1 r2 r3; do
    port="$(free_port)"
    (cd "$REPO" && TICKETPULSE_REPLICA_ID="$id" exec "$BIN" serve --config "$WORK/ticketpulse.yml" --db "$DB" --host 127.0.0.1 --port "$port" \
        >"$WORK/$id.log" 2>&1) &
    PIDS+=($!)
    REPLICAS+=("$id=$!")
    PORT[$id]="$port"
    UPSTREAMS+="        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'
    echo "$id 127.0.0.1:$port pid $!"
done

# --- nginx, round robin over them, from its own prefix, in the foreground of its process
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
chmod 1777 "$WORK/nginx/tmp"
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    log_format upstream '\$upstream_addr \$status \$request_time \$msec \$http_x_proof_request "\$request"';
    access_log $WORK/nginx/logs/access.log upstream;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    upstream ticketpulse {
$UPSTREAMS    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://ticketpulse;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
            # A refused connection goes to the next replica; a POST that reached one does
            # not (it may have been done): the sender sees the error and retries.
            proxy_next_upstream error timeout;
        }
    }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
PIDS+=($!)

for id in r1 r2 r3; do
    wait_for "http://127.0.0.1:${PORT[$id]}/healthz" 180 || { tail -20 "$WORK/$id.log" >&2; exit 1; }
done
wait_for "http://127.0.0.1:$NGINX_PORT/healthz" 20
say "3 replicas up behind nginx on 127.0.0.1:$NGINX_PORT; leader: $(psql "$DB" -X -At -c "SELECT holder FROM leases WHERE name = 'leader'")"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$HERE" && python3 flood.py --base "http://127.0.0.1:$NGINX_PORT" --fake-slack "$FAKE_SLACK" --replicas "$(IFS=,; echo "${REPLICAS[*]}")" \
    --db "$DB" --signing-secret "$SLACK_SIGNING_SECRET" --webhook-secret "$TICKETPULSE_WEBHOOK_SECRET" \
    --customers "$HERE/customers.csv" --csms "$HERE/csms.csv" \
    --questions "$QUESTIONS" --webhooks "$WEBHOOKS" --duration "$DURATION" --out "$WORK/flood.json")
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

set +e
(cd "$HERE" && python3 verify.py --flood "$WORK/flood.json" --fake-slack "$FAKE_SLACK" --db "$DB" --logs "$WORK" --nginx-log "$WORK/nginx/logs/access.log" --save-slack "$WORK/slack.json" --wait "$WAIT")
result=$?
set -e
echo "  load average (1, 5, 15 min): $LOAD_BEFORE before the flood, $LOAD_AFTER after it ($(nproc) cores)"
exit $result
