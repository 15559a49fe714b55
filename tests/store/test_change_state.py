"""The change state shared by the serving processes of one store, and the read-only
follower that reopens its handle after the writer's writes (store/change_state.py,
Store.follower, decision 0011)."""

from __future__ import annotations

import pytest

from graph_service.store import Store
from graph_service.store.change_state import ChangeState

EX = "http://example.org/"


def test_a_bump_is_read_through_every_mapping_of_the_file(tmp_path):
    created = ChangeState.create(tmp_path / "changes")
    opened = ChangeState.open(tmp_path / "changes")
    assert created.read() == opened.read() == 0
    assert created.epoch == opened.epoch
    assert created.bump() == 1 and opened.read() == 1
    assert opened.bump() == 2 and created.read() == 2
    created.close()
    opened.close()


def test_a_follower_sees_the_writers_writes_once_it_catches_up(tmp_path):
    path, changes = tmp_path / "store", tmp_path / "changes"
    ChangeState.create(changes).close()
    writer = Store(path, changes=ChangeState.open(changes))
    writer.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 1 }} }}")
    follower = Store.follower(path, ChangeState.open(changes))
    assert follower.state == writer.state  # one identity for caches and ETags everywhere
    assert not follower.catch_up()
    assert follower.stats()["triples"] == 1

    writer.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 2 }} }}")
    assert follower.stats()["triples"] == 1  # a read-only handle is a snapshot
    assert follower.catch_up()
    assert follower.state == writer.state
    assert follower.stats()["triples"] == 2  # the cache started afresh with the new state
    assert not follower.catch_up()


def test_stores_without_a_change_state_never_reopen(tmp_path):
    store = Store(tmp_path / "store")
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 1 }} }}")
    assert not store.catch_up()
    assert not Store().catch_up()


def test_a_read_that_lost_a_file_is_made_again_on_a_reopened_handle(tmp_path):
    """The writer compacts the store after a follower opened it: a file the handle's
    MANIFEST names is gone. The read is made again on a new handle; other errors stay."""
    path = tmp_path / "store"
    Store(path).update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 1 }} }}")
    reader = Store.read_only(path)
    handles = [reader.oxigraph]
    lost = OSError(f"IO error: No such file or directory: While open a file: {path}/000013.sst")

    def read() -> int:
        handles.append(reader.oxigraph)
        if len(handles) == 2:
            raise lost
        return len(list(reader.quads()))

    assert reader.reading(read) == 1
    assert handles[2] is not handles[0]  # reopened
    assert not Store(path).reopen_if_lost(lost)  # a writer never reopens

    def broken() -> int:
        raise RuntimeError("something else")

    with pytest.raises(RuntimeError, match="something else"):
        reader.reading(broken)
