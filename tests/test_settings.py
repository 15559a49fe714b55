"""One settings table: every Config field is a Setting, read from its KG_* variable, and
documented in docs/settings.md with its variable and default."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from graph_service.config import PROJECT_ROOT, SETTINGS, Config, SettingError, defaults

DOC = (PROJECT_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
ROWS = {
    match.group(1): line for line in DOC.splitlines() if (match := re.match(r"\| `(\w+)` \|", line))
}


def test_every_config_field_is_a_setting_and_every_setting_a_field():
    assert [s.name for s in SETTINGS] == [f.name for f in fields(Config)]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_setting_is_documented_with_its_variable_and_default(setting):
    row = ROWS.get(setting.name)
    assert row is not None, f"docs/settings.md has no row for {setting.name}"
    if setting.env:
        assert f"`{setting.env}`" in row
    default = defaults()[setting.name]
    if isinstance(default, Path):
        shown = str(default.relative_to(PROJECT_ROOT))
    elif default == ():
        shown = "none"
    elif isinstance(default, tuple):
        shown = str(default[0].relative_to(PROJECT_ROOT))
    elif default is None:
        shown = "0" if setting.name in ("query_workers", "serve_processes") else "none"
    else:
        shown = str(default)
    assert shown in row, f"{setting.name}: default {shown!r} not in {row!r}"


def test_variables_are_read_and_bad_values_named(monkeypatch):
    monkeypatch.setenv("KG_PORT", "8123")
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("KG_QUERY_WORKERS", "0")
    config = Config.from_env()
    assert (config.port, config.query_timeout, config.query_workers) == (8123, 2.5, None)
    assert Config.from_env(port=9000).port == 9000  # the command line wins
    monkeypatch.setenv("KG_PORT", "http")
    with pytest.raises(SettingError, match="KG_PORT='http'"):
        Config.from_env()


def test_a_bad_variable_stops_kg_with_a_usage_error(monkeypatch, capsys):
    from graph_service.cli import main

    monkeypatch.setenv("KG_MAX_RESULT_ROWS", "-3")
    assert main(["query", "ASK {}"]) == 2
    assert "KG_MAX_RESULT_ROWS='-3'" in capsys.readouterr().err
