"""``rasd analyze``: analyse articles and print the result (JSON, JSON Lines or text)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rasd.cli.common import fail

HELP = "analyse articles and print the result"


def add_arguments(a: argparse.ArgumentParser) -> None:
    """The options of ``rasd analyze``."""
    a.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="file, directory, glob, JSONL file, or - for stdin")
    a.add_argument("--format", choices=("json", "jsonl", "text"), default="json",
                   help="json: one document (an array if several); jsonl: one per line; "
                        "text: a readable summary")
    a.add_argument("--tokens", action="store_true", help="include tokens and their segments")
    a.add_argument("--ner", default=None, metavar="SPEC",
                   help="NER backend: default (fine-tuned encoder), fast (CRF), none, or "
                        "transformers:PATH")
    a.add_argument("--fast", action="store_true",
                   help="the fast operating point: CRF NER (~50 articles/s per core)")


def run(args: argparse.Namespace) -> int:
    """Analyse each input and print it; 1 when an input failed (each said on one line)."""
    from rasd.ingest import InputError, iter_documents
    from rasd.output import format_text
    from rasd.pipeline import BudgetExceeded, Pipeline

    try:
        pipeline = Pipeline(ner="fast" if args.fast else args.ner)
    except (RuntimeError, ValueError, OSError) as exc:  # unknown --ner, a missing extra/model
        fail(str(exc))
        return 1
    status = 0
    as_array = args.format == "json" and (len(args.inputs) > 1 or _expands(args.inputs[0]))
    first = True
    if as_array:
        sys.stdout.write("[")
    for item in iter_documents(args.inputs, stdin=None):
        if isinstance(item, InputError):
            fail(str(item))
            status = 1
            continue
        try:
            doc = pipeline(item)
        except BudgetExceeded as exc:
            fail(f"{item.source or item.id}: {exc}")
            status = 1
            continue
        except Exception as exc:  # a bug must not lose the rest of the batch
            if os.environ.get("RASD_DEBUG"):
                raise
            fail(f"{item.source or item.id}: analysis failed: {type(exc).__name__}: {exc}")
            status = 1
            continue
        if args.format == "text":
            sys.stdout.write(format_text(doc) + "\n")
        elif args.format == "jsonl":
            sys.stdout.write(doc.to_json(tokens=args.tokens) + "\n")
        else:
            body = json.dumps(doc.to_dict(tokens=args.tokens), ensure_ascii=False, indent=1)
            sys.stdout.write(("" if first else ",\n") + body if as_array else body + "\n")
        first = False
        sys.stdout.flush()
    if as_array:
        sys.stdout.write("]\n")
    return status


def _expands(spec: str) -> bool:
    """Does one INPUT stand for several documents (a directory, a glob, a JSONL file)?"""
    return spec != "-" and (Path(spec).is_dir() or any(c in spec for c in "*?[")
                            or spec.endswith((".jsonl", ".json")))
