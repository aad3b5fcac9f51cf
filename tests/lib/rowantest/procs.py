"""Process, port and log helpers shared by the fixtures.

- PYTHON: the interpreter for helper processes (Debian's, which has
  aiosmtpd), overridable with $ROWAN_PYTHON3.
- mail_user(): the unprivileged account that server processes run as.
- free_ports(n): ports on 127.0.0.1 that were free a moment ago.
- wait_until(): poll a condition with a deadline (no blind sleeps).
- Group: a child started in its own process group, stopped as a group.
- fresh_dir(): a new sub-directory for one fixture.
- cleanup_at_exit(): run a stop function at interpreter exit as a backstop.
"""

import atexit
import grp
import os
import pwd
import signal
import socket
import subprocess
import time

PYTHON = os.environ.get("ROWAN_PYTHON3", "/usr/bin/python3")
LOOPBACK = "127.0.0.1"


class MailUser:
    """Who runs the server processes: `nobody` as root, else ourselves."""

    def __init__(self):
        if os.geteuid() == 0:
            pw = pwd.getpwnam("nobody")
        else:
            pw = pwd.getpwuid(os.geteuid())
        self.name = pw.pw_name
        self.uid = pw.pw_uid
        self.gid = pw.pw_gid
        self.group = grp.getgrgid(pw.pw_gid).gr_name

    def chown(self, path):
        """Give `path` to this user (only possible, and needed, as root)."""
        if os.geteuid() == 0:
            os.chown(path, self.uid, self.gid)


_mail_user = None


def mail_user():
    """The MailUser shared by every fixture of this process."""
    global _mail_user
    if _mail_user is None:
        _mail_user = MailUser()
    return _mail_user


def free_ports(n, host=LOOPBACK):
    """Return `n` distinct TCP ports on `host` that the kernel just handed out.

    The sockets are held open together so the ports differ, then closed; a
    fixture that then fails to bind retries with fresh ports.
    """
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((host, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def port_open(port, host=LOOPBACK, timeout=0.5):
    """True when a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(predicate, timeout, interval=0.02, what="condition"):
    """Call `predicate` until it returns a true value, which is returned.

    Raises TimeoutError after `timeout` seconds.  The interval is the pause
    between two checks, not a guess at how long something takes.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out after %gs waiting for %s" % (timeout, what))
        time.sleep(interval)


def read_text(path):
    """The text of a file, or '' when it does not exist."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


def tail(path, lines=40):
    """The last `lines` lines of a file, for error messages."""
    text = read_text(path)
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def group_alive(pgid):
    """True while a process of group `pgid` runs (zombies do not count).

    Zombies are ignored because orphans are reaped by init, which may take
    its time; a zombie holds no sockets or files.
    """
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # fields: state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != b"Z":
            return True
    return False


def kill_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class Group:
    """A child process started as leader of its own process group.

    stop() sends SIGTERM to the whole group at once (so the leader can reap
    its children as they exit, rather than leaving orphans to init), then
    SIGKILLs whatever is left: ports and pid files are free when it returns.

    The leader is reaped only at the very end of stop(): until then its pid
    (the group's id) cannot be reused by an unrelated process, so signalling
    the group can only reach processes this Group started.
    """

    def __init__(self, argv, log_path, env=None, cwd=None):
        self.argv = list(argv)
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=env, cwd=cwd, start_new_session=True)
        self.pid = self.proc.pid
        self._stopped = False
        cleanup_at_exit(self.stop)

    def exit_status(self):
        """None while the leader runs, else its status (-N: signal N).

        Looks without reaping (WNOWAIT), see the class documentation.
        """
        if self.proc.returncode is not None:
            return self.proc.returncode
        try:
            info = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return self.proc.returncode
        if info is None:
            return None
        return info.si_status if info.si_code == os.CLD_EXITED else -info.si_status

    def running(self):
        return self.exit_status() is None

    def stop(self, grace=2.0):
        """Stop the group; return the leader's exit status.

        SIGTERM goes to the whole group, again every 50 ms so that a child
        forked meanwhile (Dovecot still starting a login process for a
        queued connection) gets it too; whatever still runs after `grace`
        seconds is killed.
        """
        if self._stopped:
            return self.proc.returncode
        self._stopped = True
        cancel_cleanup(self.stop)
        deadline = time.monotonic() + grace
        while group_alive(self.pid) and time.monotonic() < deadline:
            kill_group(self.pid, signal.SIGTERM)
            next_signal = time.monotonic() + 0.05
            while group_alive(self.pid) and time.monotonic() < next_signal:
                time.sleep(0.01)
        if group_alive(self.pid):
            kill_group(self.pid, signal.SIGKILL)
            try:
                wait_until(lambda: not group_alive(self.pid), 10,
                           what="process group %d to exit" % self.pid)
            except TimeoutError:
                pass
        return self.proc.wait()


def fresh_dir(parent, name):
    """parent/name, or parent/name-2, -3... if taken; created, mode 0755."""
    path, n = os.path.join(parent, name), 1
    while True:
        try:
            os.mkdir(path, 0o755)
            os.chmod(path, 0o755)
            return path
        except FileExistsError:
            n += 1
            path = os.path.join(parent, "%s-%d" % (name, n))


_at_exit = []


def cleanup_at_exit(stop):
    """Call stop() at interpreter exit unless cancel_cleanup(stop) ran first.

    Fixtures stop themselves when their `with` block ends; this is the
    backstop for one that was never entered or whose block was skipped.
    """
    _at_exit.append(stop)


def cancel_cleanup(stop):
    try:
        _at_exit.remove(stop)
    except ValueError:
        pass


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


# A test killed with SIGTERM or SIGHUP (make interrupted, a timeout) unwinds
# like an exception, so `with` blocks and the exit hooks still stop servers.
for _sig in (signal.SIGTERM, signal.SIGHUP):
    try:
        if signal.getsignal(_sig) == signal.SIG_DFL:
            signal.signal(_sig, _terminated)
    except ValueError:      # not the main thread
        pass


@atexit.register
def _run_exit_cleanups():
    while _at_exit:
        stop = _at_exit.pop()
        try:
            stop()
        except Exception:
            pass
