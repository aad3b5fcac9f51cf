"""Run one program in a tmux pane and record its pid and exit status.

    python3 -I pane_run.py PID_FILE STATUS_FILE PROGRAM [ARGS...]

tmux 3.3 sometimes loses the exit status of a program that ends very
quickly (#{pane_dead_status} stays empty), so tmux.Tmux starts the program
through this wrapper instead.  The program runs as a child in the same
process group and terminal, with default signal dispositions; its pid is
written to PID_FILE at once, and when it ends its status to STATUS_FILE:
the exit code, or -N when signal N killed it.  SIGHUP and SIGTERM sent to
the wrapper are passed on to the program; terminal signals (SIGINT,
SIGQUIT, SIGTSTP) reach the program directly and the wrapper ignores them.
"""

import os
import signal
import sys

_PASSED_ON = (signal.SIGHUP, signal.SIGTERM)
_IGNORED = (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP)


def _write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.rename(path + ".tmp", path)


def main(argv):
    pid_file, status_file, program = argv[1], argv[2], argv[3:]
    pid = os.fork()
    if pid == 0:
        for sig in _PASSED_ON + _IGNORED + (signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL)
        try:
            os.execvp(program[0], program)
        except OSError as e:
            sys.stderr.write("pane_run: cannot run %s: %s\n" % (program[0], e.strerror))
            sys.stderr.flush()
            os._exit(127)
    for sig in _IGNORED:
        signal.signal(sig, signal.SIG_IGN)
    for sig in _PASSED_ON:
        signal.signal(sig, lambda signum, frame: _pass_on(pid, signum))
    _write(pid_file, str(pid))
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            status = 0xFF00
            break
    code = os.waitstatus_to_exitcode(status)
    _write(status_file, str(code))
    return code if code >= 0 else 128 - code


def _pass_on(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv))
