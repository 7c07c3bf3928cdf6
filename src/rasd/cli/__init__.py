"""The `rasd` command: thin argument parsing over the library; no analysis logic lives here.

Exit codes: 0 ok, 1 at least one input failed (each reported on one stderr line, the rest
processed), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rasd import __version__

DEFAULT_DATA = Path("../shared/data")


def _fail(msg: str) -> None:
    print(f"rasd: {msg}", file=sys.stderr)


def _unit_float(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value!r}")
    return x


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rasd", description="Read Arabic news into structured, "
                                "sourced data (offline).")
    p.add_argument("--version", action="version", version=f"rasd {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse articles and print the result")
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

    x = sub.add_parser("export", help="events as ACLED-like CSV, PLOVER JSON or GeoJSON")
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

    # Doors to the store, the HTTP API and the batch runner: each module defines its own
    # arguments (parsed in main, so that `rasd analyze` never imports Dask or FastAPI).
    for name, _module_name, help_text in _DELEGATED:
        sub.add_parser(name, help=help_text, add_help=False)

    s = sub.add_parser("stories", help="cluster articles into stories across outlets and days")
    s.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="file, directory, glob, JSONL file, or - for stdin (as for analyze)")
    s.add_argument("--format", choices=("jsonl", "json", "text"), default="jsonl",
                   help="jsonl: one line per input document, {id, story}; json: the stories "
                        "with their articles; text: each story's title, outlets, dates, articles")
    s.add_argument("--window-days", type=int, default=None, metavar="N",
                   help="a story closes after N days without a new article (default 3)")

    t = sub.add_parser("train", help="rebuild a shipped model or lexicon from ../shared/data")
    t.add_argument("what", choices=("ner", "ner-e5", "claims", "events", "vocab", "kb",
                                     "stories"),
                   help="ner: the fast CRF; ner-e5: the default encoder NER (torch); claims, "
                        "events: the learned claim and event decisions (trained together); "
                        "stories: the story clusterer's document frequencies")
    t.add_argument("--data", type=Path, default=DEFAULT_DATA)

    e = sub.add_parser("eval", help="score a component on its evaluation data")
    e.add_argument("what", choices=("ner", "segmentation", "claims", "events", "entities",
                                    "geo", "roles", "gold", "corpus", "stories"))
    e.add_argument("--corpus", default="anercorp",
                   choices=("anercorp", "cleananercorp", "aqmar"))
    e.add_argument("--ner", default=None, metavar="SPEC",
                   help="NER backend to evaluate: default (encoder) or fast (CRF)")
    e.add_argument("--gold", type=Path, action="append", metavar="PATH",
                   help="gold folder, or for stories a gold file (repeatable); default: shared dev "
                        "set + eval/gold (stories: eval/stories/dev.json)")
    e.add_argument("--data", type=Path, default=DEFAULT_DATA)
    return p


_DELEGATED = (
    ("ingest", "rasd.cli.ingest", "analyse articles and store them in SQLite"),
    ("search", "rasd.cli.search", "Arabic-aware search over stored documents, events, claims"),
    ("serve", "rasd.cli.serve", "HTTP API and web page"),
    ("batch", "rasd.cli.batch", "analyse many articles on Dask into Parquet/JSONL"),
)


def _module(name: str):
    import importlib

    return importlib.import_module(name)


def _input_warnings_as_lines() -> None:
    """An :class:`InputWarning` (e.g. a few bad UTF-8 bytes replaced) is one stderr line."""
    import warnings

    from rasd.ingest.detect import InputWarning

    if getattr(warnings.showwarning, "_rasd", False):
        return
    previous = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
        if issubclass(category, InputWarning):
            print(f"rasd: warning: {message}", file=sys.stderr)
            return
        previous(message, category, filename, lineno, file, line)

    show._rasd = True  # type: ignore[attr-defined]
    warnings.showwarning = show
    warnings.simplefilter("always", InputWarning)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _input_warnings_as_lines()
    for name, module_name, help_text in _DELEGATED:
        if argv[:1] == [name]:
            if sys.stdout is None and name == "search":
                _fail("search: standard output is closed; redirect it")
                return 1
            module = _module(module_name)
            parser = argparse.ArgumentParser(prog=f"rasd {name}", description=help_text)
            module.add_arguments(parser)
            try:
                return module.run(parser.parse_args(argv[1:]))
            except KeyboardInterrupt:
                _fail("interrupted")
                return 130
    args = build_parser().parse_args(argv)
    if sys.stdout is None and args.command in ("analyze", "export", "stories", "eval") \
            and not getattr(args, "output", None):
        # started with standard output closed (>&-): say so once instead of a traceback
        _fail(f"{args.command}: standard output is closed; redirect it or use --output")
        return 1
    try:
        if args.command == "analyze":
            return cmd_analyze(args)
        if args.command == "train":
            return cmd_train(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command == "eval":
            return cmd_eval(args)
        if args.command == "stories":
            return cmd_stories(args)
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    return 2


def cmd_analyze(args: argparse.Namespace) -> int:
    from rasd.ingest import InputError, iter_documents
    from rasd.output import format_text
    from rasd.pipeline import BudgetExceeded, Pipeline

    try:
        pipeline = Pipeline(ner="fast" if args.fast else args.ner)
    except (RuntimeError, ValueError, OSError) as exc:  # unknown --ner, a missing extra/model
        _fail(str(exc))
        return 1
    status = 0
    as_array = args.format == "json" and (len(args.inputs) > 1 or _expands(args.inputs[0]))
    first = True
    if as_array:
        sys.stdout.write("[")
    for item in iter_documents(args.inputs, stdin=None):
        if isinstance(item, InputError):
            _fail(str(item))
            status = 1
            continue
        try:
            doc = pipeline(item)
        except BudgetExceeded as exc:
            _fail(f"{item.source or item.id}: {exc}")
            status = 1
            continue
        except Exception as exc:  # a bug must not lose the rest of the batch
            if os.environ.get("RASD_DEBUG"):
                raise
            _fail(f"{item.source or item.id}: analysis failed: {type(exc).__name__}: {exc}")
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


def cmd_stories(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from rasd.ingest import InputError, iter_documents
    from rasd.stories.cluster import Params, StoryClusterer
    from rasd.stories.features import Featurizer
    from rasd.stories.output import format_stories_text

    params = Params() if args.window_days is None else replace(Params(),
                                                               window_days=args.window_days)
    if params.window_days < 0:
        _fail(f"--window-days: expected a number of days ≥ 0, got {args.window_days}")
        return 2
    feat = Featurizer()
    status, order, features = 0, [], {}
    for item in iter_documents(args.inputs, stdin=None):
        if isinstance(item, InputError):
            _fail(str(item))
            status = 1
            continue
        order.append(item.id)
        if item.id not in features:
            features[item.id] = feat(item.id, item.text, title=item.title, outlet=item.outlet,
                                     published=item.published)
    clusterer = StoryClusterer(params)
    for f in sorted(features.values(), key=lambda f: f.order_key()):
        clusterer.add(f)
    if args.format == "jsonl":
        for doc_id in order:
            sys.stdout.write(json.dumps({"id": doc_id, "story": clusterer.by_article[doc_id].id},
                                        ensure_ascii=False) + "\n")
    elif args.format == "json":
        json.dump({"stories": [s.to_dict() for s in clusterer.stories]}, sys.stdout,
                  ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_stories_text(clusterer.stories))
    return status


def _eval_stories(args: argparse.Namespace) -> int:
    from rasd.eval.stories import StoryGoldError, counts, load_gold, score_table

    files = args.gold or [Path("eval/stories/dev.json")]
    for f in files:
        try:
            gold = load_gold(f, args.data)
        except StoryGoldError as exc:
            _fail(str(exc))
            return 1
        c = counts(gold)
        print(f"{f}: {c['articles']} articles, {c['stories']} gold stories "
              f"({c['multi']} with more than one article, largest {c['largest']})")
        print("| system | B-cubed P | B-cubed R | B-cubed F1 | pairwise P | pairwise R | "
              "pairwise F1 |\n|---|---:|---:|---:|---:|---:|---:|")
        for name, b, pw in score_table(gold, args.data):
            print(f"| {name} | {b.p:.3f} | {b.r:.3f} | {b.f:.3f} | {pw.p:.3f} | {pw.r:.3f} | "
                  f"{pw.f:.3f} |")
    return 0


def _expands(spec: str) -> bool:
    """Does one INPUT stand for several documents (a directory, a glob, a JSONL file)?"""
    return spec != "-" and (Path(spec).is_dir() or any(c in spec for c in "*?[")
                            or spec.endswith((".jsonl", ".json")))


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


def cmd_export(args: argparse.Namespace) -> int:
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
                _fail(f"{spec}: record {i} is not rasd output ({problem})")
                status = 1
            else:
                docs.append(rec)
    if raw_inputs:
        from rasd.pipeline import Pipeline

        pipeline = Pipeline()
        for item in iter_documents(raw_inputs, stdin=None):
            if isinstance(item, InputError):
                _fail(str(item))
                status = 1
                continue
            docs.append(pipeline(item).to_dict())
    if args.per_cluster and args.format != "acled-csv":
        _fail("--per-cluster applies to --format acled-csv")
        return 2
    text = write_export(docs, args.format, args.min_confidence, args.per_cluster)
    if args.output:
        from rasd.atomic import atomic_write_text

        try:
            # complete or absent: a full disk leaves no truncated file that looks whole
            atomic_write_text(args.output, text)
        except OSError as exc:
            _fail(f"{args.output}: cannot write: {exc.strerror or type(exc).__name__}")
            return 1
    else:
        sys.stdout.write(text)
    return status


def cmd_train(args: argparse.Namespace) -> int:
    if not args.data.exists():
        _fail(f"{args.data}: training data folder not found (pass --data PATH)")
        return 1
    if args.what == "vocab":
        from rasd.text.vocab_build import build

        vocab = build(args.data)
        print(f"wrote segmenter lexicon: {len(vocab):,} word forms")
        return 0
    if args.what == "stories":
        from rasd.train.story_df import main as df_main

        return df_main(["--data", str(args.data)])
    if args.what == "kb":
        from rasd.link.kb_build import main as kb_main

        return kb_main([])
    if args.what in ("ner-e5", "claims", "events"):
        try:
            import torch  # noqa: F401
        except ImportError:
            _fail("training needs torch: pip install torch==2.13.0 onnx (the [train] extra)")
            return 1
        if args.what == "ner-e5":
            from rasd.train.ner_e5 import main as e5_main

            return e5_main(["--data", str(args.data), "--final", "--corpus",
                            "eval/corpus/train", "--dev-corpus", "eval/corpus/dev"])
        from rasd.train.learned_ie import main as ie_main

        return ie_main(["--data", str(args.data)])
    from rasd.ner.train import train

    scores = train(args.data)
    print(json.dumps(scores, ensure_ascii=False, indent=1))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    if not args.data.exists():
        _fail(f"{args.data}: evaluation data folder not found (pass --data PATH)")
        return 1
    if args.what == "segmentation":
        from rasd.eval.segmentation import main as seg_main

        seg_main(args.data)
        return 0
    if args.what == "stories":
        return _eval_stories(args)
    if args.what == "corpus" or (args.gold and any((d / "..").resolve().name == "corpus"
                                                   for d in args.gold)):
        return _eval_corpus(args)
    if args.what in ("claims", "events", "entities", "geo", "roles", "gold"):
        from rasd.eval import gold

        parts = gold.PARTS if args.what == "gold" else (args.what,)
        dirs = args.gold or gold.default_gold_dirs(args.data)
        missing = [d for d in dirs if not d.is_dir()]
        if missing or not dirs:
            _fail(f"{missing[0] if missing else args.data}: gold folder not found")
            return 1
        from rasd.pipeline import Pipeline

        pipeline = Pipeline(ner=args.ner)
        total, per_doc = gold.evaluate(dirs, args.data, parts, pipeline)
        baseline = _rules_baseline(pipeline, args.ner) if (
            {"claims", "events"} & set(parts)) else None
        base = gold.evaluate(dirs, args.data, parts, baseline)[0] if baseline else None
        print(gold.report(total, per_doc, parts, base=base))
        return 0
    from rasd.eval.ner import main as ner_main

    ner_main(args.corpus, args.data, args.ner)
    return 0


def _eval_corpus(args: argparse.Namespace) -> int:
    """Scores against span-level corpus folders (eval/corpus/dev, eval/corpus/test)."""
    from rasd.eval.corpus_score import evaluate, format_report
    from rasd.pipeline import Pipeline

    dirs = args.gold or [Path("eval/corpus/dev")]
    missing = [d for d in dirs if not d.is_dir()]
    if missing:
        _fail(f"{missing[0]}: corpus folder not found")
        return 1
    pipeline = Pipeline(ner=args.ner)
    baseline = _rules_baseline(pipeline, args.ner)
    prefixes = {"claims": ("claims.",), "events": ("events.",),
                "entities": ("mentions.", "ner.")}.get(args.what, ())
    for d in dirs:
        rep = evaluate(d, args.data, pipeline)
        base = evaluate(d, args.data, baseline) if baseline is not None else None
        print(format_report(rep, f"{d} ({rep.get('counts', {}).get('articles', 0)} articles, "
                                 f"NER {args.ner or 'default'}"
                                 + (", last column: the rules-only claims and events)"
                                    if base is not None else ")"),
                            base=base, prefixes=prefixes))
    return 0


def _rules_baseline(pipeline, ner: str | None):
    """The same pipeline without the learned claim/event stages, or None when it has none."""
    from rasd.pipeline import Pipeline

    if not any(type(s).__name__.startswith("Learned") for s in pipeline.stages):
        return None
    return Pipeline(ner=ner, learned=False)


if __name__ == "__main__":
    sys.exit(main())
