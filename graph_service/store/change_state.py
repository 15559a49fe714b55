"""The change state of an on-disk store shared by the processes that serve it (`kg serve
--processes N`): a small file, mapped into memory, holding when the serving began (the
epoch) and a counter that the one writer bumps after every write. A reader compares the
counter with the one its read-only handle was opened at, and reopens the handle when they
differ (`Store.catch_up`). Reading it costs a memory access, not a system call.

Only the writer changes the counter, so a reader can at worst read a value in the middle of
a bump; it then reopens once more than needed, never less: the bump happens after the write
is committed.
"""

from __future__ import annotations

import mmap
import os
import struct
import time
from pathlib import Path

_LAYOUT = struct.Struct("<dQ")  # epoch (seconds), counter


class ChangeState:
    def __init__(self, path: Path, mapping: mmap.mmap):
        self.path = path
        self._map = mapping
        self.epoch = _LAYOUT.unpack_from(mapping, 0)[0]

    @classmethod
    def create(cls, path: Path | str) -> ChangeState:
        """A new state file at `path` (counter 0, epoch now)."""
        path = Path(path)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(descriptor, _LAYOUT.pack(time.time(), 0))
            return cls(path, mmap.mmap(descriptor, _LAYOUT.size))
        finally:
            os.close(descriptor)

    @classmethod
    def open(cls, path: Path | str) -> ChangeState:
        """The state file another process created."""
        path = Path(path)
        descriptor = os.open(path, os.O_RDWR)
        try:
            return cls(path, mmap.mmap(descriptor, _LAYOUT.size))
        finally:
            os.close(descriptor)

    def read(self) -> int:
        return _LAYOUT.unpack_from(self._map, 0)[1]

    def bump(self) -> int:
        """After a write (by the writer only): the new counter."""
        counter = self.read() + 1
        struct.pack_into("<Q", self._map, 8, counter)
        return counter

    def close(self) -> None:
        self._map.close()
