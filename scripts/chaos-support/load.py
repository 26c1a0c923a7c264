#!/usr/bin/env python3
"""Steady scan load for scripts/chaos: a few client threads, each request a
seal of its own, every answer (or failure) logged as one JSON line.

    load.py --base http://127.0.0.1:PORT --paths scans.txt --first 0 --last 4999
            --clients 4 --pause 0.05 --log scans.jsonl --stop STOPFILE
            [--claims] [--health 0.5] [--timeout 20] [--max-seconds 120]

Line i of the scan list (from `signet bench load --scan-list`) is seal i;
the threads take lines first..last in order, each once, and stop when the
stop file appears, the lines run out or --max-seconds pass. With --claims,
a genuine first scan's page is followed by its loyalty claim (POST
/wallet/claim with the page's token, no wallet cookie: a new wallet each
time). With --health, one more thread asks /health every that many seconds.

A connection refused (the server is down or restarting) sends nothing: the
same seal is tried again 20 ms later, the refusal logged as kind `refused`.

A log line: kind (scan, claim, health, refused), i, gtin, serial, start and end
(seconds since 1970, this machine's clock), connected (the TCP connection
was made; seconds since 1970 or null), status (or null), error (refused,
connect-timeout, reset, timeout, ...), verdict, location (claims),
retry_after.
"""
import argparse
import html
import http.client
import json
import os
import random
import re
import socket
import sys
import threading
import time
import urllib.parse

LANGUAGES = ["en-GB,en;q=0.9", "fr-FR,fr;q=0.9,en;q=0.5", "de-DE,de;q=0.9,en;q=0.3", "es-ES,es;q=0.9"]
# Documentation and well-known public addresses: countries for the GeoIP file.
ADDRESSES = ["212.27.48.10", "8.8.8.8", "81.2.69.160", "193.0.6.139", "1.1.1.1", "10.9.8.7"]
VERDICT = re.compile(rb'data-verdict="([a-z_]+)"')
TOKEN = re.compile(rb'<input type="hidden" name="token" value="([^"]+)"')
SEAL = re.compile(r"^/01/(\d{14})(?:/10/[^/]+)?/21/([^?]+)")


def classify(error):
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(error, http.client.RemoteDisconnected):
        return "closed-without-answer"
    if isinstance(error, http.client.IncompleteRead):
        return "incomplete-answer"
    if isinstance(error, (ConnectionResetError, BrokenPipeError)):
        return "reset"
    return type(error).__name__


def request(host, port, method, path, headers, body=None, timeout=20.0):
    """One request on a connection of its own. Returns a dict for the log."""
    record = {"start": time.time(), "connected": None, "status": None, "error": None}
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        try:
            connection.connect()
        except Exception as error:  # noqa: BLE001 - every failure is logged
            name = classify(error)
            record["error"] = "connect-timeout" if name == "timeout" else name
            return record, b"", None
        record["connected"] = time.time()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        record["status"] = response.status
        return record, payload, response
    except Exception as error:  # noqa: BLE001
        record["error"] = classify(error)
        return record, b"", None
    finally:
        record["end"] = time.time()
        connection.close()


class Writer:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, record):
        line = json.dumps(record, separators=(",", ":"))
        with self.lock:
            self.file.write(line + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--paths", required=True)
    parser.add_argument("--first", type=int, required=True)
    parser.add_argument("--last", type=int, required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--pause", type=float, default=0.05)
    parser.add_argument("--log", required=True)
    parser.add_argument("--stop", required=True)
    parser.add_argument("--claims", action="store_true")
    parser.add_argument("--health", type=float, default=0)
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--max-seconds", type=float, default=120)
    options = parser.parse_args()

    base = urllib.parse.urlsplit(options.base)
    host, port = base.hostname, base.port
    with open(options.paths) as file:
        lines = file.read().splitlines()
    paths = lines[options.first:options.last + 1]
    writer = Writer(options.log)
    deadline = time.time() + options.max_seconds
    state = {"next": 0}
    lock = threading.Lock()

    def running():
        return not os.path.exists(options.stop) and time.time() < deadline

    def take():
        with lock:
            index = state["next"]
            if index >= len(paths):
                return None
            state["next"] += 1
            return index

    def client(number):
        rng = random.Random(number)
        agent = f"signet-chaos/1 (client {number})"
        while running():
            index = take()
            if index is None:
                writer.write({"kind": "exhausted", "client": number, "start": time.time()})
                return
            path = paths[index]
            gtin, serial = SEAL.match(path).groups()
            address = rng.choice(ADDRESSES)
            headers = {"Host": base.netloc, "User-Agent": agent, "Accept": "text/html",
                       "Accept-Language": rng.choice(LANGUAGES), "X-Forwarded-For": address,
                       "Connection": "close"}
            record, payload, response = request(host, port, "GET", path, headers, timeout=options.timeout)
            while record["error"] == "refused" and running():
                # Nothing reached the server (it is down or restarting): the
                # same seal again shortly, the attempt logged apart.
                writer.write({"kind": "refused", "i": options.first + index, "start": record["start"]})
                time.sleep(0.02)
                record, payload, response = request(host, port, "GET", path, headers, timeout=options.timeout)
            record.update(kind="scan", i=options.first + index, gtin=gtin, serial=serial)
            match = VERDICT.search(payload)
            record["verdict"] = match.group(1).decode() if match else None
            if response is not None and response.status == 503:
                record["retry_after"] = response.getheader("Retry-After")
            writer.write(record)
            token = TOKEN.search(payload)
            if options.claims and record["status"] == 200 and token:
                body = urllib.parse.urlencode({"token": html.unescape(token.group(1).decode())})
                claim_headers = {"Host": base.netloc, "User-Agent": agent, "X-Forwarded-For": address,
                                 "Content-Type": "application/x-www-form-urlencoded", "Connection": "close"}
                claim, _, response = request(host, port, "POST", "/wallet/claim", claim_headers, body=body,
                                             timeout=options.timeout)
                claim.update(kind="claim", i=options.first + index, gtin=gtin, serial=serial,
                             location=response.getheader("Location") if response is not None else None)
                writer.write(claim)
            if options.pause:
                time.sleep(options.pause)

    def health():
        headers = {"Host": base.netloc, "Connection": "close"}
        while running():
            record, payload, _ = request(host, port, "GET", "/health", headers, timeout=options.timeout)
            record["kind"] = "health"
            try:
                record["body"] = json.loads(payload) if payload else None
            except ValueError:
                record["body"] = None
            writer.write(record)
            time.sleep(options.health)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(options.clients)]
    if options.health:
        threads.append(threading.Thread(target=health, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
