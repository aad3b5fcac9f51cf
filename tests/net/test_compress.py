"""IMAP COMPRESS=DEFLATE (RFC 4978) through Rowan's own deflate layer:
against the real Dovecot (imap_zlib), over IMAPS and plain IMAP, with
fewer bytes on the wire than as text; and against scripted servers that
send garbage, bombs, nothing or a refusal after COMPRESS."""

import os
import re
import sys
import time
import zlib

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import certs, dovecot, tap, workdir  # noqa: E402
import fakeserver  # noqa: E402
import netprobe  # noqa: E402

suite = tap.Suite()
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)
servers = []
STATS = re.compile(r"^compress wire_in=(\d+) plain_in=(\d+) wire_out=(\d+) plain_out=(\d+)$",
                   re.M)
CAPS = "IMAP4rev1 AUTH=PLAIN COMPRESS=DEFLATE"


def real_server():
    if not servers:
        dc = dovecot.Dovecot(wd.path, pki, users={"alice": "secret"})
        dc.fill("alice", "INBOX", 500)
        servers.append(dc)
    if not servers[0].compress:
        tap.skip("Dovecot's imap_zlib plugin is not installed")
    return servers[0]


def stats(r):
    m = STATS.search(r.stderr)
    assert m, "no compression statistics:\n" + r.describe()
    return tuple(int(x) for x in m.groups())


def check_session(r):
    r.expect_ok()
    assert r.count == 500, r.describe()
    wire_in, plain_in, wire_out, plain_out = stats(r)
    # 500 messages of fetched text came through the inflater...
    assert plain_in > 500 * 300, r.describe()
    # ...and took far fewer bytes on the wire, both ways together.
    assert wire_in + wire_out < (plain_in + plain_out) / 2, r.describe()
    return plain_in / wire_in


@suite.case("IMAPS + COMPRESS: LIST, SELECT, UID FETCH of 500, LOGOUT")
def _():
    dc = real_server()
    r = netprobe.run("imap", "imaps", dc.ports["imaps"], ca=pki.ca_file,
                     user="alice", password="secret", extra=["--compress", "--fetch"])
    ratio = check_session(r)
    tap.diag("IMAPS: %.1f times fewer bytes received (%d on the wire)"
             % (ratio, stats(r)[0]))
    # Dovecot saw a compressed session that ended cleanly.
    log = dc.log()
    assert "Disconnected: Logged out" in log, log[-2000:]


@suite.case("plain IMAP (STARTTLS) + COMPRESS works the same")
def _():
    dc = real_server()
    r = netprobe.run("imap", "starttls", dc.ports["imap"], ca=pki.ca_file,
                     user="alice", password="secret", extra=["--compress", "--fetch"])
    check_session(r)


@suite.case("without COMPRESS the probe reports no compression statistics")
def _():
    dc = real_server()
    r = netprobe.run("imap", "imaps", dc.ports["imaps"], ca=pki.ca_file,
                     user="alice", password="secret", extra=["--fetch"]).expect_ok()
    assert r.count == 500 and not STATS.search(r.stderr), r.describe()


# ---- scripted servers ----------------------------------------------------

class Deflated:
    """The compressed side of a fake server's connection."""

    def __init__(self, conn, leftover=b""):
        self.conn = conn
        self.inflater = zlib.decompressobj(-15)
        self.deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.text = self.inflater.decompress(leftover)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("ascii")
        return self.conn.send(self.deflater.compress(data)
                              + self.deflater.flush(zlib.Z_SYNC_FLUSH))

    def command(self):
        """(tag, verb) of the next compressed command, or (None, None)."""
        while b"\n" not in self.text:
            try:
                chunk = self.conn.sock.recv(65536)
            except OSError:
                return None, None
            if not chunk:
                return None, None
            self.text += self.inflater.decompress(chunk)
        line, _, self.text = self.text.partition(b"\n")
        words = line.decode("latin-1").split()
        return words[0], words[1].upper() if len(words) > 1 else ""


def compress_server(after_ok, greeting_caps=CAPS, same_segment=None):
    """A server that agrees to COMPRESS, then runs after_ok(conn, deflated)."""
    def compress(conn, tag, line):
        if same_segment is not None:
            conn.send(("%s OK DEFLATE active\r\n" % tag).encode() + same_segment)
        else:
            conn.send("%s OK DEFLATE active\r\n" % tag)
        after_ok(conn, Deflated(conn, conn._pending))
        return False

    def script(conn):
        fakeserver.imap_session(
            conn, greeting="* OK [CAPABILITY %s] fake\r\n" % greeting_caps,
            handlers={"COMPRESS": compress,
                      "CAPABILITY": lambda c, t, l: c.send(
                          "* CAPABILITY %s\r\n%s OK done\r\n" % (greeting_caps, t))})
    return script


def probe(server, *extra, timeout=5):
    return netprobe.run("imap", "none", server.port, host="127.0.0.1",
                        user="alice", password="secret", timeout=timeout,
                        extra=("--compress",) + extra, limit=30)


def serve(script, *extra, timeout=5):
    with fakeserver.FakeServer(script) as server:
        r = probe(server, *extra, timeout=timeout)
    assert not server.errors, server.errors
    return r, server


@suite.case("a compressed LIST from a scripted server is understood")
def _():
    def after(conn, z):
        tag, verb = z.command()
        assert verb == "LIST", verb
        z.send('* LIST () "/" INBOX\r\n%s OK listed\r\n' % tag)
        tag, verb = z.command()
        assert verb == "LOGOUT", verb
        z.send("* BYE bye\r\n%s OK bye\r\n" % tag)
    r, _ = serve(compress_server(after))
    r.expect_ok()


@suite.case("garbage after COMPRESS OK: a PROTOCOL error, at once")
def _():
    def after(conn, z):
        z.command()
        conn.send(bytes(range(256)) * 4)
        conn.wait_closed(10)
    r, _ = serve(compress_server(after))
    r.expect_error("protocol", "corrupt compressed data", "127.0.0.1:")
    assert r.seconds < 4, r.describe()


@suite.case("garbage in the same segment as COMPRESS OK: a PROTOCOL error")
def _():
    def after(conn, z):
        conn.wait_closed(10)
    r, _ = serve(compress_server(after, same_segment=b"\xff\xfe garbage \x00" * 20))
    r.expect_error("protocol", "corrupt compressed data")
    assert r.seconds < 4, r.describe()


@suite.case("a valid answer sent with the OK (read ahead) is inflated")
def _():
    # The server answers LIST before the client asks: the bytes arrive
    # together with the OK and must go through the inflater first.
    z0 = zlib.compressobj(6, zlib.DEFLATED, -15)
    early = z0.compress(b"* OK [ALERT] early and compressed\r\n") + z0.flush(zlib.Z_SYNC_FLUSH)

    def after(conn, z):
        z.deflater = z0
        tag, verb = z.command()
        z.send('* LIST () "/" INBOX\r\n%s OK listed\r\n' % tag)
        tag, verb = z.command()
        z.send("* BYE bye\r\n%s OK bye\r\n" % tag)
    r, _ = serve(compress_server(after, same_segment=early))
    r.expect_ok()


@suite.case("a compressed bomb (one endless line) hits the line limit")
def _():
    def after(conn, z):
        z.command()
        # 64 MiB of 'a' without a line end: about 64 KiB compressed.
        chunk = z.deflater.compress(b"a" * (1 << 20))
        for _ in range(64):
            if not conn.send(chunk):
                return
        conn.send(z.deflater.flush(zlib.Z_SYNC_FLUSH))
        conn.wait_closed(10)
    r, _ = serve(compress_server(after), "--max-line", "65536")
    r.expect_error("protocol", "127.0.0.1:")
    assert "line" in r.message, r.describe()
    assert r.seconds < 10, r.describe()


@suite.case("the server closing after COMPRESS OK: a NET error")
def _():
    def after(conn, z):
        z.command()
    r, _ = serve(compress_server(after))
    r.expect_error("net", "closed the connection")


@suite.case("a silent server after COMPRESS OK: the timeout still holds")
def _():
    def after(conn, z):
        z.command()
        conn.wait_closed(10)
    r, _ = serve(compress_server(after), timeout=2)
    r.expect_error("net", "timed out")
    assert r.seconds < 6, r.describe()


@suite.case("cancelling a compressed stream ends the wait")
def _():
    def after(conn, z):
        z.command()
        conn.wait_closed(10)
    r, _ = serve(compress_server(after), "--cancel-after", "1000", timeout=20)
    r.expect_error("net", "cancelled")
    assert r.seconds < 6, r.describe()


@suite.case("the server ending its deflate stream early: a PROTOCOL error")
def _():
    def after(conn, z):
        z.command()
        final = zlib.compressobj(6, zlib.DEFLATED, -15)
        conn.send(final.compress(b"* OK fine\r\n") + final.flush(zlib.Z_FINISH)
                  + b"trailing")
        conn.wait_closed(10)
    r, _ = serve(compress_server(after))
    r.expect_error("protocol", "after ending its compressed stream")


@suite.case("COMPRESS refused with NO: a SERVER error, nothing inflated")
def _():
    def script(conn):
        fakeserver.imap_session(
            conn, greeting="* OK [CAPABILITY %s] fake\r\n" % CAPS,
            handlers={"COMPRESS": lambda c, t, l: c.send("%s NO not today\r\n" % t)})
    r, _ = serve(script)
    r.expect_error("server", "refused to compress", "not today")


@suite.case("no COMPRESS=DEFLATE capability: nothing is sent")
def _():
    def script(conn):
        fakeserver.imap_session(conn, greeting="* OK [CAPABILITY IMAP4rev1] fake\r\n")
    r, server = serve(script)
    r.expect_error("server", "not offered")
    assert b"COMPRESS" not in bytes(server.connections[0].received)


try:
    suite.run()
finally:
    for dc in servers:
        dc.stop()
    wd.remove()
