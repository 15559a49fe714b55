"""Reading from other servers (LOAD sources, federation partners) without letting them send
us elsewhere or send too much: a redirect is followed only to an address that is itself
allowed, the body is read up to a limit, and every request has a time limit."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Allowed = Callable[[str], bool]


class FetchRefused(Exception):
    """The source is not allowed, redirects elsewhere, is too large or failed."""

    def __init__(self, message: str, status: int = 502):
        super().__init__(message)
        self.status = status


class GuardedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allowed: Allowed):
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self.allowed(newurl):
            raise FetchRefused(
                f"{req.full_url} redirects to {newurl}, which is not on the allow-list",
                status=403,
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(allowed: Allowed) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(GuardedRedirects(allowed))


@contextmanager
def guarded_urlopen(allowed: Allowed) -> Iterator[None]:
    """While inside, `urllib.request.urlopen` (which SPARQLWrapper calls) follows only
    allowed redirects. For the command line, which runs one job at a time."""
    previous = urllib.request._opener  # type: ignore[attr-defined]
    urllib.request.install_opener(opener(allowed))
    try:
        yield
    finally:
        urllib.request.install_opener(previous)


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes


def fetch(url: str, allowed: Allowed, *, accept: str, max_bytes: int, timeout: float) -> Fetched:
    if not allowed(url):
        raise FetchRefused(f"{url} is not on the allow-list of this endpoint", status=403)
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with opener(allowed).open(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchRefused(f"{url} sends more than {max_bytes} bytes, the limit", 413)
            content_type = response.headers.get_content_type()
            return Fetched(response.geturl(), content_type, body)
    except FetchRefused:
        raise
    except TimeoutError:
        raise FetchRefused(f"{url} did not answer within {timeout:g} s", status=504) from None
    except OSError as error:
        raise FetchRefused(f"{url} failed: {error}") from None
