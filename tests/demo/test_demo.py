"""rowan --demo: the generated demo mailbox.

Runs the real binary with a private XDG_CACHE_HOME and checks the mbox it
writes with Python's own mail parser: message count, a reply thread,
non-ASCII headers, an attachment, mboxrd quoting, file mode, and that an
existing demo mailbox is left alone.
"""
import email.header
import email.policy
import mailbox
import os
import stat
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..")), "tests", "lib"))
from rowantest import tap, workdir  # noqa: E402

ROWAN = os.environ.get("ROWAN_BIN", "./rowan")
suite = tap.Suite()


def run_demo(home):
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, "cache"),
               XDG_CONFIG_HOME=os.path.join(home, "config"), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return subprocess.run([ROWAN, "--demo"], env=env, capture_output=True,
                          text=True, timeout=60)


def decoded(value):
    return str(email.header.make_header(email.header.decode_header(value)))


with workdir.WorkDir() as wd:
    home = wd.path
    path = os.path.join(home, "cache", "rowan", "demo.mbox")
    first = run_demo(home)

    @suite.case("rowan --demo exits 0 and names the mailbox it prepared")
    def _():
        assert first.returncode == 0, first.stderr
        assert path in first.stdout, first.stdout

    @suite.case("the demo mailbox is a private file (mode 0600)")
    def _():
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o600, oct(mode)

    box = mailbox.mbox(path, create=False)
    messages = [box[k] for k in box.keys()]

    @suite.case("a few dozen messages, each with From, Date, Subject and Message-ID")
    def _():
        assert 30 <= len(messages) <= 60, len(messages)
        for m in messages:
            for h in ("From", "Date", "Subject", "Message-ID"):
                assert m[h], (h, m.get_from())
        ids = [m["Message-ID"] for m in messages]
        assert len(set(ids)) == len(ids), "duplicate Message-ID"

    @suite.case("a reply thread linked by In-Reply-To and References")
    def _():
        by_id = {m["Message-ID"]: m for m in messages}
        replies = [m for m in messages if m["In-Reply-To"]]
        assert len(replies) >= 4, len(replies)
        for r in replies:
            parent = r["In-Reply-To"]
            assert parent in by_id, parent
            assert r["References"].split()[-1] == parent
            assert decoded(r["Subject"]).startswith("Re: ")

    @suite.case("non-ASCII headers in several scripts decode correctly")
    def _():
        froms = " ".join(decoded(m["From"]) for m in messages)
        subjects = " ".join(decoded(m["Subject"]) for m in messages)
        for text in ("Jürgen Müller", "山田 太郎", "Françoise Dupré", "Анна Петрова"):
            assert text in froms, text
        for text in ("Réunion de jeudi", "Привет из Москвы", "会議の議事録"):
            assert text in subjects, text

    @suite.case("one message carries a named attachment")
    def _():
        parsed = [email.message_from_bytes(box.get_bytes(k), policy=email.policy.default)
                  for k in box.keys()]
        attachments = [(p.get_filename(), p.get_content())
                       for m in parsed for p in m.iter_attachments()]
        assert len(attachments) == 1, attachments
        name, content = attachments[0]
        assert name == "budget-2027.csv"
        assert "café;800" in content

    @suite.case("body lines starting with 'From ' are quoted in the file")
    def _():
        with open(path, "rb") as f:
            raw = f.read()
        assert b"\n>From the archive" in raw
        assert b"\nFrom the archive" not in raw

    @suite.case("the demo mailbox is deterministic and kept once written")
    def _():
        with open(path, "rb") as f:
            before = f.read()
        os.utime(path, (1, 1))
        second = run_demo(home)
        assert second.returncode == 0, second.stderr
        assert os.stat(path).st_mtime == 1, "existing demo mailbox was rewritten"
        other = os.path.join(home, "other")
        os.makedirs(other)
        third = run_demo(other)
        assert third.returncode == 0, third.stderr
        with open(os.path.join(other, "cache", "rowan", "demo.mbox"), "rb") as f:
            assert f.read() == before, "demo mailbox differs between runs"

    @suite.case("an unwritable cache directory gives a clear error, exit 1")
    def _():
        if os.geteuid() == 0:
            # root writes anywhere: use a path below a regular file instead
            bad = os.path.join(home, "plainfile")
            open(bad, "w").close()
            env_home = bad
        else:
            env_home = os.path.join(home, "ro")
            os.makedirs(env_home)
            os.chmod(env_home, 0o500)
        env = dict(os.environ, HOME=home, XDG_CACHE_HOME=env_home, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        r = subprocess.run([ROWAN, "--demo"], env=env, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
        assert "cannot create directory" in r.stderr, r.stderr

    suite.run()
