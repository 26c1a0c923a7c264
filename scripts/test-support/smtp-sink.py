#!/usr/bin/python3
"""A real SMTP server for the mail tests (aiosmtpd), keeping what it receives.

Each accepted message becomes OUT/<n>.json: the envelope (sender, recipients,
the user name it authenticated as, whether the session was under TLS), the
raw message in base64, and what Python's own e-mail parser reads from it
(decoded subject and bodies, headers, defects), so the tests check the
client's output against an implementation other than its own.

Once it accepts connections it writes its port to OUT/port and prints
"READY <port>"; it stops when its standard input closes (when the test
process that started it ends).

    smtp-sink.py --out DIR [--starttls | --implicit-tls] [--auth USER:PASSWORD] [--only-login]
"""
import argparse
import base64
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import subprocess
import sys

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:
    sys.stderr.write(
        "the Python module aiosmtpd is missing: install Debian's python3-aiosmtpd "
        "(scripts/test installs it) and run this with /usr/bin/python3\n")
    sys.exit(3)


class SavingHandler:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)

        def body(kind):
            part = parsed.get_body(preferencelist=(kind,))
            return None if part is None else part.get_content()

        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated_as": session.auth_data,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "raw_base64": base64.b64encode(raw).decode("ascii"),
            "subject": parsed["subject"],
            "from": parsed["from"],
            "to": [str(address) for address in parsed["to"].addresses] if parsed["to"] else [],
            "message_id": parsed["message-id"],
            "date": parsed["date"],
            "content_type": parsed.get_content_type(),
            "text": body("plain"),
            "html": body("html"),
            "defects": [type(defect).__name__ for part in parsed.walk() for defect in part.defects],
        }
        # Written whole and then renamed, so a reader never sees half a file.
        path = os.path.join(self.folder, f"{self.count}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 OK: message kept"


def self_signed_context(folder):
    """A certificate for 127.0.0.1 and localhost; the test trusts cert.pem."""
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    # A process started from a thread of the test runner inherits its blocked
    # signals; unblocked, SIGTERM stops this server as it should.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--starttls", action="store_true", help="offer and require STARTTLS")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps)")
    parser.add_argument("--auth", help="USER:PASSWORD that AUTH must give")
    parser.add_argument("--only-login", action="store_true", help="offer AUTH LOGIN but not PLAIN")
    arguments = parser.parse_args()

    options = {}
    if arguments.starttls:
        options.update(tls_context=self_signed_context(arguments.out), require_starttls=True)
    elif arguments.implicit_tls:
        options.update(ssl_context=self_signed_context(arguments.out))
    if arguments.auth:
        user, password = arguments.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            accepted = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=accepted, handled=False, auth_data=f"{auth_data.login.decode()} via {mechanism}")

        options.update(authenticator=authenticator, auth_required=True,
                       # aiosmtpd counts only STARTTLS as TLS; under implicit TLS it would hide AUTH.
                       auth_require_tls=arguments.starttls)
        if arguments.only_login:
            options.update(auth_exclude_mechanism=["PLAIN"])

    port = free_port()
    controller = Controller(SavingHandler(arguments.out), hostname="127.0.0.1", port=port,
                            server_hostname="signet-test-sink", **options)
    controller.start()
    ready = os.path.join(arguments.out, "port")
    with open(ready + ".tmp", "w") as file:
        file.write(str(port))
    os.rename(ready + ".tmp", ready)
    print(f"READY {port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
