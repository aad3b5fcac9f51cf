"""The IMAP account against a real Dovecot: reading a message (and \\Seen
on the server), flags, delete and expunge, copy and move, and a large
message whose attachments stay on the server until asked for."""

import base64
import email
import os
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "account"))

from rowantest import certs, dovecot, fill, tap, workdir  # noqa: E402
import accountprobe as ap  # noqa: E402

suite = tap.Suite()
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)
dc = dovecot.Dovecot(wd.path, pki, users={"alice": "secret"})
dc.fill("alice", "INBOX", 30)
dc.create_folder("alice", "Archive")
rc = ap.write_rc(wd, dc, pki, extra="set imap_fetch_parts_above = 20K")
client = ap.imap_client(dc, pki)
saved = wd.sub("saved")

ATTACHMENT = bytes(range(256)) * 400          # 100 KiB of binary
TEXT = "Hello Alice,\n\nthe report is attached.\n\nBob\n"


def big_message():
    b64 = base64.encodebytes(ATTACHMENT).decode()
    return ("From: Bob <bob@example.org>\n"
            "To: alice@example.com\n"
            "Subject: Quarterly report with attachment\n"
            "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
            "Message-ID: <big@example.org>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"XYZ\"\n"
            "\n"
            "--XYZ\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "\n" + TEXT + "\n"
            "--XYZ\n"
            "Content-Type: application/octet-stream; name=report.bin\n"
            "Content-Disposition: attachment; filename=report.bin\n"
            "Content-Transfer-Encoding: base64\n"
            "\n" + b64 + "\n"
            "--XYZ--\n").encode()


@suite.case("reading a message delivers it and sets \\Seen on the server")
def _():
    assert "\\Seen" not in ap.server_flags(client, "INBOX", 7)
    r = ap.run(rc, "test", "open INBOX", "fetch 7", save_dir=saved)
    assert r.returncode == 0, r.describe()
    msg = ap.events(r.lines, "MESSAGE")
    assert len(msg) == 1 and msg[0]["omitted"] == "", r.describe()
    with open(os.path.join(saved, "7.eml"), "rb") as f:
        data = f.read()
    env = [e for e in ap.events(r.lines, "ENV") if e["uid"] == "7"][0]
    assert len(data) == int(env["size"]), (len(data), env)
    assert env["subject"] == fill.subject(7), env
    assert b"\r\n\r\n" in data and b"Message-ID: <" in data, data[:400]
    assert int(msg[0]["len"]) == len(data)
    flags = [e for e in ap.events(r.lines, "FLAGS") if e["uid"] == "7"]
    assert flags and "S" in flags[-1]["flags"], r.describe()
    assert "\\Seen" in ap.server_flags(client, "INBOX", 7)


@suite.case("reading a message already seen leaves its flags alone")
def _():
    r = ap.run(rc, "test", "open INBOX", "fetch 7")
    assert r.returncode == 0, r.describe()
    assert not [e for e in ap.events(r.lines, "FLAGS") if e["req"] != "0"
                and e["uid"] == "7" and "S" not in e["flags"]], r.describe()


@suite.case("flag and unflag reach the server and come back as FLAGS")
def _():
    r = ap.run(rc, "test", "open INBOX", "flag 3,4 +F")
    assert r.returncode == 0, r.describe()
    got = {e["uid"]: e["flags"] for e in ap.events(r.lines, "FLAGS")}
    assert "F" in got.get("3", "") and "F" in got.get("4", ""), r.describe()
    assert "\\Flagged" in ap.server_flags(client, "INBOX", 3)
    assert "\\Flagged" in ap.server_flags(client, "INBOX", 4)
    r = ap.run(rc, "test", "open INBOX", "flag 3 -F+A")
    got = {e["uid"]: e["flags"] for e in ap.events(r.lines, "FLAGS")}
    assert "F" not in got["3"] and "A" in got["3"], r.describe()
    server = ap.server_flags(client, "INBOX", 3)
    assert "\\Flagged" not in server and "\\Answered" in server, server


@suite.case("delete then expunge removes exactly that message")
def _():
    client.select("INBOX")
    client.uid("STORE", "5", "+FLAGS", "(\\Deleted)")   # marked elsewhere
    r = ap.run(rc, "test", "open INBOX", "flag 5 -D", "delete 9", "expunge")
    assert r.returncode == 0, r.describe()
    expunged = ap.events(r.lines, "EXPUNGED")
    assert [e["uids"] for e in expunged] == ["9"], r.describe()
    uids = ap.server_uids(client, "INBOX")
    assert 9 not in uids and 5 in uids, uids


@suite.case("move takes the message to the other folder")
def _():
    r = ap.run(rc, "test", "open INBOX", "move 11,12 Archive")
    assert r.returncode == 0, r.describe()
    gone = sorted(u for e in ap.events(r.lines, "EXPUNGED") for u in e["uids"].split(","))
    assert gone == ["11", "12"], r.describe()
    assert 11 not in ap.server_uids(client, "INBOX")
    client.select("Archive")
    typ, data = client.search(None, "SUBJECT", '"#11"')
    assert typ == "OK" and data[0].split(), data
    r = ap.run(rc, "test", "open Archive")
    subjects = [e["subject"] for e in ap.events(r.lines, "ENV")]
    assert fill.subject(11) in subjects and fill.subject(12) in subjects, subjects


@suite.case("copy leaves the message where it was")
def _():
    before = len(ap.server_uids(client, "Archive"))
    r = ap.run(rc, "test", "open INBOX", "copy 13 Archive")
    assert r.returncode == 0, r.describe()
    assert not ap.events(r.lines, "EXPUNGED"), r.describe()
    assert 13 in ap.server_uids(client, "INBOX")
    assert len(ap.server_uids(client, "Archive")) == before + 1


@suite.case("close keeps deleted messages; close expunge purges them")
def _():
    r = ap.run(rc, "test", "open INBOX", "delete 15", "close")
    assert r.returncode == 0, r.describe()
    assert 15 in ap.server_uids(client, "INBOX")
    assert "\\Deleted" in ap.server_flags(client, "INBOX", 15)
    r = ap.run(rc, "test", "open INBOX", "close expunge")
    assert r.returncode == 0, r.describe()
    assert [e["uids"] for e in ap.events(r.lines, "EXPUNGED")] == ["15"], r.describe()
    assert 15 not in ap.server_uids(client, "INBOX")
    # The folder is left: a request that needs it fails cleanly.
    r = ap.run(rc, "test", "open INBOX", "close", "fetch 16")
    assert r.returncode == 1 and ap.error(r.lines) is not None, r.describe()


@suite.case("a large message comes without its attachment, listed as omitted")
def _():
    dc.deliver("alice", "Big", big_message())
    r = ap.run(rc, "test", "open Big", "fetch 1", "part 1 2", save_dir=saved)
    assert r.returncode == 0, r.describe()
    msg = ap.events(r.lines, "MESSAGE")[0]
    part, size = msg["omitted"].split(":")
    assert part == "2" and int(size) > 100000, msg
    with open(os.path.join(saved, "1.eml"), "rb") as f:
        standin = f.read().replace(b"\r\n", b"\n")
    assert b"the report is attached" in standin, standin
    assert b"Content-Disposition: attachment; filename=report.bin" in standin, standin
    assert b"--XYZ--" in standin and len(standin) < 2000, standin
    assert standin.startswith(b"From: Bob"), standin[:200]
    # The same MIME structure: a text part with its body, the attachment
    # with its header and an empty body.
    parsed = email.message_from_bytes(standin)
    parts = parsed.get_payload()
    assert parsed.get_content_type() == "multipart/mixed" and len(parts) == 2, standin
    assert "the report is attached" in parts[0].get_payload(), parts[0]
    assert parts[1].get_filename() == "report.bin", parts[1]
    assert parts[1].get_payload().strip() == "", parts[1].get_payload()[:100]
    with open(os.path.join(saved, "1-2.part"), "rb") as f:
        body = f.read()
    assert len(body) == int(size), (len(body), size)
    assert base64.b64decode(body) == ATTACHMENT
    assert ap.events(r.lines, "PART")[0]["len"] == size


@suite.case("nested multiparts keep their structure; only attachments are left out")
def _():
    b64 = base64.encodebytes(ATTACHMENT).decode()
    raw = ("From: Carol <carol@example.org>\nTo: alice@example.com\n"
           "Subject: Nested\nMIME-Version: 1.0\n"
           "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
           "--outer\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n"
           "--inner\nContent-Type: text/plain\n\nplain words\n"
           "--inner\nContent-Type: text/html\n\n<p>html words</p>\n"
           "--inner--\n"
           "--outer\nContent-Type: image/png; name=a.png\n"
           "Content-Transfer-Encoding: base64\n\n" + b64 + "\n"
           "--outer--\n").encode()
    dc.deliver("alice", "Nested", raw)
    r = ap.run(rc, "test", "open Nested", "fetch 1", save_dir=saved)
    assert r.returncode == 0, r.describe()
    msg = ap.events(r.lines, "MESSAGE")[0]
    assert msg["omitted"].split(":")[0] == "2", msg
    with open(os.path.join(saved, "1.eml"), "rb") as f:
        parsed = email.message_from_bytes(f.read())
    outer = parsed.get_payload()
    inner = outer[0].get_payload()
    assert outer[0].get_content_type() == "multipart/alternative", outer[0]
    assert "plain words" in inner[0].get_payload(), inner[0]
    assert "html words" in inner[1].get_payload(), inner[1]
    assert outer[1].get_content_type() == "image/png", outer[1]
    assert outer[1].get_payload().strip() == "", outer[1]


@suite.case("a small message with an attachment comes whole")
def _():
    rc_big = ap.write_rc(wd, dc, pki, name="bigger",
                         extra="set imap_fetch_parts_above = 1M")
    r = ap.run(rc_big, "test", "open Big", "fetch 1")
    msg = ap.events(r.lines, "MESSAGE")[0]
    assert msg["omitted"] == "" and int(msg["len"]) > 130000, msg


@suite.case("fetching a message that is not there is an error, not a crash")
def _():
    r = ap.run(rc, "test", "open INBOX", "fetch 999")
    assert r.returncode == 1, r.describe()
    assert ap.error(r.lines)["class"] == "server", r.describe()


try:
    suite.run()
finally:
    client.logout()
    dc.stop()
    wd.remove()
