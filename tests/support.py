"""Helpers shared by tests in several folders."""

from __future__ import annotations

import hashlib
from pathlib import Path

BROKEN_TURTLE = """@prefix untoc: <https://w3id.org/untoc/ontology#> .
<https://w3id.org/untoc/id/body/wg-x> a untoc:WorkingGroup ;
    untoc:ordinal "1" "2" .
"""

# The agenda, its symbol typed with Cyrillic look-alike letters as the source prints it.
CYRILLIC_AGENDA = """@prefix untoc: <https://w3id.org/untoc/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/untoc/id/document/ctoc-cop-2024-1-ru> a untoc:Agenda ;
    rdfs:label "provisional agenda"@en , "предварительная повестка дня"@ru ;
    untoc:documentSymbol "СТОС/СОР/2024/1" ;
    dcterms:source <https://w3id.org/untoc/id/document/cop12-subsidiary-bodies-note#footnote-1> .
"""


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


REPORT = "https://w3id.org/untoc/ontology#Report"
COUNT_REPORTS = f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{REPORT}> }}"


def reports_in(graphs) -> int:
    """Distinct reports in the curated sources (`Sources.graphs`): what a full load holds."""
    return len(
        {
            t.subject
            for triples in graphs.values()
            for t in triples
            if t.predicate.value.endswith("#type") and t.object.value == REPORT
        }
    )


def http(
    url: str,
    method: str = "GET",
    path: str = "/",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
    timeout: float = 60,
) -> tuple[int, dict[str, str], bytes]:
    """One request to a live server, from a chosen loopback address (127.0.0.2 is another
    client): (status, headers, body)."""
    import http.client
    import urllib.parse

    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parsed.hostname, parsed.port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def sparql_get(url: str, query: str, source: str = "127.0.0.1", **params: str):
    import urllib.parse

    path = "/sparql?" + urllib.parse.urlencode({"query": query, **params})
    return http(url, "GET", path, headers={"Accept": "application/sparql-results+json"},
                source=source)  # fmt: skip


# Reading /proc of a process that exits meanwhile raises one or the other.
PROCESS_GONE = (FileNotFoundError, ProcessLookupError)


def rss_kb(pid: int | None = None) -> int:
    """Resident memory of a process (this one by default), from /proc."""
    import os

    try:
        status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    except PROCESS_GONE:
        return 0  # gone since it was listed
    if "VmRSS:" not in status:
        return 0  # exited, not yet reaped (a worker killed at its memory limit): no memory
    return int(status.split("VmRSS:")[1].split()[0])
