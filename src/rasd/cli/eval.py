"""``rasd eval``: score a component on its evaluation data and print the report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rasd.cli.common import fail
from rasd.paths import DEFAULT_DATA

HELP = "score a component on its evaluation data"
WHAT = ("ner", "segmentation", "claims", "events", "entities", "geo", "roles", "gold", "corpus",
        "stories", "agreement", "reliability", "times", "geocoder")


def add_arguments(e: argparse.ArgumentParser) -> None:
    """The options of ``rasd eval``."""
    e.add_argument("what", choices=WHAT,
                   help="geo: the geo part of the gold articles; geocoder: the geocoder on "
                        "its own geo gold; agreement: inter-annotator agreement on the corpus; "
                        "reliability: calibration of the learned confidences; times: time "
                        "expressions against dateparser")
    e.add_argument("--corpus", default="anercorp",
                   choices=("anercorp", "cleananercorp", "aqmar"))
    e.add_argument("--ner", default=None, metavar="SPEC",
                   help="NER backend to evaluate: default (encoder) or fast (CRF)")
    e.add_argument("--gold", type=Path, action="append", metavar="PATH",
                   help="gold folder, or for stories a gold file (repeatable); default: shared dev "
                        "set + eval/gold (stories: eval/stories/dev.json; agreement: "
                        "eval/corpus; reliability: required)")
    e.add_argument("--data", type=Path, default=DEFAULT_DATA)
    e.add_argument("--json", action="store_true",
                   help="agreement, segmentation: print the figures as JSON instead")
    e.add_argument("--errors", action="store_true",
                   help="times, geocoder: also list every miss and wrong value")
    e.add_argument("--crosscheck", action="store_true",
                   help="geocoder: also compare the KB with gazetteers it was not built from")
    e.add_argument("--no-dateparser", action="store_true",
                   help="times: leave out the dateparser baseline")
    e.add_argument("--probe", action="store_true",
                   help="times: also one phrase per pattern family")
    e.add_argument("--svg", type=Path, default=None, metavar="PATH",
                   help="reliability: also draw the reliability plot here")


def run(args: argparse.Namespace) -> int:
    """Score ``args.what`` and print the report; 1 when its data or gold is missing."""
    if not args.data.exists():
        fail(f"{args.data}: evaluation data folder not found (pass --data PATH)")
        return 1
    if args.what == "segmentation":
        from rasd.eval import segmentation

        res = segmentation.run(args.data)
        if args.json:
            print(json.dumps(res, ensure_ascii=False, indent=1))
        else:
            segmentation.print_report(res)
        return 0
    if args.what in _OWN_MAIN:  # before the corpus check: their --gold names corpus folders
        return _OWN_MAIN[args.what](args)
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
            fail(f"{missing[0] if missing else args.data}: gold folder not found")
            return 1
        from rasd.pipeline import Pipeline

        pipeline = Pipeline(ner=args.ner)
        total, per_doc = gold.evaluate(dirs, args.data, parts, pipeline)
        baseline = _rules_baseline(pipeline, args.ner) if (
            {"claims", "events"} & set(parts)) else None
        base = gold.evaluate(dirs, args.data, parts, baseline)[0] if baseline else None
        print(gold.report(total, per_doc, parts, base=base))
        return 0
    from rasd.eval.ner import evaluate, format_report, load_tagger

    print(format_report(args.corpus, evaluate(args.corpus, args.data, load_tagger(args.ner))))
    return 0


def _eval_corpus(args: argparse.Namespace) -> int:
    """Scores against span-level corpus folders (eval/corpus/dev, eval/corpus/test)."""
    from rasd.eval.corpus_score import evaluate, format_report
    from rasd.pipeline import Pipeline

    dirs = args.gold or [Path("eval/corpus/dev")]
    missing = [d for d in dirs if not d.is_dir()]
    if missing:
        fail(f"{missing[0]}: corpus folder not found")
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

def _eval_stories(args: argparse.Namespace) -> int:
    from rasd.eval.stories import StoryGoldError, counts, load_gold, score_table

    files = args.gold or [Path("eval/stories/dev.json")]
    for f in files:
        try:
            gold = load_gold(f, args.data)
        except StoryGoldError as exc:
            fail(str(exc))
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


def _eval_agreement(args: argparse.Namespace) -> int:
    """Inter-annotator agreement over the doubly annotated corpus articles."""
    from rasd.eval.agreement import agreement
    from rasd.eval.corpus_score import format_report

    corpus = (args.gold or [Path("eval/corpus")])[0]
    if not corpus.is_dir():
        fail(f"{corpus}: corpus folder not found")
        return 1
    rep, pairs = agreement(corpus, args.data)
    if args.json:
        print(json.dumps({"pairs": pairs, "scores": rep}, indent=1))
    else:
        print(format_report(rep, f"agreement over {len(pairs)} doubly annotated articles"))
    return 0


def _eval_reliability(args: argparse.Namespace) -> int:
    """Reliability tables (and with --svg the plot) of the learned stages' confidences."""
    from rasd.eval.reliability import collect, svg, table

    if not args.gold:
        fail("eval reliability: pass --gold FOLDER (e.g. eval/corpus/dev), repeatable")
        return 2
    for folder in args.gold:
        res = collect([folder], args.data)
        print(f"## {folder}\n")
        for name, pairs in res.items():
            print(table(name, pairs) + "\n")
        if args.svg is not None:
            path = args.svg if len(args.gold) == 1 else args.svg.with_name(
                f"{args.svg.stem}-{folder.name}{args.svg.suffix}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(svg(res, f"rasd learned stages, {folder}"), encoding="utf-8")
            print(f"wrote {path}\n")
    return 0


def _eval_times(args: argparse.Namespace) -> int:
    """rasd's time expressions against the times gold, with dateparser as the baseline."""
    from rasd.eval.times import print_report

    print_report(args.data.parent, errors=args.errors, dateparser=not args.no_dateparser,
                 probes=args.probe)
    return 0


def _eval_geocoder(args: argparse.Namespace) -> int:
    """The geocoder on the geo gold; with --crosscheck the KB against other gazetteers."""
    from rasd.eval.geo import crosscheck, evaluate, report

    shared = args.data.parent
    res = evaluate(shared, errors=args.errors)
    for line in report(res):
        print(line)
    for e in res.get("errors", []):
        print("  ERR", json.dumps(e, ensure_ascii=False))
    if args.crosscheck:
        for name, c in crosscheck(shared).items():
            print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in c.items()))
    return 0


_OWN_MAIN = {"agreement": _eval_agreement, "reliability": _eval_reliability,
             "times": _eval_times, "geocoder": _eval_geocoder}
