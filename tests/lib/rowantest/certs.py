"""A throw-away PKI for TLS tests, made with the openssl command.

    pki = certs.TestPKI(dirpath)
    pki.ca_file              # PEM of the CA that signs the good certificates
    pki.other_ca_file        # PEM of an unrelated CA ("untrusted issuer")
    cert, key = pki.cert('server')
    certs.fingerprint(cert)  # 'sha256:AB:CD:...'

Certificate variants (made on first use, then reused):

  server       signed by the CA; SAN DNS:localhost, DNS:mail.test, IP:127.0.0.1
  wrong_name   signed by the CA; SAN DNS:wrong.example only
  expired      signed by the CA; SAN as server; valid 2020-01-01..2020-12-31
  not_yet_valid signed by the CA; SAN as server; valid from 2090 on
  untrusted    signed by the other CA; SAN as server
  self_signed  self-signed; SAN as server

pki.issue(name, sans, issuer='ca'|'other_ca'|'self', not_before=, not_after=)
makes any other variant.  Keys are EC P-256, so a whole PKI takes a few
tens of milliseconds.  Key files are mode 0644: they protect nothing and
the server processes run as another user.
"""

import hashlib
import os
import ssl
import subprocess

SERVER_SANS = ("DNS:localhost", "DNS:mail.test", "IP:127.0.0.1")

VARIANTS = {
    "server": dict(sans=SERVER_SANS),
    "wrong_name": dict(sans=("DNS:wrong.example",)),
    "expired": dict(sans=SERVER_SANS, not_before="20200101000000Z",
                    not_after="20201231235959Z"),
    "not_yet_valid": dict(sans=SERVER_SANS, not_before="20900101000000Z",
                          not_after="20910101000000Z"),
    "untrusted": dict(sans=SERVER_SANS, issuer="other_ca"),
    "self_signed": dict(sans=SERVER_SANS, issuer="self"),
}

_CA_EXT = """\
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

_LEAF_EXT = """\
[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = {sans}
"""

# `openssl ca` is the only OpenSSL 3.0 command that sets arbitrary validity
# dates; it needs a small database and a policy that accepts any subject.
_CA_CONF = """\
[ca]
default_ca = testca

[testca]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = any_policy
unique_subject = no
copy_extensions = none
email_in_dn = no

[any_policy]
commonName = supplied
"""


class OpenSSLError(RuntimeError):
    """An openssl command failed; the message holds its output."""


def _openssl(*args, cwd=None):
    proc = subprocess.run(("openssl",) + args, cwd=cwd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise OpenSSLError("openssl %s failed (%d):\n%s" % (
            " ".join(args), proc.returncode, proc.stdout.decode("utf-8", "replace")))


def _new_key(path):
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", path)
    os.chmod(path, 0o644)


def fingerprint(cert_path):
    """'sha256:AB:CD:...': SHA-256 of the certificate's DER, upper-case hex."""
    with open(cert_path, "r", encoding="ascii") as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    digest = hashlib.sha256(der).hexdigest().upper()
    return "sha256:" + ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


class TestPKI:
    """Two CAs and on-demand leaf certificates under dirpath/pki."""

    __test__ = False  # not a test class, whatever a collector thinks

    def __init__(self, dirpath):
        self.dir = os.path.join(os.fspath(dirpath), "pki")
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o755)
        self._serial = 1000
        self._issued = {}
        self.ca_file, self.ca_key = self._make_ca("ca", "Rowan Test CA")
        self.other_ca_file, self.other_ca_key = self._make_ca(
            "other_ca", "Rowan Unrelated Test CA")

    def _path(self, name, ext):
        return os.path.join(self.dir, name + ext)

    def _write(self, name, text):
        path = self._path(name, "")
        with open(path, "w") as f:
            f.write(text)
        return path

    def _make_ca(self, name, common_name):
        key, cert = self._path(name, ".key"), self._path(name, ".pem")
        conf = self._write(name + ".ext", _CA_EXT)
        _new_key(key)
        _openssl("req", "-new", "-x509", "-key", key, "-out", cert, "-days", "3650",
                 "-sha256", "-subj", "/CN=" + common_name, "-config", conf,
                 "-extensions", "ca_ext", "-set_serial", "1")
        return cert, key

    def cert(self, name):
        """(cert_path, key_path) of a named variant, made on first use."""
        if name not in self._issued:
            if name not in VARIANTS:
                raise KeyError("unknown certificate variant %r (known: %s)"
                               % (name, ", ".join(sorted(VARIANTS))))
            self.issue(name, **VARIANTS[name])
        return self._issued[name]

    def issue(self, name, sans=SERVER_SANS, issuer="ca", not_before=None,
              not_after=None, days=365):
        """Make certificate `name` and return (cert_path, key_path).

        issuer is 'ca', 'other_ca' or 'self'; not_before/not_after are
        'YYYYMMDDHHMMSSZ' strings (both or neither).
        """
        key, cert = self._path(name, ".key"), self._path(name, ".pem")
        csr = self._path(name, ".csr")
        ext = self._write(name + ".ext", _LEAF_EXT.format(sans=", ".join(sans)))
        _new_key(key)
        subject = "/CN=" + sans[0].split(":", 1)[1]
        self._serial += 1
        if issuer == "self":
            _openssl("req", "-new", "-x509", "-key", key, "-out", cert, "-sha256",
                     "-days", str(days), "-subj", subject, "-config", ext,
                     "-extensions", "leaf_ext", "-set_serial", str(self._serial))
        else:
            ca_cert = self.ca_file if issuer == "ca" else self.other_ca_file
            ca_key = self.ca_key if issuer == "ca" else self.other_ca_key
            _openssl("req", "-new", "-key", key, "-out", csr, "-subj", subject,
                     "-config", ext)
            if not_before is None:
                _openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
                         "-set_serial", str(self._serial), "-days", str(days),
                         "-sha256", "-extfile", ext, "-extensions", "leaf_ext",
                         "-out", cert)
            else:
                self._sign_dated(csr, cert, ca_cert, ca_key, ext, not_before, not_after)
        os.chmod(cert, 0o644)
        self._issued[name] = (cert, key)
        return cert, key

    def _sign_dated(self, csr, cert, ca_cert, ca_key, ext, not_before, not_after):
        db = os.path.join(self.dir, "ca-db")
        os.makedirs(os.path.join(db, "newcerts"), exist_ok=True)
        open(os.path.join(db, "index.txt"), "w").close()
        serial = "%X" % self._serial
        with open(os.path.join(db, "serial"), "w") as f:
            f.write(serial.zfill(len(serial) + len(serial) % 2) + "\n")
        conf = self._write("ca-db.conf", _CA_CONF.format(dir=db))
        _openssl("ca", "-batch", "-notext", "-config", conf, "-cert", ca_cert,
                 "-keyfile", ca_key, "-in", csr, "-out", cert,
                 "-startdate", not_before, "-enddate", not_after,
                 "-extfile", ext, "-extensions", "leaf_ext")
