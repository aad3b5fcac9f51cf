"""SMTP over Rowan's TLS against aiosmtpd: SMTPS and STARTTLS with AUTH
and a message, the EHLO name, certificate failures."""

import os
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import certs, smtpd, tap, workdir  # noqa: E402
import netprobe  # noqa: E402

suite = tap.Suite()
USERS = {"alice": "secret"}


def run(*cases):
    with workdir.WorkDir() as wd:
        pki = certs.TestPKI(wd.path)
        with smtpd.SmtpServer(wd.path, pki, users=USERS) as good, \
                smtpd.SmtpServer(wd.path, pki, users=USERS, cert="self_signed") as bad:
            env = dict(pki=pki, good=good, bad=bad)
            for case in cases:
                suite.case(case.__doc__)(lambda case=case: case(**env))
            suite.run()


def send(pki, server, security, **kw):
    port = server.ports["smtps" if security == "imaps" else "smtp"]
    kw.setdefault("ca", pki.ca_file)
    return netprobe.run("smtp", security, port, extra=["--send"], **kw)


def smtps(pki, good, **_):
    """SMTPS with AUTH delivers a message"""
    before = len(good.messages())
    r = send(pki, good, "imaps", user="alice", password="secret").expect_ok()
    assert r.tls in ("TLSv1.2", "TLSv1.3") and r.count == 1, r.describe()
    message = good.wait_for_messages(before + 1)[-1]
    assert message["auth_user"] == "alice" and message["tls"], message
    assert message["rcpt_tos"] == ["bob@example.com"], message
    assert b"Subject: net_probe" in message["data"], message


def starttls(pki, good, **_):
    """SMTP STARTTLS with AUTH delivers a message; EHLO is repeated under TLS"""
    before = len(good.messages())
    r = send(pki, good, "starttls", user="alice", password="secret").expect_ok()
    # AUTH is offered only after STARTTLS: seeing it proves the new EHLO.
    assert "AUTH=PLAIN" in r.caps and "STARTTLS" not in r.caps, r.describe()
    message = good.wait_for_messages(before + 1)[-1]
    assert message["auth_user"] == "alice" and message["tls"], message


def ehlo_name(pki, good, **_):
    """EHLO names the client by its address, never the host name"""
    send(pki, good, "imaps", user="alice", password="secret").expect_ok()
    message = good.wait_for_messages(1)[-1]
    assert message["helo"] == "[127.0.0.1]", message["helo"]


def wrong_password(pki, good, **_):
    """a wrong SMTP password is an AUTH error and sends nothing"""
    before = len(good.messages())
    send(pki, good, "imaps", user="alice", password="nope").expect_error("auth")
    assert len(good.messages()) == before


def self_signed(pki, bad, **_):
    """SMTPS and STARTTLS refuse a self-signed certificate"""
    fp = certs.fingerprint(pki.cert("self_signed")[0])
    for security in ("imaps", "starttls"):
        send(pki, bad, security, user="alice", password="secret").expect_error(
            "tls", "certificate is self-signed", fp, "set tls_fingerprint")
    assert bad.messages() == []


def pinned(pki, bad, **_):
    """SMTP STARTTLS accepts a pinned self-signed certificate"""
    fp = certs.fingerprint(pki.cert("self_signed")[0])
    send(pki, bad, "starttls", ca=None, fingerprint=fp, user="alice",
         password="secret").expect_ok()
    assert len(bad.wait_for_messages(1)) == 1


run(smtps, starttls, ehlo_name, wrong_password, self_signed, pinned)
