"""The SPARQL tokenizer and the SERVICE finder of the federation allow-list.

The strongest check is the last group: pyoxigraph itself runs tricky spellings against a
canary on 127.0.0.1, and every endpoint it calls must be one that find_services found.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import W3C_SPARQL11
from peers import Canary

from graph_service.sparql.tokens import find_services, tokenize, unescape_codepoints


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<http://x/a#b>", [("IRI", "<http://x/a#b>")]),
        ("ex:a ex: :b :", [("PNAME", "ex:a"), ("PNAME", "ex:"), ("PNAME", ":b"), ("PNAME", ":")]),
        (r"ex:a\#b%20.c.", [("PNAME", r"ex:a\#b%20.c"), ("PUNCT", ".")]),
        ("?x $y ?service", [("VAR", "?x"), ("VAR", "$y"), ("VAR", "?service")]),
        (
            "_:b1 [] [ ] () ( )",
            [("BNODE", "_:b1"), ("ANON", "[]"), ("ANON", "[ ]"), ("NIL", "()"), ("NIL", "( )")],
        ),
        (
            "1 -2 +3.5 .5 1e3 1.E-3 1.",
            [
                ("NUMBER", "1"),
                ("NUMBER", "-2"),
                ("NUMBER", "+3.5"),
                ("NUMBER", ".5"),
                ("NUMBER", "1e3"),
                ("NUMBER", "1.E-3"),
                ("NUMBER", "1"),
                ("PUNCT", "."),
            ],
        ),
        (
            "'a' \"b\" '''c''' \"\"\"d\"\"\"",
            [("STRING", "'a'"), ("STRING", '"b"'), ("STRING", "'''c'''"), ("STRING", '"""d"""')],
        ),
        (
            '"x"@en-GB "y"^^xsd:int',
            [
                ("STRING", '"x"'),
                ("LANGTAG", "@en-GB"),
                ("STRING", '"y"'),
                ("PUNCT", "^^"),
                ("PNAME", "xsd:int"),
            ],
        ),
        (
            "select DISTINCT a true",
            [("NAME", "select"), ("NAME", "DISTINCT"), ("NAME", "a"), ("NAME", "true")],
        ),
        (
            "{ } ( ) [ ] ; , . * / | ^ ! = <> <= >= != && || + - ?",
            [("PUNCT", "{"), ("PUNCT", "}"), ("NIL", "( )"), ("ANON", "[ ]")]
            + [("PUNCT", c) for c in ";,.*/|^!="]
            + [("IRI", "<>")]
            + [("PUNCT", p) for p in ("<=", ">=", "!=", "&&", "||", "+", "-", "?")],
        ),
        (
            "( ?a < ?b )",
            [("PUNCT", "("), ("VAR", "?a"), ("PUNCT", "<"), ("VAR", "?b"), ("PUNCT", ")")],
        ),
        ("?a # SERVICE <x> {\n?b", [("VAR", "?a"), ("VAR", "?b")]),
        ("?a #\r?b", [("VAR", "?a"), ("VAR", "?b")]),
    ],
)
def test_terminals(text, expected):
    assert kinds(text) == expected


def test_comments_and_quotes_inside_iris_and_strings():
    assert kinds('<http://x/#a> "#b" \'#c\' """#d\n""" ?v # e') == [
        ("IRI", "<http://x/#a>"),
        ("STRING", '"#b"'),
        ("STRING", "'#c'"),
        ("STRING", '"""#d\n"""'),
        ("VAR", "?v"),
    ]
    assert kinds("'''a'b''c''''") == [("STRING", "'''a'b''c'''"), ("ERROR", "'")]
    assert kinds(r'"a\"b" "c\\" ?d') == [("STRING", r'"a\"b"'), ("STRING", r'"c\\"'), ("VAR", "?d")]


def test_escapes_are_read_in_iris_strings_and_local_names():
    iri, string, pname = tokenize(r'<http://x/\u0073ervice\U0001F600> "\u0022\t\n" ex:a\~b')
    assert iri.value == "http://x/service\U0001f600"
    assert string.value == '"\t\n'
    assert (pname.prefix, pname.local, pname.value) == ("ex", r"a\~b", "a~b")
    # An escaped '>' does not end the IRI, an escaped quote does not end the string.
    assert kinds(r'<a\u003Eb> "\u0022 } SERVICE <x> {} #"') == [
        ("IRI", r"<a\u003Eb>"),
        ("STRING", r'"\u0022 } SERVICE <x> {} #"'),
    ]
    assert unescape_codepoints(r"SERV\u0049CE \U00000041") == "SERVICE A"


def test_keywords_are_case_insensitive():
    assert [t.value for t in tokenize("service Service SERVICE sErViCe")] == ["SERVICE"] * 4


def test_a_character_that_starts_no_token_is_an_error_and_tokenizing_goes_on():
    assert kinds('?a ~ "open\n?b') == [
        ("VAR", "?a"),
        ("ERROR", "~"),
        ("ERROR", '"'),
        ("NAME", "open"),
        ("VAR", "?b"),
    ]


W3C_QUERIES = sorted(W3C_SPARQL11.glob("*/*.rq"))


def test_every_w3c_query_tokenizes_without_errors():
    """The valid queries of the shared W3C suite (negative syntax tests left out)."""
    queries = [p for p in W3C_QUERIES if "-bad" not in p.name]
    assert len(queries) > 60
    for path in queries:
        text = path.read_text(encoding="utf-8")
        errors = [t for t in tokenize(text) if t.kind == "ERROR"]
        assert not errors, (path.name, errors)


# find_services


def services(text: str) -> list[tuple[str, ...]]:
    return [tuple(sorted(i for r in c.readings for i in r.iris)) for c in find_services(text)]


def test_plain_clauses_and_prologue():
    assert services("SELECT * { SERVICE <http://a/s> { SERVICE SILENT <http://b/s> {} } }") == [
        ("http://a/s",),
        ("http://b/s",),
    ]
    assert services("PREFIX e: <http://a/ns#> SELECT * { SERVICE e:s {} }") == [("http://a/ns#s",)]
    assert services(
        "BASE <http://a/b/c> PREFIX e: <d/> BASE <http://z/> "
        "SELECT * { SERVICE e:s {} SERVICE <t> {} }"
    ) == [("http://a/b/d/s",), ("http://z/t",)]
    # Each operation of an update keeps the declarations before it.
    assert services(
        "PREFIX e: <http://a/> INSERT DATA {} ; PREFIX f: <http://b/> "
        "INSERT { ?s ?p ?o } WHERE { SERVICE e:x {} SERVICE f:y {} }"
    ) == [("http://a/x",), ("http://b/y",)]


def test_variables_and_undeclared_prefixes():
    [clause] = find_services("SELECT * { SERVICE SILENT ?x {} }")
    assert clause.keyword and clause.readings[0].variable
    [clause] = find_services("SELECT * { SERVICE nope:x {} }")
    assert clause.keyword and clause.readings[0].iris == ()


def test_silent_may_be_part_of_the_term():
    # pyoxigraph tries SERVICE SILENT first, then SERVICE alone: both readings are kept.
    [clause] = find_services(
        "PREFIX silent: <http://a/> PREFIX : <http://b/> SELECT * { SERVICE silent:x {} }"
    )
    assert [r.iris for r in clause.readings] == [("http://a/x",), ("http://b/x",)]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:service ?o . ?s ?p ex:SERVICE }",
        "SELECT * WHERE { ?s <http://x/service> <http://x/SERVICE> }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
        "SELECT * WHERE { ?s ?p '''\nSERVICE <http://x/> { }\n''' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
        "PREFIX service: <http://e/> SELECT * WHERE { ?s service:p ?o }",
        "SELECT * WHERE { SERVICE 'literal' { } }",
    ],
)
def test_the_word_service_elsewhere_is_not_a_clause(text):
    assert find_services(text) == []


def test_codepoint_escapes_are_also_read_as_section_19_2_says():
    # pyoxigraph reads the escape inside the string, but an engine that follows 19.2 would
    # replace it first and see `"" } SERVICE <...>`: that reading is checked too.
    text = r'SELECT * WHERE { ?s ?p "\u0022 } SERVICE <http://x/> { } #" }'
    assert [t.kind for t in tokenize(text)].count("STRING") == 1
    [clause] = find_services(text)
    assert not clause.keyword and clause.readings[0].iris == ("http://x/",)
    [clause] = find_services(r"SELECT * WHERE { SERV\u0049CE <http://x/> { } }")
    assert clause.readings[0].iris == ("http://x/",)


def test_a_syntax_error_elsewhere_hides_nothing():
    assert services("SELECT * WHERE { SERVICE <http://a/> { ?s ?p ?o ~ ") == [("http://a/",)]


# pyoxigraph against find_services: what the engine calls must have been found.


@pytest.fixture(scope="module")
def canary():
    canary = Canary().start()
    yield canary
    canary.stop()


TRICKY = {
    "plain": "SELECT * { SERVICE <U/plain> {} }",
    "mixed case, comments": "SELECT * { sErViCe # c\n SiLeNt # d\n <U/mixed> # e\n {} }",
    "escaped IRI": r"SELECT * { SERVICE <U/\u0065scaped> {} }",
    "prefix ending in #": "PREFIX e: <U/ns#> SELECT * { SERVICE e:hash {} }",
    "BASE": "BASE <U/dir/x> SELECT * { SERVICE <../based> {} }",
    "nested": "SELECT * { SERVICE <U/outer> { OPTIONAL { SERVICE <U/inner> {} } } }",
    "no space before ':'": "PREFIX : <U/> SELECT * { SERVICE:colon {} }",
    "no space before a prefix": "PREFIX ex: <U/> SELECT * { SERVICEex:glued {} }",
    "SILENT glued": "SELECT * { SERVICESILENT<U/silent> {} }",
    "SILENT glued to a prefix": "PREFIX ex: <U/> SELECT * { SERVICE SILENTex:silentpx {} }",
    "after true": "SELECT * { ?s ?p trueSERVICE <U/true> {} }",
    "after true, in a prefix": "PREFIX ex: <U/> SELECT * { ?s ?p trueSERVICEex:truepx {} }",
    "glued PREFIX": "PREFIXex: <U/> SELECT * { SERVICE ex:gluedprefix {} }",
    "'<' then a quote": "SELECT * { FILTER(?a<'>') SERVICE <U/quote> {} #'\n}",
    "'<' then '#'": 'SELECT * { FILTER(?a<?b)#>"""\n SERVICE <U/hash> {} #"""\n}',
    "in a string": 'SELECT * { ?s ?p "SERVICE <U/string> {}" }',
    "in a comment": "SELECT * { ?s ?p ?o } # SERVICE <U/comment> {}",
    "escaped quote in a string": r'SELECT * { ?s ?p "\u0022 } SERVICE <U/uchar> {} #" }',
}


@pytest.mark.parametrize("name", list(TRICKY))
def test_find_services_sees_what_pyoxigraph_calls(canary, name):
    base = canary.url.removesuffix("/sparql")
    query = TRICKY[name].replace("<U/", f"<{base}/")
    before = len(canary.hits)
    try:
        result = ox.Store().query(query)
        list(result) if not isinstance(result, ox.QueryBoolean) else bool(result)
    except SyntaxError as error:
        pytest.fail(f"pyoxigraph does not parse it: {error}")
    called = {hit.split()[1].split("#")[0] for hit in canary.hits[before:]}
    found = {
        iri.removeprefix(base).split("#")[0]
        for clause in find_services(query)
        for r in clause.readings
        for iri in r.iris
    }
    # Nested SERVICEs are sent to the outer endpoint, which would call the inner ones.
    assert called <= found, (called, found)
    if name == "nested":
        assert found == {"/outer", "/inner"}
    elif name == "escaped quote in a string":
        assert found == {"/uchar"}  # the section 19.2 reading, see above
    else:
        assert found == called
