#!/usr/bin/python3
"""Rowan against mutt: opening a 100,000-message IMAP folder.

    make bench-imap                                   # from a build directory
    /usr/bin/python3 bench/imap_open.py [--count N] [--runs K] [--rowan PATH]

A private Dovecot (tests/lib/rowantest) serves N generated messages
(default 100,000) over IMAPS on 127.0.0.1 with a throw-away test CA.
Rowan and mutt (and neomutt when installed) each run in their own tmux
terminal (120x40) with a private configuration that verifies the server
certificate against that CA, and their screens are watched through a
tmux control-mode client (see bench/panewatch.py).  The clock starts when
the program is exec'd; nothing is subtracted, so every figure includes
connecting, the TLS handshake, logging in and selecting the folder.

Measured per program and run:
  cold   empty header cache: time until the first index line is on the
         screen, and until the whole index is loaded (the status line
         shows Msgs:N and no loading progress is left on the screen);
  warm   the header cache filled by the cold open: the same times;
  RSS    VmHWM (peak resident memory) of the process just before it quits,
         after the cold and after the warm open;
  keys   another cold open: while the folder loads, "/" is sent and the
         time until the "Search for:" prompt shows is taken, then C-g;
         up to --keys times (the samples taken after the load ended are
         not counted).

Before measuring, every program opens the folder once unmeasured, so
Dovecot has indexed the folder and cached the header fields that program
asks for, and every file is in the page cache.

Needs tmux, dovecot and openssl; mutt is Debian's package
(`apt-get install mutt`); without it only Rowan's figures are printed.
Take figures from a build without --enable-sanitizers (bench/README.md).
"""

import argparse
import os
import re
import secrets
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("ROWAN_SRCDIR", os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "lib"))
sys.path.insert(0, HERE)
from rowantest import certs, dovecot, procs, tmux, workdir  # noqa: E402
import panewatch  # noqa: E402

WIDTH, HEIGHT = 120, 40
USER = "bench"
OPEN_TIMEOUT = 300

# A line of the index: the generated subjects end with " #<number>".
INDEX_LINE = re.compile(r" #\d+$", re.M)
# What a client shows (outside index lines) while it still loads the index.
LOADING = re.compile(r"Loading \d|Fetching|Evaluating|Reading imap|Selecting|Sorting")
PROMPT = "Search for:"
IDLE_KEYS = 5


class Client:
    """One program under test, with its private home and configuration."""

    def __init__(self, name, program, wd):
        self.name = name
        self.program = program
        self.home = wd.sub("home-" + name)
        self.cache = os.path.join(self.home, "hcache")
        self.config = os.path.join(self.home, "rc")
        self.env = {"XDG_CONFIG_HOME": os.path.join(self.home, "config"),
                    "XDG_CACHE_HOME": os.path.join(self.home, "cache")}

    def clear_cache(self):
        shutil.rmtree(self.cache, ignore_errors=True)
        os.makedirs(self.cache)


class Rowan(Client):
    def write_config(self, dc, pki, password):
        with open(self.config, "w") as f:
            f.write(
                "set header_cache = \"%s\"\n"
                "set tls_ca_file = \"%s\"\n"
                "set sort = date-received\n"
                "set confirm_quit = no\n"
                "set sleep_time = 0\n"
                "account bench {\n"
                "    type = imap\n"
                "    host = %s\n"
                "    port = %d\n"
                "    tls = imaps\n"
                "    user = %s\n"
                "    password_command = \"echo %s\"\n"
                "}\n" % (self.cache, pki.ca_file, dc.host, dc.ports["imaps"], USER, password))

    def argv(self):
        return [self.program, "-F", self.config]


class Mutt(Client):
    def write_config(self, dc, pki, password):
        with open(self.config, "w") as f:
            f.write(
                "set folder = \"imaps://%s@%s:%d/\"\n"
                "set spoolfile = \"+INBOX\"\n"
                "set imap_user = \"%s\"\n"
                "set imap_pass = \"%s\"\n"
                "set ssl_force_tls = yes\n"
                "set ssl_ca_certificates_file = \"%s\"\n"
                "set certificate_file = \"%s\"\n"
                "set header_cache = \"%s/\"\n"
                "set imap_check_subscribed = no\n"
                "unset imap_passive\n"
                "set mail_check_stats = no\n"
                "set sort = date-received\n"
                "set quit = yes\n"
                "set move = no\n"
                "set sleep_time = 0\n"
                % (USER, dc.host, dc.ports["imaps"], USER, password, pki.ca_file,
                   os.path.join(self.home, "certificates"), self.cache))

    def argv(self):
        # -n: without the system-wide Muttrc (Debian's runs scripts at start).
        return [self.program, "-n", "-F", self.config]


def find_rowan(path):
    for candidate in (path, os.environ.get("ROWAN_BIN"), "./rowan"):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    return None


# -- one launch --------------------------------------------------------------

class Failed(Exception):
    """The program did not get where it should; the message shows its screen."""


def loaded(screen, count):
    if re.search(r"Msgs:%d\b" % count, screen) is None:
        return False
    return not any(LOADING.search(line) for line in screen.split("\n")
                   if not INDEX_LINE.search(line))


class Launch:
    """The program started in its terminal, its start time known."""

    def __init__(self, client, wd):
        self.client = client
        tag = secrets.token_hex(4)
        self.go = os.path.join(wd.path, "go-" + tag)
        self.time_file = os.path.join(wd.path, "started-" + tag)
        os.mkfifo(self.go)
        argv = [procs.PYTHON, os.path.join(HERE, "panewatch.py"), "launch",
                self.go, self.time_file] + client.argv()
        self.t = tmux.Tmux(wd, argv, width=WIDTH, height=HEIGHT, env=client.env,
                           home=client.home, cwd=client.home)
        self.watch = None
        try:
            self.watch = panewatch.PaneWatch(self.t)
            with open(self.go, "wb") as f:
                f.write(b"g")
            procs.wait_until(lambda: os.path.exists(self.time_file), 10,
                             what="the program to start")
            with open(self.time_file) as f:
                self.started = float(f.read())
        except BaseException:
            self.close()
            raise
        self.pid = self.t.pid

    def wait(self, predicate, what, timeout=OPEN_TIMEOUT):
        hit = self.watch.wait(predicate, timeout, alive=self.t.alive)
        if hit is None:
            raise Failed("%s: %s did not show up within %ds%s\n%s" % (
                self.client.name, what, timeout,
                "" if self.t.alive() else " (it exited with %s)" % self.t.exit_status(),
                self.t.framed()))
        return hit

    def quit(self, result):
        """Read the peak RSS and CPU time into result, then quit the program."""
        time.sleep(0.3)
        result["rss"] = panewatch.proc_status(self.pid, "VmHWM")
        result["rss_file"] = panewatch.proc_status(self.pid, "RssFile")
        result["cpu"] = panewatch.proc_cpu_seconds(self.pid)
        result["threads"] = panewatch.proc_threads(self.pid)
        self.watch.send_keys("q")
        try:
            procs.wait_until(lambda: not self.t.alive(), 20, what="the program to quit")
        except TimeoutError:
            raise Failed("%s did not quit on q\n%s" % (self.client.name, self.t.framed()))

    def close(self):
        if self.watch is not None:
            self.watch.close()
        self.t.close()


TRACE = None   # --trace FILE: the status and bottom lines as they change


def open_folder(client, wd, count, what="open"):
    """Open the folder once; return the times (from exec), RSS and CPU."""
    launch = Launch(client, wd)
    try:
        marks = {}
        watch = launch.watch
        shown = []

        def observe(screen):
            now = watch.asked
            if TRACE is not None:
                tail = [x for x in screen.split("\n") if x.strip() and not INDEX_LINE.search(x)][-2:]
                if tail != shown:
                    shown[:] = tail
                    TRACE.write("%s %s %8.3f %s\n" % (client.name, what, now - launch.started,
                                                      " | ".join(tail)))
            if "progress" not in marks and re.search(r"\b\d+/%d\b" % count, screen):
                marks["progress"] = now
            if "first" not in marks and INDEX_LINE.search(screen):
                marks["first"] = now
            return loaded(screen, count)

        hit = launch.wait(observe, "the whole index (Msgs:%d, no progress)" % count)
        result = {"loaded": hit.time - launch.started, "slack": hit.slack,
                  "first": marks.get("first", hit.time) - launch.started,
                  "progress": (marks["progress"] - launch.started) if "progress" in marks else None,
                  "captures": watch.captures}
        launch.quit(result)
        return result
    finally:
        launch.close()


def key_latency(client, wd, count, keys):
    """Open the folder cold and time "/" until it is answered, while it loads.

    Returns (samples in seconds, notes, samples once the index is loaded).  A key is answered when the
    "Search for:" prompt shows, or another message replaces the bottom
    line (Rowan says "No messages." while its index is still empty); after
    such an answer the next key waits for the first index line.
    """
    launch = Launch(client, wd)
    samples, notes = [], []
    progress = re.compile(r"\b\d+/%d\b" % count)
    try:
        watch = launch.watch
        hit = launch.wait(lambda s: INDEX_LINE.search(s) or progress.search(s)
                          or loaded(s, count), "the folder starting to open")
        screen = hit.screen
        while len(samples) < keys and not loaded(screen, count):
            before = screen.split("\n")[-1]

            def answered(s):
                last = s.split("\n")[-1]
                return PROMPT in s or (last != before and last.strip() != ""
                                       and not LOADING.search(last))
            sent = watch.send_keys("/")
            hit = launch.wait(answered, "an answer to /")
            samples.append(hit.time - sent)
            if PROMPT in hit.screen:
                watch.send_keys("C-g")
                launch.wait(lambda s: PROMPT not in s, "the prompt to go after C-g")
            else:
                notes.append("/ answered %r after %.1f ms" % (
                    hit.screen.split("\n")[-1].strip(), samples[-1] * 1000))
                launch.wait(lambda s: INDEX_LINE.search(s) or loaded(s, count),
                            "the first index line")
            time.sleep(0.02)
            screen = watch.screen()
        launch.wait(lambda s: loaded(s, count), "the whole index")
        # The same keys with the index loaded: the floor the harness and
        # the terminal set.
        idle = []
        for _ in range(IDLE_KEYS):
            time.sleep(0.05)
            sent = watch.send_keys("/")
            hit = launch.wait(lambda s: PROMPT in s, "the search prompt after /")
            idle.append(hit.time - sent)
            watch.send_keys("C-g")
            launch.wait(lambda s: PROMPT not in s, "the prompt to go after C-g")
        return samples, notes, idle
    finally:
        launch.close()


# -- the table -----------------------------------------------------------------

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "s":
        return "%.3f" % value
    if unit == "ms":
        return "%.1f" % (value * 1000)
    if unit == "MB":
        return "%.1f" % (value / 1e6)
    return str(value)


ROWS = [
    # key, label, unit, target (kind, value)
    ("cold.first", "cold: first index line (s from exec)", "s", ("abs", 0.3)),
    ("cold.loaded", "cold: whole index loaded (s)", "s", ("ratio", 1.0)),
    ("warm.loaded", "warm: whole index loaded (s)", "s", ("ratio", 0.2)),
    ("cold.rss", "peak RSS, cold open (MB)", "MB", ("ratio", 1 / 3)),
    ("warm.rss", "peak RSS, warm open (MB)", "MB", ("ratio", 1 / 3)),
    ("keys.median", "key during cold load: median (ms)", "ms", None),
    ("keys.max", "key during cold load: max (ms)", "ms", ("abs", 0.05)),
    # diagnostics, no target
    ("cold.progress", "cold: progress first shown (s)", "s", None),
    ("warm.first", "warm: first index line (s)", "s", None),
    ("warm.progress", "warm: progress first shown (s)", "s", None),
    ("cold.cpu", "cold: CPU time of the process (s)", "s", None),
    ("warm.cpu", "warm: CPU time of the process (s)", "s", None),
    ("keys.n", "key samples during the load", "", None),
    ("keys.idle", "key once loaded: median (ms)", "ms", None),
    ("cold.rss_file", "cold: file-backed RSS at quit (MB)", "MB", None),
    ("warm.rss_file", "warm: file-backed RSS at quit (MB)", "MB", None),
    ("cold.threads", "threads", "", None),
]


def target_text(target):
    kind, value = target
    if kind == "abs":
        return "<= %g %s" % ((value * 1000, "ms") if value < 0.1 else (value, "s"))
    return "ratio <= %s" % ("1/%d" % round(1 / value) if value < 1 else "%g" % value)


def table(names, figures, reference):
    header = ["metric"] + names + (["ratio", "target", "result"] if reference else ["target", "result"])
    rows = [header]
    first = names[0]
    for key, label, unit, target in ROWS:
        values = [figures[n].get(key) for n in names]
        row = [label] + [fmt(v, unit) for v in values]
        mine = figures[first].get(key)
        ratio = None
        if reference:
            theirs = figures[reference].get(key)
            if mine is not None and theirs:
                ratio = mine / theirs
            row.append("%.2f" % ratio if ratio is not None else "-")
        verdict = ""
        if target is not None and first == "rowan":
            kind, value = target
            if kind == "abs" and mine is not None:
                verdict = "pass" if mine <= value else "FAIL"
            elif kind == "ratio" and ratio is not None:
                verdict = "pass" if ratio <= value else "FAIL"
            else:
                verdict = "n/a"
        row += [target_text(target) if target else "", verdict]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------

def measure(client, wd, count, keys, runs_figures):
    """One run of one client: cold, warm, keys.  Appends to runs_figures.

    Raises Failed when the cold or the warm open fails; a failure of the
    key samples is reported and leaves them out.
    """
    figures = {}
    client.clear_cache()
    cold = open_folder(client, wd, count, "cold")
    warm = open_folder(client, wd, count, "warm")
    for prefix, result in (("cold", cold), ("warm", warm)):
        for k, v in result.items():
            figures[prefix + "." + k] = v
    runs_figures.append(figures)
    print("# %s: cold first %.3fs loaded %.3fs (progress at %s, CPU %.2fs), warm first %.3fs "
          "loaded %.3fs (CPU %.2fs), RSS %.1f/%.1f MB, capture slack %.1f/%.1f ms" % (
              client.name, cold["first"], cold["loaded"], fmt(cold["progress"], "s"),
              cold["cpu"], warm["first"], warm["loaded"], warm["cpu"],
              cold["rss"] / 1e6, warm["rss"] / 1e6,
              cold["slack"] * 1000, warm["slack"] * 1000), flush=True)
    if not keys:
        return
    client.clear_cache()
    try:
        samples, notes, idle = key_latency(client, wd, count, keys)
    except Failed as e:
        print("# %s: key samples failed:\n%s" % (client.name, e), flush=True)
        return
    figures["keys.n"] = len(samples)
    figures["keys.median"] = median(samples)
    figures["keys.max"] = max(samples) if samples else None
    figures["keys.idle"] = median(idle)
    print("# %s: keys: %d samples, median %s ms, max %s ms%s" % (
        client.name, len(samples), fmt(figures["keys.median"], "ms"),
        fmt(figures["keys.max"], "ms"), "".join("; " + n for n in notes)), flush=True)
    print("# %s: keys once loaded: %s ms" % (
        client.name, ", ".join(fmt(x, "ms") for x in idle)), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100000, help="messages (default 100000)")
    parser.add_argument("--runs", type=int, default=1, help="runs; the table shows medians")
    parser.add_argument("--keys", type=int, default=20, help="key samples per load (default 20)")
    parser.add_argument("--rowan", help="the rowan binary (default $ROWAN_BIN, else ./rowan)")
    parser.add_argument("--only", help="comma-separated programs: rowan,mutt,neomutt")
    parser.add_argument("--trace", metavar="FILE",
                        help="write the status and bottom lines, timed, as they change")
    parser.add_argument("--no-prime", action="store_true",
                        help="skip the unmeasured first open of each program")
    args = parser.parse_args()

    only = set(args.only.split(",")) if args.only else None
    global TRACE
    if args.trace:
        TRACE = open(args.trace, "w", buffering=1)
    clients = []
    with workdir.WorkDir(prefix="rowan-bench-") as wd:
        rowan = find_rowan(args.rowan)
        if only is None or "rowan" in only:
            if rowan:
                clients.append(Rowan("rowan", rowan, wd))
            else:
                print("# rowan not found: pass --rowan PATH or set ROWAN_BIN")
        for name, cls in (("mutt", Mutt), ("neomutt", Mutt)):
            if only is not None and name not in only:
                continue
            path = shutil.which(name)
            if path:
                clients.append(cls(name, path, wd))
            elif name == "mutt":
                print("# mutt not found: install it with `apt-get install mutt` "
                      "(Debian's package); its columns are skipped")
        if not clients:
            print("# nothing to measure")
            return 0

        load_before = os.getloadavg()
        password = secrets.token_hex(8)
        pki = certs.TestPKI(wd)
        with dovecot.Dovecot(wd, pki, users={USER: password}) as dc:
            started = time.monotonic()
            dc.fill(USER, "INBOX", args.count)
            print("# Dovecot on 127.0.0.1:%d (IMAPS), %d messages written in %.1fs" % (
                dc.ports["imaps"], args.count, time.monotonic() - started), flush=True)
            for client in clients:
                client.write_config(dc, pki, password)
            failed = {}
            if not args.no_prime:
                for client in list(clients):
                    client.clear_cache()
                    try:
                        r = open_folder(client, wd, args.count)
                        print("# %s: unmeasured first open took %.3fs" % (client.name, r["loaded"]),
                              flush=True)
                    except Failed as e:
                        print("# %s failed:\n%s" % (client.name, e), flush=True)
                        failed[client.name] = str(e).split("\n")[0]
                        clients.remove(client)
            runs = {c.name: [] for c in clients}
            for run in range(args.runs):
                for client in list(clients):
                    try:
                        measure(client, wd, args.count, args.keys, runs[client.name])
                    except Failed as e:
                        print("# %s failed:\n%s" % (client.name, e), flush=True)
                        failed[client.name] = str(e).split("\n")[0]
                        clients.remove(client)
                        del runs[client.name]

        if not runs:
            print("# no figures")
            return 1
        names = list(runs)
        figures = {n: {key: median([r.get(key) for r in runs[n]]) for key, *_ in ROWS}
                   for n in names}
        reference = "mutt" if "mutt" in names and names[0] != "mutt" else None
        print()
        print("%d messages, IMAPS on loopback, %d run%s (median), %dx%d terminal" % (
            args.count, args.runs, "" if args.runs == 1 else "s", WIDTH, HEIGHT))
        print(table(names, figures, reference))
        print("load average (1, 5, 15 min): %s at the start, %s at the end" % (
            ", ".join("%.2f" % x for x in load_before),
            ", ".join("%.2f" % x for x in os.getloadavg())))
        for name, why in failed.items():
            print("# %s: %s" % (name, why))
    return 0


if __name__ == "__main__":
    sys.exit(main())
