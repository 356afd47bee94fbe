#!/usr/bin/env python3
"""A real SMTP server on loopback for TicketPulseEmail's tests (aiosmtpd).

It binds 127.0.0.1 on a free port, prints "READY <port>" on stdout once it accepts
connections, and stops when its standard input closes (so a test that dies leaves no
server behind). Each message it accepts is written to --out as <n>.json (the envelope, how
the client authenticated, whether TLS was on, and the message as Python's own email parser
reads it: an independent check of our MIME) and <n>.eml (the raw data), the .json last and
renamed into place, so a reader never sees half a message.

Behaviour by recipient local part, for the fault tests:
  refuse@...   550 on RCPT TO
  greylist@... 451 the first time the address is seen, accepted afterwards
  drop@...     the first DATA for it closes the connection before the final reply
               (nothing is stored); the next one is accepted
"""
import argparse
import asyncio
import json
import logging
import os
import ssl
import subprocess
import sys
import warnings
from email import policy
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def local_part(address):
    return address.split("@", 1)[0].lower()


class Handler:
    def __init__(self, out):
        self.out = out
        self.count = 0
        self.greylisted = set()
        self.dropped = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if local_part(address) == "refuse":
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if local_part(address) == "greylist" and address.lower() not in self.greylisted:
            self.greylisted.add(address.lower())
            return "451 4.7.1 <%s>: greylisted, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        drops = [r.lower() for r in envelope.rcpt_tos if local_part(r) == "drop" and r.lower() not in self.dropped]
        if drops:
            self.dropped.update(drops)
            # The whole message has arrived but is neither stored nor acknowledged: the client
            # must see a dropped connection and not know whether the message was taken.
            server.transport.abort()
            return "421 4.4.2 connection dropped"
        self.count += 1
        raw = envelope.original_content
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        parts = []
        for part in parsed.walk():
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "content": part.get_content(),
            })
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_mechanism": getattr(session, "tp_mechanism", None),
            "auth_login": getattr(session, "tp_login", None),
            # session.ssl is set by STARTTLS only; an implicit-TLS transport carries its own.
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "subject": str(parsed["subject"]),
            "from": str(parsed["from"]),
            "to": str(parsed["to"]),
            "message_id": str(parsed["message-id"]),
            "date": str(parsed["date"]),
            "content_type": parsed.get_content_type(),
            "parts": parts,
            "defects": [repr(d) for d in parsed.defects] + [repr(d) for p in parsed.walk() for d in p.defects],
            "max_line_length": max((len(line) for line in raw.split(b"\r\n")), default=0),
        }
        name = os.path.join(self.out, "%03d" % self.count)
        with open(name + ".eml", "wb") as f:
            f.write(raw)
        with open(name + ".json.tmp", "w") as f:
            json.dump(record, f, indent=1)
        os.rename(name + ".json.tmp", name + ".json")
        return "250 2.0.0 queued as %03d" % self.count


def make_authenticator(username, password):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == username and auth_data.password.decode() == password
        if ok:
            session.tp_mechanism = mechanism
            session.tp_login = username
        return AuthResult(success=ok, handled=False)
    return authenticator


def tls_context(cert_dir):
    """A self-signed certificate for 127.0.0.1 and localhost, made with openssl."""
    cert = os.path.join(cert_dir, "cert.pem")
    key = os.path.join(cert_dir, "key.pem")
    if not os.path.exists(cert):
        subprocess.run([
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-keyout", key, "-out", cert, "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main():
    # AUTH without TLS is what the plain tests exercise on purpose; the warning is noise.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--out", required=True)
    arguments.add_argument("--auth", help="USER:PASSWORD; AUTH is then required")
    arguments.add_argument("--auth-exclude", action="append", default=[], help="a mechanism not to offer (PLAIN, LOGIN)")
    arguments.add_argument("--starttls", action="store_true", help="offer and require STARTTLS")
    arguments.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (port 465 style)")
    arguments.add_argument("--cert-dir", help="where the self-signed certificate is made (cert.pem, key.pem)")
    options = arguments.parse_args()
    os.makedirs(options.out, exist_ok=True)

    context = tls_context(options.cert_dir) if options.starttls or options.implicit_tls else None
    kwargs = {"hostname": "smtp.test", "decode_data": False}
    if options.auth:
        user, password = options.auth.split(":", 1)
        kwargs.update(authenticator=make_authenticator(user, password), auth_required=True,
                      auth_require_tls=False, auth_exclude_mechanism=options.auth_exclude)
    if options.starttls:
        kwargs.update(tls_context=context, require_starttls=True)
    handler = Handler(options.out)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **kwargs), "127.0.0.1", 0,
                                      ssl=context if options.implicit_tls else None)
    port = server.sockets[0].getsockname()[1]
    print("READY %d" % port, flush=True)

    stopped = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), lambda: stopped.set() if not sys.stdin.buffer.read1(4096) else None)
    await stopped.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
