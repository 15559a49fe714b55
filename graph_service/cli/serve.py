"""`kg serve`: the app under a production WSGI server. One process per core by default
(`cli/prefork.py`: gunicorn, one writer process, the others reading); `--processes 1`: one
process under waitress with several threads, holding the store for writing itself."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

from graph_service.cli.common import config_from_args
from graph_service.config import read_token

# Waitress keeps up to 16 MB of each response for a client that reads slowly before the
# request thread waits; 4 MB keeps the memory of a slow reader small (measured: a 30 MB
# answer to a client slowed by a busy machine held 13-19 MB at the default).
WAITRESS_OPTIONS = {"outbuf_high_watermark": 4 << 20}


def add_command(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="serve the SPARQL endpoint and linked-data pages")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, or KG_HOST)")
    serve.add_argument("--port", type=int, help="port (default 5000, or KG_PORT)")
    serve.add_argument(
        "--processes",
        type=int,
        help="serving processes (default one per core, or KG_SERVE_PROCESSES); 1: one process",
    )
    serve.add_argument("--threads", type=int, default=8, help="threads per process (default 8)")
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
    processes = args.processes or config.serve_processes or os.cpu_count() or 1
    config = replace(
        config,
        host=args.host or config.host,
        port=args.port or config.port,
        update_token=token,
        serve_processes=processes,
    )
    print(
        f"kg serve: {config.store_path} on http://{config.host}:{config.port}/ "
        f"({processes} process{'es' if processes > 1 else ''})",
        flush=True,
    )
    if processes > 1:
        from graph_service.cli.prefork import serve_processes

        return serve_processes(config, processes, args.threads)
    import waitress

    from graph_service.web.app import create_app

    app = create_app(config)
    app.extensions["kg"].aggregates.warm()  # whole-store values, in the background
    waitress.serve(
        app,
        host=config.host,
        port=config.port,
        threads=args.threads,
        ident="untoc-kg",
        **WAITRESS_OPTIONS,
    )
    return 0
