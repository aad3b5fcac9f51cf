"""Run tests/net/net_probe and read its one-line verdict.

    r = netprobe.run("imap", "imaps", port, ca=pki.ca_file,
                     user="alice", password="secret")
    r.ok, r.error_class, r.message, r.tls, r.caps, r.count, r.seconds

A probe that crashes, trips a sanitizer or prints something unexpected
raises AssertionError with its output, so every test notices.
"""

import os
import re
import subprocess
import time

PROBE = os.path.join(os.environ.get("ROWAN_BUILDDIR", "."), "tests", "net", "net_probe")

_OK = re.compile(r"^OK tls=(\S+) caps=(\S*) count=(\d+)$")
_ERROR = re.compile(r"^ERROR class=(\w+): (.*)$")


class Result:
    def __init__(self, argv, proc, seconds):
        self.argv = argv
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.seconds = seconds
        self.ok = False
        self.tls = self.caps = self.error_class = self.message = None
        self.count = 0
        lines = proc.stdout.splitlines()
        if proc.returncode not in (0, 1) or len(lines) != 1:
            raise AssertionError("net_probe misbehaved:\n" + self.describe())
        ok, error = _OK.match(lines[0]), _ERROR.match(lines[0])
        if ok and proc.returncode == 0:
            self.ok = True
            self.tls = None if ok.group(1) == "none" else ok.group(1)
            self.caps = ok.group(2).split(",") if ok.group(2) else []
            self.count = int(ok.group(3))
        elif error and proc.returncode == 1:
            self.error_class, self.message = error.group(1), error.group(2)
        else:
            raise AssertionError("net_probe printed an unexpected verdict:\n"
                                 + self.describe())

    def describe(self):
        return "$ %s\nexit %s after %.2fs\nstdout: %s\nstderr: %s" % (
            " ".join(self.argv), self.returncode, self.seconds,
            self.stdout.strip(), self.stderr.strip()[-3000:])

    def expect_ok(self):
        assert self.ok, "expected success:\n" + self.describe()
        return self

    def expect_error(self, error_class, *fragments):
        assert not self.ok, "expected an error:\n" + self.describe()
        assert self.error_class == error_class, (
            "expected class %s:\n%s" % (error_class, self.describe()))
        for fragment in fragments:
            assert fragment in self.message, (
                "expected %r in the message:\n%s" % (fragment, self.describe()))
        return self


def run(protocol, security, port, host="localhost", ca=None, fingerprint=None,
        user=None, password=None, timeout=None, extra=(), limit=60):
    """Run the probe once (killed after `limit` seconds) and parse its line."""
    argv = [PROBE, "--protocol", protocol, "--security", security,
            "--host", host, "--port", str(port)]
    if ca is not None:
        argv += ["--ca", ca]
    if fingerprint is not None:
        argv += ["--fingerprint", fingerprint]
    if user is not None:
        argv += ["--user", user, "--password", password]
    if timeout is not None:
        argv += ["--timeout", str(timeout)]
    argv += list(extra)
    started = time.monotonic()
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=limit)
    return Result(argv, proc, time.monotonic() - started)
