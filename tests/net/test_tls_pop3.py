"""POP3 over Rowan's TLS against a real Dovecot: POP3S and STLS, a
certificate failure, and a plaintext-only server."""

import os
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import certs, dovecot, tap, workdir  # noqa: E402
import netprobe  # noqa: E402

suite = tap.Suite()
USERS = {"alice": "secret"}


def run(*cases):
    with workdir.WorkDir() as wd:
        pki = certs.TestPKI(wd.path)
        with dovecot.Dovecot(wd.path, pki, users=USERS) as good, \
                dovecot.Dovecot(wd.path, pki, users=USERS, cert="wrong_name") as bad, \
                dovecot.Dovecot(wd.path, None, users=USERS, ssl=False) as plain:
            env = dict(pki=pki, good=good, bad=bad, plain=plain)
            for case in cases:
                suite.case(case.__doc__)(lambda case=case: case(**env))
            suite.run()


def pop3s_logs_in(pki, good, **_):
    """POP3S with the test CA logs in"""
    r = netprobe.run("pop3", "imaps", good.ports["pop3s"], ca=pki.ca_file,
                     user="alice", password="secret").expect_ok()
    assert r.tls in ("TLSv1.2", "TLSv1.3"), r.describe()


def stls_logs_in(pki, good, **_):
    """POP3 STLS logs in and asks CAPA again under TLS"""
    r = netprobe.run("pop3", "starttls", good.ports["pop3"], ca=pki.ca_file,
                     user="alice", password="secret").expect_ok()
    assert r.tls in ("TLSv1.2", "TLSv1.3"), r.describe()
    # Under TLS Dovecot offers USER and no longer STLS.
    assert "USER" in r.caps and "STLS" not in r.caps, r.describe()


def wrong_password(pki, good, **_):
    """a wrong POP3 password is an AUTH error"""
    netprobe.run("pop3", "imaps", good.ports["pop3s"], ca=pki.ca_file,
                 user="alice", password="nope").expect_error("auth")


def name_mismatch(pki, bad, **_):
    """POP3S and STLS refuse a certificate for another name"""
    fp = certs.fingerprint(pki.cert("wrong_name")[0])
    for security, port in (("imaps", "pop3s"), ("starttls", "pop3")):
        netprobe.run("pop3", security, bad.ports[port], ca=pki.ca_file,
                     user="alice", password="secret").expect_error(
            "tls", "certificate name mismatch (certificate is for wrong.example)", fp)


def pinned(pki, bad, **_):
    """POP3 STLS accepts a pinned certificate"""
    fp = certs.fingerprint(pki.cert("wrong_name")[0])
    netprobe.run("pop3", "starttls", bad.ports["pop3"], fingerprint=fp,
                 user="alice", password="secret").expect_ok()


def plaintext_only(plain, **_):
    """a plaintext-only POP3 server is refused in starttls mode"""
    netprobe.run("pop3", "starttls", plain.ports["pop3"], user="alice",
                 password="secret").expect_error(
        "tls", "server does not offer STARTTLS", "set tls = none")
    netprobe.run("pop3", "none", plain.ports["pop3"], user="alice",
                 password="secret").expect_ok()


run(pop3s_logs_in, stls_logs_in, wrong_password, name_mismatch, pinned,
    plaintext_only)
