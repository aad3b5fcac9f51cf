"""A tiny TAP producer for automake's TAP driver.

    suite = tap.Suite()

    @suite.case("login works")
    def _():
        assert x == 1, "message"

    suite.run()          # prints 1..N, one line per case, then exits

Each case runs even when an earlier one failed.  A failing case prints
`not ok N - name` followed by its traceback as `# ` lines; a case that
calls tap.skip("reason") prints `ok N - name # SKIP reason`.  run() exits
with status 0 when every case passed or was skipped, else 1.

Every case has a time limit (suite.case(name, timeout=SECONDS), default
300): when it expires the case fails with a TimeoutError raised where it
was waiting, and the next case runs.

Anything a case wants to show goes through tap.diag(), which prefixes
`# `; plain print() would confuse the driver.
"""

import re
import signal
import sys
import time
import traceback

DEFAULT_TIMEOUT = 300


class Skip(Exception):
    """Raised by skip(): the current case is reported as skipped."""


class CaseTimeout(TimeoutError):
    """Raised inside a case that ran past its time limit."""


def skip(reason):
    """Skip the current case (report `ok N - name # SKIP reason`)."""
    raise Skip(reason)


def skip_all(reason):
    """Skip a whole test program: print `1..0 # SKIP reason` and exit 0."""
    _out("1..0 # SKIP %s" % _one_line(reason))
    sys.exit(0)


def diag(*lines):
    """Print diagnostic lines (each prefixed by '# ')."""
    for text in lines:
        for line in str(text).splitlines() or [""]:
            _out("# " + line)


def bail_out(reason):
    """Abort the whole test program (the driver reports an error)."""
    _out("Bail out! %s" % _one_line(reason))
    sys.exit(1)


def _one_line(text):
    return " ".join(str(text).split())


def _out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _alarm(signum, frame):
    raise CaseTimeout("case exceeded its time limit")


class Suite:
    """An ordered list of named test cases."""

    def __init__(self):
        self.cases = []

    def case(self, name, timeout=DEFAULT_TIMEOUT):
        """Decorator registering a test case; returns the function unchanged.

        A '#' in the name that would read as a SKIP or TODO directive is
        escaped ('\\#'), so the case still counts as passed or failed.
        """
        name = re.sub(r"#(?=\s*(skip|todo))", r"\\#", " ".join(name.split()),
                      flags=re.IGNORECASE)

        def register(fn):
            self.cases.append((name, fn, timeout))
            return fn
        return register

    def run(self):
        """Run every case in order, print TAP, exit 0 (all passed) or 1."""
        _out("1..%d" % len(self.cases))
        failed = 0
        previous = signal.signal(signal.SIGALRM, _alarm)
        for number, (name, fn, timeout) in enumerate(self.cases, 1):
            started = time.monotonic()
            try:
                signal.setitimer(signal.ITIMER_REAL, timeout)
                try:
                    fn()
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except Skip as s:
                _out("ok %d - %s # SKIP %s" % (number, name, _one_line(s)))
                continue
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:
                failed += 1
                _out("not ok %d - %s" % (number, name))
                diag(traceback.format_exc().rstrip())
                diag("(after %.2fs)" % (time.monotonic() - started))
                continue
            _out("ok %d - %s" % (number, name))
        signal.signal(signal.SIGALRM, previous)
        sys.exit(1 if failed else 0)
