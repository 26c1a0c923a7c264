"""Prints the benchmark figures and appends a dated row to docs/BENCHMARKS.md."""
import datetime
import os
import sys

r = {k[len("BENCH_"):]: v for k, v in os.environ.items() if k.startswith("BENCH_")}


def consultation_check(consultations, ok, connections):
    extra = consultations - ok
    if extra == 0:
        return "equal"
    if 0 < extra <= connections:
        return f"+{extra} in flight"
    return f"MISMATCH {consultations} vs {ok}"

scans = float(r["scan_2xx"]) / float(r["scan_seconds"])
pgbench = float(r["pgbench_tps"])
floor = float(r["floor_tps"])
hello = float(r["hello_rps"])


def rate(run):
    return (float(r[f"{run}_requests"]) - float(r[f"{run}_non_2xx"])) / float(r[f"{run}_seconds"])


# The runs went without, default rules, every scan an alert, default rules,
# without: each ratio compares runs placed alike around the middle one.
without = (scans + rate("without_again")) / 2
streamed = rate("streamed")
default = (rate("default") + rate("default_again")) / 2
row = {
    "date": datetime.date.today().isoformat(),
    "commit": os.environ.get("COMMIT", "?")
    + ("" if r["pool"] == "8" else f" (pool {r['pool']})")
    + ("" if r["connections"] == "64" else f" ({r['connections']} connections)"),
    "scans/s": f"{scans:.0f}",
    "p50 ms": r["scan_p50_ms"],
    "p99 ms": r["scan_p99_ms"],
    "non-2xx": str(int(r["scan_non_2xx"]) + int(r["scan_socket_errors"])),
    "peak RSS MB": r["peak_rss_mb"],
    "pgbench tps": f"{pgbench:.0f}",
    "pgbench p50/p99 ms": f"{r['pgbench_p50_ms']} / {r['pgbench_p99_ms']}",
    "hello req/s": f"{hello:.0f}",
    "scans/statement": f"{scans / pgbench:.2f}",
    "scans/hello": f"{scans / hello:.3f}",
    "1M seal batch s": f"{float(r['seal_batch_seconds']):.1f}",
    "GeoIP lookups/s": f"{int(r['geoip_lookups_per_second']):,}",
    # wrk stops counting at the deadline while up to one request per connection is
    # still in flight; the server completes (and records) those too.
    "consultations vs 2xx": consultation_check(int(r["consultations"]), int(r["scan_2xx"]), int(r["connections"])),
    # In the results table's column order: these columns came last.
    "1M API batch s": r["api_batch_seconds"],
    "1M export s": r["export_seconds"],
    "export RSS growth MB": r["export_rss_growth_mb"],
    "floor tps": f"{floor:.0f}",
    "floor p99 ms": r["floor_p99_ms"],
    # The headline: the share of the database's floor that Signet serves.
    "scans/floor": f"{scans / floor:.2f}",
    "server CPU µs/scan": r["server_cpu_us"],
    "database CPU µs/scan": r["database_cpu_us"],
    # The same load with the consumers at work, every scan raising an alert (their heaviest case).
    "scans/s with consumers": f"{streamed:.0f}",
    "with/without": f"{streamed / without:.2f}",
    "alert lag p50/p99 ms": f"{r['alert_lag_p50_ms']} / {r['alert_lag_p99_ms']}",
    # Seal updates written in place, without index writes (fillfactor leaves them room).
    "HOT seal updates %": r["seal_hot_percent"],
    # From the scan to the statistics rollups the dashboard reads (same run as the alert lag).
    "statistics lag p50/p99 ms": f"{r['statistics_lag_p50_ms']} / {r['statistics_lag_p99_ms']}",
    # The consumers as every brand starts (default alert rules, statistics): the production case.
    "default rules/without": f"{default / without:.2f}",
    # One 10,000-event EPCIS document (1,000 cartons packed, 9,000 units commissioned), POST to the job's end.
    "EPCIS events/s": r["epcis_events_per_s"],
    # CPU of the consumers' own database backends per scan, under the default rules.
    "consumers' database µs/scan": r["consumer_cpu_us"],
}
width = max(len(k) for k in row)
for key, value in row.items():
    print(f"{key:<{width}}  {value}")

path = sys.argv[1]
# The results table is the last thing in the file: a new row goes at the end.
with open(path, "a", encoding="utf-8") as f:
    f.write("| " + " | ".join(row.values()) + " |\n")
