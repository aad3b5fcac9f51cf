"""Opening IMAP folders against a real Dovecot: a 1,000-message folder
arrives whole and newest first, and the header cache makes a re-open
fetch only what changed — new messages, flags changed and messages
expunged elsewhere — survives a corrupt cache file and is dropped when
the folder's UIDVALIDITY changes."""

import glob
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "account"))

from rowantest import certs, dovecot, fill, tap, workdir  # noqa: E402
import accountprobe as ap  # noqa: E402

suite = tap.Suite()
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)
dc = dovecot.Dovecot(wd.path, pki, users={"alice": "secret"})
dc.fill("alice", "INBOX", 1000)
client = ap.imap_client(dc, pki)
CACHE = os.path.join(wd.path, "hcache")
rc = ap.write_rc(wd, dc, pki, cache=CACHE)


def batches(lines):
    """The ENVELOPES events with their envelopes, in order."""
    out, current = [], None
    for e in ap.events(lines):
        if e["kind"] == "ENVELOPES":
            current = dict(e, envs=[])
            out.append(current)
        elif e["kind"] == "ENV" and current is not None:
            current["envs"].append(e)
    return out


@suite.case("opening 1,000 messages: all arrive, newest first, subjects right")
def _():
    r = ap.run(ap.write_rc(wd, dc, pki, name="nocache", cache=""), "test",
               "open INBOX")
    assert r.returncode == 0, r.describe()
    opened = ap.events(r.lines, "OPENED")
    assert opened and opened[0]["total"] == "1000" and opened[0]["reset"] == "1", \
        r.describe()
    bs = batches(r.lines)
    envs = [e for b in bs for e in b["envs"]]
    assert sorted(int(e["uid"]) for e in envs) == list(range(1, 1001)), len(envs)
    for e in envs:
        assert e["subject"] == fill.subject(int(e["uid"])), e
    # The first batch is small and holds the newest messages.
    first = [int(e["uid"]) for e in bs[0]["envs"]]
    assert len(first) <= 200 and max(first) == 1000, (len(first), max(first))
    maxima = [max(int(e["uid"]) for e in b["envs"]) for b in bs]
    assert maxima == sorted(maxima, reverse=True), maxima
    progress = ap.events(r.lines, "PROGRESS")
    assert progress[-1]["done"] == "1000" and progress[-1]["total"] == "1000", progress


@suite.case("opening another folder stops the load of the first")
def _():
    dc.fill("alice", "Big", 6000)
    dc.fill("alice", "Small", 2)
    rc_nc = ap.write_rc(wd, dc, pki, name="stale", cache="")
    r = ap.run(rc_nc, "test", "list", "open Big &", "open Small")
    assert r.returncode == 0, r.describe()
    opens = [e["req"] for e in ap.events(r.lines, "SENT") if e["cmd"] == "open"]
    bs = batches(r.lines)
    big = [e for b in bs if b["req"] == opens[0] for e in b["envs"]]
    small = [e for b in bs if b["req"] == opens[1] for e in b["envs"]]
    assert 0 < len(big) < 6000, len(big)
    assert max(int(e["uid"]) for e in big) == 6000, "not newest first"
    dones = [e["req"] for e in ap.events(r.lines, "DONE")]
    assert len(dones) == 3, r.describe()
    assert len(small) == 2, r.describe()


@suite.case("a re-open comes from the cache and fetches only new messages")
def _():
    r = ap.run(rc, "test", "open INBOX")
    assert r.returncode == 0, r.describe()
    assert not [b for b in batches(r.lines) if b["cache"] == "1"], \
        "the first open found a cache"
    dc.fill("alice", "INBOX", 3, start=1001)
    r = ap.run(rc, "test", "open INBOX")
    assert r.returncode == 0, r.describe()
    bs = batches(r.lines)
    cached = [e for b in bs if b["cache"] == "1" for e in b["envs"]]
    fetched = [e for b in bs if b["cache"] == "0" for e in b["envs"]]
    assert len(cached) == 1000, len(cached)
    assert sorted(int(e["uid"]) for e in fetched) == [1001, 1002, 1003], fetched
    assert fetched[0]["subject"] == fill.subject(int(fetched[0]["uid"]))
    for e in cached[:50]:
        assert e["subject"] == fill.subject(int(e["uid"])), e


@suite.case("flags changed and messages expunged elsewhere show on re-open")
def _():
    ap.run(rc, "test", "open INBOX")
    client.select("INBOX")
    client.uid("STORE", "10", "+FLAGS", "(\\Flagged)")
    client.uid("STORE", "20,21", "+FLAGS", "(\\Deleted)")
    client.expunge()
    r = ap.run(rc, "test", "open INBOX")
    assert r.returncode == 0, r.describe()
    flags = {e["uid"]: e["flags"] for e in ap.events(r.lines, "FLAGS")}
    assert "F" in flags.get("10", ""), r.describe()
    gone = sorted(u for e in ap.events(r.lines, "EXPUNGED") for u in e["uids"].split(","))
    assert gone == ["20", "21"], r.describe()
    assert not [b for b in batches(r.lines) if b["cache"] == "0"], r.describe()
    # And the cache learnt it: the next open has nothing to report.
    r = ap.run(rc, "test", "open INBOX")
    assert not ap.events(r.lines, "EXPUNGED"), r.describe()
    cached = [e for b in batches(r.lines) if b["cache"] == "1" for e in b["envs"]]
    assert "20" not in [e["uid"] for e in cached], r.describe()
    assert [e["flags"] for e in cached if e["uid"] == "10"][0].count("F") == 1


@suite.case("a changed UIDVALIDITY drops the folder's cache")
def _():
    dc.fill("alice", "Box", 5)
    r = ap.run(rc, "test", "open Box")
    old = ap.events(r.lines, "OPENED")[0]["uidvalidity"]
    assert len(ap.events(r.lines, "ENV")) == 5, r.describe()
    client.select("INBOX")
    assert client.delete("Box")[0] == "OK"
    assert client.create("Box")[0] == "OK"
    dc.fill("alice", "Box", 2, start=500)
    r = ap.run(rc, "test", "open Box")
    assert r.returncode == 0, r.describe()
    opened = ap.events(r.lines, "OPENED")[0]
    assert opened["uidvalidity"] != old and opened["reset"] == "1", opened
    bs = batches(r.lines)
    assert not [b for b in bs if b["cache"] == "1"], r.describe()
    subjects = sorted(e["subject"] for b in bs for e in b["envs"])
    assert subjects == sorted([fill.subject(500), fill.subject(501)]), subjects


@suite.case("a corrupt cache file is rebuilt without a word")
def _():
    files = [f for f in glob.glob(os.path.join(CACHE, "**"), recursive=True)
             if os.path.isfile(f)]
    assert files, "no cache files under %s" % CACHE
    for path in files:
        with open(path, "wb") as f:
            f.write(b"this is not a database\n" * 100)
    r = ap.run(rc, "test", "open INBOX")
    assert r.returncode == 0, r.describe()
    assert not ap.events(r.lines, "ERROR"), r.describe()
    envs = ap.events(r.lines, "ENV")
    assert len(envs) == 1001, len(envs)
    r = ap.run(rc, "test", "open INBOX")
    cached = [e for b in batches(r.lines) if b["cache"] == "1" for e in b["envs"]]
    assert len(cached) == 1001, len(cached)


@suite.case("no cache directory at all is not an error")
def _():
    target = os.path.join(wd.path, "not-a-dir")
    with open(target, "w") as f:
        f.write("a file where the cache folder should be\n")
    r = ap.run(ap.write_rc(wd, dc, pki, name="badcache", cache=target),
               "test", "open INBOX")
    assert r.returncode == 0, r.describe()
    count = len(ap.server_uids(client, "INBOX"))
    assert len(ap.events(r.lines, "ENV")) == count, r.describe()


try:
    suite.run()
finally:
    client.logout()
    dc.stop()
    shutil.rmtree(CACHE, ignore_errors=True)
    wd.remove()
