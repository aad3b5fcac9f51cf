"""Self-test of the SMTP server fixture, with Python's smtplib.

Checks STARTTLS (including that plaintext pipelined after STARTTLS is
dropped), implicit TLS, AUTH PLAIN and LOGIN, the refusals (wrong
password, MAIL before AUTH, AUTH before TLS) and the recorded envelopes.
"""

import os
import socket
import ssl
import sys

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "tests", "lib"))

import smtplib  # noqa: E402

from rowantest import certs, procs, smtpd, tap, workdir  # noqa: E402

suite = tap.Suite()
MESSAGE = (b"From: Alice <alice@example.com>\r\nTo: Bob <bob@example.org>\r\n"
           b"Subject: Hello\r\nMessage-ID: <1@example.com>\r\n\r\n"
           b"First line.\r\n.A line starting with a dot.\r\n")


def ctx(cafile=None):
    return ssl.create_default_context(cafile=cafile or pki.ca_file)


def starttls_client():
    c = smtplib.SMTP("localhost", server.ports["smtp"], timeout=20)
    c.starttls(context=ctx())
    c.ehlo()
    return c


def last_message():
    return server.messages()[-1]


@suite.case("STARTTLS + AUTH LOGIN: envelope and data recorded exactly")
def _():
    before = len(server.messages())
    c = starttls_client()
    assert "LOGIN" in c.esmtp_features["auth"], c.esmtp_features
    c.user, c.password = "alice", "secret"
    assert c.auth("LOGIN", c.auth_login)[0] == 235
    c.sendmail("alice@example.com", ["bob@example.org", "carol@example.net"], MESSAGE)
    c.quit()
    msgs = server.wait_for_messages(before + 1)
    m = msgs[before]
    assert m["mail_from"] == "alice@example.com", m
    assert m["rcpt_tos"] == ["bob@example.org", "carol@example.net"], m
    assert m["data"] == MESSAGE, m["data"]
    assert m["auth_user"] == "alice" and m["tls"] is True, m


@suite.case("STARTTLS + AUTH PLAIN")
def _():
    c = starttls_client()
    c.user, c.password = "alice", "secret"
    assert c.auth("PLAIN", c.auth_plain)[0] == 235
    c.sendmail("alice@example.com", ["dave@example.org"], MESSAGE)
    c.quit()
    m = last_message()
    assert m["rcpt_tos"] == ["dave@example.org"] and m["auth_user"] == "alice", m


@suite.case("SMTPS (implicit TLS) with AUTH, verifying CA and name")
def _():
    c = smtplib.SMTP_SSL("localhost", server.ports["smtps"], context=ctx(), timeout=20)
    c.ehlo()
    assert "starttls" not in c.esmtp_features, c.esmtp_features
    c.login("alice", "secret")
    c.sendmail("alice@example.com", ["erin@example.org"], MESSAGE)
    c.quit()
    m = last_message()
    assert m["rcpt_tos"] == ["erin@example.org"] and m["tls"] is True, m


@suite.case("a client trusting only the other CA rejects both ports")
def _():
    for connect in (lambda: smtplib.SMTP_SSL("localhost", server.ports["smtps"],
                                             context=ctx(pki.other_ca_file), timeout=20),
                    lambda: smtplib.SMTP("localhost", server.ports["smtp"],
                                         timeout=20).starttls(context=ctx(pki.other_ca_file))):
        try:
            connect()
        except ssl.SSLCertVerificationError:
            continue
        raise AssertionError("verification against the other CA succeeded")


@suite.case("wrong password gets 535")
def _():
    c = starttls_client()
    try:
        c.login("alice", "wrong")
    except smtplib.SMTPAuthenticationError as e:
        assert e.smtp_code == 535, e
    else:
        raise AssertionError("wrong password accepted")
    c.quit()


@suite.case("MAIL FROM before AUTH gets 530, with and without TLS")
def _():
    for c in (smtplib.SMTP(server.host, server.ports["smtp"], timeout=20), starttls_client()):
        c.ehlo_or_helo_if_needed()
        code, text = c.mail("alice@example.com")
        assert code == 530, (code, text)
        c.quit()


@suite.case("no AUTH before STARTTLS on the plain port")
def _():
    c = smtplib.SMTP(server.host, server.ports["smtp"], timeout=20)
    c.ehlo()
    assert "starttls" in c.esmtp_features and "auth" not in c.esmtp_features, c.esmtp_features
    code, text = c.docmd("AUTH", "PLAIN AGFsaWNlAHNlY3JldA==")
    assert code == 538, (code, text)
    c.quit()


@suite.case("commands pipelined after STARTTLS are discarded")
def _():
    with socket.create_connection((server.host, server.ports["smtp"]), timeout=20) as raw:
        f = raw.makefile("rb")
        assert f.readline().startswith(b"220")
        raw.sendall(b"EHLO client\r\n")
        while not f.readline().startswith(b"250 "):
            pass
        raw.sendall(b"STARTTLS\r\nNOOP injected\r\n")
        assert f.readline().startswith(b"220"), "no 220 to STARTTLS"
        tls = ctx().wrap_socket(raw, server_hostname="localhost")
        tls.sendall(b"EHLO client\r\n")
        first = tls.recv(4096)
        assert first.startswith(b"250-localhost"), first
        tls.sendall(b"QUIT\r\n")


@suite.case("require_auth=False accepts mail without AUTH or TLS")
def _():
    with smtpd.SmtpServer(wd, pki, require_auth=False) as open_relay:
        c = smtplib.SMTP(open_relay.host, open_relay.ports["smtp"], timeout=20)
        c.sendmail("nobody@example.com", ["bob@example.org"], MESSAGE)
        c.quit()
        m = open_relay.wait_for_messages(1)[0]
        assert m["auth_user"] is None and m["tls"] is False, m
        assert m["data"] == MESSAGE


@suite.case("wait_for_messages times out with an AssertionError")
def _():
    count = len(server.messages())
    try:
        server.wait_for_messages(count + 1, timeout=0.3)
    except AssertionError as e:
        assert "expected %d message(s)" % (count + 1) in str(e), str(e)
    else:
        raise AssertionError("wait_for_messages did not time out")


@suite.case("stop/start: same ports, messages kept")
def _():
    ports, count = dict(server.ports), len(server.messages())
    server.stop()
    assert not any(procs.port_open(p) for p in ports.values())
    assert len(server.messages()) == count
    server.start()
    assert server.ports == ports, (server.ports, ports)
    c = starttls_client()
    c.login("alice", "secret")
    c.sendmail("alice@example.com", ["frank@example.org"], MESSAGE)
    c.quit()
    assert len(server.wait_for_messages(count + 1)) == count + 1


@suite.case("a server that cannot start raises with the tail of its log")
def _():
    class MissingFiles:
        def cert(self, name):
            return "/nonexistent/cert.pem", "/nonexistent/key.pem"
    try:
        smtpd.SmtpServer(wd, MissingFiles())
    except smtpd.SmtpError as e:
        assert "exited with status" in str(e) and "No such file" in str(e), str(e)
    else:
        raise AssertionError("the server started without its certificate")


with workdir.WorkDir() as wd:
    pki = certs.TestPKI(wd)
    with smtpd.SmtpServer(wd, pki, users={"alice": "secret"}) as server:
        tap.diag("SMTP server started in %.3fs, ports %s" % (server.start_seconds, server.ports))
        suite.run()
