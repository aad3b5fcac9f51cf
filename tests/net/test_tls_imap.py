"""IMAP over Rowan's TLS against a real Dovecot: IMAPS and STARTTLS,
certificate verification failures (with reason and fingerprint), pinning,
and a plaintext-only server."""

import os
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import certs, dovecot, procs, tap, workdir  # noqa: E402
import netprobe  # noqa: E402

suite = tap.Suite()
USERS = {"alice": "secret"}
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)
servers = {}


def server(variant="server"):
    """A Dovecot serving the given certificate variant (started once)."""
    if variant not in servers:
        servers[variant] = dovecot.Dovecot(wd.path, pki,
                                           users=USERS, cert=variant)
    return servers[variant]


def imap(security, variant="server", host="localhost", **kw):
    dc = server(variant)
    port = dc.ports["imaps" if security == "imaps" else "imap"]
    kw.setdefault("ca", pki.ca_file)
    return netprobe.run("imap", security, port, host=host, **kw)


def fingerprint(variant):
    return certs.fingerprint(pki.cert(variant)[0])


@suite.case("IMAPS with the test CA logs in")
def _():
    r = imap("imaps", user="alice", password="secret").expect_ok()
    assert r.tls in ("TLSv1.2", "TLSv1.3"), r.describe()
    assert "IMAP4rev1" in r.caps, r.describe()


@suite.case("IMAP STARTTLS logs in and sees the capabilities sent under TLS")
def _():
    r = imap("starttls", user="alice", password="secret").expect_ok()
    assert r.tls in ("TLSv1.2", "TLSv1.3"), r.describe()
    # In plaintext Dovecot says LOGINDISABLED and no AUTH=; under TLS
    # it offers AUTH=PLAIN.  Seeing the latter proves the refresh.
    assert "AUTH=PLAIN" in r.caps and "LOGINDISABLED" not in r.caps, r.describe()
    assert "STARTTLS" not in r.caps, r.describe()


@suite.case("IMAPS to an IP literal checks the certificate's IP address")
def _():
    imap("imaps", host="127.0.0.1", user="alice", password="secret").expect_ok()


@suite.case("a wrong password is an AUTH error, not a TLS one")
def _():
    imap("imaps", user="alice", password="wrong").expect_error("auth")


@suite.case("the system store alone does not trust the test CA")
def _():
    imap("imaps", ca=None).expect_error(
        "tls", "certificate issuer is unknown", "Rowan Test CA",
        fingerprint("server"), "set tls_ca_file or tls_fingerprint")


@suite.case("an unrelated CA file does not trust the server")
def _():
    imap("imaps", ca=pki.other_ca_file).expect_error(
        "tls", "certificate issuer is unknown", fingerprint("server"))


@suite.case("an unreadable CA file is a configuration error")
def _():
    imap("imaps", ca=os.path.join(wd.path, "missing.pem")).expect_error(
        "config", "tls_ca_file", "missing.pem")


@suite.case("wrong host name fails and says which names the certificate is for")
def _():
    for security in ("imaps", "starttls"):
        imap(security, "wrong_name", user="alice", password="secret").expect_error(
            "tls", "localhost: certificate name mismatch (certificate is for wrong.example)",
            "its SHA-256 fingerprint is " + fingerprint("wrong_name"),
            "set tls_fingerprint to trust it")


@suite.case("a host name the certificate does not list fails (IP literal too)")
def _():
    r = imap("imaps", "wrong_name", host="127.0.0.1")
    r.expect_error("tls", "127.0.0.1: certificate name mismatch",
                   "wrong.example")


@suite.case("a certificate from an untrusted CA fails as unknown issuer")
def _():
    imap("imaps", "untrusted").expect_error(
        "tls", "certificate issuer is unknown", "Rowan Unrelated Test CA",
        fingerprint("untrusted"))


@suite.case("an expired certificate fails as expired")
def _():
    imap("imaps", "expired").expect_error(
        "tls", "certificate has expired (valid until 2020-12-31",
        fingerprint("expired"), "set tls_fingerprint to trust it")


@suite.case("a not-yet-valid certificate fails as not yet valid")
def _():
    imap("imaps", "not_yet_valid").expect_error(
        "tls", "certificate is not yet valid (valid from 2090-01-01",
        fingerprint("not_yet_valid"))


@suite.case("a self-signed certificate fails as self-signed")
def _():
    for security in ("imaps", "starttls"):
        imap(security, "self_signed").expect_error(
            "tls", "localhost: certificate is self-signed",
            "its SHA-256 fingerprint is " + fingerprint("self_signed"),
            "set tls_fingerprint to trust it")


@suite.case("a pinned fingerprint accepts a self-signed certificate")
def _():
    for security in ("imaps", "starttls"):
        imap(security, "self_signed", ca=None, fingerprint=fingerprint("self_signed"),
             user="alice", password="secret").expect_ok()


@suite.case("a pin accepts a mismatched name; lower case without colons works")
def _():
    pin = fingerprint("wrong_name")[len("sha256:"):].replace(":", "").lower()
    imap("imaps", "wrong_name", fingerprint=pin, user="alice",
         password="secret").expect_ok()


@suite.case("a wrong pin is refused, naming expected and actual fingerprints")
def _():
    wrong = fingerprint("server")
    for security in ("imaps", "starttls"):
        imap(security, "self_signed", fingerprint=wrong).expect_error(
            "tls", "certificate fingerprint mismatch",
            "expected " + wrong, fingerprint("self_signed"))
    # A pin is exact: even a certificate the CA vouches for must match.
    imap("imaps", "server", fingerprint=fingerprint("self_signed")).expect_error(
        "tls", "certificate fingerprint mismatch")


@suite.case("a malformed pin is a configuration error")
def _():
    imap("imaps", fingerprint="sha256:12:34").expect_error(
        "config", "tls_fingerprint", "sha256:12:34")


@suite.case("a plaintext-only server is refused in starttls mode")
def _():
    plain = dovecot.Dovecot(wd.path, None, users=USERS, ssl=False)
    servers["plain"] = plain
    r = netprobe.run("imap", "starttls", plain.ports["imap"], user="alice",
                     password="secret")
    r.expect_error("tls", "server does not offer STARTTLS",
                   "refusing to send credentials without TLS",
                   "set tls = none to allow a plaintext connection")
    # ...and works when the user asked for plaintext.
    r = netprobe.run("imap", "none", plain.ports["imap"], user="alice",
                     password="secret").expect_ok()
    assert r.tls is None, r.describe()


@suite.case("a failed handshake leaves no login attempt in Dovecot's log")
def _():
    dc = server("wrong_name")
    before = len(dc.log())
    imap("starttls", "wrong_name", user="alice", password="secret").expect_error("tls")
    try:
        procs.wait_until(lambda: "no auth attempts" in dc.log()[before:], 10,
                         what="Dovecot to log the disconnection")
    except TimeoutError:
        pass
    log = dc.log()[before:]
    assert "no auth attempts" in log, "Dovecot saw something else:\n" + log
    assert "alice" not in log, "a login reached Dovecot:\n" + log


try:
    suite.run()
finally:
    for dc in servers.values():
        dc.stop()
    wd.remove()
