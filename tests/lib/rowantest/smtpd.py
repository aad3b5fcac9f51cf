"""A private SMTP submission server that records what it receives.

    with smtpd.SmtpServer(dirpath, pki, users={'alice': 'secret'}) as s:
        s.host, s.ports['smtp'], s.ports['smtps']
        ... a client sends mail ...
        msgs = s.wait_for_messages(1)
        msgs[0]['mail_from'], msgs[0]['rcpt_tos'], msgs[0]['data'],
        msgs[0]['auth_user'], msgs[0]['tls']

The server is aiosmtpd, run by /usr/bin/python3 in its own process
(smtp_server.py).  Ports:

  smtp   plain; offers STARTTLS; AUTH PLAIN LOGIN only after STARTTLS
  smtps  implicit TLS; AUTH PLAIN LOGIN

A wrong password gets 535; with require_auth (the default) MAIL FROM
before AUTH gets 530.  Every accepted message is stored as a .eml and a
.json file under dirpath/smtpd/messages/, so messages() still works after
the server stopped.  stop() and start() keep the same ports.

Message records are dicts with mail_from (str), rcpt_tos (list of str),
data (bytes, as sent after dot-unstuffing, CRLF line ends, without the
final '.'), auth_user (str or None), tls (bool), plus mail_options,
rcpt_options, helo and peer.
"""

import glob
import json
import os
import time

from . import procs

SERVER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smtp_server.py")
START_TIMEOUT = 20


class SmtpError(RuntimeError):
    """The SMTP server did not start; the message ends with its log."""


class SmtpServer:
    """A recording SMTP server; see the module documentation."""

    host = procs.LOOPBACK

    def __init__(self, dirpath, pki, users=None, cert="server", require_auth=True,
                 smtputf8=False, size_limit=33554432):
        self.users = dict(users if users is not None else {"alice": "secret"})
        self.dir = procs.fresh_dir(os.fspath(dirpath), "smtpd")
        self.messages_dir = os.path.join(self.dir, "messages")
        self.log_path = os.path.join(self.dir, "smtpd.log")
        self.config_path = os.path.join(self.dir, "config.json")
        self.ready_path = os.path.join(self.dir, "ready.json")
        cert_path, key_path = pki.cert(cert)
        self._config = {
            "dir": self.dir, "cert": cert_path, "key": key_path,
            "users": self.users, "require_auth": bool(require_auth),
            "smtputf8": bool(smtputf8), "size_limit": size_limit,
            "smtp_port": 0, "smtps_port": 0,
        }
        self.ports = {}
        self._group = None
        self.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        """Start the server (on the previous ports after a stop())."""
        if self._group is not None and self._group.running():
            return
        if self.ports:
            self._config["smtp_port"] = self.ports["smtp"]
            self._config["smtps_port"] = self.ports["smtps"]
        with open(self.config_path, "w") as f:
            json.dump(self._config, f)
        try:
            os.unlink(self.ready_path)
        except FileNotFoundError:
            pass
        started = time.monotonic()
        self._group = procs.Group([procs.PYTHON, "-I", SERVER_SCRIPT, self.config_path],
                                  self.log_path)
        try:
            procs.wait_until(self._ready, START_TIMEOUT, what="the SMTP server")
        except (TimeoutError, SmtpError) as e:
            self.stop()
            raise SmtpError("SMTP server did not start: %s\n--- %s ---\n%s" % (
                e, self.log_path, procs.tail(self.log_path))) from None
        self.start_seconds = time.monotonic() - started

    def _ready(self):
        if not self._group.running():
            raise SmtpError("it exited with status %s" % self._group.exit_status())
        try:
            with open(self.ready_path) as f:
                ports = json.load(f)
        except FileNotFoundError:
            return False
        if not all(procs.port_open(p) for p in ports.values()):
            return False
        self.ports = ports
        return True

    def stop(self):
        """Stop the server; recorded messages stay readable."""
        if self._group is not None:
            self._group.stop()
            self._group = None

    def running(self):
        return self._group is not None and self._group.running()

    def log(self):
        """The server's log (one line per SMTP command, errors)."""
        return procs.read_text(self.log_path)

    def messages(self):
        """Every message received so far, in arrival order."""
        result = []
        for meta_path in sorted(glob.glob(os.path.join(self.messages_dir, "*.json"))):
            with open(meta_path) as f:
                record = json.load(f)
            with open(meta_path[:-len(".json")] + ".eml", "rb") as f:
                record["data"] = f.read()
            result.append(record)
        return result

    def wait_for_messages(self, n, timeout=10):
        """Wait until at least n messages arrived; return messages().

        Raises AssertionError (with the server log) on timeout.
        """
        try:
            procs.wait_until(lambda: len(self.messages()) >= n, timeout,
                             what="%d message(s)" % n)
        except TimeoutError:
            raise AssertionError("expected %d message(s), got %d within %gs\n--- %s ---\n%s"
                                 % (n, len(self.messages()), timeout, self.log_path,
                                    procs.tail(self.log_path))) from None
        return self.messages()
