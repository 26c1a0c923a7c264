#!/usr/bin/env python3
"""The same loyalty claim sent to two instances at once, for scripts/chaos.

    race.py --scan-base http://127.0.0.1:NGINX --bases http://127.0.0.1:A,http://127.0.0.1:B
            --paths scans.txt --first 9000 --last 9019 --log race.jsonl

For each line first..last of the scan list: scan the seal through
--scan-base, take the claim token from its genuine first page, then post it
from two threads released together, one to each of --bases (each without
a wallet cookie: two wallets want the same seal). Logs each scan and claim
like load.py, with `pair` naming the seal the claims raced for.
"""
import argparse
import html
import threading
import urllib.parse

from load import SEAL, TOKEN, VERDICT, Writer, request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scan-base", required=True)
    parser.add_argument("--bases", required=True)
    parser.add_argument("--paths", required=True)
    parser.add_argument("--first", type=int, required=True)
    parser.add_argument("--last", type=int, required=True)
    parser.add_argument("--log", required=True)
    options = parser.parse_args()

    scan_base = urllib.parse.urlsplit(options.scan_base)
    bases = [urllib.parse.urlsplit(base) for base in options.bases.split(",")]
    with open(options.paths) as file:
        lines = file.read().splitlines()
    writer = Writer(options.log)
    for index in range(options.first, options.last + 1):
        path = lines[index]
        gtin, serial = SEAL.match(path).groups()
        headers = {"Host": scan_base.netloc, "User-Agent": "signet-chaos/1 (race)", "Accept": "text/html",
                   "X-Forwarded-For": "81.2.69.160", "Connection": "close"}
        record, payload, _ = request(scan_base.hostname, scan_base.port, "GET", path, headers)
        verdict = VERDICT.search(payload)
        record.update(kind="scan", i=index, gtin=gtin, serial=serial, verdict=verdict.group(1).decode() if verdict else None)
        writer.write(record)
        token = TOKEN.search(payload)
        if record["status"] != 200 or not token:
            continue
        body = urllib.parse.urlencode({"token": html.unescape(token.group(1).decode())})
        barrier = threading.Barrier(len(bases))

        def claim(base, number):
            claim_headers = {"Host": base.netloc, "User-Agent": f"signet-chaos/1 (race {number})",
                             "X-Forwarded-For": f"193.0.6.{139 + number}",
                             "Content-Type": "application/x-www-form-urlencoded", "Connection": "close"}
            barrier.wait()
            result, _, response = request(base.hostname, base.port, "POST", "/wallet/claim", claim_headers, body=body)
            result.update(kind="claim", i=index, gtin=gtin, serial=serial, pair=index, instance=base.netloc,
                          location=response.getheader("Location") if response is not None else None)
            writer.write(result)

        threads = [threading.Thread(target=claim, args=(base, n)) for n, base in enumerate(bases)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
