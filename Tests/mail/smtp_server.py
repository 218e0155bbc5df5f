#!/usr/bin/env python3
"""A real SMTP server on loopback for obuka's mail tests: aiosmtpd with STARTTLS (required) and AUTH PLAIN/LOGIN,
its certificate made with openssl; every message it accepts is saved as NNN.eml in a folder.

    smtp_server.py FOLDER PORT_FILE [--user U --password P] [--refuse] [--delay-ms N]

Writes the port it listens on to PORT_FILE once ready (and the certificate to FOLDER/cert.pem for msmtp to trust);
beside each NNN.eml, NNN.json is what `read_message.py` makes of it (Python's `email` parser and `icalendar`);
`--refuse` answers every message with 554; `--delay-ms N` answers each one N ms after saving it (a slow relay: a sender
killed meanwhile has handed over a message it never hears accepted). Runs until killed.
"""
import argparse
import asyncio
import json
import os
import pathlib
import signal
import socket
import ssl
import subprocess

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from read_message import describe


class Saver:
    def __init__(self, folder, refuse, delay=0.0):
        self.folder, self.refuse, self.delay, self.count = folder, refuse, delay, 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Relay refused by the test"
        self.count += 1
        path = self.folder / f"{self.count:03d}.eml"
        raw = envelope.original_content or envelope.content
        path.write_bytes(raw)
        (self.folder / f"{self.count:03d}.json").write_text(json.dumps(describe(raw), ensure_ascii=False))
        (self.folder / f"{self.count:03d}.rcpt").write_text("\n".join(envelope.rcpt_tos))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK saved"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("port_file")
    parser.add_argument("--user", default="obuka")
    parser.add_argument("--password", default="tajna-lozinka")
    parser.add_argument("--refuse", action="store_true")
    parser.add_argument("--delay-ms", type=int, default=0)
    args = parser.parse_args()
    folder = pathlib.Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
                and auth_data.password.decode() == args.password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Saver(folder, args.refuse, args.delay_ms / 1000), hostname="127.0.0.1", port=port,
                            tls_context=context, require_starttls=True, authenticator=authenticate, auth_required=True,
                            auth_require_tls=True)
    controller.start()
    # Ended by SIGTERM even when the test runner started it with SIGTERM ignored (an ignored signal is inherited).
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    pathlib.Path(args.port_file).write_text(str(port))
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
