"""Run bench/imap_fetch against a private Dovecot with a large folder.

    /usr/bin/python3 bench/imap_fetch.py [-n MESSAGES] [--runs R]

Starts Dovecot (tests/lib/rowantest) in a temporary directory, fills
INBOX with MESSAGES generated messages (default 100,000; about 9 s),
runs bench/imap_fetch once to warm Dovecot's own cache and index, then
R times more (default 3) with each reader in its own process, and prints
a table and the medians.  Environment: ROWAN_SRCDIR (default: the parent of
this file's folder) and ROWAN_BUILDDIR (default: the current folder),
as in the test suite.  `make bench-fetch` runs it.
"""

import argparse
import os
import re
import subprocess
import sys
import time

SRCDIR = os.environ.get("ROWAN_SRCDIR",
                        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILDDIR = os.environ.get("ROWAN_BUILDDIR", ".")
sys.path.insert(0, os.path.join(SRCDIR, "tests", "lib"))

from rowantest import certs, dovecot, workdir  # noqa: E402

LINE = re.compile(r"^(\S+)\s+(\d+) messages\s+([\d.]+) MB\s+([\d.]+) s wall"
                  r"\s+([\d.]+) s cpu\s+(\d+) msg/s$")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    program = os.path.join(BUILDDIR, "bench", "imap_fetch")
    if not os.path.exists(program):
        sys.exit("%s not found: run make first" % program)

    wd = workdir.WorkDir(prefix="rowan-bench-")
    dc = None
    try:
        pki = certs.TestPKI(wd.path)
        dc = dovecot.Dovecot(wd.path, pki, users={"alice": "benchpw"})
        start = time.monotonic()
        dc.fill("alice", "INBOX", args.messages)
        print("filled INBOX with %d messages in %.1f s"
              % (args.messages, time.monotonic() - start))
        rows = []
        # Run 0 warms Dovecot's cache and index; then each reader runs in
        # its own process, alternating which goes first.
        for run in range(0, args.runs + 1):
            order = ["both"] if run == 0 else \
                (["raw", "libetpan"] if run % 2 else ["libetpan", "raw"])
            for reader in order:
                argv = [program] + ([] if reader == "both" else ["-r", reader])
                proc = subprocess.run(
                    argv + ["localhost", str(dc.ports["imaps"]), "alice",
                            "benchpw", pki.ca_file],
                    capture_output=True, text=True, timeout=600)
                if proc.returncode != 0:
                    sys.exit("bench/imap_fetch failed:\n%s%s"
                             % (proc.stdout, proc.stderr))
                for line in proc.stdout.splitlines():
                    m = LINE.match(line)
                    if m:
                        rows.append((run,) + m.groups())
        print()
        print("| run | reader   | messages | header MB | wall s | client cpu s | messages/s |")
        print("|----:|----------|---------:|----------:|-------:|-------------:|-----------:|")
        for run, name, n, mb, wall, cpu, rate in rows:
            print("| %3s | %-8s | %8s | %9s | %6s | %12s | %10s |"
                  % (run if run else "0 (warm-up)", name, n, mb, wall, cpu, rate))
        print()
        for reader in ("raw", "libetpan"):
            walls = sorted(float(r[4]) for r in rows if r[1] == reader and r[0])
            cpus = sorted(float(r[5]) for r in rows if r[1] == reader and r[0])
            if walls:
                mid = len(walls) // 2
                print("%-8s median of %d runs: %.2f s wall, %.2f s client cpu, "
                      "%.0f messages/s" % (reader, len(walls), walls[mid],
                                           cpus[mid], args.messages / walls[mid]))
    finally:
        if dc is not None:
            dc.stop()
        wd.remove()


if __name__ == "__main__":
    main()
