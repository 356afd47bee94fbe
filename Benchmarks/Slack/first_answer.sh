#!/bin/bash
# The first answer after a start against the ones after it (issue 15), for TicketPulse and
# the Bolt peer in turn, on one demo store: for each of RUNS fresh starts (a copy of the
# store each time), one question (`loadgen.py e2e … 1`), then 30 more, one at a time,
# question → chat.postMessage at the peer harness's fake Slack.
#
#   swift build -c release --product ticketpulse
#   bash Benchmarks/Slack/first_answer.sh .build/release/ticketpulse [RUNS=3]
#
# Environment: PEER (the Bolt harness folder, default ../shared/peers/bolt), VENV (its
# virtual environment, made from its requirements.txt when missing).
set -euo pipefail
BIN=$(readlink -f "$1"); RUNS=${2:-3}
PEER=$(cd "${PEER:-../shared/peers/bolt}" && pwd)
VENV=${VENV:-${TMPDIR:-/tmp}/bolt-peer-venv}
PY=$VENV/bin/python
if [ ! -x "$VENV/bin/uvicorn" ]; then python3 -m venv "$VENV"; "$VENV/bin/pip" install -q -r "$PEER/requirements.txt"; fi
WORK=$(mktemp -d); SECRET="first-$RANDOM"; FAKE=19971; PORT=18971
FPID= SPID=
trap 'kill $SPID $FPID 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$BIN" demo --db "$WORK/demo.sqlite" > "$WORK/demo.log"
"$PY" "$PEER/fake_slack.py" $FAKE > "$WORK/fake.log" 2>&1 & FPID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$FAKE/stats" > /dev/null && break; sleep 0.1; done
printf 'alerts:\n  enabled: false\n' > "$WORK/tp.yml"

start() {  # SYSTEM
  cp "$WORK/demo.sqlite" "$WORK/run.sqlite"; rm -f "$WORK/run.sqlite-wal" "$WORK/run.sqlite-shm" "$WORK/run.sqlite.slack-jobs" "$WORK/dedupe.sqlite"
  if [ "$1" = ticketpulse ]; then
    SLACK_SIGNING_SECRET=$SECRET SLACK_BOT_TOKEN=xoxb-first SLACK_API_URL=http://127.0.0.1:$FAKE/api LOG_LEVEL=error \
      "$BIN" serve --host 127.0.0.1 --port $PORT --db "$WORK/run.sqlite" --config "$WORK/tp.yml" > "$WORK/server.log" 2>&1 & SPID=$!
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.05; done
  else
    (cd "$PEER" && SLACK_SIGNING_SECRET=$SECRET SLACK_BOT_TOKEN=xoxb-first SLACK_API_URL=http://127.0.0.1:$FAKE/api \
       TICKETPULSE_DB="$WORK/run.sqlite" BOLT_DEDUPE_DB="$WORK/dedupe.sqlite" LOG_LEVEL=warning \
       exec "$VENV/bin/uvicorn" app:api --host 127.0.0.1 --port $PORT --workers "$(nproc)" --loop uvloop --http httptools \
         --no-access-log --log-level warning) > "$WORK/server.log" 2>&1 & SPID=$!
    for _ in $(seq 200); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" = 404 ] && break; sleep 0.1; done
  fi
  # As compare.sh gives the peer's workers: a second to finish starting.
  sleep 1
}

for system in ticketpulse bolt; do
  for run in $(seq "$RUNS"); do
    start $system
    gen=("$PY" "$PEER/loadgen.py" --store "$WORK/run.sqlite" --secret "$SECRET" --label "$system" --pids "$SPID" --fake-pid "$FPID" --out "$WORK/results.jsonl")
    "${gen[@]}" e2e $PORT $FAKE 1 > /dev/null
    "${gen[@]}" e2e $PORT $FAKE 30 > /dev/null
    kill $SPID; wait $SPID 2>/dev/null || true; SPID=
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$WORK/results.jsonl" <<'PYEOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for system in ("ticketpulse", "bolt"):
    runs = [r for r in rows if r.get("phase") == "e2e" and r["label"] == system]
    firsts = [r["answer_ms"]["p50"] for r in runs if r["count"] == 1]
    later = [r["answer_ms"] for r in runs if r["count"] == 30]
    print(f"{system:12s} first answer ms: {', '.join(str(f) for f in firsts)};  the next 30, p50 ms: {', '.join(str(a['p50']) for a in later)}, max ms: {', '.join(str(a['max']) for a in later)}")
PYEOF
