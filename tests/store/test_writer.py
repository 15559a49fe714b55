"""The writer process of `kg serve --processes N` (store/writer.py, decision 0011): guarded
writes sent over its socket, their errors sent back, the shared counter bumped, a writer
that dies started again. A real process on a temporary on-disk store."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client

import pytest

from graph_service.store import Store
from graph_service.store.change_state import ChangeState
from graph_service.store.loading import ValidationFailed
from graph_service.store.writer import (
    RemoteWrites,
    WriterAddress,
    WriterProcess,
    WriterUnavailable,
)

EX = "http://example.org/"
MEETING = "https://w3id.org/untoc/ontology#Meeting"


@pytest.fixture
def writer(test_config, tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    ChangeState.create(runtime / "changes").close()
    address = WriterAddress(runtime / "writer.sock", os.urandom(32))
    config = replace(test_config, store_path=tmp_path / "store")
    process = WriterProcess(config, address, runtime / "changes")
    process.start()
    yield process
    process.stop()


def follower(writer: WriterProcess) -> Store:
    assert writer.config.store_path is not None
    return Store.follower(writer.config.store_path, ChangeState.open(writer.changes))


def test_writes_sent_to_the_writer_are_made_and_counted(writer):
    remote = RemoteWrites(writer.address)
    reader = follower(writer)
    before = reader.generation
    assert remote.apply_update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 1 }} }}") == 1
    assert reader.catch_up() and reader.generation == before + 1
    assert bool(reader.query(f"ASK {{ <{EX}a> <{EX}b> 1 }}"))
    remote.close()


def test_the_writers_refusals_come_back_as_the_same_errors(writer):
    remote = RemoteWrites(writer.address)
    with pytest.raises(ValidationFailed) as failure:
        remote.apply_update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}m> a <{MEETING}> }} }}")
    report = failure.value.report
    assert not report.conforms and report.violations
    assert {v.focus_node for v in report.violations} == {f"<{EX}m>"}
    assert "violation(s)" in report.text() and "sh:ValidationReport" in report.turtle()
    with pytest.raises(SyntaxError):
        remote.apply_update("INSERT DATA { <urn:a> ")
    with pytest.raises(RuntimeError):
        remote.apply_update("DROP GRAPH <urn:no-such-graph>")
    reader = follower(writer)
    assert not bool(reader.query(f"ASK {{ <{EX}m> ?p ?o }}"))


def test_a_caller_without_the_key_is_refused(writer):
    with pytest.raises(AuthenticationError):
        Client(str(writer.address.socket), family="AF_UNIX", authkey=b"not the key")
    remote = RemoteWrites(writer.address)  # and the writer still serves
    assert remote.apply_update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 2 }} }}") == 1


def test_a_writer_that_dies_is_started_again(writer):
    remote = RemoteWrites(writer.address)
    remote.apply_update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 1 }} }}")
    writer.supervise()
    first = writer.process
    assert first is not None
    os.kill(first.pid, signal.SIGKILL)
    done = None
    for _ in range(300):  # the first calls may find no writer yet: 503 for the client
        try:
            done = remote.apply_update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 3 }} }}")
            break
        except WriterUnavailable:
            time.sleep(0.1)
    assert done == 1
    assert writer.process is not first
    assert bool(follower(writer).query(f"ASK {{ <{EX}a> <{EX}b> 1, 3 }}"))


def test_no_writer_is_a_writer_unavailable(tmp_path):
    remote = RemoteWrites(WriterAddress(tmp_path / "nobody.sock", b"key"))
    with pytest.raises(WriterUnavailable, match="try again"):
        remote.apply_update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
