"""Requests that used to take a worker or the server past gigabytes: every worker has a
memory limit and the server only passes answers on, through a spooled file, so a memory
bomb leaves both under their limits while a cheap query from someone else is answered."""

from __future__ import annotations

import threading
import time

from servers import NUMBERS
from support import rss_kb, sparql_get

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


def test_huge_answers_pass_through_the_server_without_growing_it(limited_server):
    """About 30 MB of answer: the server copies it to a spooled file and on to the client in
    chunks, never holding it whole (this test reads it in chunks and keeps none)."""
    import http.client
    import urllib.parse

    query = (
        "SELECT ?s ?big WHERE { ?s <http://example.org/n> ?n "
        'BIND(CONCAT(STR(?n), REPLACE(STR(?n), "^.*$", "' + "x" * 10_000 + '")) AS ?big) }'
    )
    parsed = urllib.parse.urlsplit(limited_server.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    before = rss_kb()
    connection.request(
        "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"}
    )
    response = connection.getresponse()
    received = 0
    while chunk := response.read(65536):
        received += len(chunk)
    connection.close()
    assert response.status == 200 and received > NUMBERS * 10_000
    assert rss_kb() - before < 20_000  # kB: well under the 30 MB that passed through
