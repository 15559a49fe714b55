"""Requests that used to take a worker or the server past gigabytes: every worker has a
memory limit and the server only passes answers on, through a spooled file, so a memory
bomb leaves both under their limits while a cheap query from someone else is answered."""

from __future__ import annotations

import threading
import time

import pytest
from servers import NUMBERS
from support import rss_kb, sparql_get

from graph_service.cli.serve import WAITRESS_OPTIONS

# a product of 2.7e10 rows to sort
BOMB = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i LIMIT 1"
CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def worker_rss_kb(runner) -> list[int]:
    return [rss_kb(pid) for pid in runner.worker_pids()]


def test_a_memory_bomb_meets_the_worker_limit_while_others_are_served(limited_server):
    runner = limited_server.app.extensions["kg"].runner
    server_before = rss_kb()
    answers: dict = {}

    def bomb():
        answers["bomb"] = sparql_get(limited_server.url, BOMB)

    attacker = threading.Thread(target=bomb)
    attacker.start()
    time.sleep(0.5)  # the bomb is being evaluated
    cheap = sparql_get(limited_server.url, CHEAP, source="127.0.0.2")
    peak_workers = max(worker_rss_kb(runner), default=0)
    attacker.join(60)

    assert cheap[0] == 200 and f'"{NUMBERS}"'.encode() in cheap[2]
    status, _, body = answers["bomb"]
    assert status == 503 and b"memory limit of a query" in body, body[:300]
    limit_kb = limited_server.app.extensions["kg"].config.worker_memory_mb * 1024
    assert peak_workers < limit_kb + 100_000  # data limit plus code and mapped files
    assert rss_kb() - server_before < 100_000  # the server itself did not grow


def big_answer(kb_per_row: int) -> str:
    """One row per number, each `kb_per_row` kB of text: NUMBERS * kb_per_row kB in all."""
    return (
        "SELECT ?s ?big WHERE { ?s <http://example.org/n> ?n "
        'BIND(CONCAT(STR(?n), REPLACE(STR(?n), "^.*$", "'
        + "x" * (kb_per_row * 1000)
        + '")) AS ?big) }'
    )


def transfer(server, text: str) -> tuple[int, int, bytes]:
    """GET the query as CSV, read in chunks and kept only when it is an error."""
    import http.client
    import urllib.parse

    parsed = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    connection.request(
        "GET", "/sparql?" + urllib.parse.urlencode({"query": text}), headers={"Accept": "text/csv"}
    )
    response = connection.getresponse()
    if response.status != 200:
        body = response.read()
        connection.close()
        return response.status, len(body), body
    received = 0
    while chunk := response.read(65536):
        received += len(chunk)
    connection.close()
    return response.status, received, b""


def test_huge_answers_pass_through_the_server_without_growing_it(limited_server):
    """About 30 MB of answer: the server copies it to a spooled file and on to the client in
    chunks, never holding it whole. Measured with tracemalloc (the Python allocations of this
    process, where the server runs, at their peak during the transfer): what waitress keeps
    for a client slower than the server (at most WAITRESS_OPTIONS' high watermark, 4 MB),
    the spool's first MB and a few chunks, not 30 MB."""
    import tracemalloc

    query = big_answer(10)
    assert transfer(limited_server, query + " LIMIT 2")[0] == 200
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        status, received, _ = transfer(limited_server, query)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 200 and received > NUMBERS * 10_000
    assert peak - before < WAITRESS_OPTIONS["outbuf_high_watermark"] + 3_000_000  # bytes


@pytest.mark.parametrize("kb_per_row", [20, 40])
def test_an_answer_too_big_for_a_workers_memory_is_a_503_that_says_so(limited_server, kb_per_row):
    """About 60 and 120 MB of answer under a 300 MB limit: the worker runs out while it builds
    or writes the answer, in Python (a MemoryError, at 60 MB when measured) or in the engine
    (an abort), and the client is told why either way."""
    status, _, body = transfer(limited_server, big_answer(kb_per_row))
    assert status == 503, body[:300]
    assert b"memory limit of a query" in body and b"300 MB" in body, body[:300]
    # the pool is whole again: the next query is answered
    assert transfer(limited_server, big_answer(1) + " LIMIT 1")[0] == 200
