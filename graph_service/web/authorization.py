"""Who may write: every write (SPARQL Update on /sparql, PUT/POST/DELETE on /store) needs the
server's update token as `Authorization: Bearer <token>`; without a configured token the
service is read-only. One check, so that every way in refuses alike (403)."""

from __future__ import annotations

import hmac

from flask import request

from graph_service.web.context import get_config
from graph_service.web.errors import HttpError


def require_update_token(action: str) -> None:
    """Raise 403 unless the request carries the update token; `action` names what is refused
    ("SPARQL Update", "PUT on /store")."""
    token = get_config().update_token
    if not token:
        raise HttpError(403, f"this endpoint is read-only: {action} is disabled")
    supplied = request.headers.get("Authorization", "")
    if not hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode()):
        raise HttpError(
            403,
            f"{action} needs the header 'Authorization: Bearer <token>' "
            "with the server's update token",
        )
