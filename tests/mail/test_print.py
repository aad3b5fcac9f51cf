"""rowan --print: one message on standard output, as the pager shows it.

Runs the real binary with a private HOME and XDG directories on the demo
mailbox (FILE:N) and on single message files, and checks the rendered
text, the errors for missing files and numbers out of range, the
--print-raw-headers and --html-filter options, the rc file's pager
settings, and that escape sequences never reach the terminal.
"""
import email.header
import mailbox
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..")), "tests", "lib"))
from rowantest import tap, workdir  # noqa: E402

ROWAN = os.environ.get("ROWAN_BIN", "./rowan")
suite = tap.Suite()


def decoded(value):
    return str(email.header.make_header(email.header.decode_header(value)))


with workdir.WorkDir() as wd:
    home = wd.path
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, "cache"),
               XDG_CONFIG_HOME=os.path.join(home, "config"), LANG="C.UTF-8",
               LC_ALL="C.UTF-8", LANGUAGE="C")

    def rowan(*args):
        """Run rowan; stdout as bytes, stderr as text."""
        r = subprocess.run([ROWAN] + list(args), env=env, capture_output=True, timeout=60)
        return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")

    def write(name, data, mode="wb"):
        path = os.path.join(home, name)
        with open(path, mode) as f:
            f.write(data)
        return path

    demo_status, demo_out, demo_err = rowan("--demo")
    demo = os.path.join(home, "cache", "rowan", "demo.mbox")
    box = mailbox.mbox(demo, create=False)
    demo_messages = [box[k] for k in box.keys()]

    @suite.case("a demo mailbox message by FILE:N shows its headers and text")
    def _():
        assert demo_status == 0, demo_err
        status, out, err = rowan("--print", demo + ":1")
        assert status == 0, err
        assert err == "", err
        text = out.decode("utf-8")
        assert text.startswith("From: Release Bot <noreply@ci.example>\n"), text
        assert "\nSubject: Welcome to Rowan\n" in text, text
        assert "this is Rowan's demo mailbox" in text, text
        assert text.endswith("\n") and not text.endswith("\n\n"), repr(text[-40:])
        # headers in the default pager_headers order, then a blank line
        head = text.split("\n\n", 1)[0].splitlines()
        assert [h.split(":")[0] for h in head] == ["From", "To", "Date", "Subject"], head

    @suite.case("every demo message N is the N-th of the mbox, decoded and unquoted")
    def _():
        for n, m in enumerate(demo_messages, 1):
            status, out, err = rowan("--print", "%s:%d" % (demo, n))
            assert status == 0, (n, err)
            text = out.decode("utf-8")
            assert "Subject: %s\n" % decoded(m["Subject"]) in text, (n, text)
            assert ">From the archive" not in text, (n, text)
        routine = rowan("--print", "%s:%d" % (demo, len(demo_messages)))[1].decode()
        assert "\nFrom the archive: nothing to do.\n" in routine, routine
        cyrillic = rowan("--print", demo + ":8")[1].decode()
        assert "Subject: Привет из Москвы\n" in cyrillic, cyrillic
        assert "Анна" in cyrillic, cyrillic

    @suite.case("the demo message with an attachment lists it")
    def _():
        n = next(i for i, m in enumerate(demo_messages, 1)
                 if m["Message-ID"] == "<attachment-1@rowan.example>")
        status, out, err = rowan("--print", "%s:%d" % (demo, n))
        assert status == 0, err
        text = out.decode("utf-8")
        assert "Les chiffres sont en euros (€)." in text, text
        assert "[-- Attachments --]" in text, text
        assert "budget-2027.csv" in text, text

    @suite.case("a number out of range names the count; exit 1, nothing on stdout")
    def _():
        count = len(demo_messages)
        for n in (count + 1, 40, 0, 99999999999999999999999):
            status, out, err = rowan("--print", "%s:%d" % (demo, n))
            assert status == 1, (n, status, err)
            assert out == b"", out
            want = "rowan: %s: has %d messages; there is no message %d\n" % (demo, count, n)
            assert err == want, (err, want)

    @suite.case("a single message file, also one whose name contains ':'")
    def _():
        message = (b"From: Ada Lovelace <ada@analytical.example>\n"
                   b"To: you@rowan.example\n"
                   b"Subject: =?UTF-8?Q?caf=C3=A9_notes?=\n"
                   b"Date: Mon, 5 Oct 2026 09:00:00 +0000\n"
                   b"Message-ID: <single@rowan.example>\n"
                   b"Content-Type: text/plain; charset=utf-8\n"
                   b"\n"
                   b"The notes are below.\n"
                   b"From here on, nothing special.\n")
        for name in ("single.eml", "odd:2", "crlf.eml"):
            data = message.replace(b"\n", b"\r\n") if name == "crlf.eml" else message
            path = write(name, data)
            status, out, err = rowan("--print", path)
            assert status == 0, (name, err)
            text = out.decode("utf-8")
            assert "Subject: café notes\n" in text, (name, text)
            assert "\nThe notes are below.\nFrom here on, nothing special.\n" in text, (name, text)
            assert "\r" not in text, (name, text)

    @suite.case("a missing file: exit 1 with the reason on stderr")
    def _():
        missing = os.path.join(home, "no-such-file")
        for target, named in ((missing, missing), (missing + ":3", missing),
                              (missing + ":x", missing + ":x")):
            status, out, err = rowan("--print", target)
            assert status == 1, (target, status)
            assert out == b"", out
            assert err.startswith("rowan: %s: cannot open: " % named), err
        plain = write("plain.txt", b"Subject: not an mbox\n\nhello\n")
        status, out, err = rowan("--print", plain + ":1")
        assert status == 1 and out == b"", (status, out)
        assert "not an mbox" in err, err

    @suite.case("--print-raw-headers shows every header field in message order")
    def _():
        status, out, err = rowan("--print", demo + ":2")
        assert status == 0, err
        assert b"Message-ID:" not in out and b"MIME-Version:" not in out, out
        status, out, err = rowan("--print", demo + ":2", "--print-raw-headers")
        assert status == 0, err
        head = out.decode("utf-8").split("\n\n", 1)[0]
        names = [line.split(":")[0] for line in head.splitlines() if not line[:1].isspace()]
        assert names == ["From", "To", "Subject", "Message-ID", "Date", "MIME-Version",
                         "Content-Type", "Content-Transfer-Encoding"], names
        assert "Subject: Plans for the autumn release" in head, head

    @suite.case("the rc file sets the headers shown; -F is honoured; rc errors exit 1")
    def _():
        rc = write("rc-headers", "set pager_headers = \"Subject Message-ID\"\n", "w")
        status, out, err = rowan("-F", rc, "--print", demo + ":1")
        assert status == 0, err
        head = out.decode("utf-8").split("\n\n", 1)[0].splitlines()
        assert head == ["Subject: Welcome to Rowan", "Message-ID: <story-0@rowan.example>"], head
        bad = write("rc-bad", "set no_such_variable = 1\n", "w")
        status, out, err = rowan("-F", bad, "--print", demo + ":1")
        assert status == 1, status
        assert out == b"", out
        assert bad + ":1:" in err, err
        status, out, err = rowan("-F", os.path.join(home, "no-rc"), "--print", demo + ":1")
        assert status == 1 and out == b"", (status, out)
        # the default rc file is read when there is one
        os.makedirs(os.path.join(home, "config", "rowan"), exist_ok=True)
        write(os.path.join("config", "rowan", "rowanrc"), "set pager_headers = \"Date\"\n", "w")
        try:
            status, out, err = rowan("--print", demo + ":1")
            assert status == 0, err
            assert out.decode().split("\n\n", 1)[0].startswith("Date: "), out
            assert "Subject:" not in out.decode().split("\n\n", 1)[0], out
        finally:
            os.unlink(os.path.join(home, "config", "rowan", "rowanrc"))

    html = (b"From: news@shop.example\n"
            b"Subject: Offers\n"
            b"Content-Type: text/html; charset=utf-8\n"
            b"\n"
            b"<html><body><p>Hello <b>reader</b></p><script>alert(1)</script></body></html>\n")

    @suite.case("an HTML message without --html-filter never runs the html_filter command")
    def _():
        marker = os.path.join(home, "filter-ran")
        rc = write("rc-html", "set html_filter = \"touch '%s'; echo FILTERED\"\n" % marker, "w")
        path = write("offer.eml", html)
        status, out, err = rowan("-F", rc, "--print", path)
        assert status == 0, err
        assert not os.path.exists(marker), "html_filter ran without --html-filter"
        text = out.decode("utf-8")
        assert "Hello" in text and "reader" in text, text
        assert "FILTERED" not in text and "alert" not in text and "<p>" not in text, text

    @suite.case("with --html-filter the configured command turns the HTML into text")
    def _():
        marker = os.path.join(home, "filter-ran-2")
        rc = write("rc-html-2", "set html_filter = \"touch '%s'; echo FILTERED\"\n" % marker, "w")
        path = write("offer2.eml", html)
        status, out, err = rowan("-F", rc, "--print", path, "--html-filter")
        assert status == 0, err
        assert os.path.exists(marker), "html_filter did not run"
        assert "FILTERED" in out.decode("utf-8"), out

    @suite.case("escape sequences in a subject or body never reach stdout raw")
    def _():
        evil = (b"From: \"Evil \x1b[31mRed\" <evil@attacker.example>\n"
                b"Subject: =?UTF-8?Q?hi=1B]0;pwned=07_there?= \x1b[2J raw\n"
                b"Date: Mon, 5 Oct 2026 09:00:00 +0000\n"
                b"Content-Type: text/plain; charset=utf-8\n"
                b"\n"
                b"body \x1b[5m blink \x9b31m \xc2\x9b31m \x07 bell\n")
        path = write("evil.eml", evil)
        for extra in ([], ["--print-raw-headers"]):
            status, out, err = rowan("--print", path, *extra)
            assert status == 0, err
            assert b"\x1b" not in out and b"\x07" not in out, out
            assert b"\xc2\x9b" not in out and b"\x9b" not in out, out
            assert b"^[" in out, out
            assert b"Subject: hi" in out, out

    @suite.case("--print-raw-headers and --html-filter need --print (exit 2)")
    def _():
        for option in ("--print-raw-headers", "--html-filter"):
            status, out, err = rowan(option)
            assert status == 2, (option, status)
            assert "--print" in err, err
        status, out, err = rowan("--print", demo + ":1", "--dump-config")
        assert status == 2, status
        status, out, err = rowan("--help")
        assert status == 0 and b"--print FILE:N" in out, out

    suite.run()
