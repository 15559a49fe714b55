"""One error type for every route, and one handler that answers in the form the client
accepts: JSON for clients that prefer it, an HTML page for browsers, plain text otherwise.
Errors are never cached, and say what went wrong and what to do next."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import get_locale
from werkzeug.exceptions import HTTPException

from graph_service import i18n
from graph_service.formats import HTML
from graph_service.store import StoreFull
from graph_service.store.aggregates import NotReady
from graph_service.store.remote.client import EngineError
from graph_service.store.writer import WriterUnavailable

JSON = "application/json"
PLAIN = "text/plain"


class HttpError(Exception):
    def __init__(self, status: int, message: str, **headers: object):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = {
            name.replace("_", "-").title(): str(value) for name, value in headers.items()
        }


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    accept = request.accept_mimetypes
    explicit = {media for media, _ in accept}
    best = accept.best_match([PLAIN, JSON, HTML], default=PLAIN)
    if best == JSON and JSON in explicit:
        response = jsonify(error=message, status=status)
    elif best == HTML and HTML in explicit:
        body = _error_page(status, message)
        response = Response(body, content_type="text/html; charset=utf-8")
    else:
        response = Response(message.rstrip("\n") + "\n", content_type="text/plain; charset=utf-8")
    response.status_code = status
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_page(status: int, message: str) -> str:
    """The page for browsers, its chrome in the language of the request (Flask-Babel's locale,
    chosen as for every page); the message stays in English."""
    lang = get_locale().language
    home = request.script_root + "/" + (f"?lang={lang}" if request.args.get("lang") else "")
    return render_template(
        "error.html",
        status=status,
        message=message,
        lang=lang,
        dir=i18n.direction(lang),
        home=home,
    )


def _http_error(error: HttpError) -> Response:
    return error_response(error.status, error.message, error.headers)


def _werkzeug_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() == "allow"}
    return error_response(status, f"{status} {error.name}: {error.description}", headers)


def _store_full(error: StoreFull) -> Response:
    return error_response(507, str(error))


def _not_ready(error: NotReady) -> Response:
    """A whole-store value that has never been computed for this store: it is on its way."""
    return error_response(
        503, f"503 Service Unavailable: {error}", {"Retry-After": str(error.retry_after)}
    )


def _engine_error(error: EngineError) -> Response:
    """The remote engine failed (502), cannot be reached (503), did not answer in time (504)
    or refused the request (400)."""
    return error_response(error.status, str(error))


def _writer_unavailable(error: WriterUnavailable) -> Response:
    return error_response(503, str(error), {"Retry-After": "5"})


def register(app: Flask) -> None:
    app.register_error_handler(HttpError, _http_error)
    app.register_error_handler(StoreFull, _store_full)
    app.register_error_handler(NotReady, _not_ready)
    app.register_error_handler(EngineError, _engine_error)
    app.register_error_handler(WriterUnavailable, _writer_unavailable)
    app.register_error_handler(HTTPException, _werkzeug_error)
