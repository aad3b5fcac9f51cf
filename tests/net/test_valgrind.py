"""net_probe under valgrind against a real Dovecot and SMTP server: no
memory errors and no leaks in the connection layer or what it drives.
Skipped when valgrind is missing or the build uses the sanitizers (which
do this job themselves and cannot run under valgrind)."""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "net"))

from rowantest import certs, dovecot, smtpd, tap, workdir  # noqa: E402
import netprobe  # noqa: E402

VALGRIND = shutil.which("valgrind")


def sanitized(path):
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()


if VALGRIND is None:
    tap.skip_all("valgrind is not installed")
if sanitized(netprobe.PROBE):
    tap.skip_all("net_probe is built with sanitizers")

suite = tap.Suite()


def under_valgrind(*args):
    argv = [VALGRIND, "--quiet", "--leak-check=full", "--show-leak-kinds=definite,indirect",
            "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99",
            netprobe.PROBE] + list(args)
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.startswith("OK "), (
        "$ %s\nexit %d\n%s\n%s" % (" ".join(argv), proc.returncode, proc.stdout,
                                   proc.stderr[-4000:]))


with workdir.WorkDir() as wd:
    pki = certs.TestPKI(wd.path)
    with dovecot.Dovecot(wd.path, pki, users={"alice": "secret"}) as dc, \
            smtpd.SmtpServer(wd.path, pki, users={"alice": "secret"}) as smtp:
        common = ["--host", "localhost", "--ca", pki.ca_file,
                  "--user", "alice", "--password", "secret"]

        @suite.case("IMAPS login and fetch are valgrind-clean")
        def _():
            dc.fill("alice", "INBOX", 3)
            under_valgrind("--protocol", "imap", "--security", "imaps",
                           "--port", str(dc.ports["imaps"]), "--fetch", *common)

        @suite.case("IMAP STARTTLS (driver swap) is valgrind-clean")
        def _():
            under_valgrind("--protocol", "imap", "--security", "starttls",
                           "--port", str(dc.ports["imap"]), *common)

        @suite.case("POP3 STLS is valgrind-clean")
        def _():
            under_valgrind("--protocol", "pop3", "--security", "starttls",
                           "--port", str(dc.ports["pop3"]), *common)

        @suite.case("SMTP STARTTLS with AUTH and a message is valgrind-clean")
        def _():
            under_valgrind("--protocol", "smtp", "--security", "starttls",
                           "--port", str(smtp.ports["smtp"]), "--send", *common)

        suite.run()
