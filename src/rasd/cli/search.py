"""``rasd search``: Arabic-aware search over a store, as terminal lines or JSON.

0: the search ran (also with no results); 1: the store cannot be used; 2: a bad filter.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from rasd.store import DEFAULT_DB, Store, StoreError
from rasd.store.errors import SearchError
from rasd.store.filters import KINDS
from rasd.store.search import search

HELP = "Arabic-aware search over stored documents, events, claims"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rasd search QUERY [filters] [--format json|text] [--db PATH]``."""
    parser.add_argument("query", metavar="QUERY", nargs="?", default="",
                        help="words to find (all required; word* for a prefix); "
                             "may be empty with filters")
    parser.add_argument("--kind", choices=KINDS, default="documents",
                        help="what to return (default documents)")
    parser.add_argument("--entity", metavar="NAME", help="entity name, KB id or store id")
    parser.add_argument("--type", metavar="PLOVER", help="PLOVER event type, e.g. ASSAULT")
    parser.add_argument("--since", metavar="DATE", help="from this ISO date (inclusive)")
    parser.add_argument("--until", metavar="DATE", help="up to this ISO date (inclusive)")
    parser.add_argument("--source", metavar="NAME",
                        help="claims: who speaks; documents/events: the outlet")
    parser.add_argument("--limit", type=int, default=20, help="results (default 20)")
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"SQLite store (default {DEFAULT_DB})")


def format_hit(hit: dict[str, Any]) -> str:
    """One result as one or two terminal lines."""
    if hit["kind"] == "document":
        head = f"[{hit['id']}] {hit['date'] or '-'}  {hit['title'] or '(no title)'}"
        if hit["outlet"]:
            head += f"  — {hit['outlet']}"
        return f"{head}\n    {hit['snippet']}"
    if hit["kind"] == "event":
        def n(e: dict[str, Any] | None) -> str:
            return e["name"] if e else "-"
        return (f"[{hit['id']}] {hit['date'] or '-'}  {hit['type']:10} {n(hit['actor'])} → "
                f"{n(hit['target'])} @ {n(hit['location'])}  [{hit['status']}]  "
                f"«{hit['trigger']['text']}»\n    {' '.join((hit['sentence'] or '').split())}")
    who = hit["source_text"] or "?"
    content = " ".join((hit["content"] or {}).get("text", "").split())
    return (f"[{hit['id']}] {hit['date'] or '-'}  {who} — {hit['cue']['text']}"
            f" ({hit['stance']}): {content}")


def run(args: argparse.Namespace) -> int:
    """Run ``rasd search``: exit 0 (also with no results), 1 for an unusable store, 2 bad
    filter."""
    if args.db != ":memory:" and not Path(args.db).exists():
        print(f"rasd: {args.db}: no such store (create it with `rasd ingest`)", file=sys.stderr)
        return 1
    try:
        store = Store(args.db, readonly=args.db != ":memory:")
    except (StoreError, sqlite3.Error) as exc:
        print(f"rasd: {exc}", file=sys.stderr)
        return 1
    with store:
        try:
            hits = search(store, args.query, entity=args.entity, type=args.type,
                          since=args.since, until=args.until, source=args.source,
                          kind=args.kind, limit=args.limit)
        except SearchError as exc:
            print(f"rasd: {exc}", file=sys.stderr)
            return 2
    if args.format == "json":
        sys.stdout.write(json.dumps(hits, ensure_ascii=False, indent=1) + "\n")
    else:
        for hit in hits:
            sys.stdout.write(format_hit(hit) + "\n")
        if not hits:
            print("no results", file=sys.stderr)
    return 0
