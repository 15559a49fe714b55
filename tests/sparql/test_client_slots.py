import pytest

from graph_service.sparql.client_slots import ClientSlots, TooManyQueries
from graph_service.web.app import create_app

QUERY = "ASK { ?s ?p ?o }"


def test_each_client_holds_at_most_its_share():
    slots = ClientSlots(per_client=2)
    with slots.hold("10.0.0.1"), slots.hold("10.0.0.1"):
        with pytest.raises(TooManyQueries, match="limit per client"):
            with slots.hold("10.0.0.1"):
                pass
        with slots.hold("10.0.0.2"):
            assert slots.running("10.0.0.2") == 1
    assert slots.running("10.0.0.1") == 0
    with slots.hold("10.0.0.1"):
        assert slots.running("10.0.0.1") == 1


def test_a_slot_is_given_back_when_the_query_fails():
    slots = ClientSlots(per_client=1)
    with pytest.raises(RuntimeError, match="evaluation failed"):
        with slots.hold("10.0.0.1"):
            raise RuntimeError("evaluation failed")
    assert slots.running("10.0.0.1") == 0


def test_endpoint_answers_429_past_the_limit(test_config, loaded_store):
    from dataclasses import replace

    app = create_app(replace(test_config, max_queries_per_client=1), store=loaded_store)
    client = app.test_client()
    busy, free = {"REMOTE_ADDR": "10.9.0.1"}, {"REMOTE_ADDR": "10.9.0.2"}
    assert (
        client.get("/sparql", query_string={"query": QUERY}, environ_base=busy).status_code == 200
    )
    with app.app_context():
        from graph_service.web.context import app_state

        with app_state().slots.hold("10.9.0.1"):  # a query of that client still running
            refused = client.get("/sparql", query_string={"query": QUERY}, environ_base=busy)
            other = client.get("/sparql", query_string={"query": QUERY}, environ_base=free)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "5"
    assert "limit per client" in refused.get_data(as_text=True)
    assert other.status_code == 200
    assert (
        client.get("/sparql", query_string={"query": QUERY}, environ_base=busy).status_code == 200
    )
