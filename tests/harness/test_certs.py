"""Self-test of the test PKI: each certificate variant is checked with
`openssl verify` and by loading it into Python's ssl module."""

import os
import re
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "tests", "lib"))

from rowantest import certs, tap, workdir  # noqa: E402

suite = tap.Suite()


def verify(cert, cafile, *options):
    """(ok, output) of `openssl verify` for `cert` against `cafile`."""
    proc = subprocess.run(["openssl", "verify", "-CAfile", cafile] + list(options) + [cert],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc.returncode == 0, proc.stdout.decode()


def x509(cert, *options):
    return subprocess.run(["openssl", "x509", "-in", cert, "-noout"] + list(options),
                          stdout=subprocess.PIPE, check=True).stdout.decode()


@suite.case("server: signed by the CA, valid for localhost, mail.test, 127.0.0.1")
def _():
    cert, _ = pki.cert("server")
    for option in (["-verify_hostname", "localhost"], ["-verify_hostname", "mail.test"],
                   ["-verify_ip", "127.0.0.1"]):
        ok, out = verify(cert, pki.ca_file, *option)
        assert ok, out
    ok, out = verify(cert, pki.ca_file, "-verify_hostname", "other.test")
    assert not ok and "hostname mismatch" in out.lower(), out


@suite.case("wrong_name: good chain, only wrong.example")
def _():
    cert, _ = pki.cert("wrong_name")
    assert verify(cert, pki.ca_file)[0]
    ok, out = verify(cert, pki.ca_file, "-verify_hostname", "localhost")
    assert not ok, out
    assert "DNS:wrong.example" in x509(cert, "-ext", "subjectAltName")


@suite.case("expired and not_yet_valid are rejected for their dates")
def _():
    ok, out = verify(pki.cert("expired")[0], pki.ca_file)
    assert not ok and "certificate has expired" in out, out
    assert "notAfter=Dec 31 23:59:59 2020 GMT" in x509(pki.cert("expired")[0], "-enddate")
    ok, out = verify(pki.cert("not_yet_valid")[0], pki.ca_file)
    assert not ok and "not yet valid" in out, out


@suite.case("untrusted chains to the other CA only; self_signed to nothing")
def _():
    cert, _ = pki.cert("untrusted")
    assert not verify(cert, pki.ca_file)[0]
    assert verify(cert, pki.other_ca_file)[0]
    cert, _ = pki.cert("self_signed")
    assert not verify(cert, pki.ca_file)[0]
    subject = x509(cert, "-subject").split("=", 1)[1]
    issuer = x509(cert, "-issuer").split("=", 1)[1]
    assert subject == issuer, (subject, issuer)


@suite.case("every key matches its certificate")
def _():
    for name in certs.VARIANTS:
        cert, key = pki.cert(name)
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)


@suite.case("fingerprint is SHA-256 of the DER, as openssl prints it")
def _():
    cert, _ = pki.cert("server")
    fp = certs.fingerprint(cert)
    assert re.fullmatch(r"sha256:([0-9A-F]{2}:){31}[0-9A-F]{2}", fp), fp
    expected = x509(cert, "-fingerprint", "-sha256").strip().split("=", 1)[1]
    assert fp == "sha256:" + expected, (fp, expected)
    assert fp != certs.fingerprint(pki.cert("self_signed")[0])


@suite.case("cert() is made once; unknown names are refused")
def _():
    first = pki.cert("server")
    with open(first[0]) as f:
        pem = f.read()
    assert pki.cert("server") == first
    with open(first[0]) as f:
        assert f.read() == pem
    try:
        pki.cert("no_such_variant")
    except KeyError:
        return
    raise AssertionError("unknown variant accepted")


with workdir.WorkDir() as wd:
    pki = certs.TestPKI(wd)
    suite.run()
