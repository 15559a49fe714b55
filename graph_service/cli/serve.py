"""`kg serve`: the app under waitress, a production WSGI server with several threads."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from graph_service.cli.common import config_from_args
from graph_service.config import read_token


def add_command(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="serve the SPARQL endpoint and linked-data pages")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, or KG_HOST)")
    serve.add_argument("--port", type=int, help="port (default 5000, or KG_PORT)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.add_argument(
        "--update-token-file",
        type=Path,
        help="allow writes for requests bearing the token in this file (or KG_UPDATE_TOKEN, "
        "KG_UPDATE_TOKEN_FILE)",
    )
    serve.add_argument(
        "--update-token",
        help="the token itself: visible to every user of the machine (ps); prefer the above",
    )
    serve.set_defaults(func=run)


def run(args) -> int:
    import waitress

    from graph_service.web.app import create_app

    config = config_from_args(args)
    if args.update_token:
        print(
            "kg serve: warning: a token given on the command line is visible to every user "
            "of this machine (ps); use KG_UPDATE_TOKEN or --update-token-file",
            file=sys.stderr,
            flush=True,
        )
    token = args.update_token or (
        read_token(args.update_token_file) if args.update_token_file else config.update_token
    )
    config = replace(
        config, host=args.host or config.host, port=args.port or config.port, update_token=token
    )
    app = create_app(config)
    app.extensions["kg"].aggregates.warm()  # whole-store values, in the background
    print(f"kg serve: {config.store_path} on http://{config.host}:{config.port}/", flush=True)
    waitress.serve(app, host=config.host, port=config.port, threads=args.threads, ident="untoc-kg")
    return 0
