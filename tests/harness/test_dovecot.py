"""Self-test of the Dovecot fixture, with Python's own IMAP and POP3 clients.

Checks what Rowan's network tests rely on: the TLS variants (implicit,
STARTTLS/STLS, which CA, which name), the refusal of passwords without
TLS, the Maildir helpers (fill, deliver, folders) and restarts on the
same ports.
"""

import os
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "tests", "lib"))

import imaplib  # noqa: E402
import poplib  # noqa: E402

from rowantest import certs, dovecot, fill, procs, tap, workdir  # noqa: E402

suite = tap.Suite()
USERS = {"alice": "secret", "bob": "hunter2"}


def ctx(cafile):
    """A client context that checks the chain against `cafile` and the name."""
    return ssl.create_default_context(cafile=cafile)


def imaps(dc, cafile, host="localhost"):
    return imaplib.IMAP4_SSL(host, dc.ports["imaps"], ssl_context=ctx(cafile))


def expect_verify_error(connect, reason):
    try:
        conn = connect()
    except ssl.SSLCertVerificationError as e:
        assert reason in str(e), "expected %r in %r" % (reason, str(e))
        return
    conn.logout() if hasattr(conn, "logout") else conn.quit()
    raise AssertionError("TLS verification unexpectedly succeeded")


@suite.case("IMAPS login verifying the test CA and the name localhost")
def _():
    m = imaps(dc, pki.ca_file)
    assert m.login("alice", "secret")[0] == "OK"
    cert = m.sock.getpeercert()
    assert ("DNS", "localhost") in cert["subjectAltName"], cert
    m.logout()


@suite.case("IMAP STARTTLS then LOGIN")
def _():
    m = imaplib.IMAP4(dc.host, dc.ports["imap"])
    assert "STARTTLS" in m.capabilities, m.capabilities
    m.starttls(ssl_context=ctx(pki.ca_file))
    assert "LOGINDISABLED" not in m.capabilities, m.capabilities
    assert m.login("bob", "hunter2")[0] == "OK"
    m.logout()


@suite.case("plain IMAP without TLS refuses LOGIN and AUTHENTICATE")
def _():
    m = imaplib.IMAP4(dc.host, dc.ports["imap"])
    assert "LOGINDISABLED" in m.capabilities, m.capabilities
    for attempt in (lambda: m.login("alice", "secret"),
                    lambda: m.authenticate("PLAIN", lambda _: b"\0alice\0secret")):
        try:
            attempt()
        except imaplib.IMAP4.error as e:
            assert "PRIVACYREQUIRED" in str(e) or "disallowed" in str(e), str(e)
        else:
            raise AssertionError("password accepted without TLS")
    m.logout()


@suite.case("wrong password and unknown user are refused")
def _():
    for user, password in (("alice", "hunter2"), ("mallory", "secret")):
        m = imaps(dc, pki.ca_file)
        try:
            m.login(user, password)
        except imaplib.IMAP4.error as e:
            assert "AUTHENTICATIONFAILED" in str(e), str(e)
        else:
            raise AssertionError("%s logged in with a wrong password" % user)
        m.logout()


@suite.case("a client trusting only the other CA rejects the server")
def _():
    expect_verify_error(lambda: imaps(dc, pki.other_ca_file), "unable to get local issuer")


@suite.case("POP3S and POP3 STLS log in; USER/PASS without TLS is refused")
def _():
    p = poplib.POP3_SSL("localhost", dc.ports["pop3s"], context=ctx(pki.ca_file))
    assert p.user("alice").startswith(b"+OK")
    assert p.pass_("secret").startswith(b"+OK")
    p.quit()
    p = poplib.POP3(dc.host, dc.ports["pop3"])
    assert "STLS" in p.capa()
    p.stls(context=ctx(pki.ca_file))
    p.user("bob")
    p.pass_("hunter2")
    p.quit()
    p = poplib.POP3(dc.host, dc.ports["pop3"])
    try:
        p.user("alice")
        p.pass_("secret")
    except poplib.error_proto as e:
        assert b"disallowed" in e.args[0] or b"TLS" in e.args[0], e
    else:
        raise AssertionError("POP3 password accepted without TLS")
    p.quit()


@suite.case("fill 1000: STATUS counts them, headers come back in order")
def _():
    started = time.monotonic()
    numbers = dc.fill("alice", "INBOX", 1000)
    took = time.monotonic() - started
    tap.diag("fill 1000 took %.3fs" % took)
    assert took < 5, "fill 1000 took %.2fs" % took
    assert numbers == range(1, 1001)
    m = imaps(dc, pki.ca_file)
    m.login("alice", "secret")
    status = m.status("INBOX", "(MESSAGES UNSEEN)")[1][0].decode()
    assert "MESSAGES 1000" in status and "UNSEEN 1000" in status, status
    m.select("INBOX", readonly=True)
    for seq in (1, 500, 1000):
        typ, data = m.fetch(str(seq), "(BODY.PEEK[HEADER.FIELDS (SUBJECT MESSAGE-ID)])")
        header = data[0][1].decode()
        expected = fill.message(seq).decode().split("\nSubject: ")[1].split("\n")[0]
        assert "Subject: " + expected in header, (seq, header, expected)
        assert "@fill.rowan.test>" in header, header
    m.logout()


@suite.case("deliver into a new folder: LIST shows it, message and flags come back")
def _():
    raw = (b"From: Carol <carol@example.org>\r\nTo: bob@example.com\r\n"
           b"Subject: Archived\r\nMessage-ID: <archived@example.org>\r\n\r\nKept.\r\n")
    dc.deliver("bob", "Archive/2024", raw, flags="\\Seen \\Flagged")
    m = imaps(dc, pki.ca_file)
    m.login("bob", "hunter2")
    names = [line.decode() for line in m.list()[1]]
    assert any(n.endswith(' "/" Archive/2024') for n in names), names
    assert any("\\Sent" in n and n.endswith(" Sent") for n in names), names
    subscribed = [line.decode() for line in m.lsub()[1]]
    assert any("Archive/2024" in n for n in subscribed), subscribed
    m.select("Archive/2024")
    typ, data = m.fetch("1", "(FLAGS RFC822)")
    flags, body = data[0][0].decode(), data[0][1]
    assert "\\Seen" in flags and "\\Flagged" in flags, flags
    assert body == raw, body
    m.logout()
    assert os.path.isdir(os.path.join(dc.maildir("bob"), ".Archive.2024", "cur"))


@suite.case("stop refuses connections; start reuses the ports and keeps the mail")
def _():
    ports = dict(dc.ports)
    dc.stop()
    for name, port in ports.items():
        assert not procs.port_open(port), "%s port %d still open" % (name, port)
    dc.start()
    assert dc.ports == ports, (dc.ports, ports)
    m = imaps(dc, pki.ca_file)
    m.login("alice", "secret")
    assert "MESSAGES 1000" in m.status("INBOX", "(MESSAGES)")[1][0].decode()
    m.logout()


@suite.case("certificate for another name: a name-checking client fails")
def _():
    with dovecot.Dovecot(wd, pki, users=USERS, cert="wrong_name") as wrong:
        expect_verify_error(lambda: imaps(wrong, pki.ca_file), "Hostname mismatch")
        relaxed = ctx(pki.ca_file)
        relaxed.check_hostname = False
        m = imaplib.IMAP4_SSL("localhost", wrong.ports["imaps"], ssl_context=relaxed)
        m.logout()


@suite.case("expired certificate: the client reports it")
def _():
    with dovecot.Dovecot(wd, pki, users=USERS, cert="expired") as old:
        expect_verify_error(lambda: imaps(old, pki.ca_file), "certificate has expired")


@suite.case("ssl=False: no STARTTLS/STLS, no TLS ports, plaintext LOGIN works")
def _():
    with dovecot.Dovecot(wd, None, users=USERS, ssl=False) as plain:
        assert sorted(plain.ports) == ["imap", "pop3"], plain.ports
        m = imaplib.IMAP4(plain.host, plain.ports["imap"])
        assert "STARTTLS" not in m.capabilities, m.capabilities
        assert "LOGINDISABLED" not in m.capabilities, m.capabilities
        m.login("alice", "secret")
        m.logout()
        p = poplib.POP3(plain.host, plain.ports["pop3"])
        assert "STLS" not in p.capa()
        p.quit()


@suite.case("a Dovecot that cannot start raises with the tail of its log")
def _():
    class Broken(dovecot.Dovecot):
        def _write_config(self):
            super()._write_config()
            with open(self.config_path, "a") as f:
                f.write("no_such_setting = 1\n")
    try:
        Broken(wd, pki, users=USERS)
    except dovecot.DovecotError as e:
        assert "no_such_setting" in str(e), str(e)
    else:
        raise AssertionError("a broken configuration started")


@suite.case("the server log has no errors")
def _():
    bad = [line for line in dc.log().splitlines()
           if " Error: " in line or " Fatal: " in line or " Panic: " in line]
    assert not bad, "\n".join(bad)


with workdir.WorkDir() as wd:
    pki = certs.TestPKI(wd)
    with dovecot.Dovecot(wd, pki, users=USERS) as dc:
        tap.diag("Dovecot started in %.3fs, ports %s" % (dc.start_seconds, dc.ports))
        socket.setdefaulttimeout(20)
        suite.run()
