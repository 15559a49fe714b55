"""/sparql through the Flask test client: methods, formats, negotiation, errors, CORS, updates,
limits. The time limit is tested on a live waitress server with a deliberately slow store."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from conftest import BASE, LiveServer

from graph_service.sparql.update_dataset import DatasetConflict, add_using_clauses
from graph_service.store import Store
from graph_service.web.app import create_app

UNTOC = BASE + "ontology#"
# DISTINCT: a body restated in several source graphs is matched once per graph in the union
# default graph (Oxigraph 0.5, docs/sparql.md, "Known limitations").
WG_QUERY = f"SELECT DISTINCT ?wg WHERE {{ ?wg a <{UNTOC}WorkingGroup> }} ORDER BY ?wg"
WG_CONSTRUCT = f"CONSTRUCT WHERE {{ ?wg a <{UNTOC}WorkingGroup> }}"
WG_ASK = f"ASK {{ <{BASE}id/body/wg-tip> a <{UNTOC}WorkingGroup> }}"
EX = "http://example.org/test#"
TOKEN_HEADER = {"Authorization": "Bearer test-update-token"}
SOLUTION_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@pytest.fixture(scope="module")
def working_groups(loaded_store, curated_working_groups) -> list[str]:
    """The working groups as the store itself answers, the reference for every format."""
    found = [row["wg"].value for row in loaded_store.query(WG_QUERY)]
    assert set(found) == curated_working_groups
    return found


def fresh_app(test_config, **overrides):
    """An app on its own small in-memory store, for tests that write or need other limits.
    Its resources are of a class no shape targets, so updates on them conform."""
    store = Store(None)
    store.update(
        f"INSERT DATA {{ GRAPH <{BASE}graph/a> {{ <{BASE}id/x> a <{EX}Thing> }} "
        f"GRAPH <{BASE}graph/b> {{ <{BASE}id/y> a <{EX}Thing> }} }}"
    )
    return create_app(replace(test_config, **overrides), store=store), store


class Canary:
    """An HTTP server on 127.0.0.1 that records every request it gets (and answers 404)."""

    def __init__(self):
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(f"{self.command} {self.path}")
                self.send_error(404)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"

    def start(self) -> Canary:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wg_iris_from_json(body: bytes) -> list[str]:
    return [b["wg"]["value"] for b in json.loads(body)["results"]["bindings"]]


# Query methods


def test_get_query_answers_sparql_json(client, working_groups):
    response = client.get("/sparql", query_string={"query": WG_QUERY})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    assert wg_iris_from_json(response.data) == working_groups


def test_post_form_query(client, working_groups):
    response = client.post("/sparql", data={"query": WG_QUERY})
    assert response.status_code == 200
    assert wg_iris_from_json(response.data) == working_groups


def test_post_direct_query(client, working_groups):
    response = client.post(
        "/sparql", data=WG_QUERY.encode(), content_type="application/sparql-query"
    )
    assert response.status_code == 200
    assert wg_iris_from_json(response.data) == working_groups


def test_head_answers_like_get_without_body(client):
    response = client.head("/sparql", query_string={"query": WG_ASK})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert response.data == b""


# Result formats, by Accept and by format=


@pytest.mark.parametrize("media_type", list(SOLUTION_FORMATS))
def test_select_formats_parse_to_the_store_result(client, working_groups, media_type):
    response = client.get(
        "/sparql", query_string={"query": WG_QUERY}, headers={"Accept": media_type}
    )
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    parsed = ox.parse_query_results(response.data, format=SOLUTION_FORMATS[media_type])
    assert [row["wg"].value for row in parsed] == working_groups


def test_select_csv(client, working_groups):
    response = client.get("/sparql", query_string={"query": WG_QUERY, "format": "csv"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["wg"]
    assert [r[0] for r in rows[1:]] == working_groups


@pytest.mark.parametrize(
    ("format_param", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("tsv", "text/tab-separated-values"),
        ("text/csv", "text/csv"),
    ],
)
def test_format_parameter_overrides_accept(client, format_param, media_type):
    response = client.get(
        "/sparql",
        query_string={"query": WG_QUERY, "format": format_param},
        headers={"Accept": "application/sparql-results+xml;q=0.1"},
    )
    assert response.status_code == 200
    assert response.mimetype == media_type


@pytest.mark.parametrize(
    "media_type", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_formats(client, media_type):
    response = client.get("/sparql", query_string={"query": WG_ASK}, headers={"Accept": media_type})
    assert response.mimetype == media_type
    parsed = ox.parse_query_results(response.data, format=SOLUTION_FORMATS[media_type])
    assert bool(parsed) is True


@pytest.mark.parametrize("media_type", list(GRAPH_FORMATS))
def test_construct_formats_parse_to_the_store_graph(
    client, loaded_store, curated_working_groups, media_type
):
    response = client.post("/sparql", data={"query": WG_CONSTRUCT}, headers={"Accept": media_type})
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    parsed = {q.triple for q in ox.parse(response.data, format=GRAPH_FORMATS[media_type])}
    assert parsed == set(loaded_store.query(WG_CONSTRUCT))
    assert len(parsed) == len(curated_working_groups)


@pytest.mark.parametrize(
    ("alias", "media_type"),
    [
        ("turtle", "text/turtle"),
        ("ttl", "text/turtle"),
        ("ntriples", "application/n-triples"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
        ("json", "application/ld+json"),
    ],
)
def test_graph_format_aliases(client, alias, media_type):
    response = client.get("/sparql", query_string={"query": WG_CONSTRUCT, "format": alias})
    assert response.mimetype == media_type


def test_describe_answers_turtle_by_default(client, loaded_store):
    query = f"DESCRIBE <{BASE}id/body/wg-tip>"
    response = client.get("/sparql", query_string={"query": query})
    assert response.mimetype == "text/turtle"
    parsed = {q.triple for q in ox.parse(response.data, format=ox.RdfFormat.TURTLE)}
    assert parsed == set(loaded_store.query(query))


def test_browser_accept_without_html_gets_xml_results(client):
    # A browser's Accept gets the query page (tests/test_query_this.py); without text/html
    # the XML it ranks next is sent.
    accept = "application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", query_string={"query": WG_QUERY}, headers={"Accept": accept})
    assert response.mimetype == "application/xml"


def test_our_result_serialisers_agree_with_pyoxigraph(client, loaded_store):
    query = (
        "SELECT ?iri ?plain ?lang ?typed ?unbound WHERE { VALUES (?iri ?plain ?lang ?typed) "
        '{ (<http://example.org/a?b=c&d> "tab\\there, \\"quoted\\"\\n<x>" "Вена"@ru '
        '"2024-07-04"^^<http://www.w3.org/2001/XMLSchema#date>) '
        '(<http://example.org/b> "" "x"@en-GB 3.5) } }'
    )
    for media_type, results_format in SOLUTION_FORMATS.items():
        ours = client.get(
            "/sparql", query_string={"query": query}, headers={"Accept": media_type}
        ).data
        theirs = loaded_store.query(query).serialize(format=results_format)
        parsed = [list(row) for row in ox.parse_query_results(ours, format=results_format)]
        expected = [list(row) for row in ox.parse_query_results(theirs, format=results_format)]
        assert parsed == expected, media_type


# Dataset parameters


def test_default_graph_uri_restricts_the_default_graph(client, loaded_store):
    ontology_graph = f"{BASE}graph/ontology"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    restricted = client.get(
        "/sparql", query_string={"query": query, "default-graph-uri": ontology_graph}
    )
    union = client.get("/sparql", query_string={"query": query})
    count = int(json.loads(restricted.data)["results"]["bindings"][0]["n"]["value"])
    total = int(json.loads(union.data)["results"]["bindings"][0]["n"]["value"])
    assert count == loaded_store.stats()["graphs"][ontology_graph]
    assert total == loaded_store.stats()["triples"]


def test_named_graph_uri_restricts_graph_patterns(client):
    note_graph = f"{BASE}graph/cop12-subsidiary-bodies-note"
    response = client.post(
        "/sparql?named-graph-uri=" + urllib.parse.quote(note_graph, safe=""),
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
    )
    graphs = [b["g"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert graphs == [note_graph]


# Errors


def test_malformed_query_gives_400_with_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "malformed query: error at 1:" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_give_405(client, method):
    response = client.open("/sparql", method=method, data="ASK {}")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_unknown_post_content_type_gives_415(client):
    response = client.post("/sparql", data="ASK {}", content_type="text/plain")
    assert response.status_code == 415
    assert "application/sparql-query" in response.get_data(as_text=True)


def test_post_without_content_type_gives_400(client):
    response = client.post("/sparql", data=b"query=ASK%20%7B%7D")
    assert response.status_code == 400


def test_non_utf8_body_is_refused(client):
    response = client.post(
        "/sparql",
        data="ASK {}".encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert response.status_code == 415


def test_two_queries_give_400(client):
    response = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400


def test_query_and_update_together_give_400(client):
    response = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert response.status_code == 400


@pytest.mark.parametrize("accept", ["image/png", "application/sparql-results+json;q=0"])
def test_nothing_acceptable_gives_406(client, accept):
    response = client.get("/sparql", query_string={"query": WG_QUERY}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "text/csv" in response.get_data(as_text=True)


def test_csv_is_not_offered_for_ask(client):
    response = client.get("/sparql", query_string={"query": WG_ASK, "format": "csv"})
    assert response.status_code == 406


def test_graph_formats_are_not_offered_for_select(client):
    response = client.get(
        "/sparql", query_string={"query": WG_QUERY}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 406


# CORS


def test_cors_header_on_answers_and_errors(client):
    for response in (
        client.get("/sparql", query_string={"query": WG_ASK}),
        client.get("/sparql", query_string={"query": "ASK {"}),
        client.put("/sparql"),
        client.get("/sparql"),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(client):
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    for header in ("content-type", "accept", "authorization"):
        assert header in allowed


# Service description and query page


def test_plain_get_gives_the_service_description(client, loaded_store):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = set(ox.parse(response.data, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    objects = {(t.predicate.value, t.object.value) for t in graph}
    assert (sd + "endpoint", "http://localhost/sparql") in objects
    assert (sd + "supportedLanguage", sd + "SPARQL11Query") in objects
    assert (sd + "feature", sd + "UnionDefaultGraph") in objects
    assert (sd + "feature", sd + "BasicFederatedQuery") in objects
    names = {t.object.value for t in graph if t.predicate.value == sd + "name"}
    assert names == set(loaded_store.named_graphs())


def test_update_language_is_announced_only_with_a_token(test_config):
    sd_update = "http://www.w3.org/ns/sparql-service-description#SPARQL11Update"

    def languages(app) -> set[str]:
        body = app.test_client().get("/sparql").data
        return {
            q.object.value
            for q in ox.parse(body, format=ox.RdfFormat.TURTLE)
            if q.predicate.value.endswith("#supportedLanguage")
        }

    assert sd_update in languages(fresh_app(test_config)[0])
    assert sd_update not in languages(fresh_app(test_config, update_token=None)[0])


def test_service_description_in_rdf_xml_by_conneg(client):
    response = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert response.mimetype == "application/rdf+xml"
    assert len(list(ox.parse(response.data, format=ox.RdfFormat.RDF_XML))) > 10


def test_html_accept_without_query_gets_the_query_page(client):
    response = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"


# Updates: read-only unless the token is presented


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "test-update-token"}]
)
def test_updates_are_refused_without_the_token(test_config, headers):
    app, store = fresh_app(test_config)
    before = store.stats()
    client = app.test_client()
    form = client.post("/sparql", data={"update": "CLEAR ALL"}, headers=headers)
    direct = client.post(
        "/sparql", data="CLEAR ALL", content_type="application/sparql-update", headers=headers
    )
    assert form.status_code == direct.status_code == 403
    assert "Authorization: Bearer" in form.get_data(as_text=True)
    assert store.stats() == before


def test_updates_are_refused_when_no_token_is_configured(test_config):
    app, store = fresh_app(test_config, update_token=None)
    response = app.test_client().post("/sparql", data={"update": "CLEAR ALL"}, headers=TOKEN_HEADER)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert store.stats()["triples"] == 2


def test_update_with_the_token_runs(test_config):
    app, store = fresh_app(test_config)
    client = app.test_client()
    insert = f"INSERT DATA {{ GRAPH <{BASE}graph/c> {{ <{BASE}id/z> a <{EX}Thing> }} }}"
    assert client.post("/sparql", data={"update": insert}, headers=TOKEN_HEADER).status_code == 204
    assert store.stats()["graphs"][f"{BASE}graph/c"] == 1
    response = client.post(
        "/sparql",
        data=f"DROP GRAPH <{BASE}graph/a>",
        content_type="application/sparql-update",
        headers=TOKEN_HEADER,
    )
    assert response.status_code == 204
    assert f"{BASE}graph/a" not in store.named_graphs()


def test_update_sent_as_query_gives_400_and_query_as_update_too(test_config):
    app, store = fresh_app(test_config)
    client = app.test_client()
    as_query = client.get("/sparql", query_string={"query": "CLEAR ALL"})
    as_update = client.post(
        "/sparql", data={"update": "SELECT * WHERE { ?s ?p ?o }"}, headers=TOKEN_HEADER
    )
    assert as_query.status_code == 400
    assert as_update.status_code == 400
    assert "malformed update" in as_update.get_data(as_text=True)
    assert store.stats()["triples"] == 2


def test_update_via_get_gives_400(test_config):
    app, store = fresh_app(test_config)
    response = app.test_client().get(
        "/sparql", query_string={"update": "CLEAR ALL"}, headers=TOKEN_HEADER
    )
    assert response.status_code == 400
    assert store.stats()["triples"] == 2


def test_load_never_runs_for_anonymous_callers(test_config):
    canary = Canary().start()
    try:
        app, _ = fresh_app(test_config)
        client = app.test_client()
        load = f"LOAD <http://127.0.0.1:{canary.port}/data.ttl> INTO GRAPH <{BASE}graph/x>"
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            assert client.post("/sparql", data={"update": load}, headers=headers).status_code == 403
            assert (
                client.post(
                    "/sparql", data=load, content_type="application/sparql-update", headers=headers
                ).status_code
                == 403
            )
        assert canary.hits == []
        # With the token, LOAD still reads only from its own allow-list (KG_LOAD_SOURCES).
        refused = client.post("/sparql", data={"update": load}, headers=TOKEN_HEADER)
        assert refused.status_code == 403 and "allow-list" in refused.get_data(as_text=True)
        assert canary.hits == []
        # The control: a listed source is read.
        listed = replace(test_config, load_sources=(f"http://127.0.0.1:{canary.port}/",))
        app, _ = fresh_app(listed)
        app.test_client().post("/sparql", data={"update": load}, headers=TOKEN_HEADER)
        assert len(canary.hits) == 1
    finally:
        canary.stop()


def test_using_graph_uri_becomes_using_clauses(test_config):
    app, store = fresh_app(test_config)
    update = (
        f"INSERT {{ GRAPH <{BASE}graph/copy> {{ ?s a <{UNTOC}Copied> }} }} "
        f"WHERE {{ ?s a <{EX}Thing> }}"
    )
    response = app.test_client().post(
        "/sparql?using-graph-uri=" + urllib.parse.quote(f"{BASE}graph/a", safe=""),
        data=update,
        content_type="application/sparql-update",
        headers=TOKEN_HEADER,
    )
    assert response.status_code == 204
    copied = [q.subject.value for q in store.quads(f"{BASE}graph/copy")]
    assert copied == [f"{BASE}id/x"]


def test_add_using_clauses_skips_strings_comments_and_delete_where():
    update = (
        "PREFIX ex: <http://ex/#where> # WHERE in a comment\n"
        'DELETE WHERE { ?s ?p "WHERE {" } ;\n'
        "INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o FILTER(?o < 3) }"
    )
    rewritten = add_using_clauses(update, ("http://g/1",), ("http://g/2",))
    assert rewritten.count("USING <http://g/1> USING NAMED <http://g/2> WHERE") == 1
    assert rewritten.replace("USING <http://g/1> USING NAMED <http://g/2> ", "") == update
    ox.Store().update(rewritten)  # still a valid update


def test_using_graph_uri_with_a_with_clause_is_refused(test_config):
    with pytest.raises(DatasetConflict):
        add_using_clauses(
            "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ("http://h",), ()
        )
    app, _ = fresh_app(test_config)
    response = app.test_client().post(
        "/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        data="WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        content_type="application/sparql-update",
        headers=TOKEN_HEADER,
    )
    assert response.status_code == 400


# Limits and the federation hook


def test_query_length_limit(test_config):
    app, _ = fresh_app(test_config, max_query_length=50)
    client = app.test_client()
    long_query = "SELECT * WHERE { ?s ?p ?o } " + "#" * 60
    assert client.get("/sparql", query_string={"query": long_query}).status_code == 414
    response = client.post("/sparql", data={"query": long_query})
    assert response.status_code == 413
    assert "the limit is 50" in response.get_data(as_text=True)
    assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200


def test_the_row_limit_is_signalled_never_silent(client, test_config):
    """Past the row limit the first rows are answered, and the header says so, as Virtuoso
    does (a federating engine can page with LIMIT and OFFSET)."""
    app = create_app(
        replace(test_config, max_result_rows=3), store=client.application.extensions["kg"].store
    )
    small = app.test_client()
    cut = small.get(
        "/sparql",
        query_string={"query": WG_QUERY},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert cut.status_code == 200 and cut.headers["X-SPARQL-MaxRows"] == "3"
    assert len(cut.get_json()["results"]["bindings"]) == 3
    paged = small.get("/sparql", query_string={"query": WG_QUERY + " LIMIT 3"})
    assert paged.status_code == 200 and "X-SPARQL-MaxRows" not in paged.headers
    triples = small.get("/sparql", query_string={"query": WG_CONSTRUCT, "format": "nt"})
    assert triples.headers["X-SPARQL-MaxRows"] == "3"
    assert len(triples.get_data(as_text=True).strip().splitlines()) == 3


def test_service_outside_the_allow_list_is_refused_before_any_request(client):
    canary = Canary().start()
    try:
        query = f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}"
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 403
        assert canary.url in response.get_data(as_text=True)
        assert canary.hits == []
    finally:
        canary.stop()


# The time limit, on a live server


SLOW_QUERY = """SELECT ?a ?b ?c WHERE {
  ?a <http://example.org/n> ?x . ?b <http://example.org/n> ?y . ?c <http://example.org/n> ?z .
  FILTER(?x + ?y + ?z = 1000)
}"""


@pytest.fixture(scope="module")
def slow_server(test_config):
    """A server whose store makes SLOW_QUERY run for minutes (a 400^3 cartesian product)."""
    store = Store(None)
    store.oxigraph.extend(
        [
            ox.Quad(
                ox.NamedNode(f"http://example.org/r{i}"),
                ox.NamedNode("http://example.org/n"),
                ox.Literal(i),
                ox.NamedNode("http://example.org/g"),
            )
            for i in range(400)
        ]
    )
    app = create_app(replace(test_config, query_timeout=1.5), store=store)
    server = LiveServer(app).start()
    server.app = app
    yield server
    server.stop()


def http_get(url: str, query: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url + "/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_slow_query_times_out_while_others_are_served(slow_server):
    runner_app = slow_server.app
    slow_answer: dict = {}

    def slow_call():
        slow_answer["response"] = http_get(slow_server.url, SLOW_QUERY)

    slow_thread = threading.Thread(target=slow_call)
    slow_thread.start()
    for _ in range(200):  # until the slow query is being evaluated
        runner = runner_app.extensions["kg"].runner
        if runner is not None and runner.running:
            break
        time.sleep(0.01)
    status, body = http_get(slow_server.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    served_meanwhile = "response" not in slow_answer
    slow_thread.join(60)

    assert status == 200 and '"400"' in body
    assert served_meanwhile
    slow_status, slow_body = slow_answer["response"]
    assert slow_status == 503
    assert "query exceeded the time limit of 1.5 s" in slow_body
    # The abandoned evaluation stops at its next solution instead of running on.
    for _ in range(500):
        if runner.running == 0:
            break
        time.sleep(0.01)
    assert runner.running == 0 and runner.abandoned_running == 0


def test_unknown_extension_function_leaves_its_expression_unbound(client, curated_working_groups):
    # SPARQL 1.1, 17.3: an unknown function is an evaluation error, not a failed query.
    query = (
        "SELECT DISTINCT ?wg (<http://example.org/no-such-function>(?wg) AS ?x) "
        "(<http://example.org/another>(1) AS ?y) (STR(?wg) AS ?s) "
        "WHERE { ?wg a <https://w3id.org/untoc/ontology#WorkingGroup> }"
    )
    response = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = response.get_json()["results"]["bindings"]
    assert len(rows) == len(curated_working_groups)
    assert all(
        "x" not in row and "y" not in row and row["s"]["value"] == row["wg"]["value"]
        for row in rows
    )


def test_unknown_function_in_a_filter_filters_everything_out(client):
    query = (
        "SELECT ?wg WHERE { ?wg a <https://w3id.org/untoc/ontology#WorkingGroup> "
        "FILTER(<http://example.org/no-such-function>(?wg)) }"
    )
    response = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"] == []
