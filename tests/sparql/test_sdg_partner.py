"""The UN SDG knowledge organization system behind a real foreign SPARQL endpoint: the Oxigraph
server from PyPI, started on 127.0.0.1 and loaded with the partner's own Turtle files
(../shared/partners/un-sdg-kos/, read at run time). Against it: `kg federate --health` (offline),
the harvest of the labels and codes of the SDG targets and indicators our data links to
(`untoc:relatedSDG`) into graph/linkset-<key>, SERVICE from our endpoint, and the pages showing
the labels in the reader's language. Expectations come from the partner's files (rdflib)."""

from __future__ import annotations

import contextlib
import io
import json
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import BASE, SHARED, start_live_server
from peers import OxigraphError, OxigraphServer, free_port
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from graph_service import cli
from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.web.app import create_app

PARTNER = SHARED / "partners" / "un-sdg-kos"
KOS = PARTNER / "sdg-kos-goals-targets-indicators.ttl"
KOS_FILES = [KOS, PARTNER / "sdg-kos-subject-mappings.ttl", PARTNER / "sdgs-ontology.ttl"]
SDG = "http://metadata.un.org/sdg/"
RELATED_SDG = "https://w3id.org/untoc/ontology#relatedSDG"
LINKSET = f"{BASE}graph/linkset-test-sdg"
HARVESTED = (SKOS.prefLabel, RDFS.label, SKOS.notation)


@pytest.fixture(scope="module")
def sdg_server():
    assert KOS.exists(), f"the partner data is missing: {PARTNER}"
    server = OxigraphServer(KOS_FILES)
    try:
        server.start()
    except OxigraphError as error:
        server.stop()
        pytest.fail(f"the Oxigraph server could not be started: {error}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def registry(sdg_server, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sdg") / "federation.toml"
    path.write_text(
        "[[endpoint]]\n"
        'key = "test-sdg"\n'
        'name = "UN SDG KOS on an Oxigraph server started by the tests"\n'
        f'endpoint = "{sdg_server.url}"\n'
        "timeout = 20\n"
        f'uri_spaces = ["{SDG}"]\n'
        "verified = true\n"
        'evidence = "started by the tests on 127.0.0.1"\n'
        "[[endpoint]]\n"
        'key = "test-unverified"\n'
        'name = "An endpoint nobody documents"\n'
        f'endpoint = "http://127.0.0.1:{free_port()}/sparql"\n'
        "timeout = 5\n"
        "verified = false\n"
        'evidence = "undocumented (a closed port)"\n'
    )
    return path


@pytest.fixture(scope="module")
def kos() -> Graph:
    return Graph().parse(KOS)


@pytest.fixture(scope="module")
def linked(sources) -> set[str]:
    """The SDG IRIs our curated data links to with untoc:relatedSDG."""
    return {
        t.object.value
        for triples in sources.graphs.values()
        for t in triples
        if t.predicate.value == RELATED_SDG and t.object.value.startswith(SDG)
    }


def expected_linkset(kos: Graph, linked: set[str]) -> set[tuple[str, str, str, str]]:
    return {
        (str(s), str(p), str(o), o.language or "")
        for iri in linked
        for p in HARVESTED
        for s, _, o in kos.triples((URIRef(iri), p, None))
    }


@pytest.fixture(scope="module")
def harvested(registry, sources, tmp_path_factory):
    """`kg federate --registry ...` on an on-disk store of the curated data: the verified
    endpoint is harvested, the unverified one skipped. (status, stdout, stderr, store dir)"""
    store_dir = tmp_path_factory.mktemp("sdg") / "store"
    store = Store(store_dir)
    swap_in(store, sources)
    store.flush()
    del store
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["--store", str(store_dir), "federate", "--registry", str(registry)])
    return status, out.getvalue(), err.getvalue(), store_dir


@pytest.fixture(scope="module")
def harvested_store(harvested) -> Store:
    return Store.read_only(harvested[3])


def test_the_partner_serves_the_kos(sdg_server, kos):
    query = f"SELECT ?label WHERE {{ <{SDG}16.4> <{SKOS.prefLabel}> ?label }}"
    rows = json.loads(sdg_server.select(query))["results"]["bindings"]
    found = {(r["label"]["value"], r["label"].get("xml:lang", "")) for r in rows}
    assert found == {
        (str(o), o.language) for o in kos.objects(URIRef(SDG + "16.4"), SKOS.prefLabel)
    }


def test_the_kos_labels_targets_in_english_french_and_spanish_only(kos, linked):
    """What the pages can show: the KOS has no Russian, Arabic or Chinese labels."""
    languages = {o.language for iri in linked for o in kos.objects(URIRef(iri), SKOS.prefLabel)}
    assert languages == {"en", "es", "fr"}
    assert linked, "the curated data links bodies and treaties to SDG targets"


def test_health_runs_offline_against_the_partner(registry, capsys):
    status = cli.main(["federate", "--health", "--registry", str(registry)])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1  # the unverified endpoint is a closed port
    assert lines[0].split() == ["key", "status", "latency_ms", "verified", "endpoint"]
    rows = {line.split()[0]: line.split() for line in lines[1:] if not line.startswith(" ")}
    assert rows["test-sdg"][1] == "ok" and rows["test-sdg"][3] == "yes"
    assert rows["test-unverified"][1] == "FAIL" and rows["test-unverified"][3] == "NO"
    assert any("unverified: undocumented (a closed port)" in line for line in lines)
    status = cli.main(
        ["federate", "--health", "--endpoint", "test-sdg", "--registry", str(registry)]
    )
    assert status == 0
    capsys.readouterr()


def test_kg_federate_harvests_the_sdg_labels_and_skips_the_unverified(harvested, linked):
    status, out, err, _ = harvested
    assert status == 0, err
    assert "not harvesting from unverified endpoints test-unverified" in err
    assert f"test-sdg: {len(linked)} linked IRIs" in out
    assert "test-unverified" not in out


def test_the_linkset_holds_exactly_the_partners_labels_and_codes(harvested_store, kos, linked):
    found = {
        (q.subject.value, q.predicate.value, q.object.value, q.object.language or "")
        for q in harvested_store.quads(LINKSET)
    }
    assert found == expected_linkset(kos, linked)
    codes = {s for s, p, _, _ in found if p == str(SKOS.notation)}
    assert codes == linked  # every linked target has its codes ("16.4", "16.2.2")


def test_our_endpoint_joins_the_partner_through_service(
    sdg_server, registry, test_config, loaded_store, kos
):
    server = start_live_server(replace(test_config, federation_config=registry), loaded_store)
    try:
        query = f"""PREFIX untoc: <https://w3id.org/untoc/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?body ?target ?fr WHERE {{
              ?body a untoc:WorkingGroup ; untoc:relatedSDG ?target .
              SERVICE <{sdg_server.url}> {{ ?target skos:prefLabel ?fr FILTER(lang(?fr) = "fr") }}
            }}"""
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            server.url + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            rows = json.loads(response.read())["results"]["bindings"]
    finally:
        server.stop()
    links = {
        (row["body"].value, row["target"].value)
        for row in loaded_store.query(
            "SELECT DISTINCT ?body ?target WHERE { ?body a "
            "<https://w3id.org/untoc/ontology#WorkingGroup> ; <" + RELATED_SDG + "> ?target }"
        )
    }
    french = {str(s): str(o) for s, o in kos.subject_objects(SKOS.prefLabel) if o.language == "fr"}
    assert {(r["body"]["value"], r["target"]["value"], r["fr"]["value"]) for r in rows} == {
        (body, target, french[target]) for body, target in links if target in french
    }


@pytest.fixture(scope="module")
def harvested_client(harvested_store, test_config):
    return create_app(test_config, store=harvested_store).test_client()


@pytest.mark.parametrize(
    ("lang", "heading", "label_lang"),
    [
        ("en", "Target 16.2", "en"),
        ("fr", "Cible 16.2", "fr"),
        ("es", "Meta 16.2", "es"),
        ("ru", "Задача 16.2", "en"),
        ("ar", "الغاية 16.2", "en"),
        ("zh", "具体目标16.2", "en"),
    ],
)
def test_pages_show_the_sdg_labels_in_the_readers_language(
    harvested_client, kos, lang, heading, label_lang
):
    html = harvested_client.get(f"/id/body/wg-tip?lang={lang}").get_data(as_text=True)
    section = html[html.index('<section id="sdg">') :]
    section = section[: section.index("</section>")]
    label = next(
        str(o)
        for o in kos.objects(URIRef(SDG + "16.2"), SKOS.prefLabel)
        if o.language == label_lang
    )
    assert heading in section
    assert f'lang="{label_lang}"' in section and label in section
    indicator = {"en": "Indicator 16.2.2", "fr": "Indicateur 16.2.2", "ru": "Показатель 16.2.2"}
    if lang in indicator:
        assert indicator[lang] in section
