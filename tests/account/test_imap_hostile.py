"""The IMAP account against small scripted servers: the AUTHENTICATE
PLAIN wire format (SASL-IR), LOGIN when the server has no SASL-IR, and a
FETCH answer that cannot be parsed, which must count as a broken
connection (reconnect), never as an empty folder."""

import base64
import os
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "account"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import tap, workdir  # noqa: E402
import accountprobe as ap  # noqa: E402
import fakeserver  # noqa: E402

suite = tap.Suite()
wd = workdir.WorkDir()

CAPS = "IMAP4rev1 AUTH=PLAIN SASL-IR UIDPLUS"


def write_rc(port, name, extra=""):
    path = os.path.join(wd.path, name)
    with open(path, "w") as f:
        f.write('set header_cache = ""\n' + extra +
                "account test {\n"
                "    type = imap\n    host = 127.0.0.1\n    port = %d\n"
                "    tls = none\n    allow_plaintext_password = yes\n"
                '    user = "alice"\n    password_command = "echo secret"\n'
                "}\n" % port)
    return path


def handlers(fetch_answer, auth_log):
    def authenticate(c, t, line):
        auth_log.append(line.decode("latin-1"))
        c.send("%s OK logged in\r\n" % t)

    def login(c, t, line):
        auth_log.append(line.decode("latin-1"))
        c.send("%s OK logged in\r\n" % t)

    return {
        "AUTHENTICATE": authenticate,
        "LOGIN": login,
        "CAPABILITY": lambda c, t, l: c.send("* CAPABILITY %s\r\n%s OK done\r\n"
                                             % (CAPS, t)),
        "SELECT": lambda c, t, l: c.send(
            "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\n* OK [UIDNEXT 3] x\r\n"
            "%s OK [READ-WRITE] selected\r\n" % t),
        "UID SEARCH": lambda c, t, l: c.send("* SEARCH 1 2\r\n%s OK done\r\n" % t),
        "UID FETCH": lambda c, t, l: c.send(fetch_answer % {"tag": t}),
    }


@suite.case("AUTHENTICATE PLAIN sends the credentials on the command line")
def _():
    auth = []
    good = ("* 2 FETCH (UID 2 FLAGS () INTERNALDATE \"01-Jan-2024 00:00:00 +0000\" "
            "RFC822.SIZE 10 BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: hello\r\n"
            ")\r\n%(tag)s OK done\r\n")

    def script(conn):
        fakeserver.imap_session(conn, greeting="* OK [CAPABILITY %s] fake\r\n" % CAPS,
                                handlers=handlers(good, auth))

    with fakeserver.FakeServer(script) as server:
        r = ap.run(write_rc(server.port, "plain"), "test", "open INBOX")
    assert r.returncode == 0, r.describe()
    assert len(auth) == 1 and auth[0].split(" ")[1:3] == ["AUTHENTICATE", "PLAIN"], auth
    assert base64.b64decode(auth[0].split(" ")[3]) == b"\0alice\0secret", auth
    subjects = [e["subject"] for e in ap.events(r.lines, "ENV")]
    assert "hello" in subjects, r.describe()


@suite.case("without SASL-IR the password goes by LOGIN")
def _():
    global CAPS
    auth = []
    saved, CAPS = CAPS, "IMAP4rev1 AUTH=PLAIN"

    def script(conn):
        fakeserver.imap_session(conn, greeting="* OK [CAPABILITY %s] fake\r\n" % CAPS,
                                handlers=handlers("%(tag)s OK done\r\n", auth))

    try:
        with fakeserver.FakeServer(script) as server:
            r = ap.run(write_rc(server.port, "login"), "test", "list")
    finally:
        CAPS = saved
    assert len(auth) == 1 and auth[0].split(" ")[1].upper() == "LOGIN", auth
    assert "secret" in auth[0], auth


@suite.case("COMPRESS is asked for when offered; a refusal is no error")
def _():
    global CAPS
    commands = []
    saved, CAPS = CAPS, "IMAP4rev1 AUTH=PLAIN SASL-IR COMPRESS=DEFLATE"

    def compress(c, t, line):
        commands.append(line.decode("latin-1"))
        c.send("%s NO [COMPRESSIONACTIVE] not today\r\n" % t)

    def script(conn):
        h = handlers("%(tag)s OK done\r\n", [])
        h["COMPRESS"] = compress
        fakeserver.imap_session(conn, greeting="* OK [CAPABILITY %s] fake\r\n" % CAPS,
                                handlers=h)

    try:
        with fakeserver.FakeServer(script) as server:
            r = ap.run(write_rc(server.port, "compress"), "test", "list")
        assert r.returncode == 0, r.describe()
        assert [c.split(" ", 1)[1].strip() for c in commands] == ["COMPRESS DEFLATE"], \
            commands
        commands.clear()
        with fakeserver.FakeServer(script) as server:
            r = ap.run(write_rc(server.port, "nocompress",
                                "set imap_compress = no\n"), "test", "list")
        assert r.returncode == 0, r.describe()
        assert commands == [], commands
    finally:
        CAPS = saved


@suite.case("an unparsable FETCH is a protocol error and the account reconnects")
def _():
    auth = []
    bad = "* 1 FETCH (UID 1 FLAGS ((( garbage\r\n%(tag)s OK done\r\n"

    def script(conn):
        fakeserver.imap_session(conn, greeting="* OK [CAPABILITY %s] fake\r\n" % CAPS,
                                handlers=handlers(bad, auth))

    with fakeserver.FakeServer(script, connections=4) as server:
        r = ap.run(write_rc(server.port, "garbage"), "test", "open INBOX",
                   timeout=20)
    assert r.returncode == 1, r.describe()
    err = ap.error(r.lines)
    assert err is not None and err["class"] == "protocol", r.describe()
    offline = [e for e in ap.events(r.lines, "STATE") if e["state"] == "offline"]
    assert offline, r.describe()
    assert len(auth) >= 2, "the request was not retried on a new connection"
    assert not ap.events(r.lines, "ENV"), r.describe()


try:
    suite.run()
finally:
    wd.remove()
