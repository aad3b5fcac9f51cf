"""Self-test of the Maildir writer and the message generator (fill.py),
including its command line."""

import email
import email.policy
import email.utils
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get(
    "ROWAN_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "tests", "lib"))

from rowantest import fill, maildir, procs, tap, workdir  # noqa: E402

suite = tap.Suite()
FILL = os.path.join(os.path.dirname(os.path.abspath(fill.__file__)), "fill.py")


@suite.case("the command line writes N messages into a new folder")
def _():
    folder = os.path.join(wd.path, "cli", "Maildir")
    proc = subprocess.run([procs.PYTHON, FILL, folder, "300"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.startswith(b"wrote 300 messages"), proc.stdout
    names = os.listdir(os.path.join(folder, "cur"))
    assert len(names) == 300 and not os.listdir(os.path.join(folder, "new"))
    assert all(name.endswith(":2,") for name in names), names[:3]


@suite.case("message #i parses back to subject(i), date(i), a unique Message-ID")
def _():
    ids = set()
    for i in range(1, 400):
        msg = email.message_from_bytes(fill.message(i, token="t"), policy=email.policy.default)
        assert str(msg["Subject"]) == fill.subject(i), (i, msg["Subject"])
        assert msg["Subject"].endswith(" #%d" % i)
        when = email.utils.parsedate_to_datetime(msg["Date"]).timestamp()
        assert when == fill.date(i), (i, msg["Date"])
        ids.add(msg["Message-ID"])
        if msg["In-Reply-To"]:
            assert msg["Subject"].startswith("Re: ")
            assert msg["References"].split()[-1] == msg["In-Reply-To"]
        assert msg.get_content().startswith("Hello,")
    assert len(ids) == 399
    assert fill.message(7, token="t") == fill.message(7, token="t")


@suite.case("subjects are unique and about a quarter are replies")
def _():
    subjects = [fill.subject(i) for i in range(1, 5001)]
    assert len(set(subjects)) == 5000
    replies = sum(s.startswith("Re: ") for s in subjects)
    assert 1000 < replies < 1500, replies


@suite.case("file names carry sizes and mtimes are the message dates")
def _():
    folder = os.path.join(wd.path, "sizes")
    fill.fill(folder, 50, start=11)
    for name in os.listdir(os.path.join(folder, "cur")):
        path = os.path.join(folder, "cur", name)
        with open(path, "rb") as f:
            data = f.read()
        size = int(name.split(",S=")[1].split(",")[0])
        vsize = int(name.split(",W=")[1].split(":")[0])
        assert size == len(data) and vsize == len(data.replace(b"\n", b"\r\n")), name
        number = int(email.message_from_bytes(data)["Message-ID"][1:].split(".")[0])
        assert os.stat(path).st_mtime == fill.date(number), name


@suite.case("fill 5000 takes well under five seconds")
def _():
    started = time.monotonic()
    fill.fill(os.path.join(wd.path, "speed"), 5000)
    took = time.monotonic() - started
    tap.diag("fill 5000 took %.2fs" % took)
    assert took < 5, took


@suite.case("deliver: folder names, flags, new/ versus cur/")
def _():
    root = os.path.join(wd.path, "deliver", "Maildir")
    raw = b"Subject: x\n\nbody\n"
    new = maildir.deliver(root, "INBOX", raw)
    assert os.path.dirname(new) == os.path.join(root, "new"), new
    seen = maildir.deliver(root, "Lists/rowan", raw, flags="\\Seen \\Answered")
    assert seen.startswith(os.path.join(root, ".Lists.rowan", "cur") + "/"), seen
    assert seen.endswith(":2,RS"), seen
    assert maildir.deliver(root, "Lists/rowan", raw, flags="FS").endswith(":2,FS")
    assert os.path.exists(os.path.join(root, ".Lists.rowan", "maildirfolder"))
    for bad in ("../x", "a.b", ""):
        try:
            maildir.folder_path(root, bad)
        except ValueError:
            continue
        raise AssertionError("accepted folder name %r" % bad)
    try:
        maildir.maildir_flags("\\Bogus")
    except ValueError:
        pass
    else:
        raise AssertionError("accepted an unknown flag")


with workdir.WorkDir() as wd:
    suite.run()
