"""Dataset description: VoID/DCAT at /void, dumps, sitemap.xml, robots.txt."""

from flask import Blueprint

blueprint = Blueprint("dataset", __name__)
