"""First paint, view and search times of the web page over a large store (issue #20.9).

    .venv/bin/python scripts/bench_page.py --db STORE.db [--runs 3]

Serves the store with ``rasd serve``'s app under uvicorn on a free loopback port and opens
each view in headless Chromium (Debian's ``/usr/bin/chromium``) at 1400×900, ``--runs``
times after one warm-up: first contentful paint of the page, then for each view the time
from navigation until its content is on the page (table, list, map note, chart), and the
API time of the requests the view makes. Prints a Markdown table for docs/benchmarks.md.
Build a store first, for example::

    cd ../shared/data/news
    cat saudinewsnet-conflict.jsonl saudinewsnet-2015.jsonl > /tmp/news.jsonl
    rasd ingest /tmp/news.jsonl --db store5k.db
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.parse
import urllib.request
from pathlib import Path

VIEWS = [  # (name, hash, selector that says the view is shown)
    ("analyse (empty)", "analyze", "#article-text"),
    ("events: table, map, chart", "events", "#events-map .map-note"),
    ("events of one type", "events?type=ASSAULT", "#events-map .map-note"),
    ("claims", "claims", "#claims-results li"),
    ("claims by a body (فرنسا)", "claims?source=فرنسا", "#claims-results li"),
    ("entity directory", "entities", "#entities-results table"),
    ("stories", "stories", "#stories-results li"),
    ("search: طرابلس", "search?q=طرابلس", "#search-results li"),
    ("search: الحوثيين صنعاء", "search?q=الحوثيين+صنعاء", "#search-results li"),
]
API = ["/api/stats", "/api/events?limit=200", "/api/events/places", "/api/events/timeline",
       "/api/claims?limit=200", "/api/claims?source=فرنسا", "/api/entities?q=حف&limit=10",
       "/api/search?q=طرابلس", "/api/stories"]


def _api_times(base: str, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for _ in range(runs + 1):
        for path in API:
            url = base + urllib.parse.quote(path, safe="/?=&+")
            t0 = time.monotonic()
            with urllib.request.urlopen(url, timeout=120) as r:
                r.read()
            times.setdefault(path, []).append(time.monotonic() - t0)
    return times


def _view_times(base: str, runs: int) -> tuple[dict[str, list[float]], list[float]]:
    from playwright.sync_api import sync_playwright

    view_times: dict[str, list[float]] = {}
    paints: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        for run in range(runs + 1):
            for name, hash_, ready in VIEWS:
                page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="ar")
                t0 = time.monotonic()
                page.goto(f"{base}/#{hash_}")
                page.wait_for_selector(ready, timeout=120_000)
                took = time.monotonic() - t0
                if run:  # the first round warms the server's caches and the browser
                    view_times.setdefault(name, []).append(took)
                    if name.startswith("analyse"):
                        paints.append(page.evaluate(
                            "performance.getEntriesByName('first-contentful-paint')[0]"
                            ".startTime") / 1000)
                page.close()
        browser.close()
    return view_times, paints


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from rasd.api.app import create_app
    from rasd.api.local_server import serving

    app = create_app(args.db, heavy_per_minute=0)
    stats = app.state.store.stats()
    with serving(app, lifespan="off") as base:
        api_times = _api_times(base, args.runs)
        view_times, paints = _view_times(base, args.runs)

    print(f"store: {args.db} {stats}")
    print(f"\nfirst contentful paint: median {statistics.median(paints):.2f} s "
          f"(n={len(paints)})\n")
    print("| view | median s | worst s |\n|---|---:|---:|")
    for name, xs in view_times.items():
        print(f"| {name} | {statistics.median(xs):.2f} | {max(xs):.2f} |")
    print("\n| API request | median s | worst s |\n|---|---:|---:|")
    for path, xs in api_times.items():
        xs = xs[1:]
        print(f"| `{path}` | {statistics.median(xs):.3f} | {max(xs):.3f} |")


if __name__ == "__main__":
    main()
