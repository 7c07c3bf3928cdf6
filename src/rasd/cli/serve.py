"""``rasd serve``: the HTTP API and the analysts' web page over one store.

0: stopped (Ctrl-C, SIGTERM); 1: the store cannot be used; 2: a usage error (a bad port).
"""

from __future__ import annotations

import argparse
import sys

from rasd.api.hosts import serve_hosts
from rasd.api.jobs import DEFAULT_JOB_CHARS
from rasd.api.limits import DEFAULT_HEAVY_PER_MINUTE, DEFAULT_MAX_BODY
from rasd.store import DEFAULT_DB, StoreError

HELP = "HTTP API and web page"


def _port(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if not 1 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 1-65535, not {value!r}")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rasd serve [--db PATH] [--host H] [--port P] [--token T]``."""
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"SQLite store (created if absent; default {DEFAULT_DB})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8000)
    parser.add_argument("--token", default=None, metavar="T",
                        help="require 'Authorization: Bearer T' for /api/ingest")
    parser.add_argument("--max-body-mb", type=float, default=DEFAULT_MAX_BODY / 1e6,
                        help="largest request body accepted (default %(default)g MB)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests for this Host name (repeatable; '*': any). "
                             "By default only the address served on (and localhost names "
                             "when it is a loopback address)")
    parser.add_argument("--proxy", default=None, metavar="ADDR",
                        help="address of a reverse proxy whose X-Forwarded-For is believed "
                             "(default: none is; every client is its socket address)")
    parser.add_argument("--read-only", action="store_true",
                        help="serve the store for reading only (also chosen by itself when "
                             "the store cannot be written)")
    parser.add_argument("--job-chars", type=int, default=DEFAULT_JOB_CHARS, metavar="N",
                        help="inputs of N characters or more are analysed in a background "
                             "worker process, so they hold up no other request "
                             "(default %(default)s)")
    parser.add_argument("--rate", type=int, default=DEFAULT_HEAVY_PER_MINUTE, metavar="N",
                        help="analysis calls per minute per client (0: unlimited; "
                             "default %(default)s)")


def run(args: argparse.Namespace) -> int:
    """Run ``rasd serve``: the API and web page until interrupted; 1 when the store cannot be
    used."""
    import uvicorn

    from rasd.api.app import create_app

    try:
        app = create_app(args.db, token=args.token, max_body_bytes=int(args.max_body_mb * 1e6),
                         heavy_per_minute=args.rate, job_chars=args.job_chars,
                         readonly=True if args.read_only else None,
                         allowed_hosts=serve_hosts(args.host, args.allow_host))
    except StoreError as exc:
        print(f"rasd: {exc}", file=sys.stderr)
        return 1
    print(f"rasd: serving {args.db} on http://{args.host}:{args.port}/ "
          f"(API docs at /api/docs)", file=sys.stderr)
    # X-Forwarded-For is believed only from the proxy named with --proxy (the rate limit
    # counts per client address; uvicorn would otherwise trust it from 127.0.0.1).
    # On SIGTERM/Ctrl-C, requests still waiting for a job get 10 s, then the worker is
    # stopped (the shutdown hook) and the server exits.
    uvicorn.run(app, host=args.host, port=args.port, log_level="info",
                proxy_headers=bool(args.proxy), forwarded_allow_ips=args.proxy or None,
                timeout_graceful_shutdown=10)
    return 0
