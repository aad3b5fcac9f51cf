"""Scripted misbehaving servers for the connection-layer tests.

    def script(conn):
        conn.send(b"* OK hello\\r\\n")
        tag, command, line = conn.command()
        ...

    with fakeserver.FakeServer(script) as server:
        ... connect to 127.0.0.1:server.port ...
    server.connections[0].received     # every byte the client sent

Each accepted connection runs the script in its own thread.  Everything is
bounded: the server listens on 127.0.0.1 only, accepts a few connections,
every read has a timeout, and stop() waits a limited time for the scripts.
"""

import socket
import threading
import time

READ_TIMEOUT = 15
MAX_LINE = 64 * 1024


class Conn:
    """One accepted connection, recording what the client sends."""

    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(READ_TIMEOUT)
        self.received = bytearray()
        self._pending = bytearray()
        self.closed_by_client = False

    def send(self, data):
        """Send bytes (or ASCII text) in one write; False if the peer left."""
        if isinstance(data, str):
            data = data.encode("ascii")
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except (socket.timeout, OSError):
            return False
        if not chunk:
            self.closed_by_client = True
            return False
        self.received += chunk
        self._pending += chunk
        return True

    def line(self):
        """The next line without its CRLF, or None at EOF or timeout."""
        while b"\n" not in self._pending:
            if len(self._pending) > MAX_LINE or not self._fill():
                return None
        line, _, rest = bytes(self._pending).partition(b"\n")
        self._pending = bytearray(rest)
        return line.rstrip(b"\r")

    def command(self):
        """(tag, upper-case verb, whole line) of the next IMAP command."""
        line = self.line()
        if line is None:
            return None, None, None
        words = line.decode("latin-1").split(" ")
        verb = " ".join(words[1:3]).upper() if len(words) > 2 and \
            words[1].upper() == "UID" else (words[1].upper() if len(words) > 1 else "")
        return words[0], verb, line

    def wait_closed(self, seconds):
        """Read (and record) until the client closes or `seconds` pass."""
        deadline = time.monotonic() + seconds
        self.sock.settimeout(0.1)
        while time.monotonic() < deadline:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                # Closing with unread data sends a reset.
                self.closed_by_client = True
                break
            except OSError:
                break
            if not chunk:
                self.closed_by_client = True
                break
            self.received += chunk
        self.sock.settimeout(READ_TIMEOUT)
        return self.closed_by_client

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class FakeServer:
    """Run script(conn) for each of up to `connections` clients."""

    def __init__(self, script, connections=1):
        self.script = script
        self.max_connections = connections
        self.connections = []
        self.errors = []
        self._threads = []
        self._stopping = False
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def _accept_loop(self):
        while not self._stopping and len(self.connections) < self.max_connections:
            try:
                sock, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn = Conn(sock)
            self.connections.append(conn)
            thread = threading.Thread(target=self._run, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, conn):
        try:
            self.script(conn)
        except Exception as e:  # reported by the test through .errors
            self.errors.append(repr(e))
        finally:
            conn.close()

    def stop(self, wait=10):
        """Stop accepting and wait (at most `wait` seconds) for the scripts."""
        self._stopping = True
        deadline = time.monotonic() + wait
        self._acceptor.join(max(0, deadline - time.monotonic()))
        self._listener.close()
        for thread in self._threads:
            thread.join(max(0, deadline - time.monotonic()))


class SilentServer:
    """Accepts connections and never says a word (nor reads)."""

    def __init__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.port = self._listener.getsockname()[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._listener.close()
        return False


def closed_port():
    """A loopback port that nothing listens on (bound, then released)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def imap_session(conn, greeting="* OK [CAPABILITY IMAP4rev1 STARTTLS] fake\r\n",
                 handlers=None, max_commands=20):
    """Play a minimal IMAP server; handlers[verb](conn, tag, line) may return
    False to end the session.  Unknown commands get a tagged OK."""
    defaults = {
        "CAPABILITY": lambda c, t, l: c.send("* CAPABILITY IMAP4rev1 STARTTLS\r\n"
                                             "%s OK done\r\n" % t),
        "LOGIN": lambda c, t, l: c.send("%s OK logged in\r\n" % t),
        "SELECT": lambda c, t, l: c.send("* 1 EXISTS\r\n* OK [UIDVALIDITY 1] x\r\n"
                                         "%s OK [READ-WRITE] selected\r\n" % t),
        "LOGOUT": lambda c, t, l: c.send("* BYE bye\r\n%s OK bye\r\n" % t) and False,
    }
    defaults.update(handlers or {})
    conn.send(greeting)
    for _ in range(max_commands):
        tag, verb, line = conn.command()
        if tag is None:
            return
        handler = defaults.get(verb)
        if handler is None:
            conn.send("%s OK done\r\n" % tag)
        elif handler(conn, tag, line) is False:
            return
