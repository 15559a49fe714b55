"""A query answered as bytes in the format the client asked for: evaluated, collected under
the row limit and serialised where the query runs (a worker process or a thread), so that
the server only passes bytes on, through a spooled file that keeps its memory bounded."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

from graph_service import formats
from graph_service.formats import Format
from graph_service.sparql import serializers
from graph_service.sparql.errors import NotAcceptable
from graph_service.sparql.results import Collected

# form -> the `format=` name to write it in, or None when the client accepts none for it
Wanted = Mapping[str, str | None]
SPOOL_IN_MEMORY = 1 << 20  # bytes of an answer kept in memory before it goes to disk
CHUNK = 1 << 16


@dataclass
class Header:
    form: str
    format_name: str
    truncated: bool
    count: int  # rows or triples written


@dataclass
class Answer:
    header: Header
    body: IO[bytes]

    @property
    def format(self) -> Format:
        found = formats.by_name(self.header.format_name)
        assert found is not None
        return found

    def chunks(self) -> Iterator[bytes]:
        """The body, read once, then closed."""
        try:
            self.body.seek(0)
            while chunk := self.body.read(CHUNK):
                yield chunk
        finally:
            self.body.close()


def spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115


def serialize(collected: Collected, wanted: Wanted) -> tuple[Header, bytes]:
    """The collected answer in the wanted format; NotAcceptable when there is none."""
    name = wanted.get(collected.form)
    offered = OFFERED[collected.form]
    result_format = formats.by_name(name, offered) if name else None
    if result_format is None:
        types = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(
            f"the query gives a {collected.form} result, available as {types}; none of them "
            "is acceptable to this request (Accept header or format parameter)"
        )
    if collected.form == "boolean":
        body = serializers.serialize_boolean(result_format, bool(collected.boolean))
    elif collected.form == "solutions":
        body = serializers.serialize_solutions(result_format, collected.variables, collected.items)
    else:
        body = serializers.serialize_graph(result_format, collected.items)
    count = 1 if collected.form == "boolean" else len(collected.items)
    return Header(collected.form, result_format.name, collected.truncated, count), body


OFFERED = {
    "boolean": formats.BOOLEAN_FORMATS,
    "solutions": formats.SOLUTION_FORMATS,
    "graph": formats.GRAPH_FORMATS,
}
