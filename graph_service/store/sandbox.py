"""RDF from outside (posted to /validate or /store, fetched by LOAD) read in a child process
with limits on memory, time and output, because the parsers cannot be trusted with it:
pyoxigraph's JSON-LD parser recurses and a document nested a few thousand levels deep
overflows its stack and kills the process that parses it; RDF/XML entities expand (a
986-byte "billion laughs" took a server to 3.6 GB); and pySHACL needs minutes on a large
document. The child gets the document on standard input and answers with N-Quads (flat,
safe to read) or a SHACL report; a crash, a timeout or too much memory is an answer too.

`python -m graph_service.store.sandbox parse FORMAT BASE_IRI FLAGS` is the child.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from graph_service import formats
from graph_service.formats import Format
from graph_service.store.validation import ShapesError, ValidationReport, Violation

MEMORY_MB = 512
TIMEOUT = 20.0
OUTPUT_LIMIT = 64 * 2**20  # bytes of N-Quads a document may expand to


class Refused(ValueError):
    """The document cannot be read within the limits, or is not well-formed; the message
    says which, for a 400 or 413."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    memory_mb: int = MEMORY_MB
    timeout: float = TIMEOUT
    output_bytes: int = OUTPUT_LIMIT


def check_xml_entities(data: bytes, rdf_format: Format) -> None:
    """RDF/XML may not declare entities: their expansion is unbounded, and RDF needs none."""
    if rdf_format == formats.RDFXML and b"<!ENTITY" in data.upper().replace(b" ", b""):
        raise Refused("RDF/XML with entity declarations (<!ENTITY ...>) is not accepted")


def parse(
    data: bytes,
    rdf_format: Format,
    *,
    base_iri: str | None = None,
    rename_blank_nodes: bool = True,
    without_named_graphs: bool = False,
    limits: Limits = Limits(),
) -> list[ox.Quad]:
    """The quads of an untrusted document, read in a child process under `limits`;
    Refused with the reason (a syntax error names its line and column)."""
    check_xml_entities(data, rdf_format)
    flags = ",".join(
        flag
        for flag, on in (("rename", rename_blank_nodes), ("default-only", without_named_graphs))
        if on
    )
    command = [
        sys.executable,
        "-m",
        "graph_service.store.sandbox",
        "parse",
        rdf_format.name,
        base_iri or "",
        flags or "-",
    ]
    output = _run(command, data, limits)
    return list(ox.parse(output, format=ox.RdfFormat.N_QUADS))


def _run(command: list[str], data: bytes, limits: Limits) -> bytes:
    def limit_child() -> None:  # runs in the child, before it executes Python
        memory = limits.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))

    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=limits.timeout,
            preexec_fn=limit_child,  # noqa: PLW1509 (no threads are started in between)
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
    except subprocess.TimeoutExpired:
        raise Refused(
            f"reading the document took longer than {limits.timeout:g} s, the limit; "
            "send a smaller one",
            status=413,
        ) from None
    if done.returncode == 0:
        if len(done.stdout) >= limits.output_bytes:
            raise Refused("the document expands to more data than the limit", status=413)
        return done.stdout
    if done.returncode == 3:  # the parser's own message
        raise Refused(done.stderr.decode("utf-8", "replace").strip())
    if done.returncode == 4:  # the shapes themselves are unusable
        raise ShapesError(done.stderr.decode("utf-8", "replace").strip())
    if b"memory allocation" in done.stderr:
        raise Refused(
            f"reading the document needs more than {limits.memory_mb} MB, the limit",
            status=413,
        )
    if b"overflowed its stack" in done.stderr or done.returncode == -signal.SIGSEGV:
        raise Refused("the document is nested too deeply to be read")
    raise Refused(
        "the document could not be read: it is nested too deeply or otherwise beyond what "
        f"the parser can take (it stopped with code {done.returncode})"
    )


def validate(
    graphs: dict[str, list[ox.Triple]], base_iri: str, limits: Limits = Limits()
) -> ValidationReport:
    """`loading.validate_graphs` in a child process under `limits` (pySHACL takes minutes and
    gigabytes on a large document): Refused (413) past them."""
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
        for graph, triples in graphs.items()
        for t in triples
    ]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    command = [sys.executable, "-m", "graph_service.store.sandbox", "validate", base_iri]
    try:
        answer = json.loads(_run(command, data, limits))
    except Refused as error:
        if "took longer" in str(error):
            error.args = (f"validation took longer than {limits.timeout:g} s, the limit; "
                          "send a smaller document",)  # fmt: skip
        raise
    report = ValidationReport(
        conforms=answer["conforms"],
        violations=[Violation(**v) for v in answer["violations"]],
        graph=rdflib.Graph().parse(data=answer["turtle"], format="turtle"),
    )
    return report


# The child


def _child_parse(format_name: str, base_iri: str, flags: str) -> int:
    rdf_format = formats.by_name(format_name, formats.RDF_FORMATS)
    if rdf_format is None:
        print(f"unknown format {format_name}", file=sys.stderr)
        return 3
    data = sys.stdin.buffer.read()
    try:
        quads = ox.parse(
            data,
            format=rdf_format.rdf,
            base_iri=base_iri or None,
            rename_blank_nodes="rename" in flags,
            without_named_graphs="default-only" in flags,
        )
        ox.serialize(quads, sys.stdout.buffer, format=ox.RdfFormat.N_QUADS)
    except SyntaxError as error:
        message = error.msg or str(error)
        where = f"line {error.lineno}, column {error.offset}: " if error.lineno else ""
        print(f"cannot parse the {rdf_format.rdf.name}: {where}{message}", file=sys.stderr)
        return 3
    return 0


def _child_validate(base_iri: str) -> int:
    from dataclasses import asdict

    from graph_service.config import Config
    from graph_service.store.loading import validate_graphs

    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(sys.stdin.buffer.read(), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(str(quad.graph_name.value), []).append(quad.triple)
    try:
        report = validate_graphs(graphs, Config(base_iri=base_iri))
    except ShapesError as error:
        print(str(error), file=sys.stderr)
        return 4
    answer = {
        "conforms": report.conforms,
        "violations": [asdict(v) for v in report.violations],
        "turtle": report.turtle(),
    }
    sys.stdout.write(json.dumps(answer))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["parse"] and len(argv) == 4:
        return _child_parse(argv[1], argv[2], argv[3])
    if argv[:1] == ["validate"] and len(argv) == 2:
        return _child_validate(argv[1])
    print(json.dumps({"error": f"unknown job {argv!r}"}), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
