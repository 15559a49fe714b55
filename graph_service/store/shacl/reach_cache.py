"""The routes of SPARQL constraints (`reach.query_reach`), kept as JSON files in
var/cache/reach/, one per query and version of the code. A file that cannot be read or
written is ignored: the routes are computed again."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass

from graph_service.config import PROJECT_ROOT
from graph_service.store.shacl.paths import Path, Route

FOLDER = PROJECT_ROOT / "var" / "cache" / "reach"
MOST = 1000  # files kept; past that, the older half is removed (other shapes, old code)


@dataclass(frozen=True)
class Cached:
    routes: tuple[Route, ...] | None


def to_path(data: dict) -> Path:
    return Path(**{**data, "parts": tuple(to_path(p) for p in data["parts"])})


def to_route(data: dict) -> Route:
    return Route(**{**data, "steps": tuple(to_path(p) for p in data["steps"])})


def read(key: str) -> Cached | None:
    try:
        data = json.loads((FOLDER / f"{key}.json").read_text())
        routes = data["routes"]
        return Cached(None if routes is None else tuple(to_route(r) for r in routes))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(key: str, routes: tuple[Route, ...] | None) -> None:
    data = {"routes": None if routes is None else [asdict(r) for r in routes]}
    try:
        FOLDER.mkdir(parents=True, exist_ok=True)
        prune()
        handle, temporary = tempfile.mkstemp(dir=FOLDER, suffix=".tmp")
        with os.fdopen(handle, "w") as file:
            json.dump(data, file)
        os.replace(temporary, FOLDER / f"{key}.json")  # whole or not at all, for other processes
    except OSError:
        pass


def prune() -> None:
    files = list(FOLDER.glob("*.json"))
    if len(files) < MOST:
        return
    files.sort(key=lambda f: f.stat().st_mtime)
    for file in files[: len(files) // 2]:
        file.unlink(missing_ok=True)
