def test_health_reports_store_status(client, loaded_store):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["store"] == "memory"
    assert body["triples"] == loaded_store.stats()["triples"]
