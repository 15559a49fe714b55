"""An answer across the pipe from a worker to the server: a header tuple, then the body in
chunks of bytes, then an empty chunk. The server copies the chunks into a spooled file as
they come, so that its memory stays bounded whatever the size of the answer."""

from __future__ import annotations

from multiprocessing.connection import Connection

from graph_service.sparql.answers import CHUNK, Answer, Header, spool


def send_answer(conn: Connection, header: Header, body: bytes) -> None:
    conn.send(("ok", header))
    view = memoryview(body)
    for start in range(0, len(view), CHUNK):
        conn.send_bytes(view[start : start + CHUNK])
    conn.send_bytes(b"")


def receive_body(conn: Connection, header: Header) -> Answer:
    body = spool()
    while chunk := conn.recv_bytes():
        body.write(chunk)
    return Answer(header, body)
