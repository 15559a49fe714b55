"""The app on a remote store (`KG_STORE=http://...`), on each of two real engines started on
127.0.0.1 (tests/remote_engines.py): the Oxigraph server and Virtuoso. Reads are compared
with the same app on the embedded store holding the same curated sources; writes go
through the same validation; several app processes share one engine.
docs/remote-engines.md, docs/decisions/0009-remote-engines.md."""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from conftest import BASE, free_port
from remote_engines import TOKEN

from graph_service.config import PROJECT_ROOT
from graph_service.store.remote.lock import LOCK_GRAPH, EngineLock, WriterBusy
from graph_service.store.remote.store import STATE_GRAPH
from graph_service.web.app import create_app

AUTH = {"Authorization": f"Bearer {TOKEN}"}
EX = "http://example.org/test#"
UNTOC = f"{BASE}ontology#"
SCRATCH = f"{BASE}graph/test-remote-scratch"
JSON_RESULTS = "application/sparql-results+json"
NOTE = PROJECT_ROOT / "tests" / "ingest" / "fixtures" / "cop13-subsidiary-bodies-note.en.md"
NOTE_GRAPH = f"{BASE}graph/cop13-subsidiary-bodies-note"


@pytest.fixture(scope="session")
def remote_app(engine):
    return create_app(replace(engine.config, update_token=TOKEN))


@pytest.fixture()
def remote(remote_app):
    return remote_app.test_client()


@pytest.fixture()
def scratch(engine):
    """SCRATCH is dropped after the test, whatever it did."""
    yield SCRATCH
    engine.store().drop_graph(SCRATCH)


def quads(body: bytes, rdf_format: ox.RdfFormat) -> list[ox.Quad]:
    return list(ox.parse(body, rdf_format))


def same_rdf(a: bytes, b: bytes, rdf_format: ox.RdfFormat) -> bool:
    """The same statements, blank nodes compared by structure (rdflib's isomorphism)."""

    def graph(body: bytes) -> rdflib.Graph:
        triples = [q.triple for q in quads(body, rdf_format)]
        text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        return rdflib.Graph().parse(data=text, format="nt")

    return rdflib.compare.isomorphic(graph(a), graph(b))


def same_quads(a: bytes, b: bytes, rdf_format: ox.RdfFormat) -> bool:
    """The same number of statements, and the same ones among those without a blank node
    (a whole dataset is too large for rdflib's isomorphism to be quick)."""
    first, second = quads(a, rdf_format), quads(b, rdf_format)

    def plain(items):
        return {
            q
            for q in items
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        }

    return len(first) == len(second) and plain(first) == plain(second)


def links(html: bytes) -> collections.Counter:
    """What a page shows and links to, in any order (an engine may list rows in another
    order where the query does not sort them)."""
    text = html.decode()
    return collections.Counter(re.findall(r'href="([^"]*)"', text)) + collections.Counter(
        re.findall(r"<bdi>([^<]*)</bdi>", text)
    )


def solutions(body: bytes) -> collections.Counter:
    parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    names = [v.value for v in parsed.variables]
    return collections.Counter(tuple(str(s[n]) for n in names) for s in parsed)


# Reading: the same answers as the embedded store

HTML_PAGES = [
    "/",
    "/graph/",
    "/search?q=working",
    "/coverage",
    "/calendar",
    "/ontology",
    "/shapes",
    "/id/body/cop",
    "/id/body/wg-tip",
    "/id/session/cop-4",
    "/id/decision/cop-4-4",
    "/id/document/ctoc-cop-wg.4-2010-6",
]
RDF_PAGES = ["/ontology", "/shapes", "/id/body/cop", "/id/session/cop-4", "/void"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_pages_show_what_the_embedded_store_shows(client, remote, path):
    expected = client.get(path)
    got = remote.get(path)
    assert got.status_code == expected.status_code == 200
    assert links(got.data) == links(expected.data)


@pytest.mark.parametrize("path", RDF_PAGES)
def test_rdf_of_pages_and_void_is_the_same(client, remote, path):
    expected = client.get(path, headers={"Accept": "text/turtle"})
    got = remote.get(path, headers={"Accept": "text/turtle"})
    assert got.status_code == expected.status_code == 200
    assert got.mimetype == "text/turtle"
    # VoID's many blank nodes (partitions) make rdflib's isomorphism slow: counted instead
    same = same_quads if path == "/void" else same_rdf
    assert same(got.data, expected.data, ox.RdfFormat.TURTLE)


def test_coverage_json_and_sitemap_are_the_same(client, remote):
    assert (
        remote.get("/coverage?format=json").get_json()
        == client.get("/coverage?format=json").get_json()
    )
    sitemap = re.compile(r"<loc>([^<]*)</loc>")
    assert sorted(sitemap.findall(remote.get("/sitemap.xml").data.decode())) == sorted(
        sitemap.findall(client.get("/sitemap.xml").data.decode())
    )


def test_a_graph_page_lists_subjects_of_the_graph(remote, loaded_store):
    """Which subjects come first is the engine's index order (the query does not sort)."""
    graph = f"{BASE}graph/cop12-subsidiary-bodies-note"
    page = remote.get("/graph/cop12-subsidiary-bodies-note")
    assert page.status_code == 200
    shown = {BASE + h[1:] for h in re.findall(r'href="(/id/[^"#]*)"', page.data.decode())}
    subjects = {q.subject.value for q in loaded_store.quads(graph)}
    assert shown and shown <= subjects


def test_a_resource_page_shows_the_blank_nodes_it_reaches(engine, remote, scratch):
    """Blank nodes cannot be named in a second query: one CONSTRUCT reads them all."""
    first, second = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(ox.NamedNode(f"{BASE}id/test/x"), ox.NamedNode(f"{EX}p"), first),
        ox.Triple(first, ox.NamedNode(f"{EX}q"), second),
        ox.Triple(second, ox.NamedNode(f"{EX}r"), ox.Literal("deep")),
    ]
    engine.store().replace_graphs({scratch: triples})
    page = remote.get("/id/test/x", headers={"Accept": "application/n-triples"})
    assert page.status_code == 200
    values = {q.object.value for q in quads(page.data, ox.RdfFormat.N_TRIPLES)}
    assert "deep" in values


def test_a_missing_resource_is_a_404(remote):
    assert remote.get("/id/body/no-such-body").status_code == 404


def test_health_counts_the_apps_graphs_only(remote_app, remote, loaded_store):
    aggregates = remote_app.extensions["kg"].aggregates
    aggregates.get("graph-sizes")  # counted off the request path, by the engine's marker
    assert aggregates.settle(60)
    body = remote.get("/health").get_json()
    assert isinstance(body.pop("process"), int)  # the serving process that answered
    stats = loaded_store.stats()
    assert body == {
        "status": "ok",
        "store": "remote",
        "triples": stats["triples"],
        "graphs": len(stats["graphs"]),
        "counts_current": True,
    }


def test_every_dump_holds_the_same_statements(client, remote):
    index = client.get("/dumps/").data.decode()
    names = sorted(set(re.findall(r'href="[^"]*/dumps/([^"?#/]+)"', index)))
    assert names
    for name in names:
        expected, got = client.get(f"/dumps/{name}"), remote.get(f"/dumps/{name}")
        assert got.status_code == expected.status_code == 200, name
        rdf_format = ox.RdfFormat.from_media_type(got.mimetype)
        if rdf_format is None:  # the index of the dumps, a checksum file
            continue
        assert same_quads(got.data, expected.data, rdf_format), name


# The SPARQL endpoint

COUNT_PER_CLASS = """SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class }
GROUP BY ?class"""


def test_select_in_json_and_csv(client, remote):
    headers = {"Accept": JSON_RESULTS}
    expected = client.post("/sparql", data={"query": COUNT_PER_CLASS}, headers=headers)
    got = remote.post("/sparql", data={"query": COUNT_PER_CLASS}, headers=headers)
    assert got.status_code == 200 and got.mimetype == JSON_RESULTS
    assert solutions(got.data) == solutions(expected.data)
    csv = remote.get("/sparql", query_string={"query": COUNT_PER_CLASS, "format": "csv"})
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert len(csv.data.decode().strip().splitlines()) == len(solutions(expected.data)) + 1


def test_ask_and_construct(remote):
    ask = remote.get(
        "/sparql",
        query_string={"query": f"ASK {{ <{BASE}id/body/cop> ?p ?o }}"},
        headers={"Accept": JSON_RESULTS},
    )
    assert ask.get_json()["boolean"] is True
    construct = remote.get(
        "/sparql",
        query_string={"query": f"CONSTRUCT WHERE {{ <{BASE}id/body/cop> a ?t }}"},
        headers={"Accept": "text/turtle"},
    )
    assert construct.mimetype == "text/turtle"
    assert {q.object.value for q in quads(construct.data, ox.RdfFormat.TURTLE)} >= {
        f"{UNTOC}ConferenceOfTheParties"
    }


def test_named_graphs_are_the_apps_only(remote, loaded_store):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    got = remote.post("/sparql", data={"query": query}, headers={"Accept": JSON_RESULTS})
    graphs = {row[0].strip("<>") for row in solutions(got.data)}
    assert graphs == set(loaded_store.named_graphs())
    assert STATE_GRAPH.value not in graphs and LOCK_GRAPH.value not in graphs


def test_dataset_of_the_request(remote, loaded_store):
    ontology = f"{BASE}graph/ontology"
    got = remote.post(
        "/sparql",
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": ontology},
        headers={"Accept": JSON_RESULTS},
    )
    (row,) = solutions(got.data)
    assert int(ox.Literal(row[0].split('"')[1]).value) == loaded_store.stats()["graphs"][ontology]


def test_row_limit_and_malformed_query(engine):
    app = create_app(replace(engine.config, max_result_rows=5))
    client = app.test_client()
    cut = client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": JSON_RESULTS},
    )
    assert cut.status_code == 200
    assert cut.headers["X-SPARQL-MaxRows"] == "5"
    assert sum(solutions(cut.data).values()) == 5
    bad = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p"})
    assert bad.status_code == 400


# Validation of posted data reads the store's shapes

VIOLATING = f"""<{BASE}id/document/ctoc-cop-2024-1> a <{UNTOC}Document> ;
  <{UNTOC}documentSymbol> "\u0421\u0422\u041e\u0421/\u0421\u041e\u0420/2024/1" ."""


def test_validate_gives_the_same_report(client, remote):
    def report(app_client):
        response = app_client.post(
            "/validate",
            data=VIOLATING,
            content_type="text/turtle",
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 200
        return response.get_json()

    expected = report(client)
    assert expected["conforms"] is False
    assert report(remote) == expected


# Writing: validated, visible to every process, all or nothing


def count_in(store, graph: str) -> int:
    return store.stats()["graphs"].get(graph, 0)


def test_an_update_is_validated_and_seen_by_another_process(engine, remote, scratch):
    other = engine.store()  # another app process in front of the same engine
    before = other.stats()["triples"]
    insert = f"INSERT DATA {{ GRAPH <{scratch}> {{ <{EX}x> a <{EX}Thing> ; <{EX}n> 1 }} }}"
    assert remote.post("/sparql", data={"update": insert}).status_code == 403
    done = remote.post("/sparql", data={"update": insert}, headers=AUTH)
    assert done.status_code == 204, done.data
    assert count_in(other, scratch) == 2
    assert other.stats()["triples"] == before + 2

    broken = (
        f"INSERT DATA {{ GRAPH <{scratch}> {{ <{BASE}id/body/wg-new> a <{UNTOC}WorkingGroup> }} }}"
    )
    refused = remote.post("/sparql", data={"update": broken}, headers=AUTH)
    assert refused.status_code == 422
    assert "violates the shapes" in refused.get_data(as_text=True)
    assert other.stats()["triples"] == before + 2

    delete = f"DELETE DATA {{ GRAPH <{scratch}> {{ <{EX}x> <{EX}n> 1 }} }}"
    assert remote.post("/sparql", data={"update": delete}, headers=AUTH).status_code == 204
    assert count_in(other, scratch) == 1


def test_cached_pages_follow_writes_of_another_process(engine, remote, scratch):
    """A page cached by this process is answered afresh once another process wrote."""
    assert remote.get(f"/graph/{scratch.rsplit('/', 1)[1]}").status_code == 404
    engine.store().replace_graphs(
        {scratch: [ox.Triple(ox.NamedNode(f"{EX}y"), ox.NamedNode(f"{EX}p"), ox.Literal("v"))]}
    )
    assert remote.get(f"/graph/{scratch.rsplit('/', 1)[1]}").status_code == 200


def test_graph_store_put_post_get_delete(engine, remote, scratch):
    at = "/store?" + urllib.parse.urlencode({"graph": scratch})
    turtle = {"content_type": "text/turtle", "headers": AUTH}
    created = remote.put(at, data=f"<{EX}s> <{EX}p> 1 ; <{EX}q> [ <{EX}r> 2 ] .", **turtle)
    assert created.status_code == 201, created.data
    assert remote.post(at, data=f"<{EX}s> <{EX}p> 2 .", **turtle).status_code == 204
    got = remote.get(at, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    assert len(quads(got.data, ox.RdfFormat.N_TRIPLES)) == 4
    assert count_in(engine.store(), scratch) == 4
    assert remote.delete(at, headers=AUTH).status_code == 204
    assert remote.get(at).status_code == 404
    assert not engine.store().contains_graph(scratch)


@pytest.mark.parametrize("where", ["graph=http://example.org/graphs/new", "default"])
def test_a_graph_outside_the_base_iri_is_refused(engine, remote, where):
    before = engine.store().stats()
    refused = remote.put(
        f"/store?{where}", data=f"<{EX}s> <{EX}p> 1 .", content_type="text/turtle", headers=AUTH
    )
    assert refused.status_code == 400
    assert "named graphs under" in refused.get_data(as_text=True)
    assert engine.store().stats() == before


def test_staging_graphs_are_gone_after_a_write(engine, scratch):
    store = engine.store()
    store.replace_graphs(
        {scratch: [ox.Triple(ox.NamedNode(f"{EX}z"), ox.NamedNode(f"{EX}p"), ox.Literal("1"))]}
    )
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not [r for r in rows if r["g"].value.startswith("urn:x-untoc:store:staging:")]


# One writer at a time across processes


def test_a_second_writer_waits_for_the_first(engine):
    first, second = engine.store(), engine.store()
    with first.lock.held():
        with pytest.raises(WriterBusy) as busy:
            with EngineLock(second.client, wait=0.2).held():
                pass
        assert busy.value.status == 503
    with EngineLock(second.client, wait=5).held():
        pass


def test_a_dead_writers_entry_is_cleared(engine):
    store = engine.store()
    dead = ox.NamedNode("urn:x-untoc:store:writer:dead")
    store.client.update(
        f"INSERT DATA {{ GRAPH <{LOCK_GRAPH.value}> {{ <{dead.value}> "
        '<urn:x-untoc:store:since> "2000-01-01T00:00:00Z"^^'
        "<http://www.w3.org/2001/XMLSchema#dateTime> } }"
    )
    with EngineLock(store.client, wait=5).held():
        pass
    rows = store.select(f"SELECT * WHERE {{ GRAPH <{LOCK_GRAPH.value}> {{ ?w ?p ?o }} }}")
    assert rows == []


# The kg commands


def test_kg_query_export_validate_coverage(engine, capsys, loaded_store):
    code, out, err = engine.kg(capsys, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert (code, err) == (0, "")
    assert str(loaded_store.stats()["triples"]) in out

    code, out, err = engine.kg(capsys, "export", "--format", "nquads")
    assert code == 0
    assert same_quads(out.encode(), loaded_store.export(), ox.RdfFormat.N_QUADS)

    code, out, err = engine.kg(
        capsys, "validate", PROJECT_ROOT / "data" / "cop12-subsidiary-bodies-note.trig"
    )
    assert code == 0 and "Conforms" in out + err

    code, out, err = engine.kg(capsys, "coverage")
    assert code == 0 and "Conference of the Parties" in out


def test_kg_load_replaces_a_graph(engine, capsys, loaded_store):
    code, out, err = engine.kg(
        capsys, "load", PROJECT_ROOT / "data" / "cop12-subsidiary-bodies-note.trig"
    )
    assert code == 0, err
    assert "validated and loaded into http://127.0.0.1:" in out
    assert engine.store().stats() == loaded_store.stats()


def test_kg_ingest_loads_a_note(engine, capsys):
    try:
        code, out, err = engine.kg(capsys, "ingest", NOTE, "--load")
        assert (code, err) == (0, "")
        assert f"loaded <{NOTE_GRAPH}>" in out
        store = engine.store()
        assert store.contains_graph(NOTE_GRAPH)
        note = ox.NamedNode(f"{BASE}id/document/cop13-subsidiary-bodies-note")
        assert list(store.quads_for_pattern(note, None, None, ox.NamedNode(NOTE_GRAPH)))
    finally:
        engine.store().drop_graph(NOTE_GRAPH)


# Several stateless `kg serve` processes in front of one engine


def serve(engine, port: int) -> subprocess.Popen:
    env = {**os.environ, **engine.env, "KG_UPDATE_TOKEN": TOKEN, "KG_PORT": str(port)}
    return subprocess.Popen(
        [sys.executable, "-m", "graph_service", "serve", "--threads", "4"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def test_two_serving_processes_share_one_engine(engine, scratch):
    ports = [free_port(), free_port()]
    processes = [serve(engine, port) for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for(f"http://127.0.0.1:{port}/health", process)
        first, second = (f"http://127.0.0.1:{port}" for port in ports)
        graph_page = f"{second}/graph/{scratch.rsplit('/', 1)[1]}"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(graph_page, timeout=30)
        assert missing.value.code == 404
        update = f"INSERT DATA {{ GRAPH <{scratch}> {{ <{EX}w> a <{EX}Thing> }} }}"
        request = urllib.request.Request(
            f"{first}/sparql",
            data=urllib.parse.urlencode({"update": update}).encode(),
            headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 204
        with urllib.request.urlopen(f"{second}/health", timeout=30) as response:
            health = json.load(response)
        assert health["store"] == "remote"
        with urllib.request.urlopen(graph_page, timeout=30) as response:
            assert response.status == 200
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
            if process.stderr:
                process.stderr.close()


def test_no_folder_named_http_is_made(engine, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = engine.kg(capsys, "query", "ASK {}")
    assert code == 0
    assert list(Path(tmp_path).iterdir()) == []
