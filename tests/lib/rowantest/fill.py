"""Generate realistic test messages and write them into a Maildir folder.

Library use (what Dovecot.fill() calls):

    fill.fill(folder_dir, 1000)           # messages #1..#1000
    fill.subject(17)                      # the Subject of message #17
    fill.message(17, token='x')           # the bytes of message #17

Command line (for benchmarks), from the top of the source tree:

    /usr/bin/python3 tests/lib/rowantest/fill.py MAILDIR_FOLDER N [--start K]

MAILDIR_FOLDER is the folder directory itself (the one holding cur/ new/
tmp/, created if missing).

Message #i is a deterministic function of i (and of the Message-ID token):
its Date is 2024-01-01 00:00 UTC plus i times 10 minutes (shown in one of a
few time zones), and the file's mtime (Dovecot's INTERNALDATE) is the same
instant, so date order, arrival order and UID order all agree.  Every
Subject ends with ' #i' and is unique; about one message in four is a
reply ('Re: ...', In-Reply-To and References pointing at an earlier number)
so threads exist.  Some senders have non-ASCII names (RFC 2047 encoded) and
some bodies contain UTF-8.  Messages are stored in cur/ without flags
(unread, not \\Recent) unless `flags` says otherwise.
"""

import os
import random
import sys
import time

if __package__ in (None, ""):
    # Run as a script: import the package from the directory above, and do
    # not let this directory shadow standard modules.
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    from rowantest import maildir  # noqa: E402
else:
    from . import maildir

BASE_TIME = 1704067200          # 2024-01-01 00:00:00 UTC
STEP = 600                      # ten minutes between two messages

_FIRST = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
          "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert",
          "Sybil", "Trent", "Victor", "Walter", "Zoë", "José", "Łukasz",
          "Åsa", "Søren"]
_LAST = ["Archer", "Baker", "Carter", "Dixon", "Evans", "Fischer", "García",
         "Hughes", "Ivanova", "Jensen", "Kowalski", "López", "Müller",
         "Nakamura", "O'Brien", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka"]
_DOMAINS = ["example.org", "example.net", "lists.example.com", "mail.test",
            "corp.example", "university.example.edu"]
_TOPICS = ["Quarterly budget review", "Lunch on Friday?", "Build failure on main",
           "Meeting notes", "Your invoice", "Weekend plans", "Release checklist",
           "Question about the rc file", "Server maintenance window",
           "Travel itinerary", "Draft proposal", "Re-org announcement",
           "Patch: fix off-by-one in pager", "Photos from the trip",
           "Conference call at 3pm", "Reading list", "Bug in IMAP IDLE handling",
           "Reminder: timesheets due", "Welcome aboard", "Library books overdue",
           "Café opening hours", "Grüße aus Berlin"]
_WORDS = ("the of and to a in that is was he for it with as his on be at by "
          "had not are but from or have an they which one you were all we her "
          "she there would their will when who him been has more if no out do "
          "so can what up said about other into than its time only could new "
          "them man some these then two first may any like now my such make "
          "over our even most me state after also made many did must before "
          "back see through way where get much go well your know should down "
          "work year because come people just say each those take day good how "
          "long little use very great still own same mail server folder message "
          "thread reply archive inbox draft patch review schedule").split()
_ZONES = [(0, "+0000"), (3600, "+0100"), (7200, "+0200"), (-18000, "-0500"),
          (-28800, "-0800"), (32400, "+0900"), (19800, "+0530")]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
           "Oct", "Nov", "Dec"]


def _encode_word(text):
    """`text` as is when ASCII, else as one RFC 2047 Q-encoded word."""
    if text.isascii():
        return text
    out = []
    for byte in text.encode("utf-8"):
        if byte < 128 and chr(byte).isalnum():
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("_")
        else:
            out.append("=%02X" % byte)
    return "=?UTF-8?Q?%s?=" % "".join(out)


def _person(rng):
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    local = "%s.%s" % (first.lower(), last.lower())
    local = local.encode("ascii", "ignore").decode().replace("'", "")
    return first + " " + last, "%s@%s" % (local, rng.choice(_DOMAINS))


def _rng(i, salt=0):
    """The random generator for message #i (salt: which aspect)."""
    return random.Random(i * 7919 + salt)


def _is_reply(i):
    return i > 1 and _rng(i).random() < 0.25


def _parent(i):
    """The earlier message #i replies to (None for a thread starter)."""
    if not _is_reply(i):
        return None
    rng = _rng(i)
    rng.random()
    return i - rng.randint(1, min(i - 1, 20))


def _topic(i):
    seen = 0
    while True:
        parent = _parent(i)
        if parent is None or seen > 50:
            return _TOPICS[_rng(i).randrange(len(_TOPICS))]
        i, seen = parent, seen + 1


def subject(i):
    """The Subject header of message #i (unique: it ends with ' #i')."""
    return "%s%s #%d" % ("Re: " if _is_reply(i) else "", _topic(i), i)


def date(i):
    """The unix time of message #i (Date header and file mtime)."""
    return BASE_TIME + i * STEP


def message_id(i, token):
    return "<%d.%s@fill.rowan.test>" % (i, token)


def _date_header(t, rng):
    offset, zone = rng.choice(_ZONES)
    tm = time.gmtime(t + offset)
    return "%s, %02d %s %d %02d:%02d:%02d %s" % (
        _DAYS[tm.tm_wday], tm.tm_mday, _MONTHS[tm.tm_mon - 1], tm.tm_year,
        tm.tm_hour, tm.tm_min, tm.tm_sec, zone)


def message(i, token="fill", to="alice@example.com"):
    """The raw bytes (LF line ends) of message #i."""
    rng = _rng(i, salt=1)
    name, address = _person(rng)
    headers = [
        "Return-Path: <%s>" % address,
        "Date: " + _date_header(date(i), rng),
        "From: %s <%s>" % (_encode_word(name), address),
        "To: " + to,
        "Subject: " + _encode_word(subject(i)),
        "Message-ID: " + message_id(i, token),
    ]
    parent = _parent(i)
    if parent is not None:
        refs = []
        p = parent
        while p is not None and len(refs) < 10:
            refs.insert(0, message_id(p, token))
            p = _parent(p)
        headers.append("In-Reply-To: " + message_id(parent, token))
        headers.append("References: " + " ".join(refs))
    headers += ["MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit"]
    first_name = name.split()[0]
    lines = ["Hello,", ""]
    for _ in range(rng.randint(2, 8)):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 12))]
        lines.append(" ".join(words).capitalize() + ".")
    if rng.random() < 0.1:
        lines.append("Grüße, ¡saludos!, よろしく.")
    lines += ["", "-- ", first_name, ""]
    return ("\n".join(headers) + "\n\n" + "\n".join(lines)).encode("utf-8")


def fill(folder_dir, n, start=1, token=None, to="alice@example.com", flags="",
         owner=None):
    """Write messages #start..#start+n-1 into an existing or new folder.

    `flags` is a Maildir flag string for every message, or a function of
    the message number returning one.  `token` makes the Message-IDs unique
    (default: random per call).  Returns the range of numbers written.
    """
    for sub in ("", "cur", "new", "tmp"):
        path = os.path.join(folder_dir, sub)
        if not os.path.isdir(path):
            os.makedirs(path, 0o755, exist_ok=True)
            if owner is not None:
                owner.chown(path)
    if token is None:
        token = os.urandom(4).hex()
    writer = maildir.Writer(folder_dir, owner)
    numbers = range(start, start + n)
    for i in numbers:
        f = flags(i) if callable(flags) else flags
        writer.add(message(i, token, to), flags=f, when=date(i), recent=False)
    return numbers


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="Maildir folder directory (cur/ new/ tmp/)")
    parser.add_argument("count", type=int, help="number of messages to write")
    parser.add_argument("--start", type=int, default=1, help="first message number")
    parser.add_argument("--token", help="Message-ID token (default: random)")
    parser.add_argument("--to", default="alice@example.com", help="To: address")
    args = parser.parse_args(argv)
    started = time.monotonic()
    fill(args.folder, args.count, start=args.start, token=args.token, to=args.to)
    print("wrote %d messages to %s in %.2fs" % (
        args.count, args.folder, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
