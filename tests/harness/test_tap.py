"""Self-test of the TAP runner: run small suites in a child interpreter
and check the exact lines and exit status the TAP driver would see."""

import os
import subprocess
import sys
import textwrap
import time

LIB = os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "tests", "lib")
sys.path.insert(0, LIB)

from rowantest import tap, workdir  # noqa: E402

suite = tap.Suite()


def run_suite(body):
    """Run `body` (Python using `tap` and `suite`) and return (status, lines)."""
    script = os.path.join(wd.path, "suite_%d.py" % time.monotonic_ns())
    with open(script, "w") as f:
        f.write("import sys\nsys.path.insert(0, %r)\n" % LIB)
        f.write("from rowantest import tap\nsuite = tap.Suite()\n")
        f.write(textwrap.dedent(body))
    proc = subprocess.run([sys.executable, script], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60)
    return proc.returncode, proc.stdout.decode().splitlines()


@suite.case("passing, failing, skipped and raising cases are all reported")
def _():
    status, lines = run_suite("""
        @suite.case("first")
        def _():
            assert 1 + 1 == 2

        @suite.case("second")
        def _():
            assert 1 + 1 == 3, "arithmetic is off"

        @suite.case("third")
        def _():
            tap.skip("not today")

        @suite.case("fourth")
        def _():
            raise ValueError("bad value")

        @suite.case("fifth")
        def _():
            tap.diag("a note")

        suite.run()
    """)
    assert status == 1, status
    results = [line for line in lines if not line.startswith("#")]
    assert results == ["1..5", "ok 1 - first", "not ok 2 - second",
                       "ok 3 - third # SKIP not today", "not ok 4 - fourth",
                       "ok 5 - fifth"], lines
    text = "\n".join(lines)
    assert "# AssertionError: arithmetic is off" in text, text
    assert "# ValueError: bad value" in text, text
    assert "# a note" in text, text


@suite.case("a suite whose cases all pass exits 0")
def _():
    status, lines = run_suite("""
        @suite.case("only")
        def _():
            pass

        suite.run()
    """)
    assert (status, lines) == (0, ["1..1", "ok 1 - only"]), (status, lines)


@suite.case("a case past its time limit fails and the next one runs")
def _():
    started = time.monotonic()
    status, lines = run_suite("""
        import time

        @suite.case("slow", timeout=0.2)
        def _():
            time.sleep(30)

        @suite.case("after")
        def _():
            pass

        suite.run()
    """)
    took = time.monotonic() - started
    assert took < 10, took
    assert status == 1, status
    assert "not ok 1 - slow" in lines and "ok 2 - after" in lines, lines
    assert any("CaseTimeout" in line for line in lines), lines


@suite.case("skip_all prints a skip plan and exits 0")
def _():
    status, lines = run_suite("""
        tap.skip_all("no tmux here")
    """)
    assert (status, lines) == (0, ["1..0 # SKIP no tmux here"]), (status, lines)


@suite.case("a name that looks like a directive is escaped")
def _():
    status, lines = run_suite("""
        @suite.case("issue #12 # skip this is not a directive")
        def _():
            pass

        suite.run()
    """)
    assert (status, lines) == (0, ["1..1", "ok 1 - issue #12 \\# skip this is not a directive"]), \
        (status, lines)


with workdir.WorkDir() as wd:
    suite.run()
