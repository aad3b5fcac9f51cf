"""The IMAP account against a real Dovecot: logging in (IMAPS, STARTTLS,
plaintext only when allowed, wrong password) and the folder list (special
folders, counts, modified UTF-7 names, subscribed-only)."""

import os
import sys

sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "lib"))
sys.path.insert(0, os.path.join(os.environ["ROWAN_SRCDIR"], "tests", "account"))

from rowantest import certs, dovecot, tap, workdir  # noqa: E402
import accountprobe as ap  # noqa: E402

suite = tap.Suite()
wd = workdir.WorkDir()
pki = certs.TestPKI(wd.path)
dc = dovecot.Dovecot(wd.path, pki, users={"alice": "secret"})
dc.fill("alice", "INBOX", 20)
dc.fill("alice", "Archive", 5)
dc.fill("alice", "Archive", 3, start=6, flags="S")
# Folder names on disk are modified UTF-7, as on the wire.
dc.create_folder("alice", "Entw&APw-rfe")
dc.fill("alice", "&ZeVnLIqe-", 2)
dc.create_folder("alice", "Hidden", subscribe=False)


def folders(lines):
    return ap.events(lines, "FOLDER")


@suite.case("IMAPS: list shows every folder with counts, INBOX first")
def _():
    rc = ap.write_rc(wd, dc, pki)
    r = ap.run(rc, "test", "list")
    assert r.returncode == 0, r.describe()
    fs = folders(r.lines)
    names = [f["name"] for f in fs]
    assert names[0] == "INBOX", r.describe()
    assert names[1:] == sorted(names[1:], key=lambda n: [f["display"] for f in fs
                                                          if f["name"] == n][0]), names
    by = {f["name"]: f for f in fs}
    assert by["INBOX"]["total"] == "20" and by["INBOX"]["unseen"] == "20", by["INBOX"]
    assert by["Archive"]["total"] == "8" and by["Archive"]["unseen"] == "5", by["Archive"]
    assert by["&ZeVnLIqe-"]["total"] == "2", by
    assert by["Entw&APw-rfe"]["total"] == "0", by
    assert by["INBOX"]["delim"] == str(ord("/")), by["INBOX"]
    states = [e["state"] for e in ap.events(r.lines, "STATE")]
    assert states[:2] == ["connecting", "online"], states


@suite.case("special-use folders are recognised")
def _():
    rc = ap.write_rc(wd, dc, pki)
    r = ap.run(rc, "test", "list")
    by = {f["name"]: f["special"] for f in folders(r.lines)}
    assert by["Sent"] == "sent" and by["Drafts"] == "drafts", by
    assert by["Trash"] == "trash" and by["Junk"] == "junk", by
    assert by["INBOX"] == "inbox" and by["Archive"] == "none", by


@suite.case("folder names are decoded from modified UTF-7")
def _():
    rc = ap.write_rc(wd, dc, pki)
    r = ap.run(rc, "test", "list")
    by = {f["name"]: f["display"] for f in folders(r.lines)}
    assert by["Entw&APw-rfe"] == "Entwürfe", by
    assert by["&ZeVnLIqe-"] == "日本語", by


@suite.case("a folder with a UTF-7 name opens by its server name")
def _():
    rc = ap.write_rc(wd, dc, pki)
    r = ap.run(rc, "test", "open &ZeVnLIqe-")
    assert r.returncode == 0, r.describe()
    assert len(ap.events(r.lines, "ENV")) == 2, r.describe()


@suite.case("imap_list_subscribed lists only subscribed folders")
def _():
    rc = ap.write_rc(wd, dc, pki, name="subscribed",
                     extra="set imap_list_subscribed = yes")
    r = ap.run(rc, "test", "list")
    assert r.returncode == 0, r.describe()
    names = [f["name"] for f in folders(r.lines)]
    assert "Archive" in names and "Hidden" not in names, names
    r = ap.run(ap.write_rc(wd, dc, pki), "test", "list")
    assert "Hidden" in [f["name"] for f in folders(r.lines)], r.describe()


@suite.case("STARTTLS logs in")
def _():
    rc = ap.write_rc(wd, dc, pki, name="starttls", security="starttls")
    r = ap.run(rc, "test", "list")
    assert r.returncode == 0, r.describe()
    assert folders(r.lines)[0]["name"] == "INBOX", r.describe()


@suite.case("a wrong password is an AUTH error with the server's words")
def _():
    rc = ap.write_rc(wd, dc, pki, name="wrongpw", password="wrong")
    r = ap.run(rc, "test", "list")
    assert r.returncode == 1, r.describe()
    err = ap.error(r.lines)
    assert err is not None and err["class"] == "auth", r.describe()
    assert "alice" in err["msg"] and "failed" in err["msg"], err
    assert "Authentication failed" in err["msg"], err


@suite.case("no password over plaintext unless allow_plaintext_password")
def _():
    rc = ap.write_rc(wd, dc, pki, name="plain", security="none")
    r = ap.run(rc, "test", "list")
    assert r.returncode == 1, r.describe()
    err = ap.error(r.lines)
    assert err is not None and err["class"] == "auth", r.describe()
    assert "allow_plaintext_password" in err["msg"], err


@suite.case("plaintext login works when allowed and the server agrees")
def _():
    with dovecot.Dovecot(wd.sub("plain-dc"), pki, users={"alice": "secret"},
                         auth_plaintext=True) as plain:
        plain.fill("alice", "INBOX", 3)
        rc = ap.write_rc(wd, plain, pki, name="plain-ok", security="none",
                         account_extra="    allow_plaintext_password = yes")
        r = ap.run(rc, "test", "list", "open INBOX")
        assert r.returncode == 0, r.describe()
        assert len(ap.events(r.lines, "ENV")) == 3, r.describe()
        rc = ap.write_rc(wd, plain, pki, name="plain-no", security="none")
        r = ap.run(rc, "test", "list")
        err = ap.error(r.lines)
        assert err["class"] == "auth", r.describe()
        assert "allow_plaintext_password" in err["msg"], err


try:
    suite.run()
finally:
    dc.stop()
    wd.remove()
