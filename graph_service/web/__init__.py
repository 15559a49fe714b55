"""The Flask app: SPARQL endpoint, linked-data pages, dataset description, validation."""

from graph_service.web.app import create_app

__all__ = ["create_app"]
