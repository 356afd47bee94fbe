#!/usr/bin/env bash
# Issue 13's first-serve figure, reproducible: a fresh demo store, `ticketpulse serve`
# against a fake Slack Web API that logs every call, and the new DMs per person in the
# first FIRST_SERVE_SECONDS (default 600, the issue's 10 minutes). Exits 1 when someone got
# more than 2. Run from the repository root after `swift build` (or set TICKETPULSE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${FIRST_SERVE_SECONDS:-600}
work=${FIRST_SERVE_DIR:-$(mktemp -d /tmp/first-serve.XXXXXX)}
bin=${TICKETPULSE:-$(swift build --show-bin-path)/ticketpulse}
slack_port=${FIRST_SERVE_SLACK_PORT:-18931}
serve_port=${FIRST_SERVE_PORT:-18932}
mkdir -p "$work"
rm -f "$work"/demo.sqlite*
"$bin" demo --db "$work/demo.sqlite" > "$work/demo.txt"
python3 "$here/fake_slack_log.py" "$slack_port" "$work/slack.jsonl" "$work/demo.sqlite" &
fake=$!
serve=""
trap '[ -n "$serve" ] && kill "$serve" 2>/dev/null; kill "$fake" 2>/dev/null; wait 2>/dev/null || true' EXIT
sleep 1
# From the work directory, so no ./ticketpulse.yml of the caller's is read: the defaults.
(cd "$work" && SLACK_BOT_TOKEN=xoxb-fake SLACK_SIGNING_SECRET=fake SLACK_API_URL="http://127.0.0.1:$slack_port/api/" LOG_LEVEL=warning \
    exec "$bin" serve --db "$work/demo.sqlite" --port "$serve_port" > "$work/serve.log" 2>&1) &
serve=$!
sleep "$seconds"
python3 "$here/report.py" "$work/slack.jsonl" "$work/demo.sqlite" "$seconds"
