"""After the store's disk was full, writes work again once space is freed, without a restart
(RocksDB refuses every write after a failed one until the store is opened again). The store
is put on a small tmpfs of its own, which needs root, as the tests run here and in CI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from graph_service.store import Store, StoreFull


@pytest.fixture()
def small_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "--lazy", str(mount)], check=True)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    free = os.statvfs(disk)
    with filler.open("wb") as out:
        try:
            out.write(b"\0" * (free.f_bavail * free.f_frsize))
        except OSError:
            pass
    return filler


def insert(store: Store, n: int, size: int = 10) -> None:
    store.update(
        f'INSERT DATA {{ GRAPH <http://g> {{ <http://s{n}> <http://p> "{"x" * size}" }} }}'
    )
    store.flush()


def test_writes_work_again_once_space_is_freed(small_disk):
    store = Store(small_disk / "store")
    insert(store, 0)
    filler = fill(small_disk)
    with pytest.raises(StoreFull, match="send the change again"):
        insert(store, 1, size=200_000)
    assert len(store.oxigraph) == 1  # nothing half-written, the store still reads
    with pytest.raises(StoreFull):
        insert(store, 2)  # still full
    filler.unlink()
    insert(store, 3)
    assert len(store.oxigraph) == 2


def test_the_endpoint_says_507(small_disk, test_config):
    from dataclasses import replace

    from graph_service.web.app import create_app

    store = Store(small_disk / "store")
    insert(store, 0)
    app = create_app(replace(test_config, store_path=store.path), store=store)
    fill(small_disk)
    response = app.test_client().post(
        "/sparql",
        data='INSERT DATA { GRAPH <http://g> { <http://s> <http://p> "' + "y" * 50_000 + '" } }',
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer test-update-token"},
    )
    assert response.status_code == 507
    assert "disk of the store is full" in response.get_data(as_text=True)
