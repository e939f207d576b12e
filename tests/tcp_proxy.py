"""A TCP proxy between the app and PostgreSQL that a test can break on purpose:
refuse connections (the server is down) or accept and never answer (a network black
hole), then forward again (the database is back). Threads, not asyncio, so it keeps
working while a test blocks its own event loop."""

import socket
import threading
from contextlib import suppress
from typing import Literal

Mode = Literal["forward", "refuse", "blackhole"]


class TcpProxy:
    def __init__(self, target: tuple[str, int], port: int) -> None:
        self.target = target
        self.port = port
        self.mode: Mode = "forward"
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listen()

    def set_mode(self, mode: Mode) -> None:
        """Cut every open connection, then behave as `mode` for new ones."""
        self.mode = mode
        if mode == "refuse":
            self._close_listener()
        elif self._listener is None:
            self._listen()
        self._cut_connections()

    def close(self) -> None:
        self._close_listener()
        self._cut_connections()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _cut_connections(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _track(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._sockets.update(sockets)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # listener closed
                return
            self._track(client)
            if self.mode == "blackhole":
                continue  # held open, never answered, until cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._track(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    for sock in (source, sink):
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
