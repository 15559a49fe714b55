"""HTTP to a remote engine: SPARQL Protocol queries and updates (always form POSTs, which
every engine reads; Virtuoso 7.2 never answers a direct POST), Graph Store GET and PUT.
Every failure becomes an `EngineError` carrying the HTTP status our client gets: the
engine's own 4xx for a request it refuses, 502 when it fails, 503 when it cannot be
reached, 504 when it does not answer in time; the message names the engine, never a password."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

from graph_service.store.remote.endpoints import Endpoints

FORM = "application/x-www-form-urlencoded"
# Virtuoso echoes each dataset parameter as a response header (`X-SPARQL-default-graph`):
# a query over the app's graphs gets two headers per graph, past http.client's limit of 100.
setattr(http.client, "_MAXHEADERS", max(getattr(http.client, "_MAXHEADERS", 100), 100_000))  # noqa: B010
MAX_MESSAGE = 1000  # characters of an engine's error text passed on


class EngineError(Exception):
    """A request to the remote engine failed; `status` is what our client should get."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Reply:
    content_type: str
    body: bytes
    headers: dict[str, str]


class EngineClient:
    def __init__(self, endpoints: Endpoints, timeout: float):
        self.endpoints = endpoints
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if endpoints.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (endpoints.query, endpoints.update, endpoints.graph_store):
                if url:
                    passwords.add_password(None, url, endpoints.user, endpoints.password or "")
            handlers += [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    def query(
        self,
        sparql: str,
        accept: str,
        dataset: Iterable[tuple[str, str]] = (),
        timeout: float | None = None,
    ) -> Reply:
        form = urllib.parse.urlencode([("query", sparql), *dataset]).encode()
        return self._send(
            self.endpoints.query, form, {"Content-Type": FORM, "Accept": accept}, "POST", timeout
        )

    def update(self, sparql: str) -> None:
        form = urllib.parse.urlencode([("update", sparql)]).encode()
        self._send(self.endpoints.update, form, {"Content-Type": FORM}, "POST")

    def get_graph(self, graph: str, accept: str) -> Reply | None:
        """The graph's triples, or None when the engine has no such graph."""
        try:
            return self._send(self._graph_url(graph), None, {"Accept": accept}, "GET")
        except EngineError as error:
            if error.status == 404:
                return None
            raise

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        headers = {"Content-Type": "application/n-triples"}
        self._send(self._graph_url(graph), ntriples, headers, "PUT")

    def _graph_url(self, graph: str) -> str:
        assert self.endpoints.graph_store is not None
        return f"{self.endpoints.graph_store}?{urllib.parse.urlencode({'graph': graph})}"

    def _send(
        self,
        url: str,
        data: bytes | None,
        headers: dict[str, str],
        method: str,
        timeout: float | None = None,
    ) -> Reply:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        where = self.endpoints.origin
        seconds = timeout or self.timeout
        try:
            with self._opener.open(request, timeout=seconds) as response:
                body = response.read()
                return Reply(
                    response.headers.get("Content-Type", ""), body, dict(response.headers.items())
                )
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            # Virtuoso repeats the whole query after its message: not worth passing on.
            text = text.split("\nSPARQL query:", 1)[0].strip()[:MAX_MESSAGE]
            status = error.code if error.code in (400, 404) else 502
            raise EngineError(
                status, f"the SPARQL engine at {where} answered {error.code}: {text}"
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(error, TimeoutError) or isinstance(reason, TimeoutError):
                raise EngineError(
                    504, f"the SPARQL engine at {where} did not answer within {seconds:g} s"
                ) from None
            raise EngineError(
                503, f"the SPARQL engine at {where} cannot be reached: {reason}"
            ) from None
