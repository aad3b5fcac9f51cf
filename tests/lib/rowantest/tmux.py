"""Drive a program in a real terminal (a private tmux server) and read it.

    with tmux.Tmux(dirpath, argv=[rowan, '--demo'], width=100, height=30,
                   env={'ROWAN_X': '1'}) as t:
        t.wait_for('Inbox')               # poll the screen, fail with it shown
        t.send_keys('j', 'j', 'Enter')    # tmux key names (C-x, M-x, Up, F1...)
        t.send_text('literal text')
        t.wait_until(lambda screen: 'x' in screen)
        t.screen()                        # the pane's text now
        status = t.wait_exit()            # exit status (-N: killed by signal N)

Each Tmux has its own server (tmux -S dirpath/tmux-N.sock, with its own
small configuration), one detached session of exactly width x height with
no status line.  The program runs without a shell, under a small
wrapper (pane_run.py) that records its pid and exit status, with:

  TERM       tmux-256color (the terminal tmux emulates)
  LANG, LC_ALL  C.UTF-8
  HOME       the `home` argument, else dirpath
  PATH, USER, LOGNAME, TMPDIR   from the test's environment
  ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS  from the test's environment,
             plus log_path (see below)
  ...        then `env` (a value of None removes a variable)

Nothing else from the test's environment reaches the program, so a
developer's XDG_CONFIG_HOME or TMUX cannot leak in.

The pane stays after the program exits, so its last screen and exit
status can be read.  t.pid is the program's pid.  Sanitizer reports go to
$ROWAN_BUILDDIR/tests/sanitizer/sanitizer.log.PID (else to dirpath/sanitizer
or the `sanitizer_dir` argument); leaving the `with` block raises
AssertionError, with the report, when the program wrote one.  Leaving the
block kills the server and the program.
"""

import itertools
import os
import shlex
import signal
import subprocess
import time

from . import procs

TMUX = os.environ.get("ROWAN_TMUX", "tmux")
PANE_RUN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pane_run.py")
_numbers = itertools.count(1)

_CONF = """\
set -g default-terminal tmux-256color
set -g default-shell /bin/sh
set -g status off
set -wg remain-on-exit on
set -wg remain-on-exit-format ""
set -g history-limit 2000
set -g escape-time 0
set -g exit-empty off
"""


class Screen(str):
    """The text of the pane (str), one line per row, trailing blanks removed."""

    @property
    def lines(self):
        """The rows as a list (as many as the terminal's height)."""
        return self.split("\n")


def _sanitizer_dir(dirpath):
    build = os.environ.get("ROWAN_BUILDDIR")
    if build:
        path = os.path.join(build, "tests", "sanitizer")
        try:
            os.makedirs(path, exist_ok=True)
            if os.access(path, os.W_OK):
                return path
        except OSError:
            pass
    path = os.path.join(dirpath, "sanitizer")
    os.makedirs(path, exist_ok=True)
    return path


class Tmux:
    """One program in one tmux pane; see the module documentation."""

    def __init__(self, dirpath, argv, width=100, height=30, env=None, home=None,
                 cwd=None, sanitizer_dir=None):
        dirpath = os.fspath(dirpath)
        n = next(_numbers)
        self.socket = os.path.join(dirpath, "tmux-%d.sock" % n)
        self.conf = os.path.join(dirpath, "tmux-%d.conf" % n)
        self.width, self.height = width, height
        self.argv = [os.fspath(a) for a in argv]
        self.target = "main:0.0"
        self.sanitizer_dir = sanitizer_dir or _sanitizer_dir(dirpath)
        with open(self.conf, "w") as f:
            f.write(_CONF)
        self.env = self._environment(dirpath if home is None else os.fspath(home), env)
        self._closed = False
        self.server_pid = self.pane_pid = self.pid = None
        self.pid_file = os.path.join(dirpath, "tmux-%d.pid" % n)
        self.status_file = os.path.join(dirpath, "tmux-%d.status" % n)
        command = [procs.PYTHON, "-I", PANE_RUN, self.pid_file, self.status_file] + self.argv
        procs.cleanup_at_exit(self.close)
        try:
            self._tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height),
                       "-c", os.fspath(cwd or dirpath), "exec " + shlex.join(command),
                       config=True)
            info = self._tmux("display-message", "-p", "-t", self.target,
                              "#{pid} #{pane_pid}").split()
            self.server_pid, self.pane_pid = int(info[0]), int(info[1])
            try:
                procs.wait_until(lambda: os.path.exists(self.pid_file), 10,
                                 what="the program to start")
            except TimeoutError:
                raise AssertionError("the program did not start\n" + self.framed()) from None
            self.pid = int(procs.read_text(self.pid_file))
        except BaseException:
            self.close()
            raise

    def _environment(self, home, extra):
        env = {"HOME": home, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "TERM": "xterm-256color"}
        for name in ("PATH", "USER", "LOGNAME", "TMPDIR"):
            if name in os.environ:
                env[name] = os.environ[name]
        env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
        log = os.path.join(self.sanitizer_dir, "sanitizer.log")
        for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            options = os.environ.get(name, "")
            env[name] = (options + ":" if options else "") + "log_path=" + log
        for name, value in (extra or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = str(value)
        return env

    def _tmux(self, *args, config=False, check=True):
        argv = [TMUX, "-u", "-S", self.socket] + (["-f", self.conf] if config else []) + list(args)
        proc = subprocess.run(argv, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        if check and proc.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (
                " ".join(argv), proc.returncode, proc.stderr.decode("utf-8", "replace")))
        return proc.stdout.decode("utf-8", "replace")

    # -- context ----------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        if exc_type is None:
            report = self.sanitizer_report()
            if report:
                raise AssertionError("sanitizer report from %s:\n%s" % (self.argv[0], report))
        return False

    def close(self):
        """Kill the tmux server and the program (idempotent)."""
        if self._closed:
            return
        self._closed = True
        procs.cancel_cleanup(self.close)
        self._tmux("kill-server", check=False)
        for pid in (self.pid, self.pane_pid, self.server_pid):
            if pid is None:
                continue
            try:
                procs.wait_until(lambda: not _pid_alive(pid), 2, what="pid %d" % pid)
            except TimeoutError:
                # The wrapper leads the pane's process group and the program
                # is in it: kill the group while the wrapper still exists
                # (so its pid cannot have been reused), then the process.
                if pid != self.server_pid and _pid_alive(self.pane_pid):
                    _kill(lambda: os.killpg(self.pane_pid, signal.SIGKILL))
                if _pid_alive(pid):
                    _kill(lambda: os.kill(pid, signal.SIGKILL))

    # -- input ------------------------------------------------------------

    def send_keys(self, *keys):
        """Send tmux key names: 'j', 'Enter', 'Escape', 'C-c', 'Up', 'F5'..."""
        self._tmux("send-keys", "-t", self.target, *keys)

    def send_text(self, text):
        """Type `text` literally (send-keys -l)."""
        self._tmux("send-keys", "-t", self.target, "-l", "--", text)

    def resize(self, width, height):
        """Change the terminal size (the program gets SIGWINCH)."""
        self._tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))
        self.width, self.height = width, height

    # -- output -----------------------------------------------------------

    def screen(self, escapes=False):
        """The pane's text now (escapes=True keeps colours and attributes)."""
        args = ["capture-pane", "-p", "-t", self.target] + (["-e"] if escapes else [])
        text = self._tmux(*args)
        if text.endswith("\n"):
            text = text[:-1]
        return Screen(text)

    def cursor(self):
        """(column, row) of the cursor, both from 0."""
        x, y = self._tmux("display-message", "-p", "-t", self.target,
                          "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def wait_until(self, predicate, timeout=10, what=None):
        """Poll the screen until predicate(screen) is true; return the screen.

        On timeout raise AssertionError showing the screen.
        """
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() >= deadline:
                raise AssertionError("timed out after %gs waiting for %s\n%s" % (
                    timeout, what or getattr(predicate, "__name__", "a condition"),
                    self.framed(screen)))
            time.sleep(0.02)

    def wait_for(self, text, timeout=10):
        """Wait until `text` appears on the screen; return the screen."""
        return self.wait_until(lambda screen: text in screen, timeout, what=repr(text))

    def framed(self, screen=None):
        """The screen inside a frame, for failure messages."""
        if screen is None:
            screen = self.screen()
        bar = "+" + "-" * self.width + "+"
        rows = [("|" + row.ljust(self.width) + "|") for row in screen.split("\n")]
        return "\n".join(["screen:", bar] + rows + [bar])

    # -- the program --------------------------------------------------------

    def exit_status(self):
        """The program's exit status (-N: killed by signal N), None while it runs."""
        text = procs.read_text(self.status_file).strip()
        return int(text) if text else None

    def alive(self):
        """True while the program runs."""
        return not self._closed and self.exit_status() is None and _pid_alive(self.pid)

    def wait_exit(self, timeout=10):
        """Wait for the program to end; return its exit status.

        A program killed by signal N gives -N.  On timeout raise
        AssertionError showing the screen.
        """
        deadline = time.monotonic() + timeout
        while True:
            status = self.exit_status()
            if status is not None:
                return status
            if time.monotonic() >= deadline:
                raise AssertionError("program still running after %gs\n%s" % (
                    timeout, self.framed()))
            time.sleep(0.02)

    def sanitizer_report(self):
        """Text of the sanitizer report the program wrote, or None."""
        if self.pid is None:
            return None
        path = os.path.join(self.sanitizer_dir, "sanitizer.log.%d" % self.pid)
        text = procs.read_text(path)
        return text or None


def _kill(send):
    try:
        send()
    except OSError:
        pass


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
