"""Watch a tmux pane closely enough to time a program's screen.

    watch = panewatch.PaneWatch(t)          # t: a rowantest.tmux.Tmux
    hit = watch.wait(lambda screen: 'Msgs:' in screen, timeout=60)
    hit.time                                # time.monotonic() of the capture
    watch.send_keys('/')                    # returns the monotonic send time
    watch.close()

PaneWatch attaches to the pane's tmux server as a control-mode client
(`tmux -C attach`): one long-lived process that takes commands on its
standard input and reports every byte the program writes as a `%output`
notification.  So waiting costs no process start per poll (a
`tmux capture-pane` process costs a few milliseconds of a shared CPU),
and a capture is taken as soon as the program has written something,
instead of at the next tick of a fixed polling interval.

wait() captures the pane, tests the predicate, and when it is false
sleeps until the next `%output` (at most `poll` seconds, and never less
than `min_interval` after the previous capture).  The time it returns is
the moment the capture that first satisfied the predicate was requested
(the predicate can read it as watch.asked); hit.slack is how long before
that the first `%output` after the previous, unsatisfied, capture
arrived: the screen changed within that window, so hit.time errs late by
at most hit.slack.

The same file is also the launcher that starts the measured program at a
known instant (run as a script):

    python3 panewatch.py launch GO_FIFO TIME_FILE PROGRAM [ARGS...]

It opens GO_FIFO and blocks until one byte arrives, writes
time.monotonic() (CLOCK_MONOTONIC, the same clock in every process) to
TIME_FILE, then execs PROGRAM.  The pid stays the same, so the pid the
tmux harness records is the program's.  The interpreter's start-up is
thus outside the measured time.
"""

import os
import re
import shlex
import subprocess
import sys
import threading
import time


class Hit:
    """What wait() found: the screen, when, and the uncertainty."""

    def __init__(self, screen, when, slack):
        self.screen = screen
        self.time = when
        self.slack = slack


class PaneWatch:
    """A control-mode client on the server of a rowantest.tmux.Tmux."""

    def __init__(self, t, tmux="tmux"):
        self.target = t.target
        self._proc = subprocess.Popen(
            [tmux, "-u", "-S", t.socket, "-C", "attach", "-t", "main"],
            env=t.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, bufsize=0)
        self._cond = threading.Condition()
        self._outputs = 0            # %output notifications so far
        self._last_output = None     # monotonic time of the last one
        self._first_output = None    # of the first after the last reply
        self._replies = []           # (ok, lines) of our commands, in order
        self._eof = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.captures = 0
        self.asked = None            # when the capture being tested was asked
        self.command("display-message -p -t %s ok" % self.target)   # attached

    # -- the control-mode stream --------------------------------------------

    def _read(self):
        block = None
        stream = self._proc.stdout
        for raw in iter(stream.readline, b""):
            line = raw.rstrip(b"\n")
            if block is not None:
                if (line.startswith(b"%end ") or line.startswith(b"%error ")) \
                        and line.split(b" ")[2:3] == [block[0]]:
                    if block[1]:
                        with self._cond:
                            self._replies.append((line.startswith(b"%end "), block[2]))
                            self._first_output = None
                            self._cond.notify_all()
                    block = None
                else:
                    block[2].append(line)
            elif line.startswith(b"%output "):
                now = time.monotonic()
                with self._cond:
                    self._outputs += 1
                    self._last_output = now
                    if self._first_output is None:
                        self._first_output = now
                    self._cond.notify_all()
            elif line.startswith(b"%begin "):
                fields = line.split(b" ")
                # The flags field is 1 for commands this client sent.
                block = (fields[2], fields[3:4] == [b"1"], [])
            elif line.startswith(b"%exit"):
                break
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def command(self, text, timeout=10):
        """Run one tmux command; return its output lines (str).

        Raises RuntimeError when tmux answers %error or the client is gone.
        """
        with self._cond:
            if self._eof:
                raise RuntimeError("tmux control client has exited")
            self._proc.stdin.write(text.encode() + b"\n")
            deadline = time.monotonic() + timeout
            while not self._replies:
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    raise RuntimeError("no answer from tmux to %r" % text)
                self._cond.wait(left)
            ok, lines = self._replies.pop(0)
        lines = [x.decode("utf-8", "replace") for x in lines]
        if not ok:
            raise RuntimeError("tmux: %s: %s" % (text, " ".join(lines)))
        return lines

    # -- screen and keys ---------------------------------------------------

    def screen(self):
        """The pane's text now, one line per row (trailing blanks removed)."""
        self.captures += 1
        return "\n".join(x.rstrip() for x in
                         self.command("capture-pane -p -t " + self.target))

    def send_keys(self, *keys):
        """Send tmux key names; return the monotonic time just before sending."""
        now = time.monotonic()
        self.command("send-keys -t %s %s" % (self.target, " ".join(shlex.quote(k) for k in keys)))
        return now

    def wait(self, predicate, timeout, alive=None, min_interval=0.002, poll=0.05):
        """Capture until predicate(screen) holds; return a Hit, or None.

        None when `timeout` seconds pass or alive() turns false first.
        """
        deadline = time.monotonic() + timeout
        previous = None
        while True:
            with self._cond:
                seen = self._outputs
                # The program's writes that tmux handled after the previous
                # capture come after its reply in the stream: the first of
                # them is the earliest moment the screen can have changed.
                since = self._first_output
            asked = self.asked = time.monotonic()
            screen = self.screen()
            if predicate(screen):
                slack = 0.0
                if previous is not None:
                    slack = asked - (since if since is not None else previous)
                return Hit(screen, asked, slack)
            previous = asked
            if asked >= deadline or (alive is not None and not alive()):
                return None
            with self._cond:
                if self._outputs == seen and not self._eof:
                    self._cond.wait(min(poll, max(0.0, deadline - time.monotonic())))
            pause = previous + min_interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def close(self):
        """Detach the control client."""
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


# -- things read from /proc ------------------------------------------------

def proc_status(pid, field):
    """A kB field of /proc/PID/status (VmHWM, VmRSS...) in bytes, or None."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def proc_cpu_seconds(pid):
    """User and system CPU seconds the process used so far, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def proc_threads(pid):
    """Number of threads of the process, or None."""
    value = None
    try:
        with open("/proc/%d/status" % pid) as f:
            m = re.search(r"^Threads:\s+(\d+)", f.read(), re.M)
            value = int(m.group(1)) if m else None
    except OSError:
        pass
    return value


# -- the launcher ----------------------------------------------------------

def launch(argv):
    go_fifo, time_file, program = argv[0], argv[1], argv[2:]
    with open(go_fifo, "rb") as f:
        f.read(1)
    started = time.monotonic()
    with open(time_file + ".tmp", "w") as f:
        f.write("%.6f\n" % started)
    os.rename(time_file + ".tmp", time_file)
    os.execvp(program[0], program)


if __name__ == "__main__":
    if len(sys.argv) < 5 or sys.argv[1] != "launch":
        sys.stderr.write("usage: panewatch.py launch GO_FIFO TIME_FILE PROGRAM [ARGS...]\n")
        sys.exit(2)
    launch(sys.argv[2:])
