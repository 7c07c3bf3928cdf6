"""``rasd stories``: cluster articles into stories across outlets and days."""

from __future__ import annotations

import argparse
import json
import sys

from rasd.cli.common import fail

HELP = "cluster articles into stories across outlets and days"


def add_arguments(s: argparse.ArgumentParser) -> None:
    """The options of ``rasd stories``."""
    s.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="file, directory, glob, JSONL file, or - for stdin (as for analyze)")
    s.add_argument("--format", choices=("jsonl", "json", "text"), default="jsonl",
                   help="jsonl: one line per input document, {id, story}; json: the stories "
                        "with their articles; text: each story's title, outlets, dates, articles")
    s.add_argument("--window-days", type=int, default=None, metavar="N",
                   help="a story closes after N days without a new article (default 3)")


def run(args: argparse.Namespace) -> int:
    """Cluster the inputs into stories and print them; 1 when an input failed."""
    from dataclasses import replace

    from rasd.ingest import InputError, iter_documents
    from rasd.stories.cluster import Params, StoryClusterer
    from rasd.stories.features import Featurizer
    from rasd.stories.output import format_stories_text

    params = Params() if args.window_days is None else replace(Params(),
                                                               window_days=args.window_days)
    if params.window_days < 0:
        fail(f"--window-days: expected a number of days ≥ 0, got {args.window_days}")
        return 2
    feat = Featurizer()
    status, order, features = 0, [], {}
    for item in iter_documents(args.inputs, stdin=None):
        if isinstance(item, InputError):
            fail(str(item))
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
