"""Requests that used to hold a CPU for long before any limit applied."""

from __future__ import annotations

import pytest

from graph_service.sparql import tokens
from graph_service.sparql.federation import ServiceNotAllowed, check_query_services


@pytest.mark.parametrize(
    "text",
    [
        "service" * 14_000 + "\\u0041",  # 98 kB of `service` with one escape (50 s of CPU before)
        "PREFIX p: <http://x/> SELECT * { " + "service" * 14_000 + "p:x {} }",
        "SELECT * { " + "serviceSILENT" * 7_000 + "<http://x/> {} }",
    ],
)
def test_the_allow_list_scan_is_linear(monkeypatch, text):
    """Counted in tokenizer steps, not seconds: a bounded number of tokens read per
    character of the text (it read the rest of the text again at every `service`)."""
    calls = {"n": 0, "chars": 0}
    token_at = tokens.token_at

    def counting(text_, pos):
        token = token_at(text_, pos)
        calls["n"] += 1
        calls["chars"] += token.end - token.start if token else 0
        return token

    monkeypatch.setattr(tokens, "token_at", counting)
    tokens.find_services(text)
    assert calls["chars"] <= 4 * len(text) + 100


def test_a_service_hidden_in_a_long_prefix_is_still_found(config_without_partners):
    text = "PREFIX p: <http://unlisted.example/> SELECT * { " + "service" * 500 + "p:x {} }"
    with pytest.raises(ServiceNotAllowed):
        check_query_services(text, config_without_partners)


@pytest.fixture()
def config_without_partners(test_config, tmp_path):
    from dataclasses import replace

    registry = tmp_path / "federation.toml"
    registry.write_text("")
    return replace(test_config, federation_config=registry)
