"""`kg serve --processes 2`: a real server on 127.0.0.1 with two serving processes and the
writer process over one on-disk store (graph_service/cli/prefork.py, decision 0011). No
timing is asserted: loops wait for a state, bounded in count."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from conftest import free_port
from support import PROCESS_GONE

from graph_service.store import Store

EX = "http://example.org/"
TOKEN = "prefork-test-token"
NUMBERS = 200
# NUMBERS**3 rows (8 million): still running when the server is told to stop
SLOW = f"SELECT (COUNT(*) AS ?o) {{ ?a <{EX}n> ?x . ?b <{EX}n> ?y . ?c <{EX}n> ?z }}"
SCRATCH = f"{EX}scratch"


def descendants(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except PROCESS_GONE:
        return []
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except PROCESS_GONE:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except PROCESS_GONE:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except PROCESS_GONE:
        return False
    return state != "Z"


class Server:
    def __init__(self, store_path: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "kg"), "serve", "--processes", "2"]
            + ["--port", str(self.port), "--threads", "4"],
            env={
                **os.environ,
                "KG_STORE": str(store_path),
                "KG_UPDATE_TOKEN": TOKEN,
                "KG_QUERY_WORKERS": "2",
                "KG_QUERY_TIMEOUT": "60",
            },
            stdout=subprocess.DEVNULL,
        )
        for _ in range(600):
            try:
                self.health()
                return
            except OSError:
                assert self.process.poll() is None, "kg serve stopped"
                time.sleep(0.1)
        raise AssertionError("kg serve did not answer")

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def health(self, conn: http.client.HTTPConnection | None = None) -> dict:
        conn = conn or self.connect()
        conn.request("GET", "/health")
        response = conn.getresponse()
        return json.loads(response.read())

    def connections_to_each_process(self, wanted: int = 2) -> dict[int, http.client.HTTPConnection]:
        """A keep-alive connection to each serving process (a connection stays with the
        process that accepted it)."""
        connections: dict[int, http.client.HTTPConnection] = {}
        for _ in range(500):
            conn = self.connect()
            pid = self.health(conn)["process"]
            if pid in connections:
                conn.close()
            else:
                connections[pid] = conn
            if len(connections) == wanted:
                return connections
        raise AssertionError(f"requests reached only the processes {sorted(connections)}")

    def serving_pids(self) -> list[int]:
        return [
            pid
            for pid in descendants(self.process.pid)
            if "kg serve" in command_line(pid) and alive(pid)
        ]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def query(conn: http.client.HTTPConnection, text: str) -> tuple[int, bytes]:
    conn.request(
        "GET",
        "/sparql?" + urllib.parse.urlencode({"query": text}),
        headers={"Accept": "application/sparql-results+json"},
    )
    response = conn.getresponse()
    return response.status, response.read()


def update(conn: http.client.HTTPConnection, text: str) -> tuple[int, bytes]:
    conn.request(
        "POST",
        "/sparql",
        body=text.encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    response = conn.getresponse()
    return response.status, response.read()


def values(body: bytes) -> set[str]:
    return {row["o"]["value"] for row in json.loads(body)["results"]["bindings"]}


def numbers_store(folder: Path) -> Path:
    """An on-disk store of NUMBERS numbers, closed again: the writer process opens it."""
    path = folder / "store"
    store = Store(path)
    numbers = " ".join(f"<{EX}r{i}> <{EX}n> {i} ." for i in range(NUMBERS))
    store.update(f"INSERT DATA {{ GRAPH <{EX}numbers> {{ {numbers} }} }}")
    del store
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(numbers_store(tmp_path_factory.mktemp("prefork")))
    yield running
    running.stop()


def test_requests_are_answered_by_several_processes(server):
    connections = server.connections_to_each_process()
    assert set(connections) <= set(server.serving_pids())
    for conn in connections.values():
        status, body = query(conn, f"SELECT (COUNT(*) AS ?o) {{ ?s <{EX}n> ?n }}")
        assert status == 200
        assert values(body) == {str(NUMBERS)}


def test_a_write_through_one_process_is_seen_by_every_other_at_once(server):
    connections = list(server.connections_to_each_process().values())
    for round_, (writer, reader) in enumerate([connections, connections[::-1]]):
        value = f"value {round_}"
        status, body = update(
            writer, f'INSERT DATA {{ GRAPH <{SCRATCH}> {{ <{EX}a> <{EX}b> "{value}" }} }}'
        )
        assert status == 204, body
        for conn in (reader, writer):
            status, body = query(conn, f"SELECT ?o {{ <{EX}a> <{EX}b> ?o }}")
            assert status == 200
            assert value in values(body)


def test_a_write_that_breaks_the_shapes_changes_nothing_anywhere(server):
    connections = list(server.connections_to_each_process().values())
    meeting = f"{EX}meeting-without-anything"
    status, body = update(
        connections[0],
        f"INSERT DATA {{ GRAPH <{SCRATCH}> {{ <{meeting}> a "
        "<https://w3id.org/untoc/ontology#Meeting> } }",
    )
    assert status == 422, body
    assert b"violates the shapes" in body and meeting.encode() in body  # the writer's report
    for conn in connections:
        status, body = query(conn, f"SELECT ?o {{ <{meeting}> ?p ?o }}")
        assert status == 200
        assert values(body) == set()


def test_reads_keep_working_while_another_process_writes(server):
    reader, writer = list(server.connections_to_each_process().values())
    counter = f"{EX}counter"
    seen: list[tuple[int, int]] = []
    writing = threading.Event()
    writing.set()

    def read() -> None:  # on the process that does not write
        while writing.is_set() or len(seen) < 2:
            status, body = query(reader, f"SELECT (COUNT(*) AS ?o) {{ <{counter}> <{EX}n> ?x }}")
            seen.append((status, int(next(iter(values(body)))) if status == 200 else -1))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for i in range(10):
            status, body = update(
                writer, f"INSERT DATA {{ GRAPH <{SCRATCH}> {{ <{counter}> <{EX}n> {i} }} }}"
            )
            assert status == 204, body
    finally:
        writing.clear()
        thread.join(120)
    assert {status for status, _ in seen} == {200}
    counts = [count for _, count in seen]
    assert counts == sorted(counts)  # never an older state after a newer one
    for conn in server.connections_to_each_process().values():
        status, body = query(conn, f"SELECT (COUNT(*) AS ?o) {{ <{counter}> <{EX}n> ?x }}")
        assert values(body) == {"10"}


def test_a_graph_store_write_is_seen_by_every_process(server):
    connections = list(server.connections_to_each_process().values())
    graph = urllib.parse.quote(f"{EX}posted", safe="")
    connections[1].request(
        "PUT",
        f"/store?graph={graph}",
        body=f'<{EX}c> <{EX}d> "put" .'.encode(),
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"},
    )
    response = connections[1].getresponse()
    assert response.status == 201, response.read()
    response.read()
    for conn in connections:
        status, body = query(conn, f"SELECT ?o {{ <{EX}c> <{EX}d> ?o }}")
        assert values(body) == {"put"}


def test_a_killed_serving_process_is_replaced(server):
    before = server.serving_pids()
    assert len(before) == 2
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    for _ in range(600):
        now = server.serving_pids()
        if victim not in now and len(now) == 2:
            break
        time.sleep(0.1)
    assert victim not in now and len(now) == 2
    connections = server.connections_to_each_process()
    assert victim not in connections
    for conn in connections.values():  # the new process sees the store as it is
        status, body = query(conn, f"SELECT ?o {{ <{EX}a> <{EX}b> ?o }}")
        assert status == 200 and "value 1" in values(body)


def test_graceful_shutdown_answers_the_request_under_way_and_leaves_no_process(tmp_path):
    server = Server(numbers_store(tmp_path))
    try:
        server.connections_to_each_process()
        status, _ = query(server.connect(), "ASK {}")  # starts the query workers
        family = descendants(server.process.pid)
        assert any("graph_service.store.writer" in command_line(pid) for pid in family)
        answer: list[tuple[int, bytes]] = []
        caller = threading.Thread(target=lambda: answer.append(query(server.connect(), SLOW)))
        caller.start()
        time.sleep(0.3)
        server.process.send_signal(signal.SIGTERM)
        caller.join(120)
        assert answer and answer[0][0] == 200, answer
        assert values(answer[0][1]) == {str(NUMBERS**3)}
        assert server.process.wait(60) == 0
        family = descendants(server.process.pid) + family
        for _ in range(300):
            if not any(alive(pid) for pid in family):
                break
            time.sleep(0.1)
        assert not [pid for pid in family if alive(pid)]
    finally:
        server.stop()


def test_the_query_workers_are_shared_out_among_the_processes():
    from graph_service.cli.prefork import per_process
    from graph_service.config import Config

    assert per_process(Config(query_workers=4), 2).query_workers == 2
    assert per_process(Config(query_workers=5), 2).query_workers == 3
    assert per_process(Config(query_workers=1), 4).query_workers == 1


def test_forwarded_headers_are_trusted_only_from_the_configured_proxies():
    from graph_service.cli.prefork import gunicorn_options
    from graph_service.config import Config

    def allowed(config: Config) -> str:
        return gunicorn_options(config, 2, 4, lambda _: None)["forwarded_allow_ips"]

    assert allowed(Config()) == ""
    assert allowed(Config(trusted_proxies=("10.0.0.1", "::1"))) == "10.0.0.1,::1"


def test_a_killed_server_leaves_no_process(tmp_path):
    """SIGKILL to `kg serve` itself: the serving processes see their parent gone, the query
    workers and the writer theirs, even in the middle of an evaluation."""
    server = Server(numbers_store(tmp_path))
    try:
        for conn in server.connections_to_each_process().values():
            assert query(conn, "ASK {}")[0] == 200  # starts each process's query workers
        caller = threading.Thread(target=lambda: _ignore_errors(query, server.connect(), SLOW))
        caller.start()
        family = descendants(server.process.pid)
        assert len(family) >= 5  # two serving processes, the writer, a query worker each
        runtime = runtime_folder(family[0])
        assert runtime.is_dir()
        server.process.kill()
        server.process.wait()
        caller.join(60)
        for _ in range(600):
            if not any(alive(pid) for pid in family):
                break
            time.sleep(0.1)
        assert not [pid for pid in family if alive(pid)]
        assert not runtime.exists()  # removed by the writer, as kg serve could not
    finally:
        server.stop()


def runtime_folder(pid: int) -> Path:
    """The folder of the server's socket and change state, which `pid` maps into memory."""
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        if line.endswith("/changes") and "kg-serve-" in line:
            return Path(line.split()[-1]).parent
    raise AssertionError(f"process {pid} maps no change state")


def _ignore_errors(function, *args) -> None:
    try:
        function(*args)
    except (OSError, http.client.HTTPException):
        pass  # the server was killed before it answered
