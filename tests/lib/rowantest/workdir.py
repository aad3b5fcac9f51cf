"""A temporary directory for one test program.

    with workdir.WorkDir() as wd:
        wd.path            # absolute path, mode 0755
        wd.sub('home')     # make (and return) a sub-directory

The directory is created under $ROWAN_TEST_TMPDIR if set, else /tmp when
running as root (the server processes run as `nobody` and must be able to
reach it; a private $TMPDIR would not do), else the usual temporary
directory.  It is removed when the block ends, or at exit as a backstop,
unless ROWAN_KEEP_TMP=1, in which case its path is printed on stderr.

A WorkDir can be passed wherever a path is expected (os.fspath works).
"""

import os
import shutil
import sys
import tempfile

from . import procs


def _base_dir():
    base = os.environ.get("ROWAN_TEST_TMPDIR")
    if base:
        return base
    if os.geteuid() == 0:
        return "/tmp"
    return tempfile.gettempdir()


class WorkDir:
    """A temporary directory (mode 0755) removed at the end of the block."""

    def __init__(self, prefix="rowan-test-"):
        self.path = tempfile.mkdtemp(prefix=prefix, dir=_base_dir())
        os.chmod(self.path, 0o755)
        self._removed = False
        procs.cleanup_at_exit(self.remove)

    def __fspath__(self):
        return self.path

    def __str__(self):
        return self.path

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False

    def sub(self, *names, mode=0o755):
        """Create path/names... (with parents) if needed and return it."""
        path = os.path.join(self.path, *names)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        return path

    def remove(self):
        """Delete the directory, unless ROWAN_KEEP_TMP=1 asks to keep it."""
        if self._removed:
            return
        self._removed = True
        procs.cancel_cleanup(self.remove)
        if os.environ.get("ROWAN_KEEP_TMP") == "1":
            sys.stderr.write("rowantest: kept work directory %s\n" % self.path)
            return
        shutil.rmtree(self.path, ignore_errors=True)
