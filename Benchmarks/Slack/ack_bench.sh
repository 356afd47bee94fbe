#!/bin/bash
# POST /slack/events acknowledgement at ~500 requests/s (issue 4), end to end on this machine:
# a copy of the 1M-ticket benchmark store, the release server with its default
# configuration (alerts on, 8 answer workers), the fake Slack, distinct signed app_mentions
# from wrk (a second process, loopback), each answered by the workers meanwhile.
#
#   swift build -c release --scratch-path .build-release --product ticketpulse
#   bash Benchmarks/Slack/ack_bench.sh [WARMUP_SECONDS=3] [SECONDS=10]
#
# WARMUP_SECONDS 0 measures from the server's start, through its first full detector pass.
# IGNORED=1 sends events the server acknowledges without recording or answering (a reaction):
# the request path alone.
# Prints wrk's latency distribution, the fake Slack's call counts (every event answered:
# chat.postMessage ≥ events) and the server's event counters (no 503s: queue_full 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${1:-3}
SECONDS_MEASURED=${2:-10}
BIN=${BIN:-.build-release/release/ticketpulse}
STORE=${STORE:-${TMPDIR:-/tmp}/ticketpulse-bench-1m.sqlite}
WORK=$(mktemp -d)
SERVER_PORT=8090
FAKE_PORT=9911
[ -x "$BIN" ] || { echo "build first: swift build -c release --scratch-path .build-release --product ticketpulse" >&2; exit 1; }
[ -f "$STORE" ] || { echo "no benchmark store at $STORE: run the query benchmarks once (cd Benchmarks && swift package benchmark --filter 'Ask.*')" >&2; exit 1; }

cleanup() { kill "${SERVER:-}" "${FAKE:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

cp "$STORE" "$WORK/store.sqlite"
sync
python3 Benchmarks/Slack/fake_slack.py $FAKE_PORT > "$WORK/fake.log" 2>&1 & FAKE=$!
printf 'slack:\n  worker_concurrency: 8\n' > "$WORK/ticketpulse.yml"
SLACK_SIGNING_SECRET=bench-secret SLACK_BOT_TOKEN=xoxb-bench SLACK_API_URL=http://127.0.0.1:$FAKE_PORT/api LOG_LEVEL=error \
  "$BIN" serve --port $SERVER_PORT --db "$WORK/store.sqlite" --config "$WORK/ticketpulse.yml" > "$WORK/serve.log" 2>&1 & SERVER=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$SERVER_PORT/healthz > /dev/null && break; sleep 0.1; done

cd Benchmarks/Slack
RATE=550
python3 ack_requests.py $(( (WARMUP + SECONDS_MEASURED + 2) * RATE )) ${IGNORED:+--ignored} > requests.lua
if [ "$WARMUP" -gt 0 ]; then
  wrk -t1 -c4 -d"${WARMUP}s" -s ack.lua http://127.0.0.1:$SERVER_PORT/slack/events > /dev/null
fi
wrk -t1 -c4 -d"${SECONDS_MEASURED}s" --latency -s ack.lua http://127.0.0.1:$SERVER_PORT/slack/events -- $(( (WARMUP + 1) * RATE ))
sleep 3
echo "fake Slack calls: $(curl -s http://127.0.0.1:$FAKE_PORT/stats)"
curl -s http://127.0.0.1:$SERVER_PORT/metrics | grep -E '^ticketpulse_(slack_events|slack_duplicate_events|queue_full)_total'
