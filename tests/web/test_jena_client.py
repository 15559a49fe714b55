"""Apache Jena's command-line client (Debian libapache-jena-java: arq.rsparql, arq.rupdate)
as a strict SPARQL Protocol client of the live server, and Jena's Graph Store Protocol client
(a single-file Java program, tests/fixtures/GspClient.java) against /store.

The server's answer format is forced with our `format` parameter on the service URL; Jena
parses the answer by its Content-Type and prints it again as SPARQL JSON or N-Triples,
which is compared with the same query run directly on the store.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from conftest import start_live_server

from graph_service.store import Store

JAVA_DIR = Path("/usr/share/java")
GSP_CLIENT = Path(__file__).parents[1] / "fixtures" / "GspClient.java"
# Jena's jars and its dependencies (libapache-jena-java's Depends), one slf4j binding only:
# '/usr/share/java/*' would mix slf4j bindings and fail at start.
JARS = [
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-iri",
    "jena-rdfconnection",
    "jena-dboe-base",
    "jena-tdb",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "protobuf",
    "thrift",
    "titanium-json-ld",
    "slf4j-api",
    "slf4j-nop",
]
PREFIXES = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
SELECT = (
    PREFIXES
    + """SELECT ?wg ?label (COUNT(?meeting) AS ?meetings) WHERE {
  ?wg a untoc:WorkingGroup ; rdfs:label ?label .
  FILTER(lang(?label) = "ru")
  OPTIONAL { ?meeting untoc:meetingOf ?wg }
} GROUP BY ?wg ?label"""
)
CONSTRUCT = (
    PREFIXES
    + """CONSTRUCT { ?wg a untoc:WorkingGroup ; rdfs:label ?label }
WHERE { ?wg a untoc:WorkingGroup ; rdfs:label ?label }"""
)


@pytest.fixture(scope="module")
def jena(tmp_path_factory):
    """A function running a Jena command-line class, returning the finished process."""
    missing = [jar for jar in JARS if not (JAVA_DIR / f"{jar}.jar").exists()]
    assert not missing, f"missing jars {missing}: run scripts/install-system-packages.sh"
    # Debian's jena-core relocates its bundled Xerces to the package `xerces.*` but leaves
    # the message bundles under org/apache/jena/ext/xerces/, and Jena then fails at start
    # with "internal error" in XSSimpleTypeDecl; put the bundles where the classes look.
    resources = tmp_path_factory.mktemp("jena-resources")
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = resources / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    classpath = ":".join([str(resources)] + [str(JAVA_DIR / f"{jar}.jar") for jar in JARS])

    def run(main_class: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["java", "-cp", classpath, main_class, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture()
def query_file(tmp_path):
    def write(text: str) -> str:
        path = tmp_path / "query.rq"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def term_key(term: dict) -> tuple:
    return (
        term["type"].replace("typed-literal", "literal"),
        term["value"],
        term.get("xml:lang", ""),
        term.get("datatype", ""),
    )


def store_rows(store, query: str, plain: bool = False) -> set[tuple]:
    result = store.query(query)
    names = [v.value for v in result.variables]
    rows = set()
    for solution in result:
        row = []
        for name in names:
            term = solution[name]
            if plain:
                row.append(term.value)
            elif isinstance(term, ox.NamedNode):
                row.append(("uri", term.value, "", ""))
            else:
                datatype = term.datatype.value if not term.language else ""
                if datatype == "http://www.w3.org/2001/XMLSchema#string":
                    datatype = ""
                row.append(("literal", term.value, term.language or "", datatype))
        rows.add(tuple(row))
    return rows


def jena_rows(output: str, plain: bool = False) -> set[tuple]:
    body = json.loads(output)
    names = body["head"]["vars"]
    rows = set()
    for binding in body["results"]["bindings"]:
        if plain:
            rows.add(tuple(binding[name]["value"] for name in names))
        else:
            keys = []
            for name in names:
                key = term_key(binding[name])
                if key[3] == "http://www.w3.org/2001/XMLSchema#string":
                    key = key[:3] + ("",)
                keys.append(key)
            rows.add(tuple(keys))
    return rows


@pytest.mark.parametrize(
    ("server_format", "post"),
    [("json", False), ("xml", False), ("tsv", False), ("json", True), ("xml", True)],
)
def test_select_parsed_by_jena(
    jena, live_server, loaded_store, curated_working_groups, query_file, server_format, post
):
    args = [
        "--service",
        f"{live_server.url}/sparql?format={server_format}",
        "--query",
        query_file(SELECT),
        "--results=json",
    ]
    done = jena("arq.rsparql", *args, *(["--post"] if post else []))
    assert done.returncode == 0, done.stderr
    expected = store_rows(loaded_store, SELECT)
    assert len(expected) == len(curated_working_groups)
    assert jena_rows(done.stdout) == expected


def test_select_csv_parsed_by_jena(jena, live_server, loaded_store, query_file):
    # CSV carries no term types, so only the values are compared.
    done = jena(
        "arq.rsparql",
        "--service",
        f"{live_server.url}/sparql?format=csv",
        "--query",
        query_file(SELECT),
        "--results=json",
    )
    assert done.returncode == 0, done.stderr
    assert jena_rows(done.stdout, plain=True) == store_rows(loaded_store, SELECT, plain=True)


@pytest.mark.parametrize(("server_format", "expected"), [("json", True), ("xml", False)])
def test_ask_parsed_by_jena(jena, live_server, query_file, server_format, expected):
    query = PREFIXES + (
        "ASK { ?wg a untoc:WorkingGroup }"
        if expected
        else "ASK { <urn:x:none> a untoc:WorkingGroup }"
    )
    done = jena(
        "arq.rsparql",
        "--service",
        f"{live_server.url}/sparql?format={server_format}",
        "--query",
        query_file(query),
        "--results=json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["boolean"] is expected


@pytest.mark.parametrize("server_format", ["turtle", "ntriples", "rdfxml"])
def test_construct_parsed_by_jena(jena, live_server, loaded_store, query_file, server_format):
    done = jena(
        "arq.rsparql",
        "--service",
        f"{live_server.url}/sparql?format={server_format}",
        "--query",
        query_file(CONSTRUCT),
        "--results=N-TRIPLES",
    )
    assert done.returncode == 0, done.stderr
    parsed = {q.triple for q in ox.parse(done.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)}
    expected = set(loaded_store.query(CONSTRUCT))
    assert len(expected) >= 10
    assert parsed == expected


def test_jena_reports_the_http_error_of_an_impossible_format(jena, live_server, query_file):
    # A CONSTRUCT asked for as CSV: the endpoint's error status reaches Jena (strict mode).
    done = jena(
        "arq.rsparql",
        "--strict",
        "--service",
        f"{live_server.url}/sparql?format=csv",
        "--query",
        query_file(CONSTRUCT),
    )
    assert done.returncode != 0
    assert "406" in done.stdout + done.stderr or "400" in done.stdout + done.stderr


def test_rupdate_is_refused_anonymously(jena, live_server, loaded_store, tmp_path):
    update = tmp_path / "update.ru"
    update.write_text("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 'jena' } }")
    before = loaded_store.stats()["triples"]
    done = jena("arq.rupdate", "--service", f"{live_server.url}/sparql", "--update", str(update))
    assert done.returncode != 0
    assert "403" in done.stdout + done.stderr
    assert loaded_store.stats()["triples"] == before
    assert "urn:x:g" not in loaded_store.named_graphs()


def test_jenas_graph_store_client(jena, test_config, tmp_path):
    """Jena's GSP client (tests/fixtures/GspClient.java) writes with the token and reads back
    (graph, default graph, dataset) on /store; its DELETE cannot carry the token."""
    store = Store(None)
    server = start_live_server(replace(test_config, update_token="jena-token"), store)
    iri = "http://example.org/graphs/jena"
    first = tmp_path / "first.ttl"
    first.write_text('@prefix ex: <http://example.org/> . ex:s ex:p "Вена"@ru ; ex:q [ ex:r 1 ] .')
    more = tmp_path / "more.nt"
    more.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    dataset = tmp_path / "data.trig"
    dataset.write_text(
        "<http://example.org/d> <http://example.org/p> 1 . <urn:x:g> { <urn:x:s> <urn:x:p> 2 }"
    )
    try:
        done = jena(
            str(GSP_CLIENT),
            f"{server.url}/store",
            "jena-token",
            iri,
            str(first),
            str(more),
            str(dataset),
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    sections = dict(
        part.split("\n", 1) if "\n" in part else (part, "") for part in done.stdout.split("== ")[1:]
    )
    assert "anonymous PUT 403" in sections

    def graph(name: str) -> rdflib.Graph:
        return rdflib.Graph().parse(data=sections[name], format="nt")

    assert len(graph("after PUT")) == 3
    assert (None, None, rdflib.Literal("Вена", lang="ru")) in graph("after PUT")
    assert len(graph("after POST")) == 4
    assert "dataset quads 6" in sections  # the graph, and the TriG's two triples
    assert len(graph("default graph")) == 1
    # Jena 4.5's GSP client sends no extra headers with DELETE: the token never arrives.
    assert "DELETE 403" in sections
    assert rdflib.compare.isomorphic(graph("after DELETE"), graph("after POST"))
    assert store.named_graphs() == [iri, "urn:x:g"]
