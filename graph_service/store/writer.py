"""The one writer of a store served by several processes (`kg serve --processes N`).

RocksDB lets one process open a store for writing; the serving processes open it read-only
(`Store.follower`). The writer is a process of its own (`python -m graph_service.store.writer`,
started by `kg serve`): it holds the store open for writing, and runs the guarded writes the
serving processes send it over a Unix socket (`RemoteWrites`), one at a time, through the
same code as a single process (`writes.LocalWrites`: trial copy, incremental validation,
one transaction). After each write it bumps the shared change state
(`change_state.ChangeState`), before it answers, so any request that arrives after the write
returned finds the counter changed and its process reopens its handle first.

The socket lives in a folder only the server's user can enter, and a connection must pass
multiprocessing's challenge with a key the server made at start (jobs are pickled).
Holding the store for writing also keeps `kg load` away while the service runs, as before.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path

from graph_service.config import Config
from graph_service.store.change_state import ChangeState
from graph_service.store.guarded_update import GraphChange
from graph_service.store.store import Store
from graph_service.store.writes import LocalWrites

STARTUP_TIMEOUT = 120.0


@dataclass(frozen=True)
class WriterAddress:
    socket: Path
    authkey: bytes


class WriterUnavailable(Exception):
    """The writer process cannot be reached (it is restarting, or the server is stopping)."""


class RemoteWrites:
    """`writes.Writes` in a serving process: each write is sent to the writer and its result
    (or the exception it raised, such as ValidationFailed) comes back. One connection per
    process, one write at a time on it: the writer runs them one at a time anyway."""

    def __init__(self, address: WriterAddress):
        self.address = address
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def apply_update(self, sparql: str, base_iri: str | None = None) -> int:
        return self._call(("update", sparql, base_iri))

    def apply_graph_changes(self, changes: Iterable[GraphChange]) -> set[str | None]:
        sent = [replace(change, triples=list(change.triples)) for change in changes]
        return self._call(("graph_changes", sent))

    def _call(self, job: tuple):
        with self._lock:
            reply = self._exchange(job)
        if reply[0] == "error":
            raise reply[1]
        return reply[1]

    def _exchange(self, job: tuple) -> tuple:
        for attempt in (1, 2):
            fresh = self._conn is None
            try:
                if self._conn is None:
                    self._conn = Client(
                        str(self.address.socket), family="AF_UNIX", authkey=self.address.authkey
                    )
                self._conn.send(job)
                return self._conn.recv()
            except (OSError, EOFError) as error:
                self.close()
                # A connection that had worked may have been to a writer since replaced:
                # one new attempt. A job sent may have been applied, but its answer is lost;
                # retrying a write that was not received is safe, the other case is not.
                if fresh or attempt == 2 or not isinstance(error, ConnectionError | EOFError):
                    raise WriterUnavailable(
                        f"the store's writer cannot be reached ({error}); try again shortly"
                    ) from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class WriterProcess:
    """Starts the writer process (and starts it again if it stops while the server runs)."""

    def __init__(self, config: Config, address: WriterAddress, changes: Path):
        self.config = config
        self.address = address
        self.changes = changes
        self.process: subprocess.Popen | None = None
        self._stopping = False
        self._owner = os.getpid()

    def start(self) -> None:
        self.address.socket.unlink(missing_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "graph_service.store.writer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        assert process.stdin is not None and process.stdout is not None
        job = (self.config, self.address, self.changes, os.getpid())
        process.stdin.write(pickle.dumps(job))
        process.stdin.close()
        line = process.stdout.readline().decode().strip()
        if line != "ready":
            process.kill()
            process.wait()
            raise OSError(f"the store's writer did not start: {line or 'no answer'}")
        self.process = process

    def supervise(self) -> None:
        """Start the writer again whenever it stops, until `stop` (a daemon thread)."""

        def watch() -> None:
            while not self._stopping:
                process = self.process
                if process is not None:
                    process.wait()
                if self._stopping:
                    return
                time.sleep(0.2)
                try:
                    self.start()
                except OSError as error:
                    print(f"kg serve: {error}", file=sys.stderr, flush=True)
                    time.sleep(2)

        threading.Thread(target=watch, name="kg-writer-watch", daemon=True).start()

    def stop(self) -> None:
        """In the process that started it (a forked child inherits this object: not there)."""
        if os.getpid() != self._owner:
            return
        self._stopping = True
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.address.socket.unlink(missing_ok=True)


# The writer process


def _serve_connection(conn: Connection, writes: LocalWrites) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job[0] == "update":
                reply: tuple = ("ok", writes.apply_update(job[1], base_iri=job[2]))
            else:
                reply = ("ok", writes.apply_graph_changes(job[1]))
        except Exception as error:  # noqa: BLE001 (the caller raises it)
            reply = ("error", error.with_traceback(None))
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            conn.send(("error", RuntimeError(str(reply[1]))))
        except OSError:
            return


def _exit_with_parent(parent_pid: int, runtime: Path) -> None:
    """Stop when `kg serve` is gone; if it was killed, its runtime folder (the socket and
    the change state) is removed here, as `kg serve` could not."""
    while os.getppid() == parent_pid:
        time.sleep(1)
    shutil.rmtree(runtime, ignore_errors=True)
    os._exit(0)


def writer_main(config: Config, address: WriterAddress, changes: Path, parent_pid: int) -> None:
    runtime = address.socket.parent
    threading.Thread(target=_exit_with_parent, args=(parent_pid, runtime), daemon=True).start()
    try:
        assert config.store_path is not None
        store = Store(config.store_path, changes=ChangeState.open(changes))
        listener = Listener(str(address.socket), family="AF_UNIX", authkey=address.authkey)
    except Exception as error:  # noqa: BLE001 (told to the parent)
        print(f"failed: {error}", flush=True)
        return

    def stop(*_) -> None:
        with store.write_lock():  # the write under way is finished (and answered) first
            store.flush()
            os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    writes = LocalWrites(store, config)
    while True:
        try:
            conn = listener.accept()
        except (OSError, EOFError, AuthenticationError):
            continue  # a client that failed the challenge, or left during it
        threading.Thread(target=_serve_connection, args=(conn, writes), daemon=True).start()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it stops us
    writer_main(*pickle.load(sys.stdin.buffer))
