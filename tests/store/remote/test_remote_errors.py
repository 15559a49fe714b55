"""A remote store without a real engine: what KG_STORE may be, the endpoints it implies,
and what a client gets when the engine fails, refuses, is silent or cannot be reached (a
clear message and an HTTP status, never a traceback, never a folder named `http:`)."""

from __future__ import annotations

import socket
import threading

import pytest
from peers import Scripted, free_port

from graph_service.cli import main
from graph_service.config import Config, SettingError, store_location
from graph_service.store.remote.answers import parse_answer, readable
from graph_service.store.remote.client import EngineClient, EngineError, Reply
from graph_service.store.remote.endpoints import endpoints_for
from graph_service.web.app import create_app


def test_kg_store_is_a_folder_or_an_http_url(tmp_path):
    assert store_location(str(tmp_path)) == tmp_path
    assert store_location("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/query"
    assert store_location("https://example.org/sparql") == "https://example.org/sparql"
    with pytest.raises(ValueError, match="not ftp:"):
        store_location("ftp://example.org/sparql")
    with pytest.raises(ValueError, match="no host"):
        store_location("http:///query")


def test_kg_store_variables(monkeypatch):
    monkeypatch.setenv("KG_STORE", "http://127.0.0.1:7878/query")
    monkeypatch.setenv("KG_STORE_FRESHNESS", "0")
    config = Config.from_env()
    assert config.store_path == "http://127.0.0.1:7878/query"
    assert config.store_freshness == 0.0
    monkeypatch.setenv("KG_STORE_UPDATE", "not a url")
    with pytest.raises(SettingError, match="KG_STORE_UPDATE"):
        Config.from_env()


@pytest.mark.parametrize(
    ("query", "update", "graph_store"),
    [
        ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
        ("http://h/repositories/kg", "http://h/repositories/kg", None),
    ],
)
def test_endpoints_default_to_the_engines_own(query, update, graph_store):
    endpoints = endpoints_for(Config(store_path=query))
    assert (endpoints.update, endpoints.graph_store) == (update, graph_store)
    given = endpoints_for(
        Config(store_path=query, store_update="http://u/", store_graph_store="http://g/")
    )
    assert (given.update, given.graph_store) == ("http://u/", "http://g/")


def test_virtuoso_blank_node_labels_are_read():
    body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"bnode","value":"nodeID://b1"}}]}}'
    (row,) = parse_answer(Reply("application/sparql-results+json", readable(body), {}), "here")
    assert row["x"].value == "b1"
    with pytest.raises(EngineError) as error:
        parse_answer(Reply("image/png", b"", {}), "here")
    assert error.value.status == 502


VIRTUOSO_ERROR = b"Virtuoso 37000 Error SP030: SPARQL compiler\n\nSPARQL query:\nSELECT secret"


@pytest.fixture(scope="module")
def scripted():
    server = Scripted(
        {
            "/failing/query": (500, {"Content-Type": "text/plain"}, VIRTUOSO_ERROR),
            "/refusing/query": (400, {"Content-Type": "text/plain"}, b"Parse error"),
        }
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def silent():
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    listener.close()
    for connection in held:
        connection.close()


def client_for(url: str, timeout: float = 10) -> EngineClient:
    return EngineClient(endpoints_for(Config(store_path=url)), timeout)


def test_engine_failures_become_statuses(scripted, silent):
    with pytest.raises(EngineError) as failed:
        client_for(f"{scripted.base}/failing/query").query("ASK {}", "*/*")
    assert failed.value.status == 502
    assert "answered 500: Virtuoso 37000 Error SP030" in str(failed.value)
    assert "SELECT secret" not in str(failed.value)
    with pytest.raises(EngineError) as refused:
        client_for(f"{scripted.base}/refusing/query").query("ASK {", "*/*")
    assert refused.value.status == 400 and "Parse error" in str(refused.value)
    with pytest.raises(EngineError) as unreachable:
        client_for(f"http://127.0.0.1:{free_port()}/query").query("ASK {}", "*/*")
    assert unreachable.value.status == 503 and "cannot be reached" in str(unreachable.value)
    with pytest.raises(EngineError) as late:
        client_for(silent, timeout=0.3).query("ASK {}", "*/*")
    assert late.value.status == 504 and "did not answer within 0.3 s" in str(late.value)


def test_the_app_on_an_unreachable_engine_says_so():
    url = f"http://127.0.0.1:{free_port()}/query"
    client = create_app(Config(store_path=url)).test_client()
    health = client.get("/health")
    assert health.status_code == 503
    assert health.get_json()["status"] == "unavailable"
    for path in ("/", "/id/body/cop", "/void", "/sparql?query=ASK%20%7B%7D"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "cannot be reached" in response.get_data(as_text=True)


def test_kg_on_an_unreachable_engine_or_another_scheme(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    url = f"http://127.0.0.1:{free_port()}/query"
    assert main(["--store", url, "query", "ASK {}"]) == 1
    assert "cannot be reached" in capsys.readouterr().err
    assert main(["--store", url, "load"]) == 1
    assert "cannot be reached" in capsys.readouterr().err
    monkeypatch.setenv("KG_STORE", "ftp://example.org/sparql")
    assert main(["query", "ASK {}"]) == 2
    assert "KG_STORE='ftp://example.org/sparql'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no folder named `http:` or `ftp:`
