"""Checks the flood's outcome against the store and what the fake Slack kept, prints a
table, and exits 1 on any violation:

- every acknowledged webhook's ticket stored exactly once;
- every acknowledged question answered exactly once, in its thread (the answers' metadata
  key is the event id);
- every alert delivered once: no outbox key posted twice, every outbox row `sent` and
  its message in Slack, every acknowledged P1 ticket's alert stored once and told in
  Slack (also those acknowledged after the leader was killed);
- background work resumed on another replica within 15 s of the leader's kill.

    python3 verify.py --flood flood.json --fake-slack URL --db URL [--logs DIR] [--nginx-log FILE]
"""

import argparse
import collections
import json
import os
import re
import sys
import time
import urllib.request

import store

ANSWER_TYPE = "ticketpulse_answer"  # SlackJobHandler.answerMetadataType
OUTBOX_TYPE = "ticketpulse_outbox"  # SlackAlertMessenger.metadataType
RESUME_LIMIT = 15.0


def slack_state(url):
    with urllib.request.urlopen(url + "/_fake/state", timeout=10) as response:
        return json.load(response)


def key_of(message, kind):
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != kind:
        return None
    return (metadata.get("event_payload") or {}).get("key")


def settled(db, slack_url, questions):
    """What is still to do: (pending Slack jobs, unsent outbox rows, ungrouped alerts, unanswered questions)."""
    jobs = int(store.query(db, "SELECT count(*) FROM slack_jobs")[0][0])
    unsent = int(store.query(db, "SELECT count(*) FROM outbox WHERE state IN ('pending', 'in_flight')")[0][0])
    ungrouped = int(store.query(db, "SELECT count(*) FROM alerts WHERE pending_dms IS NOT NULL")[0][0])
    answered = {key_of(m, ANSWER_TYPE) for m in slack_state(slack_url)["messages"]}
    unanswered = sum(1 for q in questions if q not in answered)
    return jobs, unsent, ungrouped, unanswered


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flood", required=True)
    parser.add_argument("--fake-slack", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--logs", help="folder of the replicas' logs (r1.log …)")
    parser.add_argument("--nginx-log", help="nginx's access log, to show the round robin")
    parser.add_argument("--wait", type=float, default=300,
                        help="seconds the survivors get to finish (PRD-122: a P1 is told within 5 min); the outbox is sent one message at a time, paced per channel")
    parser.add_argument("--save-slack", help="write what the fake Slack kept here")
    options = parser.parse_args()
    with open(options.flood) as file:
        flood = json.load(file)
    requests = flood["requests"]
    questions = [r for r in requests if r["kind"] == "question"]
    webhooks = [r for r in requests if r["kind"] == "webhook"]
    acked_questions = [q for q in questions if q["acked_at"]]
    acked_webhooks = [w for w in webhooks if w["acked_at"]]

    # The survivors finish what was acknowledged: bounded wait.
    waited_from = time.time()
    while True:
        remaining = settled(options.db, options.fake_slack, [q["id"] for q in acked_questions])
        if not any(remaining) or time.time() - waited_from > options.wait:
            break
        time.sleep(1)
    waited = time.time() - waited_from
    print("  waited %.1f s for the survivors to finish (left: %d Slack jobs, %d outbox rows, %d alerts to group, %d questions)"
          % ((waited,) + remaining))

    # The store first: a row it shows sent was posted before this snapshot of Slack.
    outbox = store.query(options.db, "SELECT id, idempotency_key, alert_id, kind, state, channel, ts, last_error, sent_at FROM outbox ORDER BY id")
    slack = slack_state(options.fake_slack)
    if options.save_slack:
        with open(options.save_slack, "w") as file:
            json.dump(slack, file)
    bot_posts = [m for m in slack["messages"] if m["user"] == "U0BOT0001"]
    rows = []
    failures = []

    def check(name, value, ok, detail=""):
        rows.append((name, value, "ok" if ok else "VIOLATION", detail))
        if not ok:
            failures.append(name)

    # --- the requests
    retried_q = sum(1 for q in questions if len(q["attempts"]) > 1)
    retried_w = sum(1 for w in webhooks if len(w["attempts"]) > 1)
    check("questions sent / acknowledged (2xx)", "%d / %d" % (len(questions), len(acked_questions)), True,
          "%d retried by Slack's rules" % retried_q)
    check("webhooks sent / acknowledged (2xx)", "%d / %d" % (len(webhooks), len(acked_webhooks)), True,
          "%d retried by the sender" % retried_w)

    # --- webhooks: stored exactly once
    stored = collections.Counter()
    for external_id, count in store.query(options.db, "SELECT external_id, count(*) FROM tickets WHERE source = 'webhook' GROUP BY external_id"):
        stored[external_id] = int(count)
    missing = [w["id"] for w in acked_webhooks if stored[w["id"]] == 0]
    doubled = [w for w, count in stored.items() if count > 1]
    check("acknowledged webhooks stored exactly once", "%d / %d" % (len(acked_webhooks) - len(missing), len(acked_webhooks)),
          not missing and not doubled, "missing: %s; twice: %s" % (missing[:5], doubled[:5]) if missing or doubled else "")

    # --- questions: answered exactly once, in their thread
    answers = collections.defaultdict(list)
    for message in bot_posts:
        key = key_of(message, ANSWER_TYPE)
        if key:
            answers[key].append(message)
    unanswered = [q["id"] for q in acked_questions if not answers[q["id"]]]
    twice = [key for key, posts in answers.items() if len(posts) > 1]
    misplaced = [q["id"] for q in acked_questions for p in answers[q["id"]] if (p["channel"], p["thread_ts"]) != (q["channel"], q["thread_ts"])]
    check("acknowledged questions answered exactly once", "%d / %d" % (len(acked_questions) - len(unanswered), len(acked_questions)),
          not unanswered and not twice and not misplaced,
          "; ".join(s for s in ["unanswered: %s" % unanswered[:5] if unanswered else "", "twice: %s" % twice[:5] if twice else "",
                                "outside their thread: %s" % misplaced[:5] if misplaced else ""] if s))
    apologies = sum(1 for m in bot_posts if m["text"].startswith("Sorry, something went wrong"))
    check("answers that were apologies", str(apologies), apologies == 0)

    # --- alerts
    posted_keys = collections.Counter(key_of(m, OUTBOX_TYPE) for m in bot_posts if key_of(m, OUTBOX_TYPE))
    posted_twice = [key for key, count in posted_keys.items() if count > 1]
    check("outbox keys posted to Slack more than once", str(len(posted_twice)), not posted_twice, ", ".join(posted_twice[:3]))
    not_sent = [(row[1], row[4], row[7]) for row in outbox if row[4] != "sent"]
    check("outbox rows ending `sent`", "%d / %d" % (len(outbox) - len(not_sent), len(outbox)), not not_sent and outbox,
          "; ".join("%s %s %s" % r for r in not_sent[:3]))
    kept = {(m["channel"], m["ts"]) for m in slack["messages"]}
    phantom = [row[1] for row in outbox if row[4] == "sent" and (row[5], row[6]) not in kept]
    check("sent rows whose message is in Slack", "%d / %d" % (sum(1 for r in outbox if r[4] == "sent") - len(phantom), sum(1 for r in outbox if r[4] == "sent")),
          not phantom, ", ".join(phantom[:3]))

    alerts = store.query(options.db, "SELECT id, dedup_key, pending_dms IS NULL, silent FROM alerts WHERE kind = 'new_ticket'")
    alerts_by_ticket = collections.defaultdict(list)
    for alert_id, dedup_key, grouped, silent in alerts:
        alerts_by_ticket[dedup_key.split(":", 2)[2]].append((int(alert_id), grouped == "t", silent == "t"))
    sent_for_alert = collections.defaultdict(int)
    first_sent = {}
    for row in outbox:
        if row[2] and row[4] == "sent":
            sent_for_alert[int(row[2])] += 1
            first_sent[int(row[2])] = min(first_sent.get(int(row[2]), float("inf")), float(row[8]))
    def told(ticket):
        found = alerts_by_ticket.get(ticket, [])
        return len(found) == 1 and found[0][1] and not found[0][2] and sent_for_alert[found[0][0]] > 0
    untold = [w["id"] for w in acked_webhooks if not told(w["id"])]
    check("acknowledged P1 tickets with one alert, told in Slack", "%d / %d" % (len(acked_webhooks) - len(untold), len(acked_webhooks)),
          not untold, ", ".join(untold[:3]))

    latencies = sorted(first_sent[alerts_by_ticket[w["id"]][0][0]] - w["acked_at"] for w in acked_webhooks if told(w["id"]))
    if latencies:
        check("P1 acknowledged → its alert in Slack", "p50 %.0f s" % latencies[len(latencies) // 2], True,
              "p95 %.0f s, max %.0f s; the last alert %.0f s after the flood's end" % (
                  latencies[int(len(latencies) * 0.95)], latencies[-1], max(first_sent.values()) - flood["ended"]))

    # --- failover
    kills = flood["kills"]
    leader_kill = next((k for k in kills if k["why"] == "the leader"), None)
    killed = {k["replica"] for k in kills}
    if leader_kill:
        after = [w for w in acked_webhooks if w["acked_at"] > leader_kill["at"]]
        check("P1 acknowledged after the leader's kill, told", "%d / %d" % (sum(1 for w in after if told(w["id"])), len(after)),
              after and all(told(w["id"]) for w in after))
        takeover = next((c for c in flood["leader"] if c["at"] > leader_kill["at"] and c["holder"] and c["holder"] not in killed), None)
        delay = takeover["at"] - leader_kill["at"] if takeover else None
        check("leader kill → new leader", "%.1f s" % delay if delay is not None else "never", delay is not None and delay <= RESUME_LIMIT,
              "%s killed, %s took the lease" % (leader_kill["replica"], takeover["holder"] if takeover else "nobody"))
        alert_times = sorted([m["posted_at"] for m in bot_posts if key_of(m, OUTBOX_TYPE)] + [u["at"] for u in slack["updates"]])
        next_alert = next((t for t in alert_times if t > leader_kill["at"]), None)
        delay = next_alert - leader_kill["at"] if next_alert else None
        check("leader kill → next alert in Slack", "%.1f s" % delay if delay is not None else "never", delay is not None and delay <= RESUME_LIMIT)
    else:
        check("the leader was killed", "no", False)
    jobs_left = int(store.query(options.db, "SELECT count(*) FROM slack_jobs")[0][0])
    check("acknowledged Slack jobs left in the store", str(jobs_left), jobs_left == 0)
    if options.logs:
        adopted = found = 0
        for name in sorted(os.listdir(options.logs)):
            if re.fullmatch(r"r\d+\.log", name):
                with open(os.path.join(options.logs, name), errors="replace") as file:
                    for line in file:
                        if "a stopped replica acknowledged" in line or "by a replica gone" in line:
                            match = re.search(r"count=(\d+)", line)
                            adopted += int(match.group(1)) if match else 0
                        if "found a message an earlier attempt had sent" in line:
                            found += 1
        check("questions of killed replicas adopted by survivors", str(adopted), True)
        check("outbox rows found in Slack, not sent again", str(found), True)

    width = max(len(r[0]) for r in rows)
    print()
    print("  %-*s  %-14s %s" % (width, "check", "measured", "result"))
    print("  %s  %s %s" % ("-" * width, "-" * 14, "-" * 9))
    for name, value, result, detail in rows:
        print("  %-*s  %-14s %s%s" % (width, name, value, result, ("  (" + detail + ")") if detail else ""))
    print()
    for kill in kills:
        print("  killed %s at +%.1f s (%s)" % (kill["replica"], kill["at"] - flood["started"], kill["why"]))
    for change in flood["leader"]:
        print("  leader at +%.1f s: %s" % (change["at"] - flood["started"], change["holder"] or "(none: lease lapsed)"))
    if options.nginx_log and os.path.exists(options.nginx_log):
        upstreams = collections.Counter()
        with open(options.nginx_log) as file:
            for line in file:
                # "A, B 200 …" when A refused the connection and B answered: B served it.
                match = re.match(r"(.*?) (\d{3}|-) ", line)
                if match:
                    upstreams[match.group(1).split(", ")[-1]] += 1
        print("  nginx upstreams: " + ", ".join("%s %d" % item for item in sorted(upstreams.items())))
    print()
    if failures:
        print("  FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("  every check passed")


if __name__ == "__main__":
    main()
