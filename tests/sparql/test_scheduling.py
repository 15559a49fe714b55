"""Fair sharing of the query workers: a short queue per client instead of an instant 429,
the least served client first, one worker kept for clients that run nothing yet."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from graph_service.sparql.scheduling import FairScheduler, NoWorkerInTime, TooManyQueries
from graph_service.web.app import create_app

QUERY = "ASK { ?s ?p ?o }"


def later(seconds: float = 5.0) -> float:
    return time.monotonic() + seconds


def hold(scheduler: FairScheduler, client: str, release: threading.Event, started: list):
    """A query of `client` that runs until `release` is set, in a thread of its own."""

    def run():
        with scheduler.slot(client, later(10)):
            started.append(client)
            release.wait(10)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def wait_until(condition, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.005)


def test_a_client_past_its_share_waits_instead_of_being_refused():
    scheduler = FairScheduler(capacity=4, per_client=2, max_waiting=8)
    release, started = threading.Event(), []
    threads = [hold(scheduler, "a", release, started) for _ in range(3)]
    wait_until(lambda: scheduler.running("a") == 2 and scheduler.waiting("a") == 1)
    release.set()
    for thread in threads:
        thread.join(10)
    assert started == ["a", "a", "a"]  # the third ran once one of the first two ended
    assert scheduler.running() == 0 and scheduler.waiting() == 0


def test_a_flood_from_one_client_is_refused_past_its_queue():
    scheduler = FairScheduler(capacity=2, per_client=1, max_waiting=2)
    release, started = threading.Event(), []
    threads = [hold(scheduler, "flood", release, started) for _ in range(3)]
    wait_until(lambda: scheduler.waiting("flood") == 2)
    with pytest.raises(TooManyQueries, match="limit per client"):
        with scheduler.slot("flood", later()):
            pass
    release.set()
    for thread in threads:
        thread.join(10)


def test_one_worker_stays_for_a_client_that_runs_nothing():
    """Two addresses with slow queries cannot take every worker."""
    scheduler = FairScheduler(capacity=4, per_client=2, max_waiting=8)
    release, started = threading.Event(), []
    threads = [hold(scheduler, client, release, started) for client in ("x", "x", "y", "y")]
    wait_until(lambda: scheduler.running() == 3 and scheduler.waiting() == 1)
    with scheduler.slot("newcomer", later(1)):  # the reserved worker
        assert scheduler.running("newcomer") == 1
    release.set()
    for thread in threads:
        thread.join(10)


def test_the_least_served_client_gets_the_next_worker():
    scheduler = FairScheduler(capacity=1, per_client=1, max_waiting=8, reserve=0)
    first, started = threading.Event(), []
    busy = hold(scheduler, "a", first, started)
    wait_until(lambda: scheduler.running("a") == 1)
    more_a, b = threading.Event(), threading.Event()
    queued = [hold(scheduler, "a", more_a, started)]
    wait_until(lambda: scheduler.waiting("a") == 1)
    queued.append(hold(scheduler, "b", b, started))
    wait_until(lambda: scheduler.waiting("b") == 1)
    first.set()
    wait_until(lambda: len(started) == 2)
    assert started == ["a", "a"]  # first come, first served between equals
    more_a.set()
    wait_until(lambda: len(started) == 3)
    b.set()
    for thread in [busy, *queued]:
        thread.join(10)


def test_waiting_ends_at_the_deadline():
    scheduler = FairScheduler(capacity=1, per_client=1, max_waiting=4, reserve=0)
    release, started = threading.Event(), []
    thread = hold(scheduler, "a", release, started)
    wait_until(lambda: scheduler.running("a") == 1)
    with pytest.raises(NoWorkerInTime):
        with scheduler.slot("b", later(0.2)):
            pass
    assert scheduler.waiting() == 0
    release.set()
    thread.join(10)


def test_a_slot_is_given_back_when_the_query_fails():
    scheduler = FairScheduler(capacity=2, per_client=1)
    with pytest.raises(RuntimeError, match="evaluation failed"):
        with scheduler.slot("a", later()):
            raise RuntimeError("evaluation failed")
    assert scheduler.running("a") == 0


def test_the_endpoint_queues_a_clients_third_query(test_config, loaded_store):
    """SPARQLWrapper and Comunica send a few queries at once and do not retry a 429."""
    app = create_app(replace(test_config, max_queries_per_client=1), store=loaded_store)
    client = app.test_client()
    busy = {"REMOTE_ADDR": "10.9.0.1"}
    with app.app_context():
        from graph_service.web.context import app_state

        release, started = threading.Event(), []
        holder = hold(app_state().scheduler, "10.9.0.1", release, started)
        wait_until(lambda: started)
        threading.Timer(0.3, release.set).start()
        queued = client.get("/sparql", query_string={"query": QUERY}, environ_base=busy)
        holder.join(10)
    assert queued.status_code == 200


def test_a_trusted_proxy_forwards_the_client_address(test_config, loaded_store):
    config = replace(test_config, trusted_proxies=("10.0.0.9",))
    app = create_app(config, store=loaded_store)
    with app.test_request_context(
        "/sparql",
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
        headers={"X-Forwarded-For": "203.0.113.7, 10.0.0.9"},
    ):
        from graph_service.web.context import client_address

        assert client_address() == "203.0.113.7"
    with app.test_request_context(
        "/sparql",
        environ_base={"REMOTE_ADDR": "198.51.100.1"},
        headers={"X-Forwarded-For": "1.2.3.4"},
    ):
        assert client_address() == "198.51.100.1"  # not a trusted proxy: its header is ignored
