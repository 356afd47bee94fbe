# Sourced by .ci/run: schemathesis (PyPI) against a live `ticketpulse serve` over a demo
# store, through docs/openapi.json as the server serves it, with an admin's API token.
# Fails on any server error or any response the document does not describe.

run_schemathesis() {
    if ! command -v st >/dev/null 2>&1; then
        python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore schemathesis
    fi
    local bin work port token server status=0
    bin="$(swift build --show-bin-path)/ticketpulse"
    work="$(mktemp -d)"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "$bin" demo --db "$work/demo.sqlite" --now 2026-11-18T15:00:00Z >/dev/null
    token="$("$bin" tokens create --as alex.kim@example.com --name schemathesis --db "$work/demo.sqlite" 2>/dev/null)"
    # No Slack, no alert passes; a rate no fuzzer reaches (429 is covered by the Swift tests);
    # a generic webhook connection, so its route checks signatures (none verifies: 401); an
    # OAuth client for the Zendesk connect flow (no state a fuzzer makes verifies: 400, so
    # Zendesk is never called).
    printf 'alerts:\n  enabled: false\napi:\n  rate_per_minute: 1000000\nconnections:\n  - { name: ci, system: webhook, webhook_secret_env: TICKETPULSE_CI_WEBHOOK_SECRET }\nzendesk_oauth:\n  client_id: ticketpulse_ci\n  redirect_uri: http://127.0.0.1:%s/api/integrations/zendesk/callback\n' "$port" \
        >"$work/ticketpulse.yml"
    ZENDESK_OAUTH_CLIENT_SECRET="ci-client-secret" TICKETPULSE_OAUTH_STATE_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    TICKETPULSE_CI_WEBHOOK_SECRET="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$bin" serve --host 127.0.0.1 --port "$port" --db "$work/demo.sqlite" --config "$work/ticketpulse.yml" >"$work/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 1 120); do
        python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        sleep 0.5
    done
    st --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" \
        --header "Authorization: Bearer $token" \
        --checks all \
        --max-examples 25 --seed 2026 \
        --report junit --report-dir "$work/report" || status=$?
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        echo "schemathesis failed (exit $status); the server's log:" >&2
        tail -n 50 "$work/serve.log" >&2
    fi
    rm -rf "$work"
    return "$status"
}
