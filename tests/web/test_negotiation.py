"""graph_service.negotiation: Accept parsing with q-values, specificity, `format` override."""

import pytest

from graph_service.web.negotiation import choose, parse_accept, quality_of

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
GRAPHS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


def test_parse_accept_reads_q_values_and_defaults_to_one():
    assert parse_accept("text/turtle;q=0.8, application/ld+json") == [
        ("text", "turtle", 0.8),
        ("application", "ld+json", 1.0),
    ]


def test_missing_or_empty_accept_means_anything():
    assert parse_accept(None) == [("*", "*", 1.0)]
    assert parse_accept("  ") == [("*", "*", 1.0)]
    assert choose(None, GRAPHS) == "text/turtle"


def test_malformed_ranges_are_ignored_and_bad_q_is_zero():
    ranges = parse_accept("garbage, text/csv;q=abc, text/turtle")
    assert ranges == [("text", "csv", 0.0), ("text", "turtle", 1.0)]


@pytest.mark.parametrize(
    ("accept", "offered", "expected"),
    [
        ("text/csv", RESULTS, "text/csv"),
        (
            "text/csv;q=0.5, application/sparql-results+xml",
            RESULTS,
            "application/sparql-results+xml",
        ),
        ("*/*", RESULTS, "application/sparql-results+json"),
        ("text/*", RESULTS, "text/csv"),
        ("application/*;q=0.2, text/csv;q=0.9", RESULTS, "text/csv"),
        # the most specific range decides: text/csv;q=0 beats */*
        (
            "text/csv;q=0, */*;q=0.1",
            ["text/csv", "application/sparql-results+json"],
            "application/sparql-results+json",
        ),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.9", GRAPHS, "text/turtle"),
        ("application/ld+json, text/turtle;q=0.5", GRAPHS, "application/ld+json"),
        ("TEXT/TURTLE", GRAPHS, "text/turtle"),
        ("image/png", GRAPHS, None),
        ("text/turtle;q=0", GRAPHS, None),
    ],
)
def test_choose_by_q_value(accept, offered, expected):
    assert choose(accept, offered) == expected


def test_quality_of_uses_most_specific_range():
    ranges = parse_accept("text/*;q=0.3, text/html;q=0.7, */*;q=0.1")
    assert quality_of("text/html", ranges) == 0.7
    assert quality_of("text/plain", ranges) == 0.3
    assert quality_of("image/png", ranges) == 0.1


@pytest.mark.parametrize(
    ("format_param", "offered", "expected"),
    [
        ("json", RESULTS, "application/sparql-results+json"),
        ("json", GRAPHS, "application/ld+json"),
        ("xml", GRAPHS, "application/rdf+xml"),
        ("ttl", GRAPHS, "text/turtle"),
        ("nt", GRAPHS, "application/n-triples"),
        ("application/rdf+xml", GRAPHS, "application/rdf+xml"),
        ("tsv", RESULTS, None),
        ("nonsense", GRAPHS, None),
    ],
)
def test_format_parameter_overrides_accept(format_param, offered, expected):
    assert choose("text/turtle", offered, format_param) == expected


def test_custom_aliases():
    assert choose(None, ["text/html"], "page", {"page": ("text/html",)}) == "text/html"
