"""The SMTP server process behind smtpd.SmtpServer (aiosmtpd).

    /usr/bin/python3 -I smtp_server.py CONFIG.json

CONFIG holds: dir (where messages/ and ready.json go), cert, key, users
({name: password}), require_auth, smtputf8, size_limit, smtp_port and
smtps_port (0: any free port).  Once both listeners are bound the actual
ports are written to dir/ready.json.  Each accepted message becomes
messages/NNNNNN.eml (the data) and NNNNNN.json (the envelope), the JSON
written last and atomically, so a reader never sees half a message.

aiosmtpd 1.4's own STARTTLS uses asyncio internals that changed in Python
3.11; this server replaces it with loop.start_tls().  Reading stops before
the 220 reply so the client's ClientHello stays in the socket for the TLS
layer, and anything the client pipelined after STARTTLS is discarded, as
RFC 3207 requires.
"""

import asyncio
import json
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, TLSSetupException


class Recorder:
    """aiosmtpd handler: store each message as .eml + .json."""

    def __init__(self, directory):
        self.dir = os.path.join(directory, "messages")
        os.makedirs(self.dir, exist_ok=True)
        # After a restart, carry on numbering after the messages kept.
        self.count = max([int(name[:-5]) for name in os.listdir(self.dir)
                          if name.endswith(".json")] or [0])

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.dir, "%06d" % self.count)
        data = envelope.original_content or envelope.content
        with open(base + ".eml", "wb") as f:
            f.write(data)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "mail_options": list(envelope.mail_options),
            "rcpt_options": list(envelope.rcpt_options),
            "auth_user": session.auth_data if session.authenticated else None,
            "tls": bool(server.tls_active),
            "helo": session.host_name,
            "peer": list(session.peer) if session.peer else None,
        }
        with open(base + ".tmp", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".tmp", base + ".json")
        return "250 2.0.0 OK queued as %06d" % self.count


class HarnessSMTP(SMTP):
    """aiosmtpd's SMTP with a STARTTLS that works on Python 3.11."""

    def __init__(self, handler, starttls_context=None, **kwargs):
        super().__init__(handler, tls_context=starttls_context, **kwargs)
        self.tls_active = False

    def connection_made(self, transport):
        super().connection_made(transport)
        if transport.get_extra_info("ssl_object") is not None:
            # Implicit TLS (SMTPS): behave as after a STARTTLS.
            self.tls_active = True
            self._tls_protocol = True

    async def smtp_STARTTLS(self, arg):
        if arg:
            await self.push("501 Syntax: STARTTLS")
            return
        if not self.tls_context or self.tls_active:
            await self.push("454 4.7.0 TLS not available")
            return
        raw = self.transport
        raw.pause_reading()
        await self.push("220 2.0.0 Ready to start TLS")
        self._reader._buffer.clear()        # plaintext sent ahead of TLS
        try:
            tls = await self.loop.start_tls(raw, self, self.tls_context,
                                            server_side=True,
                                            ssl_handshake_timeout=30)
        except Exception as error:
            raise TLSSetupException("TLS handshake failed") from error
        self._original_transport = raw
        self.transport = tls
        self._transport = tls               # StreamReaderProtocol's
        self._over_ssl = True
        self._reader._transport = tls
        self._writer._transport = tls
        self._tls_protocol = True
        self.tls_active = True
        # RFC 3207 4.2: forget everything learnt before TLS.
        peer = self.session.peer
        self.session = self._create_session()
        self.session.peer = peer
        self.session.ssl = {"ssl_object": tls.get_extra_info("ssl_object")}
        self._set_rset_state()


def authenticator(users):
    def check(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        if users.get(login) == password:
            return AuthResult(success=True, auth_data=login)
        return AuthResult(success=False, handled=False)
    return check


async def serve(config):
    loop = asyncio.get_running_loop()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(config["cert"], config["key"])
    handler = Recorder(config["dir"])
    common = dict(hostname="localhost", ident="Rowan test SMTP",
                  authenticator=authenticator(config["users"]),
                  auth_required=config["require_auth"],
                  auth_require_tls=True,
                  enable_SMTPUTF8=config["smtputf8"],
                  data_size_limit=config["size_limit"], loop=loop)
    plain = await loop.create_server(
        lambda: HarnessSMTP(handler, starttls_context=ctx, **common),
        "127.0.0.1", config["smtp_port"])
    implicit = await loop.create_server(
        lambda: HarnessSMTP(handler, **common),
        "127.0.0.1", config["smtps_port"], ssl=ctx)
    ports = {"smtp": plain.sockets[0].getsockname()[1],
             "smtps": implicit.sockets[0].getsockname()[1]}
    ready = os.path.join(config["dir"], "ready.json")
    with open(ready + ".tmp", "w") as f:
        json.dump(ports, f)
    os.rename(ready + ".tmp", ready)
    logging.info("listening on %s", ports)
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    await stop
    plain.close()
    implicit.close()


def main(argv):
    with open(argv[1]) as f:
        config = json.load(f)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
