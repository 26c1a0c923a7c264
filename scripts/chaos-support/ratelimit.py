#!/usr/bin/env python3
"""One API key's requests spread over two instances by nginx, for
scripts/chaos: sends COUNT requests at an even pace over SECONDS, all
inside one clock minute (the limit's shared window; it waits for the next
minute when the rest of this one is too short), and prints how many were
answered 2xx, 429 and otherwise.

    ratelimit.py --base http://127.0.0.1:NGINX --key sgk_... --path /api/v1/webhooks --count 1000 --seconds 10

Prints: allowed=N limited=M other=K
"""
import argparse
import http.client
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    options = parser.parse_args()
    url = urllib.parse.urlsplit(options.base)
    if 60 - time.time() % 60 < options.seconds + 5:
        time.sleep(60 - time.time() % 60 + 0.5)
    counts = {"allowed": 0, "limited": 0, "other": 0}
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    started = time.time()
    for i in range(options.count):
        delay = started + i * options.seconds / options.count - time.time()
        if delay > 0:
            time.sleep(delay)
        try:
            connection.request("GET", options.path, headers={"Authorization": f"Bearer {options.key}"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            status = None
        if status is not None and 200 <= status < 300:
            counts["allowed"] += 1
        elif status == 429:
            counts["limited"] += 1
        else:
            counts["other"] += 1
    print(" ".join(f"{key}={value}" for key, value in counts.items()))


if __name__ == "__main__":
    main()
