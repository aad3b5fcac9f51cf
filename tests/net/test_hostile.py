"""The connection layer against scripted misbehaving servers: STARTTLS
response injection, EOF inside a literal, over-long lines and literals,
TLS failures that must not fall back to plaintext, PREAUTH before TLS."""

import os
import ssl
import sys
import warnings

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import certs, tap, workdir  # noqa: E402
import fakeserver  # noqa: E402
import netprobe  # noqa: E402

suite = tap.Suite()
MIB = 1024 * 1024
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)


def probe(protocol, security, server, *extra, timeout=10, **kw):
    return netprobe.run(protocol, security, server.port, host="127.0.0.1",
                        timeout=timeout, extra=extra, **kw)


def assert_no_bytes_after(conn, marker):
    """The client sent nothing after the line containing marker."""
    data = bytes(conn.received)
    at = data.find(marker)
    assert at >= 0, "the client never sent %r; it sent %r" % (marker, data)
    rest = data[data.index(b"\n", at) + 1:]
    assert rest == b"", "the client went on after %r: %r" % (marker, rest[:200])


# ---- STARTTLS response injection --------------------------------------

def imap_injector(conn):
    def starttls(c, tag, line):
        # The OK and a forged capability list in one segment.
        c.send("%s OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN INJECTED\r\n" % tag)
        c.wait_closed(10)
        return False
    fakeserver.imap_session(conn, handlers={"STARTTLS": starttls})


@suite.case("IMAP STARTTLS response injection is refused")
def _():
    with fakeserver.FakeServer(imap_injector) as server:
        r = probe("imap", "starttls", server, user="alice", password="secret")
    r.expect_error("protocol", "STARTTLS response injection", "127.0.0.1:")
    assert not server.errors, server.errors
    assert_no_bytes_after(server.connections[0], b"STARTTLS")


def pop3_injector(conn):
    conn.send("+OK fake POP3\r\n")
    for _ in range(10):
        line = conn.line()
        if line is None:
            return
        if line.upper() == b"CAPA":
            conn.send("+OK\r\nCAPA\r\nSTLS\r\nUSER\r\n.\r\n")
        elif line.upper() == b"STLS":
            conn.send("+OK Begin TLS\r\n+OK injected\r\n")
            conn.wait_closed(10)
            return
        else:
            conn.send("-ERR what\r\n")


@suite.case("POP3 STLS response injection is refused")
def _():
    with fakeserver.FakeServer(pop3_injector) as server:
        r = probe("pop3", "starttls", server, user="alice", password="secret")
    r.expect_error("protocol", "STARTTLS response injection")
    assert_no_bytes_after(server.connections[0], b"STLS")


def smtp_injector(conn):
    conn.send("220 fake ESMTP\r\n")
    for _ in range(10):
        line = conn.line()
        if line is None:
            return
        verb = line.split(b" ")[0].upper()
        if verb == b"EHLO":
            conn.send("250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n")
        elif verb == b"STARTTLS":
            conn.send("220 Go ahead\r\n250 injected\r\n")
            conn.wait_closed(10)
            return
        else:
            conn.send("502 no\r\n")


@suite.case("SMTP STARTTLS response injection is refused")
def _():
    with fakeserver.FakeServer(smtp_injector) as server:
        r = probe("smtp", "starttls", server, user="alice", password="secret")
    r.expect_error("protocol", "STARTTLS response injection")
    assert_no_bytes_after(server.connections[0], b"STARTTLS")


@suite.case("SMTP EHLO names the client by address, not host name")
def _():
    with fakeserver.FakeServer(smtp_injector) as server:
        probe("smtp", "starttls", server)
    sent = bytes(server.connections[0].received)
    assert sent.startswith(b"EHLO [127.0.0.1]\r\n"), sent


# ---- EOF and limits ------------------------------------------------------

def imap_fetch_script(fetch_reply, close=True):
    def script(conn):
        def fetch(c, tag, line):
            c.send(fetch_reply)
            if close:
                return False
            c.wait_closed(10)
            return False
        fakeserver.imap_session(conn, handlers={"UID FETCH": fetch})
    return script


@suite.case("EOF in the middle of an IMAP literal fails at once (no spin)")
def _():
    reply = b"* 1 FETCH (UID 1 BODY[] {100000}\r\n" + b"x" * 1000
    with fakeserver.FakeServer(imap_fetch_script(reply)) as server:
        r = probe("imap", "none", server, "--fetch", user="alice",
                  password="secret", timeout=20)
    r.expect_error("net", "closed the connection")
    assert r.seconds < 5, "took %.1fs:\n%s" % (r.seconds, r.describe())


@suite.case("an IMAP line longer than 1 MiB is a protocol error")
def _():
    def script(conn):
        conn.send(b"* OK " + b"x" * (MIB + MIB // 2) + b"\r\n")
        conn.wait_closed(10)
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "none", server)
    r.expect_error("protocol", "server sent a line longer than 1 MiB")


@suite.case("a POP3 line longer than 1 MiB is a protocol error")
def _():
    def script(conn):
        conn.send(b"+OK " + b"x" * (MIB + 10) + b"\r\n")
        conn.wait_closed(10)
    with fakeserver.FakeServer(script) as server:
        r = probe("pop3", "none", server)
    r.expect_error("protocol", "server sent a line longer than 1 MiB")


@suite.case("the line limit is configurable")
def _():
    def script(conn):
        conn.send(b"* OK " + b"x" * 5000 + b"\r\n")
        conn.wait_closed(10)
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "none", server, "--max-line", "4096")
    r.expect_error("protocol", "server sent a line longer than 4 KiB")


@suite.case("a literal over the default cap (100 MiB) is refused unread")
def _():
    reply = b"* 1 FETCH (UID 1 BODY[] {200000000}\r\n"
    with fakeserver.FakeServer(imap_fetch_script(reply, close=False)) as server:
        r = probe("imap", "none", server, "--fetch", user="alice",
                  password="secret", timeout=20)
    r.expect_error("protocol",
                   "server announced a literal of 200000000 bytes, more than the limit of 100 MiB")
    assert r.seconds < 5, "took %.1fs: waited instead of refusing" % r.seconds


@suite.case("a literal at the configured cap is read, one byte more is refused")
def _():
    def reply(n):
        return (b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % n + b"y" * n + b")\r\n")

    def script_for(n):
        def script(conn):
            def fetch(c, tag, line):
                c.send(reply(n) + b"%s OK done\r\n" % tag.encode())
            fakeserver.imap_session(conn, handlers={"UID FETCH": fetch})
        return script
    with fakeserver.FakeServer(script_for(1000)) as server:
        r = probe("imap", "none", server, "--fetch", "--max-literal", "1000",
                  user="alice", password="secret")
    r.expect_ok()
    assert r.count == 1, r.describe()
    with fakeserver.FakeServer(script_for(1001)) as server:
        r = probe("imap", "none", server, "--fetch", "--max-literal", "1000",
                  user="alice", password="secret")
    r.expect_error("protocol", "literal of 1001 bytes, more than the limit of 1000 bytes")


@suite.case("braces and CRLF inside a literal are data")
def _():
    body = b"{999999999999}\r\n* 2 FETCH {5}\r\n" + b"z" * 3000 + b"\r\n"
    fetch = (b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % len(body)) + body + b")\r\n"

    def script(conn):
        def handler(c, tag, line):
            c.send(fetch + b"%s OK done\r\n" % tag.encode())
        fakeserver.imap_session(conn, handlers={"UID FETCH": handler})
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "none", server, "--fetch", "--max-line", "2048",
                  "--max-literal", "4096", user="alice", password="secret")
    r.expect_ok()
    assert r.count == 1, r.describe()


# ---- no plaintext fallback ----------------------------------------------

@suite.case("a failed STARTTLS handshake closes the connection (no fallback)")
def _():
    def script(conn):
        def starttls(c, tag, line):
            c.send("%s OK Begin TLS\r\n" % tag)
            hello = c.sock.recv(5)          # the ClientHello arrives...
            c.received += hello
            c.send(b"HTTP/1.0 400 Bad Request\r\n\r\n")   # ...garbage back
            c.wait_closed(10)
            return False
        fakeserver.imap_session(conn, handlers={"STARTTLS": starttls})
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "starttls", server, user="alice", password="secret")
    r.expect_error("tls", "TLS handshake failed")
    conn = server.connections[0]
    assert conn.closed_by_client, "the client kept the connection open"
    data = bytes(conn.received)
    after = data[data.index(b"STARTTLS") + len(b"STARTTLS\r\n"):]
    assert after[:1] == b"\x16", "no TLS handshake record after STARTTLS: %r" % after[:20]
    assert b"LOGIN" not in data, "credentials were sent: %r" % data


@suite.case("implicit TLS against a plaintext server fails without sending a command")
def _():
    def script(conn):
        conn.send("* OK plaintext IMAP\r\n")
        conn.wait_closed(10)
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "imaps", server, user="alice", password="secret")
    r.expect_error("tls", "TLS handshake failed")
    data = bytes(server.connections[0].received)
    assert data[:1] == b"\x16" and b"LOGIN" not in data, data[:80]


@suite.case("PREAUTH before STARTTLS is refused")
def _():
    def script(conn):
        fakeserver.imap_session(conn, greeting="* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n")
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "starttls", server)
    r.expect_error("tls", "PREAUTH")
    assert b"STARTTLS" not in bytes(server.connections[0].received)


@suite.case("an IMAP server without STARTTLS is refused in starttls mode")
def _():
    def script(conn):
        fakeserver.imap_session(conn, greeting="* OK [CAPABILITY IMAP4rev1] hi\r\n",
                                handlers={"CAPABILITY": lambda c, t, l: c.send(
                                    "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n%s OK done\r\n" % t)})
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "starttls", server, user="alice", password="secret")
    r.expect_error("tls", "server does not offer STARTTLS",
                   "set tls = none to allow a plaintext connection")
    assert b"LOGIN" not in bytes(server.connections[0].received)


# ---- TLS details --------------------------------------------------------

def tls_imap_script(context, record):
    """An IMAPS server on `context` that records (TLS version, SNI)."""
    def script(conn):
        seen = {}
        context.sni_callback = lambda sock, name, ctx: seen.update(sni=name)
        try:
            conn.sock = context.wrap_socket(conn.sock, server_side=True)
        except (ssl.SSLError, OSError) as e:
            record.append(("failed", repr(e)))
            return
        record.append((conn.sock.version(), seen.get("sni")))
        fakeserver.imap_session(conn)
    return script


def server_context(minimum=None, maximum=None):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*pki.cert("server"))
    if minimum is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            context.minimum_version = minimum
            context.maximum_version = maximum
    return context


@suite.case("SNI names the host, and is left out for an IP literal")
def _():
    record = []
    with fakeserver.FakeServer(tls_imap_script(server_context(), record),
                               connections=2) as server:
        netprobe.run("imap", "imaps", server.port, host="localhost",
                     ca=pki.ca_file).expect_ok()
        netprobe.run("imap", "imaps", server.port, host="127.0.0.1",
                     ca=pki.ca_file).expect_ok()
    assert [sni for _, sni in record] == ["localhost", None], record


@suite.case("TLS 1.1 is refused even by a server that speaks it")
def _():
    record = []
    old = server_context(ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1)
    with fakeserver.FakeServer(tls_imap_script(old, record),
                               connections=2) as server:
        # Control: a client that allows TLS 1.1 gets it from this server.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            client.load_verify_locations(pki.ca_file)
            client.set_ciphers("DEFAULT:@SECLEVEL=0")
            client.minimum_version = ssl.TLSVersion.TLSv1
        with fakeserver.socket.create_connection(("127.0.0.1", server.port), 10) as raw:
            with client.wrap_socket(raw, server_hostname="localhost") as tls:
                assert tls.version() == "TLSv1.1", tls.version()
                tls.recv(100)
        r = netprobe.run("imap", "imaps", server.port, ca=pki.ca_file)
    r.expect_error("tls", "TLS handshake failed", "protocol version")
    assert record[0][0] == "TLSv1.1" and record[1][0] == "failed", record


@suite.case("the raw stream reads lines until the server closes")
def _():
    def script(conn):
        conn.send(b"one\r\ntwo {3}\r\n{}\n\r\nthree\r\n")
    with fakeserver.FakeServer(script) as server:
        r = probe("imap", "none", server, "--raw")
    r.expect_ok()
    assert r.count == 5, r.describe()


try:
    suite.run()
finally:
    wd.remove()
