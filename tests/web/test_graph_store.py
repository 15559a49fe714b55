"""/store, the SPARQL 1.1 Graph Store HTTP Protocol (indirect identification), through the
Flask test client: every method and status, negotiation, the token, the shapes gate, body
formats and limits. Chunked bodies are sent over real HTTP to a live server. The W3C
manifests are run in test_w3c_graph_store.py."""

from __future__ import annotations

import http.client
import urllib.parse
from dataclasses import replace

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from conftest import BASE, start_live_server

from graph_service import formats
from graph_service.store import Store
from graph_service.web.app import create_app
from graph_service.web.uploads import MAX_BODY_BYTES

EX = "http://example.org/test#"
UNTOC = BASE + "ontology#"
TOKEN = {"Authorization": "Bearer test-update-token"}
GRAPH_A = f"{BASE}graph/a"
NEW = "http://example.org/graphs/new"
TTL = "text/turtle"
DOC = f"@prefix ex: <{EX}> . ex:s ex:p ex:o ; ex:q [ ex:r 1 ] ."
# A working group with neither labels nor establishing instrument: the shapes refuse it.
BROKEN = f"<{BASE}id/body/wg-new> a <{UNTOC}WorkingGroup> ."


def fresh(test_config, **overrides):
    """An app on a small store of its own, whose resources no shape targets."""
    store = Store(None)
    store.update(
        f"INSERT DATA {{ GRAPH <{GRAPH_A}> {{ <{EX}x> a <{EX}Thing> ; <{EX}n> 1 }} "
        f"GRAPH <{BASE}graph/b> {{ <{EX}y> a <{EX}Thing> }} }}"
    )
    app = create_app(replace(test_config, **overrides), store=store)
    return app.test_client(), store


@pytest.fixture()
def client_store(test_config):
    return fresh(test_config)


def at(graph: str | None) -> str:
    return (
        "/store?default" if graph is None else "/store?" + urllib.parse.urlencode({"graph": graph})
    )


def triples_of(store: Store, graph: str) -> set[ox.Triple]:
    return {quad.triple for quad in store.quads(graph)}


def default_triples(store: Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads() if q.graph_name == ox.DefaultGraph()}


def parsed(body: bytes, media_type: str) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, format=ox.RdfFormat.from_media_type(media_type))}


def isomorphic(a: set[ox.Triple], b: set[ox.Triple]) -> bool:
    def graph(triples):
        data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
        return rdflib.Graph().parse(data=data.decode(), format="nt")

    return rdflib.compare.isomorphic(graph(a), graph(b))


# GET and HEAD


@pytest.mark.parametrize("rdf_format", formats.GRAPH_FORMATS, ids=lambda f: f.name)
def test_get_a_graph_in_every_graph_format(client_store, rdf_format):
    client, store = client_store
    response = client.get(at(GRAPH_A), headers={"Accept": rdf_format.media_type})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{rdf_format.media_type}; charset=utf-8"
    assert parsed(response.data, rdf_format.media_type) == triples_of(store, GRAPH_A)
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("alias", "media_type"),
    [("ttl", TTL), ("nt", "application/n-triples"), ("jsonld", "application/ld+json")]
    + [("rdfxml", "application/rdf+xml"), ("application/n-triples", "application/n-triples")],
)
def test_format_parameter_wins_over_accept(client_store, alias, media_type):
    client, _ = client_store
    response = client.get(at(GRAPH_A) + "&format=" + alias, headers={"Accept": TTL})
    assert response.mimetype == media_type


def test_turtle_by_default_and_406_for_what_is_not_offered(client_store):
    client, _ = client_store
    assert client.get(at(GRAPH_A)).mimetype == TTL
    refused = client.get(at(GRAPH_A), headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "text/turtle" in refused.get_data(as_text=True)


def test_head_has_the_headers_of_get_and_no_body(client_store):
    client, _ = client_store
    get = client.get(at(GRAPH_A))
    head = client.head(at(GRAPH_A))
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head.headers[name] == get.headers[name]
    assert client.head(at(NEW)).status_code == 404


def test_a_missing_graph_is_a_404(client_store):
    client, _ = client_store
    response = client.get(at(NEW))
    assert response.status_code == 404
    assert NEW in response.get_data(as_text=True)


def test_default_is_the_stores_own_default_graph_not_the_union(client_store, client):
    own, store = client_store
    empty = own.get("/store?default")
    assert empty.status_code == 200 and parsed(empty.data, TTL) == set()
    store.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 1 }}")
    assert parsed(own.get("/store?default").data, TTL) == default_triples(store)
    assert len(default_triples(store)) == 1
    # The curated store keeps everything in named graphs: its default graph is empty.
    assert parsed(client.get("/store?default").data, TTL) == set()


def test_etag_and_last_modified_follow_the_store(client_store):
    client, _ = client_store
    first = client.get(at(GRAPH_A))
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert client.get(at(GRAPH_A), headers={"If-None-Match": etag}).status_code == 304
    other = client.get(at(GRAPH_A), headers={"Accept": "application/n-triples"})
    assert other.headers["ETag"] != etag  # one ETag per representation
    assert client.put(at(NEW), data=DOC, content_type=TTL, headers=TOKEN).status_code == 201
    after = client.get(at(GRAPH_A), headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag


def test_get_without_a_graph_is_the_whole_dataset(client_store):
    client, store = client_store
    trig = client.get("/store")
    assert trig.mimetype == "application/trig"
    quads = set(ox.parse(trig.data, format=ox.RdfFormat.TRIG))
    assert quads == set(store.quads())
    nquads = client.get("/store", headers={"Accept": "application/n-quads"})
    assert set(ox.parse(nquads.data, format=ox.RdfFormat.N_QUADS)) == quads
    assert client.get("/store?format=nq").mimetype == "application/n-quads"
    graph_only = client.get("/store", headers={"Accept": TTL})
    assert graph_only.status_code == 406
    assert "?graph=" in graph_only.get_data(as_text=True)


# PUT, POST, DELETE


def test_put_creates_then_replaces(client_store):
    client, store = client_store
    created = client.put(at(NEW), data=DOC, content_type=TTL, headers=TOKEN)
    assert created.status_code == 201
    assert len(triples_of(store, NEW)) == 3
    replaced = client.put(
        at(NEW), data=f"<{EX}s> <{EX}p> <{EX}other> .", content_type=TTL, headers=TOKEN
    )
    assert replaced.status_code == 204 and replaced.data == b""
    assert triples_of(store, NEW) == {
        ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}other"))
    }
    assert len(triples_of(store, GRAPH_A)) == 2  # other graphs untouched


def test_post_creates_then_merges(client_store):
    client, store = client_store
    assert client.post(at(NEW), data=DOC, content_type=TTL, headers=TOKEN).status_code == 201
    more = f"<{EX}s> <{EX}p> <{EX}more> ."
    assert client.post(at(NEW), data=more, content_type=TTL, headers=TOKEN).status_code == 204
    assert len(triples_of(store, NEW)) == 4


def test_posted_blank_nodes_never_merge_with_stored_ones(client_store):
    client, store = client_store
    document = f"_:b <{EX}p> 1 ."
    client.put(at(NEW), data=document, content_type=TTL, headers=TOKEN)
    client.post(at(NEW), data=document, content_type=TTL, headers=TOKEN)
    client.post(at(GRAPH_A), data=document, content_type=TTL, headers=TOKEN)
    subjects = {q.subject for q in store.quads() if isinstance(q.subject, ox.BlankNode)}
    assert len(subjects) == 3


def test_delete_then_404(client_store):
    client, store = client_store
    assert client.delete(at(GRAPH_A), headers=TOKEN).status_code == 204
    assert GRAPH_A not in store.named_graphs()
    assert client.get(at(GRAPH_A)).status_code == 404
    assert client.delete(at(GRAPH_A), headers=TOKEN).status_code == 404


def test_default_graph_writes(client_store):
    client, store = client_store
    assert (
        client.put("/store?default", data=DOC, content_type=TTL, headers=TOKEN).status_code == 204
    )
    assert len(default_triples(store)) == 3
    # The default graph is part of /sparql's union default graph.
    ask = client.get("/sparql", query_string={"query": f"ASK {{ <{EX}s> <{EX}p> <{EX}o> }}"})
    assert ask.get_json()["boolean"] is True
    assert client.delete("/store?default", headers=TOKEN).status_code == 204
    assert parsed(client.get("/store?default").data, TTL) == set()


def test_post_to_the_store_creates_a_graph_named_in_location(client_store, test_config):
    client, store = client_store
    response = client.post("/store", data=DOC, content_type=TTL, headers=TOKEN)
    assert response.status_code == 201
    location = response.headers["Location"]
    assert location.startswith(f"{test_config.base_iri}graph/posted-")
    assert len(triples_of(store, location)) == 3
    assert client.get(at(location)).status_code == 200
    empty = client.post("/store", data=b"", content_type=TTL, headers=TOKEN)
    assert empty.status_code == 400


def test_post_a_dataset_to_the_store_merges_its_graphs(client_store):
    client, store = client_store
    trig = (
        f"<{EX}d> <{EX}p> 1 . <{NEW}> {{ <{EX}s> <{EX}p> 2 }} <{GRAPH_A}> {{ <{EX}s> <{EX}p> 3 }}"
    )
    response = client.post("/store", data=trig, content_type="application/trig", headers=TOKEN)
    assert response.status_code == 204
    assert len(triples_of(store, NEW)) == 1
    assert len(triples_of(store, GRAPH_A)) == 3
    assert len(parsed(client.get("/store?default").data, TTL)) == 1


@pytest.mark.parametrize("rdf_format", formats.RDF_FORMATS, ids=lambda f: f.name)
def test_bodies_in_every_rdf_format(client_store, rdf_format):
    client, store = client_store
    triples = {q.triple for q in ox.parse(DOC.encode(), format=ox.RdfFormat.TURTLE)}
    body = ox.serialize(list(triples), format=rdf_format.rdf) or b""
    response = client.put(at(NEW), data=body, content_type=rdf_format.media_type, headers=TOKEN)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert isomorphic(triples_of(store, NEW), triples)


def test_a_dataset_body_for_one_graph_may_hold_default_triples_only(client_store):
    client, store = client_store
    nquads = f"<{EX}s> <{EX}p> <{EX}o> <{NEW}> .\n"
    refused = client.put(at(NEW), data=nquads, content_type="application/n-quads", headers=TOKEN)
    assert refused.status_code == 400
    assert "triples only" in refused.get_data(as_text=True)
    accepted = client.put(
        at(NEW),
        data=nquads.replace(f" <{NEW}>", ""),
        content_type="application/n-quads",
        headers=TOKEN,
    )
    assert accepted.status_code == 201
    assert NEW in store.named_graphs()


def test_relative_iris_in_a_body_resolve_against_the_graph(client_store):
    client, store = client_store
    client.put(at(NEW), data="<#me> <p> <> .", content_type=TTL, headers=TOKEN)
    (triple,) = triples_of(store, NEW)
    assert (triple.subject.value, triple.object.value) == (NEW + "#me", NEW)


def test_multipart_post_merges_every_part(client_store):
    client, store = client_store
    boundary = "b0undary"
    body = (
        "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            f"Content-Type: {media}\r\n\r\n{text}\r\n"
            for name, media, text in (
                ("one.ttl", TTL, f"<{EX}s> <{EX}p> 1 ."),
                ("two.nt", "application/n-triples", f'<{EX}s> <{EX}p> "2" .'),
            )
        )
        + f"--{boundary}--\r\n"
    )
    response = client.post(
        at(NEW),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=TOKEN,
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert len(triples_of(store, NEW)) == 2


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"garbage", "multipart/form-data; boundary=x", 400),
        (b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\nno file\r\n--x--\r\n", None, 400),
        (
            b"--x\r\nContent-Disposition: form-data; name=a; filename=a.png\r\n"
            b"Content-Type: image/png\r\n\r\nxx\r\n--x--\r\n",
            None,
            415,
        ),
        (b"--x\r\n" + b"#" * (MAX_BODY_BYTES + 1), None, 413),
    ],
    ids=["malformed", "no-file-part", "not-rdf", "too-large"],
)
def test_bad_multipart_bodies(client_store, body, content_type, status):
    client, store = client_store
    before = store.export()
    content_type = content_type or "multipart/form-data; boundary=x"
    response = client.post(at(NEW), data=body, content_type=content_type, headers=TOKEN)
    assert response.status_code == status, response.get_data(as_text=True)
    assert store.export() == before


# The token


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "test-update-token"}]
)
def test_writes_need_the_token(client_store, method, headers):
    client, store = client_store
    before = store.export()
    response = client.open(at(GRAPH_A), method=method, data=DOC, content_type=TTL, headers=headers)
    assert response.status_code == 403
    assert "Authorization: Bearer" in response.get_data(as_text=True)
    assert store.export() == before


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_are_refused_when_no_token_is_configured(test_config, method):
    client, store = fresh(test_config, update_token=None)
    before = store.export()
    response = client.open(at(GRAPH_A), method=method, data=DOC, content_type=TTL, headers=TOKEN)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert store.export() == before


def test_reads_need_no_token(test_config):
    client, _ = fresh(test_config, update_token=None)
    assert client.get(at(GRAPH_A)).status_code == 200


# The shapes gate


@pytest.mark.parametrize(
    ("method", "target"), [("PUT", NEW), ("POST", GRAPH_A), ("PUT", None), ("POST", "")]
)
def test_writes_that_break_the_shapes_are_422_and_change_nothing(client_store, method, target):
    client, store = client_store
    before, generation = store.export(), store.generation
    url = "/store" if target == "" else at(target)
    response = client.open(url, method=method, data=BROKEN, content_type=TTL, headers=TOKEN)
    assert response.status_code == 422
    message = response.get_data(as_text=True)
    assert f"the {method} was not applied" in message
    assert f"{BASE}id/body/wg-new" in message and "Violation" in message
    assert store.export() == before and store.generation == generation


def test_a_delete_is_gated_too(test_config):
    # The store's own shapes: every ex:Thing has an ex:n, which lives in another graph.
    sh = "http://www.w3.org/ns/shacl#"
    store = Store(None)
    store.update(
        f"""INSERT DATA {{
        GRAPH <{BASE}graph/shapes> {{
            <{EX}ThingShape> a <{sh}NodeShape> ; <{sh}targetClass> <{EX}Thing> ;
                <{sh}property> [ <{sh}path> <{EX}n> ; <{sh}minCount> 1 ] }}
        GRAPH <{GRAPH_A}> {{ <{EX}x> a <{EX}Thing> }}
        GRAPH <{NEW}> {{ <{EX}x> <{EX}n> 1 }} }}"""
    )
    client = create_app(test_config, store=store).test_client()
    before = store.export()
    response = client.delete(at(NEW), headers=TOKEN)
    assert response.status_code == 422
    assert "the DELETE was not applied" in response.get_data(as_text=True)
    assert store.export() == before
    assert client.delete(at(GRAPH_A), headers=TOKEN).status_code == 204


# Bad requests


@pytest.mark.parametrize(
    "query",
    [
        "graph=not%20an%20iri",
        "graph=relative/graph",
        "graph=",
        "graph=http%3A%2F%2Fa%2Fg&default",
        "graph=http%3A%2F%2Fa%2Fg&graph=http%3A%2F%2Fa%2Fh",
    ],
)
def test_bad_graph_parameters_are_a_400(client_store, query):
    client, store = client_store
    before = store.export()
    assert client.get(f"/store?{query}").status_code == 400
    assert (
        client.put(f"/store?{query}", data=DOC, content_type=TTL, headers=TOKEN).status_code == 400
    )
    assert store.export() == before


def test_a_syntax_error_is_a_400_with_line_and_column(client_store):
    client, store = client_store
    body = f"<{EX}s> <{EX}p> <{EX}o> .\n<{EX}s> <{EX}p> .\n"
    response = client.put(at(NEW), data=body, content_type=TTL, headers=TOKEN)
    assert response.status_code == 400
    message = response.get_data(as_text=True)
    assert "line 2" in message and "column" in message
    assert NEW not in store.named_graphs()


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/html", 415),
        ("application/sparql-update", 415),
        ("text/turtle; charset=iso-8859-1", 415),
        ("multipart/form-data; boundary=x", 415),  # for POST only
        ("", 400),
    ],
)
def test_unsupported_content_types(client_store, content_type, status):
    client, store = client_store
    before = store.export()
    headers = {**TOKEN, "Content-Type": content_type} if content_type else TOKEN
    response = client.put(at(NEW), data=DOC.encode(), headers=headers)
    assert response.status_code == status
    assert store.export() == before


def test_a_body_over_the_limit_is_a_413(client_store):
    client, store = client_store
    body = b"#" * (MAX_BODY_BYTES + 1)
    assert client.put(at(NEW), data=body, content_type=TTL, headers=TOKEN).status_code == 413
    assert client.post(at(NEW), data=body, content_type=TTL, headers=TOKEN).status_code == 413
    assert NEW not in store.named_graphs()


def test_put_and_delete_need_a_graph(client_store):
    client, store = client_store
    before = store.export()
    assert client.put("/store", data=DOC, content_type=TTL, headers=TOKEN).status_code == 400
    assert client.delete("/store", headers=TOKEN).status_code == 400
    assert store.export() == before


def test_direct_identification_is_refused_with_the_indirect_url(client_store):
    client, _ = client_store
    response = client.get("/store/person/1.ttl")
    assert response.status_code == 404
    assert "/store?graph=http%3A%2F%2Flocalhost%2Fstore%2Fperson%2F1.ttl" in response.get_data(
        as_text=True
    )


def test_other_methods_are_405_and_options_answers_cors(client_store):
    client, _ = client_store
    patch = client.patch(at(GRAPH_A), data=DOC, headers=TOKEN)
    assert patch.status_code == 405
    assert "PUT" in patch.headers["Allow"]
    options = client.options("/store", headers={"Access-Control-Request-Method": "PUT"})
    assert options.status_code == 204
    assert "DELETE" in options.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in options.headers["Access-Control-Allow-Headers"]
    assert client.get(at(GRAPH_A)).headers["Access-Control-Allow-Origin"] == "*"


# Over real HTTP


@pytest.fixture()
def live(test_config):
    store = Store(None)
    server = start_live_server(replace(test_config), store)
    yield server, store
    server.stop()


def send(server, method: str, path: str, body=None, headers=None):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        chunked = (headers or {}).get("Transfer-Encoding") == "chunked"
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_chunked_body_over_the_limit_is_a_413(live):
    server, store = live

    def chunks():
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"#" * 65536

    headers = {**TOKEN, "Content-Type": TTL, "Transfer-Encoding": "chunked"}
    status, _, _ = send(server, "PUT", at(NEW), chunks(), headers)
    assert status == 413
    assert NEW not in store.named_graphs()


def test_a_chunked_body_within_the_limit_is_read_whole(live):
    server, store = live
    headers = {**TOKEN, "Content-Type": TTL, "Transfer-Encoding": "chunked"}
    status, _, _ = send(
        server, "PUT", at(NEW), iter([DOC[:20].encode(), DOC[20:].encode()]), headers
    )
    assert status == 201
    assert len(triples_of(store, NEW)) == 3


def test_service_description_and_void_name_the_graph_store(client):
    dcat = "http://www.w3.org/ns/dcat#"
    for url in ("/sparql", "/void"):
        graph = set(
            ox.parse(client.get(url, headers={"Accept": TTL}).data, format=ox.RdfFormat.TURTLE)
        )
        services = {
            t.subject
            for t in graph
            if t.predicate.value == dcat + "endpointURL"
            and t.object.value == "http://localhost/store"
        }
        assert len(services) == 1, url
        (service,) = services
        conforms = {
            t.object.value
            for t in graph
            if t.subject == service and t.predicate.value.endswith("conformsTo")
        }
        assert conforms == {"https://www.w3.org/TR/sparql11-http-rdf-update/"}
