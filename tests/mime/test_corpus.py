"""rowan --print: the MIME corpus.

For every tests/mime/corpus/NN-name.eml, runs `rowan -F <empty rc> --print
FILE` in a private HOME with a UTF-8 C locale and checks, as one test case:
exit status 0 within the time limit, output byte for byte equal to
NN-name.out, and nothing in it a terminal would act on (no ESC, no NUL, no
C1 control, only valid UTF-8).  A mismatch prints a unified diff with
control characters shown as \\xNN.  See tests/mime/corpus/README.md.
"""
import difflib
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "tests", "lib"))
from rowantest import tap, workdir  # noqa: E402

SRCDIR = os.environ.get("ROWAN_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ROWAN = os.environ.get("ROWAN_BIN", "./rowan")
CORPUS = os.path.join(SRCDIR, "tests", "mime", "corpus")
TIME_LIMIT = 30          # seconds per message, sanitizers included
DIFF_LINES = 80          # at most this many diff lines per mismatch
LINE_CHARS = 240         # longer diff lines are cut

suite = tap.Suite()


def visible(line):
    """A line of output bytes as printable text for a diagnostic."""
    text = line.decode("utf-8", errors="backslashreplace")
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\n":
            continue
        if code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F:
            out.append("\\x%02x" % code)
        else:
            out.append(ch)
    text = "".join(out)
    if len(text) > LINE_CHARS:
        text = text[:LINE_CHARS] + "...(%d more)" % (len(text) - LINE_CHARS)
    return text


def diff(expected, got):
    lines = difflib.unified_diff([visible(x) for x in expected.splitlines(True)],
                                 [visible(x) for x in got.splitlines(True)],
                                 "expected", "rowan --print", lineterm="", n=2)
    lines = list(lines)
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + ["... (%d more diff lines)" % (len(lines) - DIFF_LINES)]
    return lines


def first_difference(expected, got):
    for i, (a, b) in enumerate(zip(expected, got)):
        if a != b:
            return i
    return min(len(expected), len(got))


def check_terminal_safe(out):
    """No byte or character in out that a terminal would act on."""
    assert b"\x1b" not in out, "ESC in the output at byte %d" % out.index(b"\x1b")
    assert b"\x00" not in out, "NUL in the output at byte %d" % out.index(b"\x00")
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError("output is not valid UTF-8: %s" % e) from None
    for i, ch in enumerate(text):
        if 0x80 <= ord(ch) <= 0x9F:
            raise AssertionError("C1 control U+%04X in the output at character %d"
                                 % (ord(ch), i))


def add_case(eml, env, rc):
    name = os.path.basename(eml)[:-len(".eml")]
    expected_path = eml[:-len(".eml")] + ".out"

    @suite.case("%s: rowan --print matches %s.out, terminal-safe" % (name, name),
                timeout=TIME_LIMIT + 10)
    def _():
        with open(expected_path, "rb") as f:
            expected = f.read()
        try:
            r = subprocess.run([ROWAN, "-F", rc, "--print", eml], env=env,
                               stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            raise AssertionError("rowan --print took longer than %d s" % TIME_LIMIT)
        stderr = r.stderr.decode("utf-8", errors="backslashreplace")
        assert r.returncode == 0, "exit status %d; stderr:\n%s" % (r.returncode, stderr[-4000:])
        check_terminal_safe(r.stdout)
        if r.stdout != expected:
            at = first_difference(expected, r.stdout)
            raise AssertionError(
                "output differs from %s.out (expected %d bytes, got %d; first difference "
                "at byte %d):\n%s" % (name, len(expected), len(r.stdout), at,
                                      "\n".join(diff(expected, r.stdout))))


with workdir.WorkDir() as wd:
    home = wd.sub("home")
    rc = os.path.join(wd.path, "rowanrc")
    open(rc, "w").close()
    env = dict(os.environ, HOME=home,
               XDG_CONFIG_HOME=wd.sub("home", ".config"),
               XDG_CACHE_HOME=wd.sub("home", ".cache"),
               XDG_DATA_HOME=wd.sub("home", ".local", "share"),
               XDG_STATE_HOME=wd.sub("home", ".local", "state"),
               LANG="C.UTF-8", LC_ALL="C.UTF-8", LANGUAGE="C")
    env.pop("TERM", None)

    messages = sorted(glob.glob(os.path.join(CORPUS, "*.eml")))
    if not messages:
        tap.bail_out("no messages in %s" % CORPUS)

    @suite.case("the corpus has at least 45 messages, each with its .out")
    def _():
        assert len(messages) >= 45, len(messages)
        missing = [m for m in messages if not os.path.exists(m[:-4] + ".out")]
        assert not missing, missing

    for eml in messages:
        add_case(eml, env, rc)

    suite.run()
