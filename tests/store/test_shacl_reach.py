"""What a SPARQL constraint reads, as routes from `$this` (store/shacl/reach.py): which
changes matter at each route's end (added triples, removed ones, both), the predicate read
there, BIND as a computed step, and the routes kept on disk."""

from __future__ import annotations

from graph_service.store.shacl import reach, reach_cache

PREFIXES = """PREFIX ex: <https://example.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
EX = "https://example.org/"


def routes(body: str) -> dict[str, tuple[str, str]]:
    """The route of each predicate read (by its last path), with its side and change."""
    found = reach.compute_reach(PREFIXES + body)
    assert found is not None
    return {name(r): (r.side, r.change) for r in found}


def name(route) -> str:
    steps = "/".join(s.iri.removeprefix(EX) or s.kind for s in route.steps)
    return f"{steps}>{route.predicate.removeprefix(EX)}"


def test_only_removed_triples_matter_inside_not_exists():
    found = routes("SELECT $this WHERE { $this ex:a ?x . FILTER NOT EXISTS { ?x ex:b ?y } }")
    assert found[">a"] == ("s", "+")
    assert found["a>b"] == ("s", "-")


def test_exists_keeps_and_a_double_negation_turns_back():
    found = routes(
        "SELECT $this WHERE { $this ex:a ?x . FILTER EXISTS { ?x ex:b ?y } "
        "FILTER NOT EXISTS { ?x ex:c ?z FILTER NOT EXISTS { ?z ex:d ?w } } }"
    )
    assert found["a>b"] == ("s", "+")
    assert found["a>c"] == ("s", "-")
    assert found["a/c>d"] == ("s", "+")


def test_optional_and_negation_inside_expressions_make_both_matter():
    found = routes(
        "SELECT $this WHERE { $this ex:a ?x . OPTIONAL { ?x ex:b ?y } "
        "FILTER (!BOUND(?y) || NOT EXISTS { ?x ex:c ?z }) }"
    )
    assert found["a>b"] == ("s", "+-")
    assert found["a>c"] == ("s", "+-")


def test_an_aggregate_makes_every_change_matter():
    found = routes(
        "SELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:a ?x } GROUP BY $this HAVING (?n > 1)"
    )
    assert found[">a"] == ("s", "+-")


def test_a_bind_of_one_node_is_a_computed_step():
    found = reach.compute_reach(
        PREFIXES
        + """SELECT $this WHERE { $this dcterms:source ?value .
            BIND (IRI(REPLACE(STR(?value), "#.*$", "")) AS ?document)
            FILTER NOT EXISTS { ?document a ex:Document } }"""
    )
    assert found is not None
    computed = [r for r in found if any(s.kind == "computed" for s in r.steps)]
    assert len(computed) == 1
    route = computed[0]
    assert [s.kind for s in route.steps] == ["pred", "computed"]
    assert route.steps[1].variable == "value"
    assert route.steps[1].expression == 'IRI(REPLACE(STR(?value), "#.*$", ""))'
    assert "PREFIX ex: <https://example.org/>" in route.steps[1].prolog
    assert (route.side, route.change) == ("s", "-")


def test_a_bind_of_the_focus_node_cannot_be_walked_back():
    query = "SELECT $this WHERE { BIND (IRI(CONCAT(STR($this), '#x')) AS ?p) ?p ex:a ?v }"
    assert reach.compute_reach(PREFIXES + query) is None


def test_bind_expressions_are_read_past_strings_and_iris():
    text = 'SELECT * WHERE { BIND (CONCAT(")", STR(<https://e.org/(>)) AS ?a) BIND(?b AS ?c) }'
    assert reach.bind_expressions(text) == {
        "a": 'CONCAT(")", STR(<https://e.org/(>))',
        "c": "?b",
    }


def test_routes_read_from_disk_are_the_routes_computed(tmp_path, monkeypatch):
    monkeypatch.setattr(reach_cache, "FOLDER", tmp_path)
    query = (
        PREFIXES
        + """SELECT $this WHERE { $this dcterms:source ?value .
            BIND (IRI(REPLACE(STR(?value), "#.*$", "")) AS ?document)
            FILTER NOT EXISTS { ?document a/ex:sub* ex:Document } }"""
    )
    first = reach.query_reach(query)
    assert len(list(tmp_path.glob("*.json"))) == 1
    assert reach.query_reach(query) == first == reach.compute_reach(query)
    unbounded = PREFIXES + "SELECT $this WHERE { ?x ex:a ?y }"
    assert reach.query_reach(unbounded) is None and reach.query_reach(unbounded) is None


def test_a_damaged_file_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setattr(reach_cache, "FOLDER", tmp_path)
    query = PREFIXES + "SELECT $this WHERE { $this ex:a ?x }"
    first = reach.query_reach(query)
    for file in tmp_path.glob("*.json"):
        file.write_text("{not json")
    assert reach.query_reach(query) == first


def test_the_folder_keeps_at_most_so_many_files(tmp_path, monkeypatch):
    monkeypatch.setattr(reach_cache, "FOLDER", tmp_path)
    monkeypatch.setattr(reach_cache, "MOST", 10)
    for n in range(25):
        reach.query_reach(PREFIXES + f"SELECT $this WHERE {{ $this ex:p{n} ?x }}")
    assert len(list(tmp_path.glob("*.json"))) <= 10
    newest = PREFIXES + "SELECT $this WHERE { $this ex:p24 ?x }"
    assert reach_cache.read(reach.cache_key(newest)) is not None


def test_the_prefixes_of_a_constraint_are_written_in_one_order():
    from rdflib import Graph

    from graph_service.store.shacl.sparql import prefix_block

    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
    ex:c sh:prefixes ex:p . ex:p sh:declare [ sh:prefix "b" ; sh:namespace "urn:b#" ],
        [ sh:prefix "a" ; sh:namespace "urn:a#" ], [ sh:prefix "c" ; sh:namespace "urn:c#" ] ."""
    graph = Graph().parse(data=shapes, format="turtle")
    block = prefix_block(graph, graph.namespace_manager.expand_curie("ex:c"))
    assert block.splitlines() == ["PREFIX a: <urn:a#>", "PREFIX b: <urn:b#>", "PREFIX c: <urn:c#>"]
