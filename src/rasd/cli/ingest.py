"""``rasd ingest``: analyse new and changed articles and keep them in the SQLite store.

0: every input read and stored; 1: an input or a document failed (each on one stderr line,
the rest stored), or the store cannot be used.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Iterator

from rasd.document import Document
from rasd.store import DEFAULT_DB, Store, StoreError

HELP = "analyse articles and store them in SQLite"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rasd ingest INPUT... [--db PATH]``."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="file, directory, glob, JSONL file, or - for stdin")
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"SQLite store to create or update (default {DEFAULT_DB})")
    parser.add_argument("--ner", default=None, metavar="SPEC",
                        help="NER backend: default (fine-tuned encoder), fast (CRF), none, "
                             "or transformers:PATH")
    parser.add_argument("--fast", action="store_true",
                        help="the fast operating point: CRF NER (~50 articles/s per core)")
    parser.add_argument("--no-analyze", action="store_true",
                        help="store text and search index only, without analysis layers")


def run(args: argparse.Namespace) -> int:
    """Run ``rasd ingest``: exit 1 if any input or document failed (each reported on one
    stderr line), else 0."""
    from rasd.ingest import InputError, iter_documents

    try:
        store = Store(args.db)
    except (StoreError, sqlite3.Error) as exc:
        print(f"rasd: {exc}", file=sys.stderr)
        return 1
    analyze = None
    if not args.no_analyze:
        from rasd.pipeline import Pipeline

        try:
            analyze = Pipeline(ner="fast" if args.fast else args.ner)
        except (RuntimeError, ValueError, OSError) as exc:
            print(f"rasd: {exc}", file=sys.stderr)
            return 1
    bad = 0

    def docs() -> Iterator[Document]:
        nonlocal bad
        for item in iter_documents(args.inputs, stdin=None):
            if isinstance(item, InputError):
                print(f"rasd: {item}", file=sys.stderr)
                bad += 1
                continue
            yield item

    def report(doc: Document, exc: Exception) -> None:
        print(f"rasd: {doc.source or doc.id}: not stored: {type(exc).__name__}: {exc}",
              file=sys.stderr)

    with store:
        result = store.ingest(docs(), analyze=analyze, on_error=report)
        total = store.count()
    for w in result.warnings:
        print(f"rasd: {args.db}: {w}", file=sys.stderr)
    print(f"{args.db}: {result.summary()}; {total} documents in store")
    return 1 if bad or result.failed else 0
