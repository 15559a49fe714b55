"""The SERVICE allow-list: unlisted endpoints are refused and never contacted (a canary
server on 127.0.0.1 counts hits); listed ones are called. And the registry file."""

from __future__ import annotations

import re
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace

import pytest
from conftest import W3C_SPARQL11, start_live_server
from peers import Canary

from graph_service.config import Config
from graph_service.sparql import federation, harvest
from graph_service.sparql.tokens import find_services


@pytest.fixture(scope="module")
def canaries():
    listed, unlisted = Canary().start(), Canary().start()
    yield listed, unlisted
    listed.stop()
    unlisted.stop()


@pytest.fixture(scope="module")
def registry(canaries, tmp_path_factory):
    listed, _ = canaries
    path = tmp_path_factory.mktemp("federation") / "federation.toml"
    path.write_text(
        "[[endpoint]]\n"
        'key = "listed-canary"\n'
        'name = "A canary on the allow-list"\n'
        f'endpoint = "{listed.url}"\n'
        "timeout = 5\n"
    )
    return path


@pytest.fixture(scope="module")
def config(registry, test_config) -> Config:
    return replace(test_config, federation_config=registry)


@pytest.fixture(scope="module")
def server(config, loaded_store):
    live = start_live_server(config, loaded_store)
    yield live
    live.stop()


def post(url: str, form: dict, headers: dict | None = None):
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/sparql-results+json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def refused_forms(url: str) -> dict[str, str]:
    """The same SERVICE, spelled in every way the grammar (or pyoxigraph) allows."""
    base, _, last = url.rpartition("/")
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "prefixed": f"PREFIX c: <{base}/> SELECT * WHERE {{ SERVICE c:{last} {{ ?s ?p ?o }} }}",
        "empty prefix": f"PREFIX : <{base}/> SELECT * WHERE {{ SERVICE :{last} {{ ?s ?p ?o }} }}",
        "relative to BASE": f"BASE <{base}/x> SELECT * WHERE {{ SERVICE <{last}> {{ ?s ?p ?o }} }}",
        "in a subquery": "SELECT * WHERE { { SELECT * WHERE { "
        f"SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "in FILTER EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "in OPTIONAL": f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "in CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "codepoint escapes": r"SELECT * WHERE { SERV\u0049CE <" + url + "> { ?s ?p ?o } }",
        "lower case": f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        "mixed case, comments": f"SELECT * {{ sErViCe # a\n SiLeNt # b\n <{url}> {{ }} }}",
        "escaped IRI": f"SELECT * {{ SERVICE <{base}/{_escape_first(last)}> {{ }} }}",
        "glued PREFIX": f"PREFIXc: <{base}/> SELECT * {{ SERVICE c:{last} {{ }} }}",
        # pyoxigraph needs no space after a keyword, and backtracks into one:
        "no space before ':'": f"PREFIX : <{base}/> SELECT * {{ SERVICE:{last} {{ }} }}",
        "SILENT glued": f"SELECT * {{ SERVICESILENT<{url}>{{ }} }}",
        "after true": f"SELECT * {{ ?s ?p trueSERVICE <{url}> {{ }} }}",
        # '<' as less-than, where the longest token would be an IRI holding a quote:
        "after '<'": f"SELECT * {{ FILTER(?a<'>') SERVICE <{url}> {{ }} #'\n}}",
        "nested": f"SELECT * {{ SERVICE <{url}> {{ OPTIONAL {{ SERVICE <{url}> {{ }} }} }} }}",
    }


def _escape_first(text: str) -> str:
    return f"\\u{ord(text[0]):04X}{text[1:]}"


def test_unlisted_service_is_refused_directly(config, canaries):
    _, unlisted = canaries
    for name, query in refused_forms(unlisted.url).items():
        with pytest.raises(federation.ServiceNotAllowed) as error:
            federation.check_query_services(query, config)
        message = str(error.value)
        assert (
            f"SERVICE <{unlisted.url}> is not on this endpoint's federation allow-list" in message
        ), name
        assert canaries[0].url in message, "the message lists what is allowed"
    assert unlisted.hits == []


def test_variable_and_update_services_are_refused(config, canaries):
    listed, unlisted = canaries
    with pytest.raises(federation.ServiceNotAllowed, match="variable IRI"):
        federation.check_query_services(
            f"SELECT * WHERE {{ VALUES ?e {{ <{listed.url}> }} SERVICE ?e {{ ?s ?p ?o }} }}", config
        )
    base, _, last = unlisted.url.rpartition("/")
    update = (
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; PREFIX c: <{base}/> "
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE c:{last} {{ ?s ?p ?o }} }}"
    )
    with pytest.raises(federation.ServiceNotAllowed, match="not on this endpoint's"):
        federation.check_query_services(update, config)


def test_listed_services_pass_in_any_spelling(config, canaries):
    listed, _ = canaries
    for name, query in refused_forms(listed.url).items():
        federation.check_query_services(query, config)  # raises if refused
        assert name


def not_services(url: str) -> dict[str, str]:
    """The word service, and even a whole SERVICE clause, where it is no SERVICE."""
    return {
        "literal": f'SELECT * WHERE {{ ?s ?p "SERVICE <{url}> {{ }}" }}',
        "long literal": f"SELECT * WHERE {{ ?s ?p '''\nSERVICE <{url}> {{ }}''' }}",
        "comment": f"SELECT * WHERE {{ ?s ?p ?o }} # SERVICE <{url}> {{ }}",
        "variable": "SELECT ?service WHERE { ?service ?p ?o }",
        "IRI": "SELECT * WHERE { ?s <http://x/service> <http://x/SERVICE> }",
        "prefixed name": "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:service ex:SERVICE }",
        "prefix": "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }",
    }


def test_the_word_service_elsewhere_is_not_a_service(config, canaries):
    _, unlisted = canaries
    for name, query in not_services(unlisted.url).items():
        federation.check_query_services(query, config)  # raises if refused
        assert name


def test_nested_services(config, canaries, tmp_path):
    listed, unlisted = canaries
    other = "http://127.0.0.1:9/other-sparql"  # listed, never called: nothing listens there
    registry = tmp_path / "federation.toml"
    registry.write_text(
        f'[[endpoint]]\nkey = "a"\nname = "A"\nendpoint = "{listed.url}"\n'
        f'[[endpoint]]\nkey = "b"\nname = "B"\nendpoint = "{other}"\n'
    )
    both = replace(config, federation_config=registry)
    nested = "SELECT * {{ SERVICE <{}> {{ OPTIONAL {{ SERVICE SILENT <{}> {{ }} }} }} }}"
    federation.check_query_services(nested.format(listed.url, other), both)
    federation.check_query_services(nested.format(other, listed.url), both)
    for query in (nested.format(listed.url, unlisted.url), nested.format(unlisted.url, other)):
        with pytest.raises(federation.ServiceNotAllowed, match=unlisted.url):
            federation.check_query_services(query, both)


def test_prefix_ending_in_hash(config, tmp_path):
    registry = tmp_path / "federation.toml"
    registry.write_text(
        '[[endpoint]]\nkey = "a"\nname = "A"\nendpoint = "http://127.0.0.1:9/ns#sparql"\n'
    )
    hashed = replace(config, federation_config=registry)
    federation.check_query_services(
        "PREFIX e: <http://127.0.0.1:9/ns#> SELECT * { SERVICE e:sparql { } }", hashed
    )
    with pytest.raises(federation.ServiceNotAllowed, match="ns#other"):
        federation.check_query_services(
            "PREFIX e: <http://127.0.0.1:9/ns#> SELECT * { SERVICE e:other { } }", hashed
        )


def test_variable_and_undeclared_prefix_are_refused(config):
    with pytest.raises(federation.ServiceNotAllowed, match=r"variable IRI \(\?x\)"):
        federation.check_query_services("SELECT * { SERVICE SILENT ?x { } }", config)
    with pytest.raises(federation.ServiceNotAllowed, match="prefix that is not declared"):
        federation.check_query_services("SELECT * { SERVICE nope:x { } }", config)


def test_malformed_query_is_left_to_the_parser(config, canaries):
    listed, unlisted = canaries
    # Malformed, but every SERVICE in it is listed (or there is none): pyoxigraph says why.
    for query in (
        f"SELECT * WHERE {{ SERVICE <{listed.url}> {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ ?s <{unlisted.url}/service> ?o",
        "SELECT * WHERE { SERVICE 'not an IRI' { } }",
    ):
        federation.check_query_services(query, config)
    # A malformed query that shows an unlisted SERVICE is still refused.
    with pytest.raises(federation.ServiceNotAllowed, match=unlisted.url):
        federation.check_query_services(f"SELECT * WHERE {{ SERVICE <{unlisted.url}> {{", config)


def test_endpoint_answers_a_malformed_query_with_the_parser_message(server, canaries):
    listed, unlisted = canaries
    before = len(listed.hits)
    for query in (
        f"SELECT * WHERE {{ SERVICE <{listed.url}> {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ ?s <{unlisted.url}/service> ?o",
    ):
        status, body = post(server.url + "/sparql", {"query": query})
        assert status == 400 and body.startswith("malformed query"), body
    assert len(listed.hits) == before and unlisted.hits == []


def test_endpoint_runs_queries_that_only_mention_service(server, canaries):
    _, unlisted = canaries
    for name, query in not_services(unlisted.url).items():
        status, body = post(server.url + "/sparql", {"query": query})
        assert status == 200, (name, body)
    assert unlisted.hits == []


def test_endpoint_refuses_unlisted_service_and_the_canary_is_never_hit(server, canaries):
    _, unlisted = canaries
    for name, query in refused_forms(unlisted.url).items():
        status, body = post(server.url + "/sparql", {"query": query})
        assert status == 403, (name, body)
        assert "federation allow-list" in body and unlisted.url in body, name
    assert unlisted.hits == []


def test_endpoint_refuses_unlisted_service_in_an_authorised_update(server, config, canaries):
    _, unlisted = canaries
    status, body = post(
        server.url + "/sparql",
        {"update": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{unlisted.url}> {{ ?s ?p ?o }} }}"},
        {"Authorization": f"Bearer {config.update_token}"},
    )
    assert status == 403 and unlisted.url in body
    assert unlisted.hits == []


def test_endpoint_calls_a_listed_service(server, canaries):
    listed, _ = canaries
    before = len(listed.hits)
    status, body = post(
        server.url + "/sparql",
        {"query": f"SELECT * WHERE {{ SERVICE <{listed.url}> {{ ?s ?p ?o }} }}"},
    )
    assert status == 200, body
    assert len(listed.hits) == before + 1
    assert listed.hits[-1].startswith("POST /sparql")


def test_health_of_our_own_endpoint(live_server):
    endpoint = federation.Endpoint(
        key="self", name="us", endpoint=live_server.url + "/sparql", timeout=10
    )
    health = harvest.check_health(endpoint)
    assert health.ok, health.error
    assert health.latency_ms is not None


# The W3C federation tests' queries (service/*.rq)

W3C_SERVICE_QUERIES = sorted((W3C_SPARQL11 / "service").glob("*.rq"))
NAMED_SERVICE = re.compile(r"SERVICE\s+(?:SILENT\s+)?<([^>]+)>", re.IGNORECASE)


def registry_of(path, endpoints: list[str]):
    path.write_text(
        "".join(
            f'[[endpoint]]\nkey = "e{n}"\nname = "E{n}"\nendpoint = "{iri}"\n'
            for n, iri in enumerate(endpoints)
        )
    )
    return path


def test_w3c_service_queries_are_all_read():
    assert len(W3C_SERVICE_QUERIES) == 7


@pytest.mark.parametrize("path", W3C_SERVICE_QUERIES, ids=lambda p: p.name)
def test_w3c_service_query_needs_exactly_the_endpoints_it_names(path, tmp_path, test_config):
    text = path.read_text(encoding="utf-8")
    named = list(dict.fromkeys(NAMED_SERVICE.findall(text)))
    everything = replace(test_config, federation_config=registry_of(tmp_path / "all.toml", named))
    if re.search(r"SERVICE\s+\?", text):  # service05.rq: SERVICE ?service
        with pytest.raises(federation.ServiceNotAllowed, match="variable IRI"):
            federation.check_query_services(text, everything)
        return
    assert len(find_services(text)) == len(NAMED_SERVICE.findall(text)) > 0
    federation.check_query_services(text, everything)
    for missing in named:
        rest = [iri for iri in named if iri != missing]
        config = replace(test_config, federation_config=registry_of(tmp_path / "rest.toml", rest))
        with pytest.raises(
            federation.ServiceNotAllowed, match=re.escape(f"SERVICE <{missing}> is not on")
        ):
            federation.check_query_services(text, config)


# The registry file


def test_shipped_registry_lists_the_un_partners():
    endpoints = {e.key: e for e in federation.load_registry(Config().federation_config)}
    assert {"unbis", "wikidata"} <= set(endpoints)
    assert endpoints["wikidata"].endpoint == "https://query.wikidata.org/sparql"
    # The SDG KOS has no SPARQL endpoint (its VoID says so): none may be listed for it.
    assert not any("metadata.un.org/sdg" in e.endpoint for e in endpoints.values())
    # The UNBIS endpoint is undocumented, and says so.
    assert endpoints["unbis"].verified is False and "undocumented" in endpoints["unbis"].evidence
    assert endpoints["wikidata"].verified is True
    raw = tomllib.loads(Config().federation_config.read_text(encoding="utf-8"))
    for entry in raw["endpoint"]:
        assert isinstance(entry.get("verified"), bool), entry["key"]  # said, not defaulted
    for endpoint in endpoints.values():
        assert endpoint.name and endpoint.description and endpoint.timeout > 0
        assert endpoint.evidence
        # The tests never leave 127.0.0.1, so no shipped endpoint is contacted by them.
        assert endpoint.reachable_in_tests is False
    assert federation.allowed_services(Config()) == {e.endpoint for e in endpoints.values()}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[endpoint]]\nkey = "a"\nname = A\nendpoint = "http://x/sparql"\n', "line 3"),
        ('[[endpoint]]\nname = "A"\nendpoint = "http://x/sparql"\n', "missing or empty 'key'"),
        ('[[endpoint]]\nkey = "Bad Key"\nname = "A"\nendpoint = "http://x/s"\n', "lower-case"),
        ('[[endpoint]]\nkey = "a"\nname = "A"\nendpoint = "ftp://x/s"\n', r"not an http\(s\) IRI"),
        ('[[endpoint]]\nkey = "a"\nname = "A"\nendpoint = "http://x/s"\ntimeout = 0\n', "positive"),
        ('[[endpoint]]\nkey = "a"\nname = "A"\nendpoint = "http://x/s"\n' * 2, "duplicate"),
        ('[[endpoint]]\nkey = "a"\nname = "A"\nendpoint = "http://x/s"\nverified = 1', "verified"),
    ],
)
def test_bad_registry_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "federation.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as error:
        federation.load_registry(path)
    assert str(path) in str(error.value)


def test_missing_registry_refuses_every_service_with_a_clear_error(tmp_path, test_config):
    config = replace(test_config, federation_config=tmp_path / "absent.toml")
    with pytest.raises(ValueError, match="federation registry not found"):
        federation.check_query_services("ASK { SERVICE <http://x/s> {} }", config)
