"""A small SMTP server on loopback for the worker-killed fault test: it accepts messages and can hold a sender at its
DATA command, so a test can kill the worker in the middle of sending and know that no message got through."""

from __future__ import annotations

import select
import socket
import socketserver
import threading


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.port = self.server_address[1]
        self.messages: list[bytes] = []  # each accepted message, headers and body
        self.holding = threading.Event()  # while set, a sender waits at DATA
        self.sender_held = threading.Event()  # set when a sender reached DATA while holding
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.holding.clear()
        self.shutdown()
        self.server_close()


class _Session(socketserver.StreamRequestHandler):
    server: SmtpSink

    def handle(self) -> None:
        self._reply("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self._reply("250 sink")
            elif command == b"DATA":
                if not self._wait_while_holding():
                    return  # the sender went away mid-send: nothing was accepted
                self._reply("354 end with <CRLF>.<CRLF>")
                self.server.messages.append(self._message())
                self._reply("250 queued")
            elif command == b"QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 ok")

    def _wait_while_holding(self) -> bool:
        """False when the sender closed its connection while held."""
        if self.server.holding.is_set():
            self.server.sender_held.set()
        while self.server.holding.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.1)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):  # empty: the sender closed
                return False
        return True

    def _message(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")
