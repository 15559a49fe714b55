def test_health_reports_store_status(app, client, loaded_store):
    app.extensions["kg"].aggregates.get("graph-sizes")  # counted (off the request path)
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["store"] == "memory"
    assert body["triples"] == loaded_store.stats()["triples"]
    assert body["graphs"] == len(loaded_store.stats()["graphs"])
