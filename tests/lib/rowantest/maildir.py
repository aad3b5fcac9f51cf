"""Write Maildir++ folders directly, the way a delivery agent does.

A mailbox root (e.g. ~/Maildir) holds INBOX in cur/ new/ tmp/ and every
other folder in a sub-directory named '.' + the folder name with the IMAP
hierarchy separator '/' turned into '.': 'Archive/2023' -> '.Archive.2023'.

Messages are written into tmp/ and renamed into new/ (no flags) or cur/
(with flags, or when `recent=False`), so a running IMAP server never sees a
half-written file.  File names carry the size (S=) and the size with CRLF
line ends (W=) so that Dovecot need not stat or read them, and start with a
timestamp so that Dovecot hands out UIDs in the order the files were made.

Flags are Maildir letters ('S' seen, 'F' flagged, 'R' replied, 'D' draft,
'T' deleted, 'P' passed) or IMAP names ('\\Seen \\Flagged').

`owner` (optional) is an object with chown(path), e.g. procs.MailUser:
when running as root everything made here is given to the user the server
runs as.
"""

import itertools
import os
import time

_IMAP_FLAGS = {"\\draft": "D", "\\flagged": "F", "\\answered": "R",
               "\\seen": "S", "\\deleted": "T", "$forwarded": "P"}
_counter = itertools.count(1)


def maildir_flags(flags):
    """Normalise Maildir letters or IMAP flag names to sorted letters."""
    if not flags:
        return ""
    if "\\" in flags or "$" in flags:
        letters = set()
        for word in flags.split():
            try:
                letters.add(_IMAP_FLAGS[word.lower()])
            except KeyError:
                raise ValueError("no Maildir letter for flag %r" % word)
        return "".join(sorted(letters))
    if not set(flags) <= set("DFPRST"):
        raise ValueError("bad Maildir flags %r" % flags)
    return "".join(sorted(set(flags)))


def folder_path(root, folder):
    """Directory of `folder` ('INBOX', 'Archive', 'Lists/rowan') under root."""
    if folder.upper() == "INBOX":
        return root
    if folder.startswith("INBOX/"):
        folder = folder[len("INBOX/"):]
    if not folder or folder.startswith("/") or ".." in folder or "." in folder:
        raise ValueError("unsupported folder name %r" % folder)
    return os.path.join(root, "." + folder.replace("/", "."))


def _mkdir(path, owner):
    try:
        os.mkdir(path, 0o755)
    except FileExistsError:
        return
    if owner is not None:
        owner.chown(path)


def make_folder(root, folder="INBOX", owner=None):
    """Create the folder (and the root) with cur/ new/ tmp/; return its path."""
    os.makedirs(os.path.dirname(root), exist_ok=True)
    _mkdir(root, owner)
    for sub in ("cur", "new", "tmp"):
        _mkdir(os.path.join(root, sub), owner)
    path = folder_path(root, folder)
    if path != root:
        _mkdir(path, owner)
        for sub in ("cur", "new", "tmp"):
            _mkdir(os.path.join(path, sub), owner)
        marker = os.path.join(path, "maildirfolder")
        if not os.path.exists(marker):
            open(marker, "w").close()
            if owner is not None:
                owner.chown(marker)
    return path


class Writer:
    """Writes messages into one existing folder directory, fast.

    w = Writer(path, owner); w.add(raw_bytes, flags='S', when=unix_time)
    """

    def __init__(self, path, owner=None, host="rowantest"):
        self.path = path
        self.owner = owner
        self.host = host
        self.pid = os.getpid()

    def add(self, raw, flags="", when=None, recent=None):
        """Store one message; return the path of its file.

        `when` (unix time) becomes the file's mtime, which Dovecot reports
        as the INTERNALDATE; default now.  `recent` puts the message in
        new/ (default: only when it has no flags).
        """
        letters = maildir_flags(flags)
        if when is None:
            when = time.time()
        if recent is None:
            recent = not letters
        seconds = int(when)
        micro = int((when - seconds) * 1e6)
        vsize = len(raw) + raw.count(b"\n") - raw.count(b"\r\n")
        base = "%d.M%06dP%dQ%d.%s,S=%d,W=%d" % (
            seconds, micro, self.pid, next(_counter), self.host, len(raw), vsize)
        tmp = os.path.join(self.path, "tmp", base)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            _write_all(fd, raw)
            if self.owner is not None:
                self.owner.chown(tmp)
        finally:
            os.close(fd)
        os.utime(tmp, (when, when))
        if recent:
            final = os.path.join(self.path, "new", base)
        else:
            final = os.path.join(self.path, "cur", base + ":2," + letters)
        os.rename(tmp, final)
        return final


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def deliver(root, folder, raw, flags="", when=None, owner=None, recent=None):
    """Create `folder` if needed and store one message in it; return its file."""
    path = make_folder(root, folder, owner)
    return Writer(path, owner).add(raw, flags=flags, when=when, recent=recent)


def subscribe(root, folder, owner=None):
    """Add `folder` to the root's `subscriptions` file.

    Dovecot 2.3's format: a 'V<TAB>2' line, an empty line, then one folder
    a line with a TAB between hierarchy levels.
    """
    subs = os.path.join(root, "subscriptions")
    names = []
    if os.path.exists(subs):
        with open(subs, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[0].startswith("V\t"):
            lines = lines[2:]
        names = [line for line in lines if line]
    entry = folder.replace("/", "\t")
    if entry in names:
        return
    names.append(entry)
    with open(subs + ".tmp", "w", encoding="utf-8") as f:
        f.write("V\t2\n\n" + "".join(name + "\n" for name in names))
    if owner is not None:
        owner.chown(subs + ".tmp")
    os.rename(subs + ".tmp", subs)
