"""``rasd export``: events as ACLED-like CSV, PLOVER JSON or GeoJSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rasd.cli.common import fail

HELP = "events as ACLED-like CSV, PLOVER JSON or GeoJSON"


def add_arguments(x: argparse.ArgumentParser) -> None:
    """The options of ``rasd export``."""
    x.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="rasd JSON/JSONL output, or articles (analysed on the fly)")
    x.add_argument("--format", required=True, choices=("acled-csv", "plover-json", "geojson"))
    x.add_argument("--output", "-o", type=Path, help="write here instead of stdout")
    x.add_argument("--min-confidence", type=_unit_float, default=None, metavar="P",
                   help="only events the learned stages scored at least P (0-1, calibrated); "
                        "unscored events (fast mode) are left out")
    x.add_argument("--per-cluster", action="store_true",
                   help="acled-csv: one row per event cluster (the same event told by several "
                        "articles of a story counts once), with story, reports and outlets")


def _unit_float(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value!r}")
    return x


def _analysed_records(path: Path) -> list[dict] | None:
    """rasd output read back from a .json/.jsonl file, or None if the file is not that."""
    if path.suffix not in (".json", ".jsonl") or not path.is_file():
        return None
    try:
        raw = path.read_text(encoding="utf-8").strip()
        if raw.startswith("["):
            recs = json.loads(raw)
        elif path.suffix == ".json":
            recs = [json.loads(raw)]
        else:
            recs = [json.loads(line) for line in raw.splitlines() if line.strip()]
    except (ValueError, UnicodeDecodeError):
        return None
    if recs and all(isinstance(r, dict) and "rasd" in r and "document" in r for r in recs):
        return recs
    return None


def run(args: argparse.Namespace) -> int:
    """Write the events of rasd output (or of articles analysed here) in one export format."""
    from rasd.document import Document
    from rasd.export import write_export
    from rasd.ingest import InputError, iter_documents
    from rasd.schema import contract_problem

    docs: list[dict] = []
    raw_inputs: list[str] = []
    status = 0
    for spec in args.inputs:
        recs = _analysed_records(Path(spec))
        if recs is None:
            raw_inputs.append(spec)
            continue
        for i, rec in enumerate(recs, 1):
            problem = contract_problem(rec)
            if problem is None:
                try:  # the layers' defaults filled in (an older or hand-made record)
                    rec = Document.from_dict(rec).to_dict()
                except (KeyError, TypeError, ValueError) as exc:
                    problem = f"{type(exc).__name__}: {exc}"[:200]
            if problem:  # a hand-edited or foreign record: said, skipped, the rest goes on
                fail(f"{spec}: record {i} is not rasd output ({problem})")
                status = 1
            else:
                docs.append(rec)
    if raw_inputs:
        from rasd.pipeline import Pipeline

        pipeline = Pipeline()
        for item in iter_documents(raw_inputs, stdin=None):
            if isinstance(item, InputError):
                fail(str(item))
                status = 1
                continue
            docs.append(pipeline(item).to_dict())
    if args.per_cluster and args.format != "acled-csv":
        fail("--per-cluster applies to --format acled-csv")
        return 2
    text = write_export(docs, args.format, args.min_confidence, args.per_cluster)
    if args.output:
        from rasd.atomic import atomic_write_text

        try:
            # complete or absent: a full disk leaves no truncated file that looks whole
            atomic_write_text(args.output, text)
        except OSError as exc:
            fail(f"{args.output}: cannot write: {exc.strerror or type(exc).__name__}")
            return 1
    else:
        sys.stdout.write(text)
    return status
