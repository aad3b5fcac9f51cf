"""A small TCP relay running in threads of the test process.

    p = proxy.TcpProxy(listen_port, target_port, source_host='127.0.0.2')
    p.start(); ...; p.drop_connections(); ...; p.stop()

Why the Dovecot fixture needs it: Dovecot treats a connection whose remote
address equals its local address as secure, so from 127.0.0.1 to 127.0.0.1
it would allow a password without TLS even with disable_plaintext_auth.
The relay accepts on 127.0.0.1 and connects to Dovecot from another
loopback address, so Dovecot sees an ordinary, insecure client.

The relay is transparent (bytes both ways, half-closes passed on), so
STARTTLS works through it.  stop() closes the listening socket and every
relayed connection: a stopped relay refuses connections like a stopped
server.
"""

import socket
import threading

from . import procs


class TcpProxy:
    """Relay 127.0.0.1:listen_port to target_host:target_port."""

    def __init__(self, listen_port, target_port, target_host=procs.LOOPBACK,
                 source_host=None, listen_host=procs.LOOPBACK):
        self.listen = (listen_host, listen_port)
        self.target = (target_host, target_port)
        self.source_host = source_host
        self._server = None
        self._conns = set()
        self._lock = threading.Lock()

    def start(self):
        """Bind and start accepting (raises OSError if the port is taken)."""
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(self.listen)
            server.listen(64)
        except OSError:
            server.close()
            raise
        self._server = server
        procs.cleanup_at_exit(self.stop)
        threading.Thread(target=self._accept_loop, args=(server,), daemon=True,
                         name="proxy-accept-%d" % self.listen[1]).start()

    def stop(self):
        """Stop listening and close every relayed connection."""
        procs.cancel_cleanup(self.stop)
        server, self._server = self._server, None
        if server is not None:
            try:
                server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            server.close()
        self.drop_connections()

    def drop_connections(self):
        """Abruptly close every relayed connection (both sides)."""
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _track(self, *socks):
        with self._lock:
            self._conns.update(socks)

    def _accept_loop(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            if self._server is not server:
                client.close()
                return
            try:
                upstream = socket.create_connection(
                    self.target, timeout=10,
                    source_address=(self.source_host, 0) if self.source_host else None)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._track(client, upstream)
            pair = {"open": 2}
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst, pair, client, upstream),
                                 daemon=True).start()

    def _pump(self, src, dst, pair, *both):
        """Copy src to dst until EOF, then half-close dst.

        The second pump to finish closes both sockets.
        """
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            for s in both:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        with self._lock:
            pair["open"] -= 1
            last = pair["open"] == 0
            if last:
                self._conns.difference_update(both)
        if last:
            for s in both:
                s.close()
