"""Benchmark the SQLite store: ingest rate (with and without analysis) and search latency.

Why: analysts load thousands of articles and then search interactively; this measures both
on real news (SaudiNewsNet JSONL in ../shared/data/news, CC BY-NC-SA — read in place, never
copied into the repository). Run from the repository root::

    .venv/bin/python scripts/bench_store.py --limit 2000

One pass analyses and stores each article (``Store.ingest`` with the default pipeline); the
time spent inside the pipeline is measured separately, so the same pass gives the rate with
analysis included and the rate of the store alone (transaction, layer rows, entity merging,
FTS indexing). A second store takes the same articles without analysis (text + search index
only), and re-ingesting the first store measures the idempotency check. Search latency is
p50/p95 over ~50 Arabic queries, run on documents, events and claims.
"""

from __future__ import annotations

import argparse
import glob
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rasd.document import Document
from rasd.ingest import InputError, iter_documents
from rasd.pipeline import Pipeline
from rasd.store import Store

# ../shared beside the repository, wherever the script is run from.
DEFAULT_DATA = str(Path(__file__).resolve().parents[2] / "shared/data/news/*.jsonl")

QUERIES = [
    "طرابلس", "بنغازي", "ليبيا", "حفتر", "اليمن", "صنعاء", "عدن", "الحوثي", "الحوثيين",
    "عاصفة الحزم", "التحالف", "سوريا", "دمشق", "حلب", "الأسد", "العراق", "بغداد", "الموصل",
    "داعش", "تنظيم الدولة", "إيران", "طهران", "الاتفاق النووي", "السعودية", "الرياض",
    "مجلس الأمن", "الأمم المتحدة", "المبعوث الأممي", "وزير الخارجية", "الرئيس هادي",
    "غارات", "قصف", "اشتباكات", "هجوم انتحاري", "مقتل", "إصابة", "اللاجئين", "المساعدات",
    "مفاوضات", "وقف إطلاق النار", "الانتخابات", "البرلمان", "فلسطين", "غزة", "القدس",
    "الاحتلال الإسرائيلي", "مصر", "القاهرة", "السودان", "مدينة", "أحمد", "الحكومه",
    "تَحالُف", "بطرابلس", "وزير*",
]


def load(pattern: str, limit: int) -> list[Document]:
    files = sorted(glob.glob(pattern))
    if not files:
        sys.exit(f"no input matches {pattern} (pass --data)")
    docs = []
    for item in iter_documents(files):
        if isinstance(item, InputError):
            continue
        docs.append(item)
        if len(docs) >= limit:
            break
    return docs


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="JSONL glob (default %(default)s)")
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each query")
    ap.add_argument("--db-dir", default=None, help="where to write the stores (default tmp)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    docs = load(args.data, args.limit)
    chars = sum(len(d.text) for d in docs)
    work = Path(args.db_dir or tempfile.mkdtemp(prefix="rasd-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, object] = {"articles": len(docs), "chars": chars}
    print(f"{len(docs)} articles, {chars / 1e6:.1f} M chars; stores in {work}", file=sys.stderr)

    t = time.perf_counter()
    pipeline = Pipeline()
    out["pipeline_build_s"] = round(time.perf_counter() - t, 2)
    analysis = 0.0

    def analyze(doc: Document) -> Document:
        nonlocal analysis
        t0 = time.perf_counter()
        pipeline(doc)
        analysis += time.perf_counter() - t0
        return doc

    db = work / "analysed.db"
    for f in work.glob("analysed.db*"):
        f.unlink()
    with Store(db) as store:
        t = time.perf_counter()
        result = store.ingest(docs, analyze=analyze)
        total = time.perf_counter() - t
        out["ingest"] = {"added": result.added, "updated": result.updated,
                         "failed": result.failed, "unchanged": result.unchanged}
        out["with_analysis_per_s"] = round(len(docs) / total, 2)
        out["store_only_per_s"] = round(len(docs) / (total - analysis), 1)
        out["analysis_s"] = round(analysis, 1)
        out["store_s"] = round(total - analysis, 1)
        t = time.perf_counter()
        again = store.ingest(docs, analyze=analyze)
        out["reingest_unchanged_per_s"] = round(len(docs) / (time.perf_counter() - t), 1)
        assert again.unchanged == len(docs) - result.failed, again.summary()
        out["rows"] = store.stats()
        out["db_mb"] = round(sum(f.stat().st_size for f in work.glob("analysed.db*")) / 1e6, 1)

        lat: dict[str, list[float]] = {"documents": [], "events": [], "claims": [],
                                       "documents+filters": []}
        hits = {k: 0 for k in lat}
        for _ in range(args.repeat):
            for q in QUERIES:
                for kind in ("documents", "events", "claims"):
                    t = time.perf_counter()
                    n = len(store.search(q, kind=kind, limit=20))
                    lat[kind].append((time.perf_counter() - t) * 1000)
                    hits[kind] += n > 0
                t = time.perf_counter()
                n = len(store.search(q, since="2015-07-25", until="2015-08-05", type="ASSAULT",
                                     limit=20))
                lat["documents+filters"].append((time.perf_counter() - t) * 1000)
                hits["documents+filters"] += n > 0
        out["queries"] = len(QUERIES)
        out["search_ms"] = {k: {"p50": round(pct(v, 50), 2), "p95": round(pct(v, 95), 2),
                                "mean": round(statistics.fmean(v), 2),
                                "queries_with_hits": hits[k] // args.repeat}
                            for k, v in lat.items()}

    plain = work / "text-only.db"
    for f in work.glob("text-only.db*"):
        f.unlink()
    fresh = [Document(text=d.text, url=d.url, title=d.title, published=d.published,
                      outlet=d.outlet, source=d.source, id=d.id) for d in docs]
    with Store(plain) as store:
        t = time.perf_counter()
        store.ingest(fresh)
        out["text_only_per_s"] = round(len(docs) / (time.perf_counter() - t), 1)

    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    print(f"articles: {out['articles']} ({chars / 1e6:.1f} M chars); pipeline built in "
          f"{out['pipeline_build_s']} s")
    print(f"ingest with analysis:   {out['with_analysis_per_s']} articles/s "
          f"(analysis {out['analysis_s']} s, store {out['store_s']} s)")
    print(f"ingest, store only:     {out['store_only_per_s']} articles/s (analysis excluded)")
    print(f"ingest, text only:      {out['text_only_per_s']} articles/s (no analysis layers)")
    print(f"re-ingest (unchanged):  {out['reingest_unchanged_per_s']} articles/s")
    print(f"store: {out['db_mb']} MB; rows {out['rows']}")
    for kind, s in out["search_ms"].items():  # type: ignore[union-attr]
        print(f"search {kind:18} p50 {s['p50']:6.2f} ms  p95 {s['p95']:6.2f} ms  "
              f"({s['queries_with_hits']}/{out['queries']} queries with hits)")


if __name__ == "__main__":
    main()
