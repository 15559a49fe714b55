"""/sparql on the on-disk store: queries run in worker processes that are killed at the
deadline (graph_service/query_workers.py). Live servers on an on-disk store in tmp_path: the
process runner, and the thread runner on the same store as the reference for every result."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import BASE, LiveServer, free_port
from support import PROCESS_GONE

from graph_service.sparql.processes import ProcessQueryRunner
from graph_service.sparql.runner import make_query_runner
from graph_service.sparql.threads import ThreadQueryRunner
from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.web.app import create_app

EX = "http://example.org/"
NUMBERS = 400
TIMEOUT = 2.0
TOKEN_HEADER = {"Authorization": "Bearer test-update-token"}
# COUNT yields nothing before the end of a 400^4-row cartesian product: it cannot be stopped
# between two solutions, only killed.
BLOCKING_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://example.org/n> ?w . "
    "?b <http://example.org/n> ?x . ?c <http://example.org/n> ?y . "
    "?d <http://example.org/n> ?z }"
)
COUNT_NUMBERS = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/n> ?o }"
ODD_TERMS = (
    "SELECT ?iri ?plain ?lang ?rtl ?typed ?triple ?unbound WHERE { "
    "VALUES (?iri ?plain ?lang ?rtl ?typed) { "
    '(<http://example.org/a?b=c&d> "tab\\there, \\"quoted\\"\\n<x>\\r" "Вена"@ru '
    '"فيينا"@ar--rtl "2024-07-04"^^<http://www.w3.org/2001/XMLSchema#date>) '
    '(<http://example.org/b> "" "x"@en-GB "y"@en--ltr 3.5) } '
    "BIND(<<( ?iri <http://example.org/p> <<( ?iri ?iri ?plain )>> )>> AS ?triple) }"
)
ALL_QUADS = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
SOLUTION_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
BOOLEAN_TYPES = ["application/sparql-results+json", "application/sparql-results+xml"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
SAME_AS_THREADS = (
    [(query, t) for query in (ALL_QUADS, ODD_TERMS, COUNT_NUMBERS) for t in SOLUTION_TYPES]
    + [(f"ASK {{ <{EX}r7> <{EX}n> 7 }}", t) for t in BOOLEAN_TYPES]
    + [(f"ASK {{ <{EX}r7> <{EX}n> 8 }}", t) for t in BOOLEAN_TYPES]
    + [
        (query, t)
        for query in (ALL_TRIPLES, f"DESCRIBE <{BASE}id/body/wg-tip>")
        for t in GRAPH_TYPES
    ]
)


def pid_exists(pid: int) -> bool:
    """A killed worker that was also reaped (no zombie) has no /proc entry."""
    return Path(f"/proc/{pid}").exists()


def has_exited(child_pid: int) -> bool:
    """Ready to be reaped (WNOWAIT: and not reaped by this check)."""
    return os.waitid(os.P_PID, child_pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def http(
    url: str,
    query: str | None = None,
    accept: str = "application/sparql-results+json",
    update: str | None = None,
) -> tuple[int, str, bytes]:
    if update is None:
        request = urllib.request.Request(
            f"{url}/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
        )
    else:
        request = urllib.request.Request(
            f"{url}/sparql",
            data=update.encode(),
            method="POST",
            headers={"Content-Type": "application/sparql-update", **TOKEN_HEADER},
        )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def count_in(body: bytes) -> str:
    (row,) = json.loads(body)["results"]["bindings"]
    return row["n"]["value"]


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory, sources) -> Store:
    """The curated sources and NUMBERS numbered resources in an on-disk store."""
    store = Store(tmp_path_factory.mktemp("disk") / "store")
    swap_in(store, sources)
    numbers = " ".join(f"<{EX}r{i}> <{EX}n> {i} ." for i in range(NUMBERS))
    store.update(f"INSERT DATA {{ GRAPH <{EX}numbers> {{ {numbers} }} }}")
    return store


@pytest.fixture(scope="module")
def config(test_config, disk_store, tmp_path_factory):
    return replace(test_config, store_path=disk_store.path, query_timeout=TIMEOUT)


@pytest.fixture(scope="module")
def thread_server(config, disk_store):
    """The same store behind the thread runner: the reference for every result."""
    app = create_app(config, store=disk_store)
    app.extensions["kg"].runner = ThreadQueryRunner(
        disk_store, timeout=config.query_timeout, max_rows=config.max_result_rows
    )
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def process_server(config, disk_store, thread_server, tmp_path_factory):
    registry = tmp_path_factory.mktemp("federation") / "federation.toml"
    registry.write_text(
        f'[[endpoint]]\nkey = "reference"\nname = "The thread runner"\n'
        f'endpoint = "{thread_server.url}/sparql"\ntimeout = 10\n'
    )
    app = create_app(replace(config, federation_config=registry), store=disk_store)
    server = LiveServer(app).start()
    status, _, _ = http(server.url, "ASK {}")  # the runner starts with the first query
    assert status == 200
    server.runner = app.extensions["kg"].runner
    yield server
    server.stop()
    pids = server.runner.worker_pids()
    server.runner.close()
    assert pids and not any(pid_exists(pid) for pid in pids)


def wait_for_full_pool(runner: ProcessQueryRunner) -> None:
    for _ in range(3000):
        if runner.idle_count() == runner.size == len(runner.worker_pids()):
            return
        time.sleep(0.01)
    raise AssertionError(f"the pool did not come back: {runner.worker_pids()}")


def test_the_store_decides_the_runner(process_server):
    assert isinstance(process_server.runner, ProcessQueryRunner)
    assert process_server.runner.size >= 2
    assert all(
        pid_exists(pid) and pid != os.getpid() for pid in process_server.runner.worker_pids()
    )
    assert isinstance(make_query_runner(Store(None), timeout=1, max_rows=10), ThreadQueryRunner)


@pytest.mark.parametrize(("query", "media_type"), SAME_AS_THREADS)
def test_results_are_identical_to_the_thread_runner(
    process_server, thread_server, query, media_type
):
    theirs = http(thread_server.url, query, media_type)
    ours = http(process_server.url, query, media_type)
    assert theirs[0] == 200 and theirs[1].startswith(media_type)
    assert ours == theirs


def test_blocking_query_is_killed_at_the_deadline_while_others_are_served(process_server):
    runner = process_server.runner
    wait_for_full_pool(runner)
    slow: dict = {}
    slow_call = threading.Thread(
        target=lambda: slow.update(answer=http(process_server.url, BLOCKING_QUERY))
    )
    slow_call.start()
    for _ in range(1000):
        if runner.busy_pids():
            break
        time.sleep(0.01)
    (slow_pid,) = runner.busy_pids()
    assert pid_exists(slow_pid)

    status, _, body = http(process_server.url, COUNT_NUMBERS)
    served_meanwhile = "answer" not in slow
    slow_call.join(60)

    assert status == 200 and count_in(body) == str(NUMBERS)
    assert served_meanwhile
    slow_status, _, slow_body = slow["answer"]
    assert slow_status == 503
    assert f"query exceeded the time limit of {TIMEOUT:g} s" in slow_body.decode()
    # Killed and reaped before the 503 was sent: its core is free.
    assert not pid_exists(slow_pid)
    wait_for_full_pool(runner)
    assert slow_pid not in runner.worker_pids()
    status, _, body = http(process_server.url, COUNT_NUMBERS)
    assert status == 200 and count_in(body) == str(NUMBERS)


def test_all_workers_busy_gives_503_then_recovers(process_server):
    runner = process_server.runner
    wait_for_full_pool(runner)
    taken = [runner._idle.get() for _ in range(runner.size)]  # as if evaluating
    try:
        status, _, body = http(process_server.url, COUNT_NUMBERS)
    finally:
        for worker in taken:
            runner._idle.put(worker)
    assert status == 503
    assert f"all {runner.size} query workers are busy" in body.decode()
    assert http(process_server.url, COUNT_NUMBERS)[0] == 200


def test_a_worker_killed_from_outside_is_replaced(process_server):
    runner = process_server.runner
    wait_for_full_pool(runner)
    victim = runner.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    for _ in range(1000):  # until it has died, all its threads too; nobody reaped it yet
        if has_exited(victim):
            break
        time.sleep(0.01)
    assert has_exited(victim) and pid_exists(victim)
    for _ in range(runner.size):  # one of them checks the victim out and finds it dead
        status, _, body = http(process_server.url, COUNT_NUMBERS)
        assert status == 200 and count_in(body) == str(NUMBERS)
    wait_for_full_pool(runner)
    assert victim not in runner.worker_pids()
    assert not pid_exists(victim)


def test_an_update_is_visible_to_the_next_query(process_server):
    graph = f"{BASE}graph/scratch-processes"
    ask = f"ASK {{ GRAPH <{graph}> {{ <{EX}new> <{EX}n> 1000 }} }}"
    assert b"false" in http(process_server.url, ask)[2]
    try:
        status, _, _ = http(
            process_server.url,
            update=(f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}new> <{EX}n> 1000 }} }}"),
        )
        assert status == 204
        for _ in range(process_server.runner.size):  # whichever worker answers
            assert b"true" in http(process_server.url, ask)[2]
        status, _, body = http(process_server.url, COUNT_NUMBERS)
        assert count_in(body) == str(NUMBERS + 1)
    finally:
        assert http(process_server.url, update=f"DROP GRAPH <{graph}>")[0] == 204
    assert b"false" in http(process_server.url, ask)[2]


def test_errors_come_back_from_the_workers(process_server):
    status, _, body = http(process_server.url, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400 and body.startswith(b"malformed query: error at 1:")
    status, _, body = http(process_server.url, f"SELECT * WHERE {{ SERVICE <{EX}sparql> {{}} }}")
    assert status == 403 and b"http://example.org/sparql" in body


def test_service_calls_run_inside_the_worker(process_server, thread_server):
    query = f"SELECT ?n WHERE {{ SERVICE <{thread_server.url}/sparql> {{ {COUNT_NUMBERS} }} }}"
    status, _, body = http(process_server.url, query)
    assert status == 200, body
    assert count_in(body) == str(NUMBERS)


JSON_WANTED = {"boolean": "json", "solutions": "json", "graph": "turtle"}


def test_row_limit_and_close(disk_store):
    runner = ProcessQueryRunner(disk_store, timeout=TIMEOUT, max_rows=3, workers=1)
    pids = runner.worker_pids()
    try:
        cut = runner.run(f"SELECT ?s WHERE {{ ?s <{EX}n> ?o }}", wanted=JSON_WANTED)
        assert (cut.header.truncated, cut.header.count) == (True, 3)
        rows = json.loads(b"".join(cut.chunks()))["results"]["bindings"]
        assert len(rows) == 3
        whole = runner.run(f"SELECT ?s WHERE {{ ?s <{EX}n> ?o }} LIMIT 3", wanted=JSON_WANTED)
        assert (whole.header.truncated, whole.header.count) == (False, 3)
    finally:
        runner.close()
    assert len(pids) == 1 and not pid_exists(pids[0])
    assert runner.worker_pids() == []


def children(pid: int) -> list[int]:
    """Per thread in /proc: the workers are started by the request threads."""
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def cpu_ticks(pid: int) -> int:
    return sum(map(int, Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]))


def gone_or_zombie(pid: int) -> bool:
    """A zombie uses no CPU; whoever adopted it (PID 1) reaps it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except PROCESS_GONE:
        return True


def test_workers_stop_when_kg_serve_is_killed(tmp_path):
    """Even the worker in the middle of a blocking evaluation (its watchdog sees the parent
    gone); the idle ones see the end of their socket."""
    store = Store(tmp_path / "store")
    numbers = " ".join(f"<{EX}r{i}> <{EX}n> {i} ." for i in range(NUMBERS))
    store.update(f"INSERT DATA {{ GRAPH <{EX}numbers> {{ {numbers} }} }}")
    del store  # releases the RocksDB lock for `kg serve`
    port = free_port()
    server = subprocess.Popen(
        # One serving process: its query workers are its children (tests/cli/test_prefork.py
        # kills a server of several processes).
        [str(Path(sys.executable).parent / "kg"), "serve", "--port", str(port), "--processes", "1"],
        env={**os.environ, "KG_STORE": str(tmp_path / "store"), "KG_QUERY_TIMEOUT": "60"},
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                status, _, _ = http(url, COUNT_NUMBERS)
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        assert status == 200
        workers = children(server.pid)
        assert len(workers) >= 2
        before = {pid: cpu_ticks(pid) for pid in workers}
        cut: list[OSError] = []

        def blocking_call():
            try:
                http(url, BLOCKING_QUERY)
            except OSError as error:  # the server is killed before it answers
                cut.append(error)

        caller = threading.Thread(target=blocking_call)
        caller.start()
        for _ in range(3000):  # until one worker is computing
            if any(cpu_ticks(pid) > before[pid] + 5 for pid in workers):
                break
            time.sleep(0.01)
        assert any(cpu_ticks(pid) > before[pid] + 5 for pid in workers)
    finally:
        server.kill()
        server.wait()
    caller.join(60)
    assert cut
    for _ in range(1000):
        if all(gone_or_zombie(pid) for pid in workers):
            break
        time.sleep(0.01)
    assert all(gone_or_zombie(pid) for pid in workers)


def test_unknown_extension_function_is_unbound_in_the_workers_too(process_server):
    query = "SELECT (<http://example.org/no-such-function>(1) AS ?x) (2 AS ?y) {}"
    status, _, body = http(process_server.url, query)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"] == [
        {
            "y": {
                "type": "literal",
                "value": "2",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            }
        }
    ]


def test_pool_size_comes_from_the_configuration(disk_store, monkeypatch):
    from graph_service.config import Config

    monkeypatch.setenv("KG_QUERY_WORKERS", "3")
    config = Config.from_env()
    assert config.query_workers == 3
    runner = make_query_runner(disk_store, timeout=5, max_rows=10, workers=config.query_workers)
    try:
        assert runner.size == 3
        answer = runner.run("ASK {}", wanted=JSON_WANTED)
        assert json.loads(b"".join(answer.chunks()))["boolean"] is True
        wait_for_full_pool(runner)
        assert len(runner.worker_pids()) == 3
    finally:
        runner.close()


def http_from(source: str, url: str, query: str) -> tuple[int, dict, bytes]:
    """A GET to /sparql from another loopback address (127.0.0.2 is a second client)."""
    import http.client

    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parsed.hostname, parsed.port, timeout=60, source_address=(source, 0)
    )
    try:
        connection.request(
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_one_clients_slow_queries_leave_workers_for_the_others(process_server):
    runner = process_server.runner
    wait_for_full_pool(runner)
    assert runner.size >= 4
    answers: list = []
    slow_calls = [
        threading.Thread(
            target=lambda: answers.append(
                http_from("127.0.0.1", process_server.url, BLOCKING_QUERY)
            )
        )
        for _ in range(2)
    ]
    for call in slow_calls:
        call.start()
    for _ in range(1000):
        if len(runner.busy_pids()) == 2:
            break
        time.sleep(0.01)
    assert len(runner.busy_pids()) == 2

    other_client = http_from("127.0.0.2", process_server.url, COUNT_NUMBERS)
    still_running = len(answers) == 0
    # The same client's third query waits for one of its first two, then runs: not a 429.
    # Sent a second later, so that its own time limit outlasts theirs.
    time.sleep(1.0)
    third = http_from("127.0.0.1", process_server.url, COUNT_NUMBERS)
    for call in slow_calls:
        call.join(60)

    assert other_client[0] == 200 and count_in(other_client[2]) == str(NUMBERS)
    assert still_running
    assert third[0] == 200 and count_in(third[2]) == str(NUMBERS)
    assert sorted(status for status, _, _ in answers) == [503, 503]
    wait_for_full_pool(runner)
