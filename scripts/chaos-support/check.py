#!/usr/bin/env python3
"""Compares what the clients of scripts/chaos were told with what the
database holds, checks the scenario's bounds, and keeps one result line.

    check.py check --scenario NAME --log a.jsonl[,b.jsonl] --dir SCENARIO_DIR --results results.jsonl
    check.py table --results results.jsonl [--out FILE]

SCENARIO_DIR holds what scripts/chaos collected:
  events        key=value lines, times in seconds since 1970 (down, up, kill...)
  facts         key=value lines (exit_code, seal_mismatch, balance_mismatch...)
  consultations gtin|serial|rows for the scenario's seals (psql -At)
  earned        gtin|serial|rows of the seals' `earn` ledger rows
  webhook-deliveries  alert id|delivery state|attempts of the scenario's
                counterfeit alerts (scenarios that send counterfeits), checked
                against --receiver-log, what the webhook receiver got

`check` prints what it found to standard error and appends one JSON result;
`table` prints the markdown table and exits 1 when any scenario failed.
"""
import argparse
import json
import sys

# The bounds the scenarios are held to (seconds).
# The server's own deadline for a scan's database work is 6 s (ScanController,
# withDatabaseDeadline), after which it answers 503: 6 s plus scheduling.
UNAVAILABLE_ANSWER_BOUND = 6.5   # a scan sent while PostgreSQL is down
POSTGRES_RECOVERY_BOUND = 5.0    # PostgreSQL back (or resumed) -> first 2xx scan
SIGTERM_EXIT_BOUND = 10.0        # SIGTERM -> the process has exited
RESTART_RECOVERY_BOUND = 30.0    # kill -9 or SIGTERM -> first 2xx of the restarted server

CUT = {"reset", "closed-without-answer", "incomplete-answer"}


def read_pairs(path):
    values = {}
    try:
        with open(path) as file:
            for line in file:
                line = line.strip()
                if line and "=" in line:
                    key, value = line.split("=", 1)
                    values[key] = value
    except FileNotFoundError:
        pass
    return values


def read_rows(path):
    rows = {}
    try:
        with open(path) as file:
            for line in file:
                parts = line.strip().split("|")
                if len(parts) == 3:
                    rows[(parts[0], parts[1])] = int(parts[2])
    except FileNotFoundError:
        pass
    return rows


def read_log(paths):
    records = []
    for path in paths.split(","):
        with open(path) as file:
            records.extend(json.loads(line) for line in file if line.strip())
    return records


def seconds(value):
    return f"{value:.1f} s" if value is not None else "none"


def read_jsonl(path):
    try:
        with open(path) as file:
            return [json.loads(line) for line in file if line.strip()]
    except FileNotFoundError:
        return []


def check_webhooks(directory, facts, receiver_log, failures, notes, term=None):
    """Every counterfeit alert of the scenario delivered to the receiver
    exactly once, at the first attempt; with `term`, how many deliveries the
    receiver was holding when SIGTERM came (and must have been finished)."""
    try:
        with open(f"{directory}/webhook-deliveries") as file:
            rows = [line.strip().split("|") for line in file if line.strip()]
    except FileNotFoundError:
        return
    expected = int(facts.get("webhooks_expected", "0"))
    delay = float(facts.get("receiver_delay", "0"))
    alerts = {row[0]: (row[1], int(row[2])) for row in rows}
    arrivals = {}
    for line in read_jsonl(receiver_log):
        if line.get("type") == "alert.created" and str(line.get("alert")) in alerts:
            arrivals.setdefault(str(line["alert"]), []).append(line["at"])
    once = sum(1 for alert in alerts if len(arrivals.get(alert, [])) == 1)
    twice = sum(1 for alert in alerts if len(arrivals.get(alert, [])) > 1)
    never = sum(1 for alert in alerts if not arrivals.get(alert))
    unrecorded = sum(1 for alert, (state, _) in alerts.items() if state != "delivered" and arrivals.get(alert))
    retried = sum(1 for _, attempts in alerts.values() if attempts > 1)
    notes.append(f"webhooks: {once}/{len(alerts)} counterfeit alerts delivered once, {twice} more than once, "
                 f"{never} never; {retried} needed another attempt")
    if len(alerts) < expected:
        failures.append(f"{expected} counterfeits raised {len(alerts)} alerts with webhooks")
    if twice:
        failures.append(f"{twice} alerts delivered more than once")
    if never:
        failures.append(f"{never} alerts never reached the receiver")
    if unrecorded:
        failures.append(f"{unrecorded} deliveries the receiver got are not recorded as delivered (they will be sent again)")
    if retried:
        failures.append(f"{retried} deliveries cut off and sent again")
    if term is not None:
        held = sum(1 for times in arrivals.values() for at in times if at <= term < at + delay)
        notes.append(f"{held} webhook deliveries in flight at SIGTERM")
        if not held:
            failures.append("no webhook delivery was in flight at SIGTERM (the scenario did not test it)")


def check(options):
    directory = options.dir
    events = {key: float(value) for key, value in read_pairs(f"{directory}/events").items()}
    facts = read_pairs(f"{directory}/facts")
    consultations = read_rows(f"{directory}/consultations")
    earned = read_rows(f"{directory}/earned")
    records = read_log(options.log)
    scans = [r for r in records if r["kind"] == "scan"]
    claims = [r for r in records if r["kind"] == "claim"]
    health = [r for r in records if r["kind"] == "health"]

    def ok(record):
        return record["status"] is not None and 200 <= record["status"] < 300

    def awarded(record):
        return record["status"] == 303 and (record.get("location") or "").startswith("/wallet?earned=")

    acknowledged_scans = [r for r in scans if ok(r)]
    acknowledged_claims = [r for r in claims if awarded(r)]
    lost_scans = [r for r in acknowledged_scans if consultations.get((r["gtin"], r["serial"]), 0) == 0]
    lost_claims = [r for r in acknowledged_claims if earned.get((r["gtin"], r["serial"]), 0) == 0]
    stored = len(acknowledged_scans) - len(lost_scans) + len(acknowledged_claims) - len(lost_claims)
    server_errors = [r for r in scans + claims if r["status"] is not None and r["status"] >= 500]
    internal_errors = [r for r in server_errors if r["status"] != 503]
    # Each request had a seal of its own: more than one row for a seal is a write done twice.
    sent = {(r["gtin"], r["serial"]) for r in scans}
    doubled = [key for key, rows in consultations.items() if key in sent and rows > 1]
    # A 503 tells the visitor the seal was not checked: such a scan must not be recorded.
    recorded_unavailable = [r for r in scans if r["status"] == 503 and consultations.get((r["gtin"], r["serial"]), 0) > 0]
    # Consultations of other requests that got no answer (in flight when the fault struck).
    unacknowledged_rows = len({key for key in consultations if key in sent}
                              - {(r["gtin"], r["serial"]) for r in acknowledged_scans + recorded_unavailable})
    errors = {}
    for record in scans + claims:
        if record["error"]:
            errors[record["error"]] = errors.get(record["error"], 0) + 1
    statuses = {}
    for record in scans + claims:
        if record["status"] is not None:
            statuses[record["status"]] = statuses.get(record["status"], 0) + 1

    failures = []
    notes = []
    recovery = None
    if lost_scans:
        failures.append(f"{len(lost_scans)} acknowledged scans not in consultations")
    if lost_claims:
        failures.append(f"{len(lost_claims)} acknowledged claims not in the ledger")
    if internal_errors:
        failures.append(f"{len(internal_errors)} answers 5xx other than 503 ({sorted({r['status'] for r in internal_errors})})")
    if recorded_unavailable:
        failures.append(f"{len(recorded_unavailable)} scans answered 503 (not checked) were recorded")
    if doubled:
        failures.append(f"{len(doubled)} seals with more than one consultation for one request")
    for key, label in (("seal_mismatch", "seals whose scan_count differs from their consultations"),
                       ("balance_mismatch", "balances that differ from their ledger"),
                       ("earned_twice", "seals that earned points more than once"),
                       ("request_failed_logged", "`request failed` errors in the server logs"),
                       ("verdict_disagreement_logged", "verdict disagreements in the server logs")):
        if int(facts.get(key, "0")) > 0:
            failures.append(f"{facts[key]} {label}")
    if not acknowledged_scans:
        failures.append("no scan was acknowledged")
    if any(r["kind"] == "exhausted" for r in records):
        failures.append("the load ran out of seals before the scenario ended (raise SEALS)")

    def first_ok_after(moment):
        candidates = [r["end"] for r in scans if ok(r) and r["end"] >= moment]
        return min(candidates) - moment if candidates else None

    scenario = options.scenario
    if scenario in ("postgres-stop", "postgres-freeze"):
        begin, down, restart, up = events["down_begin"], events["down"], events["up_begin"], events["up"]
        notes.append(f"PostgreSQL {'down' if scenario == 'postgres-stop' else 'suspended'} {restart - down:.1f} s")
        # Every scan that started while PostgreSQL was stopping or stopped: a
        # 503 with Retry-After, or a 2xx once it was back, within the bound.
        window = [r for r in scans if begin <= r["start"] < restart]
        unavailable = [r for r in window if r["status"] == 503]
        answered = [r for r in window if ok(r)]
        other = [r for r in window if r not in unavailable and r not in answered]
        slowest = max((r["end"] - r["start"] for r in window), default=None)
        slowest_unavailable = max((r["end"] - r["start"] for r in unavailable), default=None)
        notes.append(f"{len(window)} scans sent while down: {len(unavailable)} answered 503 "
                     f"(slowest {seconds(slowest_unavailable)}), {len(answered)} 2xx (before it was down or once back); "
                     f"slowest answer {seconds(slowest)} (bound {UNAVAILABLE_ANSWER_BOUND:.1f} s)")
        if not unavailable:
            failures.append("no scan answered 503 while PostgreSQL was down")
        if other:
            failures.append(f"{len(other)} scans sent while down answered otherwise than 503 or 2xx "
                            f"({sorted({str(r['status'] or r['error']) for r in other})})")
        if slowest is not None and slowest > UNAVAILABLE_ANSWER_BOUND:
            failures.append(f"a scan sent while down took {slowest:.1f} s (bound {UNAVAILABLE_ANSWER_BOUND:.1f} s)")
        without_retry = [r for r in unavailable if not r.get("retry_after")]
        if without_retry:
            failures.append(f"{len(without_retry)} 503s without Retry-After")
        health_window = [r for r in health if r["start"] >= down and r["end"] <= restart]
        health_bad = [r for r in health_window if r["status"] != 503]
        notes.append(f"/health 503 {len(health_window) - len(health_bad)}/{len(health_window)} while down")
        if health_bad or not health_window:
            failures.append(f"/health while down: {sorted({str(r['status'] or r['error']) for r in health_bad}) or 'not asked'}")
        recovery = first_ok_after(up)
        if recovery is None or recovery > POSTGRES_RECOVERY_BOUND:
            failures.append(f"first 2xx scan after PostgreSQL was back: {seconds(recovery)} (bound {POSTGRES_RECOVERY_BOUND:.0f} s)")
        healthy = [r["end"] for r in health if r["status"] == 200 and r["end"] >= up]
        notes.append(f"/health 200 again {seconds(min(healthy) - up if healthy else None)} after")
        after = [r for r in scans if r["start"] >= up + (recovery or 0) and not ok(r)]
        if after:
            notes.append(f"{len(after)} scans not 2xx after recovery")
    elif scenario == "kill-9":
        kill = events["kill"]
        recovery = first_ok_after(kill)
        notes.append(f"restarted and listening {events['ready'] - kill:.1f} s after the kill")
        cut = [r for r in scans + claims if r["error"] in CUT]
        notes.append(f"{len(cut)} requests cut by the kill")
        if recovery is None or recovery > RESTART_RECOVERY_BOUND:
            failures.append(f"first 2xx after the kill: {seconds(recovery)}")
    elif scenario == "sigterm":
        term, exited = events["term"], events["exit"]
        code = int(facts.get("exit_code", "-1"))
        notes.append(f"exit {code} after {exited - term:.1f} s (bound {SIGTERM_EXIT_BOUND:.0f} s)")
        if code != 0:
            failures.append(f"exit status {code} after SIGTERM")
        if exited - term > SIGTERM_EXIT_BOUND:
            failures.append(f"took {exited - term:.1f} s to exit")
        in_flight = [r for r in scans + claims if r["connected"] is not None and r["connected"] < term < r["end"]]
        cut = [r for r in in_flight if r["error"] is not None]
        cut_later = [r for r in scans + claims if r["connected"] is not None and r["connected"] >= term and r["error"] in CUT]
        notes.append(f"{len(in_flight) - len(cut)}/{len(in_flight)} in flight at SIGTERM answered")
        if cut:
            failures.append(f"{len(cut)} requests connected before SIGTERM got no complete answer "
                            f"({sorted({r['error'] for r in cut})})")
        if cut_later:
            notes.append(f"{len(cut_later)} connected after SIGTERM were reset")
        # From SIGTERM to the first 2xx of a request sent after the old process exited.
        restarted = [r["end"] for r in scans if ok(r) and r["start"] >= exited]
        recovery = min(restarted) - term if restarted else None
        if recovery is None or recovery > RESTART_RECOVERY_BOUND:
            failures.append(f"first 2xx after the restart: {seconds(recovery)}")
        check_webhooks(directory, facts, options.receiver_log, failures, notes, term=term)
    elif scenario == "backup-restore":
        snapshot, restored = int(facts.get("snapshot_consultations", -1)), int(facts.get("restored_consultations", -2))
        notes.append(f"consultations at the dump's snapshot {snapshot}, restored {restored}")
        if snapshot != restored:
            failures.append("restored consultations differ from the source at the dump's snapshot")
        if int(facts.get("restored_not_in_source", "1")) != 0:
            failures.append(f"{facts.get('restored_not_in_source')} restored consultations missing from the source")
        notes.append(f"dump {float(facts.get('dump_seconds', 'nan')):.1f} s, {facts.get('dump_bytes', '?')} bytes; "
                     f"restore {float(facts.get('restore_seconds', 'nan')):.1f} s")
        for key, expected in (("verdict_scanned_before", "genuine_seen"), ("verdict_scanned_after", "genuine_first")):
            if facts.get(key) != expected:
                failures.append(f"restored instance: {key} is {facts.get(key)}, not {expected}")
        notes.append(f"restored instance: seal scanned before the dump {facts.get('verdict_scanned_before')}, "
                     f"after it {facts.get('verdict_scanned_after')}")
        source_alert, restored_alert = facts.get("alert_source", "none"), facts.get("alert_restored", "none")
        def after(value):
            return "never (10 s)" if value == "none" else f"{value} s"
        notes.append(f"counterfeit alert after {after(source_alert)} on the source, {after(restored_alert)} on the restored database")
        refused = facts.get("refused_before_rebase", "no")
        if refused in ("no", "0"):
            failures.append("signet serve did not refuse the restored database before `signet stream rebase`")
        else:
            notes.append("serve refused the restored database until `signet stream rebase`")
        if source_alert != "none" and restored_alert == "none":
            failures.append(
                "a counterfeit scanned on the restored database raised no alert after the rebase (positions "
                f"min {facts.get('position_xact')}, the restored cluster at {facts.get('restored_xact')})")
        notes.append(f"WAL {facts.get('wal_bytes_per_scan', '?')} bytes per scan; "
                     f"{facts.get('consultation_bytes', '?')} bytes per consultation with indexes")
        if "restore_begin" in events and "restored_ready" in events:
            recovery = events["restored_ready"] - events["restore_begin"]
    elif scenario == "two-instances":
        pairs = {}
        for record in claims:
            if "pair" in record:
                pairs.setdefault(record["pair"], []).append(record)
        won = sum(1 for answers in pairs.values() if sum(1 for r in answers if awarded(r)) == 1)
        both = sum(1 for answers in pairs.values() if sum(1 for r in answers if awarded(r)) > 1)
        refused = sum(1 for answers in pairs.values() for r in answers if r["status"] == 409)
        notes.append(f"claim races: {won}/{len(pairs)} awarded once, {refused} refused 409")
        if both or won != len(pairs) or not pairs:
            failures.append(f"claim races: {both} awarded twice, {len(pairs) - won - both} never")
        served = facts.get("served_by")
        if served:
            notes.append(f"scans served per instance {served}")
        if "restart" in events:
            during = [r for r in scans if events["restart"] <= r["start"] <= events.get("restarted", r["start"])]
            notes.append(f"rolling restart of one instance: {sum(1 for r in during if not ok(r))}/{len(during)} scans not 2xx meanwhile")
            if any(not ok(r) for r in during):
                failures.append("scans failed through the proxy while one instance restarted")
            recovery = events.get("restarted", events["restart"]) - events["restart"]
        if int(facts.get("rate_limit", "0")) == 0:
            notes.append("SIGNET_SCAN_RATE_LIMIT=0 (the load's six addresses would only measure the limit)")
        sent, alerted = int(facts.get("counterfeits_sent", "0")), int(facts.get("counterfeit_alerts", "-1"))
        duplicates, difference = int(facts.get("duplicate_alerts", "-1")), int(facts.get("rollup_difference", "-1"))
        if facts.get("consumers_caught_up") != "yes":
            failures.append("the alerts and statistics consumers did not catch up within 20 s")
        if alerted != sent:
            failures.append(f"{sent} counterfeit scans through the proxy raised {alerted} alerts")
        if duplicates != 0:
            failures.append(f"{duplicates} consultations raised the same alert twice")
        if difference != 0:
            failures.append(f"the rollups count {difference:+d} consultations against the table")
        notes.append(f"stream consumers on both instances: {alerted}/{sent} counterfeits alerted once, "
                     f"{duplicates} duplicate alerts, rollups {difference:+d} against the consultations")
        check_webhooks(directory, facts, options.receiver_log, failures, notes)
        limit = int(facts.get("api_rate_limit", "0"))
        if limit:
            allowed, limited = int(facts.get("api_allowed") or -1), int(facts.get("api_limited") or -1)
            other, sent = int(facts.get("api_other") or -1), int(facts.get("api_requests", "0"))
            notes.append(f"one API key through the proxy: {allowed} of {sent} requests allowed, {limited} refused 429 "
                         f"(limit {limit} a minute, shared by the instances)")
            if other:
                failures.append(f"{other} API requests answered neither 2xx nor 429")
            # One exchange (0.5 s) of the other instance's requests may pass before it counts.
            if not limit * 0.9 <= allowed <= limit * 1.15:
                failures.append(f"one API key got {allowed} requests through two instances with a limit of {limit}")

    refused = sum(1 for r in records if r["kind"] == "refused")
    if refused:
        notes.append(f"{refused} connection attempts refused while no server listened (retried, not counted as requests)")
    if errors:
        notes.append("client errors " + ", ".join(f"{k} {v}" for k, v in sorted(errors.items())))
    if unacknowledged_rows:
        notes.append(f"{unacknowledged_rows} consultations of unanswered scans (in flight)")
    notes.append("statuses " + ", ".join(f"{k}:{v}" for k, v in sorted(statuses.items())))

    result = {
        "scenario": scenario,
        "requests": len(scans) + len(claims),
        "scans": len(scans), "claims": len(claims),
        "acknowledged": len(acknowledged_scans) + len(acknowledged_claims),
        "acknowledged_claims": len(acknowledged_claims),
        "stored": stored,
        "lost": len(lost_scans) + len(lost_claims),
        "server_errors": len(server_errors),
        "recovery": recovery,
        "notes": notes,
        "failures": failures,
    }
    for line in notes:
        print(f"    {scenario}: {line}", file=sys.stderr)
    for line in failures:
        print(f"    {scenario}: FAILED: {line}", file=sys.stderr)
    for record in (lost_scans + lost_claims)[:10]:
        print(f"    lost: {json.dumps(record)}", file=sys.stderr)
    with open(options.results, "a") as file:
        file.write(json.dumps(result) + "\n")
    return 0


def table(options):
    results = []
    try:
        with open(options.results) as file:
            results = [json.loads(line) for line in file if line.strip()]
    except FileNotFoundError:
        pass
    lines = ["| scenario | requests | acknowledged | stored | lost | 5xx | recovery time | result | observed |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    failed = False
    for r in results:
        failed = failed or bool(r["failures"])
        requests = f"{r['requests']}" + (f" ({r['claims']} claims)" if r["claims"] else "")
        acknowledged = f"{r['acknowledged']}" + (f" ({r['acknowledged_claims']} claims)" if r["acknowledged_claims"] else "")
        outcome = "FAIL: " + "; ".join(r["failures"]) if r["failures"] else "pass"
        observed = "; ".join(n for n in r["notes"] if not n.startswith("statuses "))
        lines.append(f"| {r['scenario']} | {requests} | {acknowledged} | {r['stored']} | {r['lost']} | {r['server_errors']} "
                     f"| {seconds(r['recovery']) if r['recovery'] is not None else '—'} | {outcome} | {observed} |")
    for wanted in options.expect.split(",") if options.expect else []:
        if wanted not in {r["scenario"] for r in results}:
            failed = True
            lines.append(f"| {wanted} | — | — | — | — | — | — | FAIL: did not finish | |")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if options.out:
        with open(options.out, "w") as file:
            file.write(text)
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("check")
    one.add_argument("--scenario", required=True)
    one.add_argument("--log", required=True)
    one.add_argument("--dir", required=True)
    one.add_argument("--results", required=True)
    one.add_argument("--receiver-log", default="")
    every = sub.add_parser("table")
    every.add_argument("--results", required=True)
    every.add_argument("--out")
    every.add_argument("--expect", default="")
    options = parser.parse_args()
    return check(options) if options.command == "check" else table(options)


if __name__ == "__main__":
    sys.exit(main())
