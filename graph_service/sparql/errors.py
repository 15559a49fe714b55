"""The errors of evaluating a query, each with the HTTP status it answers with."""

from __future__ import annotations


class QueryError(Exception):
    """A query that cannot be answered; `status` is the HTTP status to send."""

    status = 500


class QuerySyntaxError(QueryError):
    status = 400


class QueryTimeout(QueryError):
    status = 503


class ServerBusy(QueryError):
    status = 503


class ResultTooLarge(QueryError):
    status = 400


class NotAcceptable(QueryError):
    """The client accepts no format that can carry this result (HTTP 406)."""

    status = 406


class MemoryLimitExceeded(QueryError):
    status = 503


def memory_limit_error(memory_mb: int = 0) -> MemoryLimitExceeded:
    needs = f"more than {memory_mb} MB" if memory_mb else "more memory than it may use"
    return MemoryLimitExceeded(
        f"the query needs {needs}, the memory limit of a query on this endpoint; "
        "add LIMIT or make the patterns more selective"
    )


def time_limit_error(timeout: float) -> QueryTimeout:
    return QueryTimeout(
        f"query exceeded the time limit of {timeout:g} s; "
        "add LIMIT or make the patterns more selective"
    )


class UpstreamError(QueryError):
    """A SERVICE endpoint (or a LOAD source) failed or did not answer in time."""

    status = 502


def upstream_error(error: Exception) -> UpstreamError:
    failure = UpstreamError(f"a remote SPARQL endpoint or source failed: {error}")
    if "timed out" in str(error).lower() or "timeout" in str(error).lower():
        failure.status = 504
    return failure


def as_query_error(error: Exception, memory_mb: int = 0) -> QueryError:
    """What an evaluation raised, as the QueryError the caller gets. Without its traceback,
    which would keep the evaluating frames (and pyoxigraph's unsendable iterator) alive.
    `memory_mb`: the memory limit of the evaluating process (0: none), named when it ran out."""
    if isinstance(error, MemoryError):  # Python's allocations under the worker's limit
        return memory_limit_error(memory_mb)
    if isinstance(error, SyntaxError):
        return QuerySyntaxError(f"malformed query: {error}")
    if isinstance(error, QueryError):
        return error.with_traceback(None)
    if isinstance(error, OSError):  # the engine's HTTP client, for SERVICE
        return upstream_error(error)
    return QueryError(f"query evaluation failed: {error}")
