"""Self-test of the tmux fixture with small shell programs.

Checks typing and reading the screen, UTF-8, the terminal size and
environment the program gets, exit statuses, timeouts that show the
screen, clean-up, and the sanitizer-report check.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "tests", "lib"))

from rowantest import tap, tmux, workdir  # noqa: E402

suite = tap.Suite()
SH = "/bin/sh"


def sh(script, **kwargs):
    return tmux.Tmux(wd, [SH, "-c", script], **kwargs)


@suite.case("keys typed into the program change the screen")
def _():
    with sh('printf "hello\\n"; read x; echo "got $x"; read y') as t:
        t.wait_for("hello")
        assert "got" not in t.screen()
        t.send_keys("a", "b", "c", "Enter")
        screen = t.wait_for("got abc")
        assert screen.lines[0] == "hello", screen.lines
        assert screen.lines[2] == "got abc", screen.lines
        assert t.cursor() == (0, 3), t.cursor()
        t.send_text("Enter")          # literal text, not the key
        t.wait_for("Enter")
        assert t.alive()


@suite.case("wait_for times out with an AssertionError showing the screen")
def _():
    with sh('echo "visible text"; read x') as t:
        t.wait_for("visible text")
        try:
            t.wait_for("never shown", timeout=0.3)
        except AssertionError as e:
            message = str(e)
        else:
            raise AssertionError("wait_for did not time out")
        assert "'never shown'" in message and "|visible text" in message, message


@suite.case("wait_exit returns the exit status, or -N for signal N")
def _():
    with sh("read x; exit 3") as t:
        assert t.alive()
        t.send_keys("Enter")
        assert t.wait_exit() == 3
        assert not t.alive()
    with sh("kill -TERM $$") as t:
        assert t.wait_exit() == -15


@suite.case("wait_exit times out while the program runs")
def _():
    with sh("read x") as t:
        try:
            t.wait_exit(timeout=0.3)
        except AssertionError as e:
            assert "still running" in str(e), str(e)
        else:
            raise AssertionError("wait_exit returned for a running program")


@suite.case("UTF-8 output and input are shown correctly")
def _():
    with sh('printf "Gr\\303\\274\\303\\237e \\346\\227\\245\\346\\234\\254\\n"; read x; '
            'echo "[$x]"; read y') as t:
        screen = t.wait_for("Grüße 日本")
        assert screen.lines[0] == "Grüße 日本", screen.lines[0]
        t.send_text("Zoë ½")
        t.send_keys("Enter")
        t.wait_for("[Zoë ½]")


@suite.case("the program sees the size, TERM, locale, HOME and env given")
def _():
    home = os.path.join(wd.path, "home")
    os.makedirs(home, exist_ok=True)
    os.environ["ROWAN_LEAK_CHECK"] = "leaked"
    try:
        t = sh('stty size; echo "T=$TERM L=$LANG/$LC_ALL H=$HOME X=$ROWAN_X '
               'Y=${ROWAN_LEAK_CHECK:-unset}"; read x',
               width=120, height=20, home=home, env={"ROWAN_X": "x1"})
    finally:
        del os.environ["ROWAN_LEAK_CHECK"]
    with t:
        screen = t.wait_for("T=")
        assert screen.lines[0] == "20 120", screen.lines
        assert len(screen.lines) == 20, len(screen.lines)
        expected = "T=tmux-256color L=C.UTF-8/C.UTF-8 H=%s X=x1 Y=unset" % home
        assert screen.lines[1] == expected, (screen.lines[1], expected)


@suite.case("resize changes the size the program sees")
def _():
    with sh("stty size; read x; stty size; read y", width=80, height=24) as t:
        t.wait_for("24 80")
        t.resize(90, 30)
        t.send_keys("Enter")
        t.wait_for("30 90")


@suite.case("leaving the block kills the program and the tmux server")
def _():
    for script in ("read x", "trap '' HUP; while :; do sleep 1; done"):
        with sh(script) as t:
            assert t.alive()
        for p in (t.pid, t.pane_pid, t.server_pid):
            assert not tmux._pid_alive(p), "process %d still alive" % p
        assert not t.alive()


@suite.case("a sanitizer report makes leaving the block fail")
def _():
    reports = os.path.join(wd.path, "reports")
    os.makedirs(reports, exist_ok=True)
    script = ('log=${ASAN_OPTIONS##*log_path=}; '
              'echo "ERROR: AddressSanitizer: made up" > "$log.$$"; echo done; read x')
    try:
        with sh(script, sanitizer_dir=reports) as t:
            t.wait_for("done")
    except AssertionError as e:
        assert "AddressSanitizer: made up" in str(e), str(e)
    else:
        raise AssertionError("the report went unnoticed")
    with sh("echo clean; read x", sanitizer_dir=reports) as t:
        t.wait_for("clean")
    assert t.sanitizer_report() is None


with workdir.WorkDir() as wd:
    suite.run()
