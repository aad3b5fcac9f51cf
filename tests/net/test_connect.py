"""Connecting: refused ports, unknown hosts, servers that never speak
(timeouts) and cancellation from another thread."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import tap  # noqa: E402
import fakeserver  # noqa: E402
import netprobe  # noqa: E402

suite = tap.Suite()


@suite.case("a closed port gives a quick NET error naming host:port")
def _():
    port = fakeserver.closed_port()
    for host in ("127.0.0.1", "localhost"):
        r = netprobe.run("imap", "imaps", port, host=host)
        r.expect_error("net", "%s:%d: connection refused" % (host, port))
        assert r.seconds < 3, r.describe()


@suite.case("an unknown host is reported as not found")
def _():
    netprobe.run("imap", "imaps", 993, host="no-such-host.invalid").expect_error(
        "net", "no-such-host.invalid:993: host not found")


@suite.case("a server that never speaks times out (IMAP greeting)")
def _():
    with fakeserver.SilentServer() as server:
        r = netprobe.run("imap", "none", server.port, host="127.0.0.1", timeout=2)
    r.expect_error("net", "timed out after 2 s")
    assert 1.5 < r.seconds < 6, r.describe()


@suite.case("a TLS handshake with a silent server times out")
def _():
    with fakeserver.SilentServer() as server:
        r = netprobe.run("imap", "imaps", server.port, host="127.0.0.1", timeout=2)
    r.expect_error("tls", "TLS handshake timed out after 2 s")
    assert 1.5 < r.seconds < 6, r.describe()


@suite.case("SMTP and POP3 greetings time out too")
def _():
    for protocol in ("smtp", "pop3"):
        with fakeserver.SilentServer() as server:
            r = netprobe.run(protocol, "none", server.port, host="127.0.0.1",
                             timeout=2)
        r.expect_error("net", "timed out after 2 s")
        assert r.seconds < 6, r.describe()


@suite.case("cancelling from another thread aborts a blocked read at once")
def _():
    with fakeserver.SilentServer() as server:
        r = netprobe.run("imap", "none", server.port, host="127.0.0.1",
                         timeout=30, extra=["--cancel-after", "300"])
    r.expect_error("net", "cancelled")
    assert r.seconds < 5, r.describe()


@suite.case("cancelling aborts a blocked TLS handshake")
def _():
    with fakeserver.SilentServer() as server:
        r = netprobe.run("imap", "imaps", server.port, host="127.0.0.1",
                         timeout=30, extra=["--cancel-after", "300"])
    r.expect_error("net", "cancelled")
    assert r.seconds < 5, r.describe()


@suite.case("signals interrupting the waits do not break a connection (EINTR)")
def _():
    def script(conn):
        time.sleep(1)             # the client waits in poll(), signalled
        fakeserver.imap_session(conn, greeting="* OK [CAPABILITY IMAP4rev1] slow\r\n")
    with fakeserver.FakeServer(script) as server:
        r = netprobe.run("imap", "none", server.port, host="127.0.0.1",
                         timeout=5, user="alice", password="secret",
                         extra=["--signals"])
    r.expect_ok()
    assert 0.9 < r.seconds < 4, r.describe()


suite.run()
