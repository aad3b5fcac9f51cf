"""net_imap_uid_fetch_raw() against a real Dovecot (the same messages as
libetpan's parse, the session usable afterwards, CHANGEDSINCE) and against
scripted servers (truncated and absurd literals, garbage, NO, bytes after
the tagged response)."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import certs, dovecot, tap, workdir  # noqa: E402
import fakeserver  # noqa: E402

PROBE = os.path.join(os.environ.get("ROWAN_BUILDDIR", "."), "tests", "net",
                     "fetch_probe")
suite = tap.Suite()
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)
servers = []


class Result:
    def __init__(self, argv, proc, seconds):
        self.argv, self.proc, self.seconds = argv, proc, seconds
        self.lines = proc.stdout.splitlines()
        if proc.returncode not in (0, 1) or not self.lines:
            raise AssertionError("fetch_probe misbehaved:\n" + self.describe())
        self.ok = self.lines[-1] == "OK"
        if self.ok != (proc.returncode == 0):
            raise AssertionError("verdict and exit status disagree:\n"
                                 + self.describe())

    def describe(self):
        return "$ %s\nexit %s after %.2fs\nstdout: %s\nstderr: %s" % (
            " ".join(self.argv), self.proc.returncode, self.seconds,
            self.proc.stdout.strip()[-3000:], self.proc.stderr.strip()[-3000:])

    def line(self, prefix):
        """The first output line starting with prefix (asserted present)."""
        for line in self.lines:
            if line.startswith(prefix):
                return line
        raise AssertionError("no line %r:\n%s" % (prefix, self.describe()))

    def fields(self, prefix):
        """key=value pairs of that line (a repeated key keeps the last)."""
        return dict(word.split("=", 1) for word in self.line(prefix).split()
                    if "=" in word)

    def expect_error(self, error_class, *fragments):
        assert not self.ok, "expected an error:\n" + self.describe()
        last = self.lines[-1]
        assert last.startswith("ERROR class=%s: " % error_class), (
            "expected class %s:\n%s" % (error_class, self.describe()))
        for fragment in fragments:
            assert fragment in last, ("%r not in the error:\n%s"
                                      % (fragment, self.describe()))


def probe(mode, port, security="none", timeout=20, limit=60, **kw):
    argv = [PROBE, "--mode", mode, "--host", kw.get("host", "127.0.0.1"),
            "--port", str(port), "--security", security,
            "--user", kw.get("user", "alice"),
            "--password", kw.get("password", "secret"),
            "--timeout", str(timeout)]
    if "ca" in kw:
        argv += ["--ca", kw["ca"]]
    start = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=limit)
    return Result(argv, proc, time.monotonic() - start)


# ---- against Dovecot ---------------------------------------------------

ODD_MESSAGES = [
    # quoted-string specials, a brace that looks like a literal, 8-bit
    (b"From: \"Quote \\\"Me\\\" {5}\" <q@example.org>\r\n"
     b"Subject: (parens) \"quotes\" {3}\r\n"
     b"Message-ID: <odd1@example.org>\r\n\r\nbody\r\n", "FS"),
    (b"From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\r\n"
     b"Subject: caf\xc3\xa9 \xe2\x98\x95\r\n"
     b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
     b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n", "RS"),
    # no fields from the list at all: an empty header section
    (b"X-Only: this\r\n\r\nbody\r\n", "D"),
    (b"Subject: deleted and draft\r\n\r\n", "TD"),
]


def dovecot_with_mail():
    dc = dovecot.Dovecot(wd.path, pki, users={"alice": "secret"})
    servers.append(dc)
    dc.fill("alice", "INBOX", 1000)
    for raw, flags in ODD_MESSAGES:
        dc.deliver("alice", "INBOX", raw, flags=flags)
    return dc


@suite.case("1,000+ messages fetched raw equal libetpan's parse; the "
            "session works after; CHANGEDSINCE", timeout=240)
def _():
    dc = dovecot_with_mail()
    r = probe("compare", dc.ports["imaps"], security="imaps", ca=pki.ca_file,
              host="localhost")
    assert r.ok, r.describe()
    total = 1000 + len(ODD_MESSAGES)
    assert r.fields("raw count=")["count"] == str(total), r.describe()
    assert r.fields("libetpan count=")["count"] == str(total), r.describe()
    r.line("same")
    r.line("mixed same")
    r.line("store ok")
    flagged = r.fields("flagged ")
    assert int(flagged["flags"]) & 0x04, r.describe()
    changed = r.fields("changedsince ")
    assert changed["count"] == "1", r.describe()
    assert changed["uid"] == flagged["uid"], r.describe()
    highest = int(r.fields("selected ")["highestmodseq"])
    assert int(changed["modseq"]) > highest, r.describe()
    assert r.line("logout ") == "logout rc=0", r.describe()


@suite.case("the same over plaintext IMAP after STARTTLS", timeout=120)
def _():
    dc = servers[0] if servers else dovecot_with_mail()
    r = probe("compare", dc.ports["imap"], security="starttls",
              ca=pki.ca_file, host="localhost")
    assert r.ok, r.describe()
    r.line("same")


# ---- against scripted servers ------------------------------------------

def fetch_server(answer, after_noop=None, close=False):
    """A fake IMAP server answering UID FETCH with answer(tag), then
    closing the connection if close."""
    def script(conn):
        def fetch(c, tag, line):
            c.send(answer(tag))
            return False if close else None

        def noop(c, tag, line):
            c.send((after_noop or "") + "%s OK noop\r\n" % tag)
            return None
        fakeserver.imap_session(conn, handlers={"UID FETCH": fetch,
                                                "NOOP": noop})
    return fakeserver.FakeServer(script)


def hostile(answer, timeout=3, close=False):
    with fetch_server(answer, close=close) as server:
        return probe("raw", server.port, timeout=timeout, limit=30)


@suite.case("a literal cut short by the server closing: a net error")
def _():
    r = hostile(lambda tag: (
        "* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM)] {100}\r\nFrom: x"),
        close=True)
    r.expect_error("net", "closed the connection")
    assert r.seconds < 10, r.describe()


@suite.case("a literal cut short by a silent server: a timeout, no hang")
def _():
    def script(conn):
        def fetch(c, tag, line):
            c.send("* 1 FETCH (UID 1 BODY[HEADER] {100}\r\nFrom: x")
            c.wait_closed(8)
            return False
        fakeserver.imap_session(conn, handlers={"UID FETCH": fetch})
    with fakeserver.FakeServer(script) as server:
        r = probe("raw", server.port, timeout=2, limit=30)
    r.expect_error("net", "timed out")
    assert r.seconds < 8, r.describe()


@suite.case("an absurd literal size is refused before anything is read")
def _():
    r = hostile(lambda tag: "* 1 FETCH (UID 1 BODY[HEADER] "
                "{99999999999}\r\nFrom: x\r\n")
    r.expect_error("protocol", "literal")
    assert r.seconds < 10, r.describe()


@suite.case("garbage instead of a response: a protocol error")
def _():
    r = hostile(lambda tag: "\x01\x02 garbage (((\r\n%s OK done\r\n" % tag)
    r.expect_error("protocol", "malformed response to UID FETCH")


@suite.case("a FETCH with unbalanced lists: a protocol error")
def _():
    r = hostile(lambda tag: "* 1 FETCH (UID 1 X-A ((a) FLAGS ())\r\n"
                "%s OK done\r\n" % tag)
    r.expect_error("protocol", "malformed response to UID FETCH")


@suite.case("tagged NO: a server error, and the session goes on")
def _():
    r = hostile(lambda tag: "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n"
                "%s NO [SERVERBUG] Something broke\r\n" % tag)
    r.expect_error("server", "Something broke")
    assert r.line("raw ") == "raw rc=-1 count=1", r.describe()
    assert r.line("noop ") == "noop rc=0", r.describe()


@suite.case("bytes after the tagged response are left for libetpan")
def _():
    # Half an untagged response arrives with the FETCH answer, the rest
    # with the NOOP answer: libetpan can only parse it if the first half
    # was handed back to the stream.
    with fetch_server(lambda tag: "* 1 FETCH (UID 7 FLAGS ())\r\n"
                      "%s OK done\r\n* 9 EXI" % tag,
                      after_noop="STS\r\n") as server:
        r = probe("raw", server.port, timeout=5)
    assert r.ok, r.describe()
    assert r.line("raw ") == "raw rc=0 count=1", r.describe()
    assert r.line("noop ") == "noop rc=0", r.describe()


try:
    suite.run()
finally:
    for dc in servers:
        dc.stop()
    wd.remove()
