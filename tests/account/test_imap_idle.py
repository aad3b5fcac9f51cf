"""News from a real Dovecot while a folder is open: new mail, flag
changes and expunges made elsewhere arrive by IDLE (or by NOOP every
mail_check seconds without it), and the account reconnects after the
server restarts, re-opening the folder without a reset."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "account"))

from rowantest import certs, dovecot, fill, tap, workdir  # noqa: E402
import accountprobe as ap  # noqa: E402

suite = tap.Suite()
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)
dc = dovecot.Dovecot(wd.path, pki, users={"alice": "secret"})
dc.fill("alice", "INBOX", 10)
client = ap.imap_client(dc, pki)
CAN_IDLE = 0x08


def new_message(number):
    return fill.message(number, token="idle")


@suite.case("new mail arrives during IDLE within seconds")
def _():
    rc = ap.write_rc(wd, dc, pki, name="idle", extra="set mail_check = 0")
    with ap.Probe(rc) as p:
        out = p.cmd("open INBOX")
        assert ap.ok(out), out
        caps = int(ap.events(p.lines, "STATE")[-1]["caps"])
        assert caps & CAN_IDLE, caps
        time.sleep(0.5)        # let the worker enter IDLE
        started = time.monotonic()
        dc.deliver("alice", "INBOX", new_message(501))
        out = p.cmd("wait-new 15")
        assert "TIMEOUT wait-new" not in out, "\n".join(out)
        envs = ap.events(out, "ENV")
        assert [e["subject"] for e in envs] == [fill.subject(501)], out
        assert time.monotonic() - started < 10
        if not ap.events(out, "FOLDER_COUNTS"):
            out = p.cmd("wait-event FOLDER_COUNTS 10")
        counts = ap.events(out, "FOLDER")
        assert counts[0]["name"] == "INBOX" and counts[0]["total"] == "11", counts


@suite.case("flags changed and messages expunged elsewhere arrive during IDLE")
def _():
    rc = ap.write_rc(wd, dc, pki, name="idle2", extra="set mail_check = 0")
    with ap.Probe(rc) as p:
        assert ap.ok(p.cmd("open INBOX"))
        time.sleep(0.5)
        client.select("INBOX")
        client.uid("STORE", "2", "+FLAGS", "(\\Flagged)")
        out = p.cmd("wait-event FLAGS 15")
        flags = ap.events(out, "FLAGS")
        assert flags and flags[0]["uid"] == "2" and "F" in flags[0]["flags"], out
        assert flags[0]["req"] == "0", flags
        time.sleep(0.5)
        client.uid("STORE", "3", "+FLAGS", "(\\Deleted)")
        client.expunge()
        out = p.cmd("wait-event EXPUNGED 15")
        gone = ap.events(out, "EXPUNGED")
        assert gone and gone[0]["uids"] == "3", out


@suite.case("without IDLE, NOOP every mail_check seconds finds new mail")
def _():
    rc = ap.write_rc(wd, dc, pki, name="noidle",
                     extra="set imap_idle = no\nset mail_check = 1")
    with ap.Probe(rc) as p:
        assert ap.ok(p.cmd("open INBOX"))
        caps = int(ap.events(p.lines, "STATE")[-1]["caps"])
        assert not caps & CAN_IDLE, caps
        dc.deliver("alice", "INBOX", new_message(502))
        out = p.cmd("wait-new 15")
        assert [e["subject"] for e in ap.events(out, "ENV")] == [fill.subject(502)], out


@suite.case("check finds new mail at once")
def _():
    rc = ap.write_rc(wd, dc, pki, name="check",
                     extra="set imap_idle = no\nset mail_check = 0")
    with ap.Probe(rc) as p:
        assert ap.ok(p.cmd("open INBOX"))
        dc.deliver("alice", "INBOX", new_message(503))
        out = p.cmd("check")
        assert ap.ok(out), out
        assert [e["subject"] for e in ap.events(out, "ENV")] == [fill.subject(503)], out


@suite.case("after the server restarts the account reconnects and catches up")
def _():
    rc = ap.write_rc(wd, dc, pki, name="restart", extra="set mail_check = 0")
    with ap.Probe(rc) as p:
        out = p.cmd("open INBOX")
        assert ap.ok(out), out
        first = ap.events(out, "OPENED")[0]
        time.sleep(0.5)
        dc.stop()
        out = p.cmd("wait-event STATE 20")
        assert [e for e in ap.events(out, "STATE") if e["state"] == "offline"], out
        dc.deliver("alice", "INBOX", new_message(504))
        dc.start()
        lines = p.cmd("wait-event OPENED 60", timeout=90)
        opened = ap.events(lines, "OPENED")[0]
        assert opened["reset"] == "0", opened
        assert opened["uidvalidity"] == first["uidvalidity"], opened
        out = p.cmd("wait-new 15") if not ap.events(lines, "ENV") else lines
        envs = ap.events(lines + out, "ENV")
        assert [e["subject"] for e in envs] == [fill.subject(504)], lines + out
        out = p.cmd("fetch 1")
        assert ap.ok(out), out


try:
    suite.run()
finally:
    try:
        client.logout()
    except Exception:
        pass
    dc.stop()
    wd.remove()
