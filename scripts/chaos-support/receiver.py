#!/usr/bin/env python3
"""A webhook receiver for scripts/chaos: records every delivery on arrival
and answers 204 after --delay seconds (a slow receiver keeps deliveries in
flight long enough for a SIGTERM to find them).

    receiver.py --port-file PORT_FILE --log deliveries.jsonl [--delay 2]

Each line of the log: {"webhook_id", "alert", "type", "brand", "at"}, where
`alert` is the alert's id from the body of an `alert.created` delivery.
Signatures are not checked here (the tests do that); duplicates are what
the scenarios look for.
"""
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--delay", type=float, default=0)
    options = parser.parse_args()
    lock = threading.Lock()
    log = open(options.log, "a")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            try:
                payload = json.loads(body)
            except ValueError:
                payload = {}
            data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
            line = {"webhook_id": self.headers.get("webhook-id"), "alert": data.get("id"), "type": payload.get("type"),
                    "brand": payload.get("brand"), "at": time.time()}
            with lock:
                log.write(json.dumps(line) + "\n")
                log.flush()
            if options.delay:
                time.sleep(options.delay)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(options.port_file + ".tmp", "w") as file:
        file.write(str(server.server_address[1]))
    # Renamed into place, so a reader never sees half a number.
    os.replace(options.port_file + ".tmp", options.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
