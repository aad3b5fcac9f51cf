"""Drive tests/account/account_probe and read the events it prints.

    rc = accountprobe.write_rc(wd, dc, pki)            # an rc file for alice
    with accountprobe.Probe(rc, "test") as p:
        out = p.cmd("open INBOX")                     # lines up to "END open INBOX"
        envs = accountprobe.events(out, "ENV")        # [{'uid': '1', ...}, ...]
        assert accountprobe.ok(out)

    r = accountprobe.run(rc, "test", "list")          # one-shot, arguments as commands

Each event line is "KIND req=N key=value ..." with percent-encoded values;
events() decodes them into dicts (plus 'kind').  A probe that crashes,
trips a sanitizer or leaks makes close() raise AssertionError.
"""

import os
import queue
import subprocess
import threading
import time
import urllib.parse

PROBE = os.path.join(os.environ.get("ROWAN_BUILDDIR", "."), "tests", "account",
                     "account_probe")


def write_rc(wd, dc, pki, name="rowanrc", account="test", security="imaps",
             user="alice", password="secret", extra="", account_extra="",
             cache=None):
    """An rc file with one IMAP account against Dovecot dc; returns its path."""
    base = os.fspath(wd)
    pw_path = os.path.join(base, name + ".pw")
    with open(pw_path, "w") as f:
        f.write(password)
    port = dc.ports["imaps" if security == "imaps" else "imap"]
    cache = cache if cache is not None else os.path.join(base, name + ".cache")
    text = """set header_cache = "{cache}"
set mail_check = 2
{extra}
account {account} {{
    type = imap
    host = localhost
    port = {port}
    tls = {security}
    tls_ca_file = "{ca}"
    user = "{user}"
    password_command = "cat {pw}"
{account_extra}
}}
""".format(cache=cache, extra=extra, account=account, port=port,
           security=security, ca=pki.ca_file, user=user, pw=pw_path,
           account_extra=account_extra)
    path = os.path.join(base, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def parse(line):
    """One output line as a dict: 'kind' plus its key=value fields."""
    words = line.split(" ")
    event = {"kind": words[0]}
    for word in words[1:]:
        if "=" in word:
            key, value = word.split("=", 1)
            event[key] = urllib.parse.unquote(value)
    return event


def events(lines, kind=None):
    """The parsed lines (of one kind, if given)."""
    out = [parse(line) for line in lines if line]
    return [e for e in out if kind is None or e["kind"] == kind]


def ok(lines):
    """True when the command's request ended in DONE."""
    return any(line.startswith("DONE ") for line in lines) and \
        not any(line.startswith(("ERROR ", "TIMEOUT", "BAD ")) for line in lines)


def error(lines):
    """The first ERROR event of the lines, or None."""
    found = events(lines, "ERROR")
    return found[0] if found else None


def _check_stderr(text, what):
    for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:"):
        assert marker not in text, "%s tripped a sanitizer:\n%s" % (what, text[-4000:])


class Probe:
    """An interactive probe: commands on stdin, events on stdout."""

    def __init__(self, rc, account="test", password=None, save_dir=None,
                 timeout=60):
        self.argv = [PROBE, "-F", rc, "-a", account, "-t", str(timeout)]
        if password is not None:
            self.argv += ["-p", password]
        if save_dir is not None:
            self.argv += ["-s", save_dir]
        self.lines = []          # everything printed so far
        self._queue = queue.Queue()
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self._stderr = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _read_err(self):
        for line in self.proc.stderr:
            self._stderr.append(line)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close(check=exc[0] is None)
        return False

    def read_until(self, predicate, timeout=90):
        """Lines printed until one satisfies predicate (included)."""
        out = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("probe: nothing expected within %ds; got:\n%s"
                                     % (timeout, "\n".join(out[-40:])))
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError("probe exited early:\n%s\n%s" % (
                    "\n".join(out[-40:]), "".join(self._stderr)[-3000:]))
            out.append(line)
            self.lines.append(line)
            if predicate(line):
                return out

    def cmd(self, command, timeout=90):
        """Send one command; the lines it printed up to its END line."""
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.read_until(lambda line: line == "END " + command, timeout)

    def close(self, check=True):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            if check:
                raise AssertionError("probe did not exit")
        time.sleep(0.05)
        if check:
            _check_stderr("".join(self._stderr), "account_probe")
            assert self.proc.returncode in (0, 1), (
                "probe exit status %s:\n%s" % (self.proc.returncode,
                                               "".join(self._stderr)[-3000:]))


class Result:
    def __init__(self, argv, proc):
        self.argv = argv
        self.returncode = proc.returncode
        self.lines = proc.stdout.splitlines()
        self.stderr = proc.stderr
        _check_stderr(proc.stderr, "account_probe")
        assert proc.returncode in (0, 1), self.describe()

    def describe(self):
        return "$ %s\nexit %s\nstdout:\n%s\nstderr:\n%s" % (
            " ".join(self.argv), self.returncode, "\n".join(self.lines[-60:]),
            self.stderr[-3000:])


def run(rc, account, *commands, password=None, save_dir=None, timeout=60,
        limit=180):
    """Run the probe once with commands as arguments."""
    argv = [PROBE, "-F", rc, "-a", account, "-t", str(timeout)]
    if password is not None:
        argv += ["-p", password]
    if save_dir is not None:
        argv += ["-s", save_dir]
    argv += list(commands)
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=limit)
    return Result(argv, proc)


def imap_client(dc, pki, user="alice", password="secret"):
    """A second connection (Python's imaplib over IMAPS) to check the
    server's side of things."""
    import imaplib
    import ssl
    context = ssl.create_default_context(cafile=pki.ca_file)
    client = imaplib.IMAP4_SSL("localhost", dc.ports["imaps"], ssl_context=context)
    client.login(user, password)
    return client


def server_flags(client, folder, uid):
    """The flags of one message as the server has them ('' when gone)."""
    client.select('"%s"' % folder)
    typ, data = client.uid("FETCH", str(uid), "(FLAGS)")
    assert typ == "OK", data
    for item in data:
        if item is None:
            continue
        text = item.decode() if isinstance(item, bytes) else str(item)
        if "FLAGS" in text:
            return text[text.index("FLAGS (") + 7:].split(")")[0]
    return ""


def server_uids(client, folder):
    """The UIDs of a folder, ascending."""
    client.select('"%s"' % folder)
    typ, data = client.uid("SEARCH", None, "ALL")
    assert typ == "OK", data
    return [int(x) for x in data[0].split()]

