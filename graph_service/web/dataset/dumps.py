"""/dumps/: the whole dataset in Turtle, N-Quads, TriG and JSON-LD, made once per store state."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template

from graph_service import formats
from graph_service.formats import Format
from graph_service.web.dataset import conditional, export
from graph_service.web.errors import HttpError
from graph_service.web.pages.ui import request_ui

blueprint = Blueprint("dumps", __name__)


@dataclass(frozen=True)
class Dump:
    format: Format
    title: str

    @property
    def name(self) -> str:
        return f"untoc.{self.format.extension}"


DUMPS = {
    d.name: d
    for d in (
        Dump(formats.TURTLE, "Turtle: the union of all named graphs as triples"),
        Dump(formats.NQUADS, "N-Quads: every triple with its named graph"),
        Dump(formats.TRIG, "TriG: the named graphs, readable"),
        Dump(formats.JSONLD, "JSON-LD: the named graphs"),
    )
}


@blueprint.get("/dumps/")
def dumps_index():
    return render_template("dumps.html", ui=request_ui(), dumps=list(DUMPS.values()))


@blueprint.get("/dumps/<name>")
def dump_file(name: str):
    dump = DUMPS.get(name)
    if dump is None:
        raise HttpError(404, f"no dump named {name!r}; available: {', '.join(DUMPS)}")
    data = export(dump.format)
    response = Response(data, content_type=dump.format.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{dump.name}"'
    return conditional(response, name)
