"""UNTOC Knowledge Graph service."""

from graph_service.app import create_app

__all__ = ["create_app"]
