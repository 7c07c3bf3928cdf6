"""Score time-expression detection and resolution: rasd's rules against dateparser.

    rasd eval times [--data ../shared/data] [--errors] [--no-dateparser] [--probe]

The gold (``data/times_gold.json``, see its ``about``) lists every in-scope time expression of
38 real articles with offsets and the expected ISO 8601 value; the articles themselves are
read from the shared data, never copied. Both systems get the article text and its
publication date: rasd through :func:`rasd.time.find_times`, dateparser through
``search_dates(text, languages=['ar'], settings={'RELATIVE_BASE': published})``.

Spans are scored exact and overlapping (precision over predictions, recall over gold). A value
is scored on each gold item that some prediction overlaps: rasd's must equal the gold
string. dateparser returns a datetime, never a duration or an interval, so it is judged
leniently — correct when its date falls inside what the gold denotes (the day, month, year,
ISO week or interval); it cannot be right on durations or on vague (null) items.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rasd.paths import DEFAULT_SHARED
from rasd.time import find_times

GOLD = Path(__file__).resolve().parent / "data" / "times_gold.json"

Pred = tuple[int, int, Any]  # start, end, value (a string for rasd, a datetime for dateparser)

# One phrase per pattern family, resolved against PROBE_DATE (a Tuesday): what each system says.
PROBE_DATE = "2019-06-25"
PROBES = [
    ("التقى حفتر الأحد في الرجمة", "2019-06-23"),
    ("اجتمعوا الأحد الماضي", "2019-06-23"),
    ("قتل أمس", "2019-06-24"),
    ("منذ أسبوع", "2019-06-18"),
    ("قبل يومين", "2019-06-23"),
    ("في 24 يونيو 2019", "2019-06-24"),
    ("في 24 حزيران 2019", "2019-06-24"),
    ("في 24 يونيو (حزيران) 2019", "2019-06-24"),
    ("في تموز الماضي", "2018-07"),
    ("العام الماضي", "2018"),
    ("الأسبوع الماضي", "2019-W25"),
    ("25 شوال 1436 هـ", "2015-08-10"),
    ("بعد أكثر من 80 يوما", "P80D"),
    ("نحو 3 أشهر", "P3M"),
]


def load_gold(shared: Path) -> list[dict[str, Any]]:
    """Gold documents with their article ``text`` filled in from the shared data."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["docs"]
    wanted: dict[str, set[str]] = {}
    for doc in gold:
        wanted.setdefault(doc["source"], set()).add(doc["id"])
    texts: dict[str, str] = {}
    for source, ids in wanted.items():
        p = shared / source
        if p.suffix == ".jsonl":
            with p.open(encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    if rec["id"] in ids:
                        texts[rec["id"]] = rec["text"]
        else:
            texts[next(iter(ids))] = p.read_text(encoding="utf-8")
    for doc in gold:
        doc["text"] = text = texts[doc["id"]]
        for start, end, span, _ in doc["items"]:
            if text[start:end] != span:
                raise ValueError(f"{doc['id']}: gold [{start}, {end}) is not {span!r}")
    return gold


def kind(value: str | None) -> str:
    """The shape of a gold value, for the per-kind breakdown."""
    if value is None:
        return "vague (null)"
    if value.startswith("P"):
        return "duration"
    if "/" in value:
        return "interval"
    if "-W" in value:
        return "week"
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "other")


def dateparser_value_ok(gold: str | None, got: Any) -> bool:
    """Does dateparser's datetime fall inside the gold value (see module doc)?"""
    if gold is None or gold.startswith("P") or not isinstance(got, datetime):
        return False
    d = got.date()
    if "/" in gold:
        a, b = gold.split("/")
        return date.fromisoformat(a) <= d <= date.fromisoformat(b)
    if "-W" in gold:
        y, w = gold.split("-W")
        return d.isocalendar()[:2] == (int(y), int(w))
    return d.isoformat().startswith(gold)


def score(gold: list[dict[str, Any]], preds: dict[str, list[Pred]],
          value_ok: Callable[[str | None, Any], bool]) -> dict[str, Any]:
    """Span P/R/F1 (exact, overlap) and value accuracy, overall and per gold value kind."""
    n_gold = n_pred = exact_g = exact_p = over_g = over_p = val_ok = 0
    by_kind: Counter[str] = Counter()
    by_kind_ok: Counter[str] = Counter()
    by_kind_found: Counter[str] = Counter()
    errors: list[str] = []
    for doc in gold:
        items = doc["items"]
        pred = preds.get(doc["id"], [])
        n_gold += len(items)
        n_pred += len(pred)
        gold_spans = {(s, e) for s, e, _, _ in items}
        exact_p += sum((s, e) in gold_spans for s, e, _ in pred)
        over_p += sum(any(s < ge and gs < e for gs, ge, _, _ in items) for s, e, _ in pred)
        for gs, ge, span, value in items:
            k = kind(value)
            by_kind[k] += 1
            overlapping = [p for p in pred if p[0] < ge and gs < p[1]]
            if any((p[0], p[1]) == (gs, ge) for p in pred):
                exact_g += 1
            if not overlapping:
                errors.append(f"{doc['id']}: MISSED {span!r} = {value}")
                continue
            over_g += 1
            by_kind_found[k] += 1
            best = max(overlapping, key=lambda p: min(p[1], ge) - max(p[0], gs))
            if value_ok(value, best[2]):
                val_ok += 1
                by_kind_ok[k] += 1
            else:
                errors.append(f"{doc['id']}: VALUE {span!r} gold {value} got {best[2]!s}"
                              f" (span {doc['text'][best[0]:best[1]]!r})")
            if (best[0], best[1]) != (gs, ge):
                errors.append(f"{doc['id']}: SPAN gold {span!r} got "
                              f"{doc['text'][best[0]:best[1]]!r}")
        for s, e, v in pred:
            if not any(s < ge and gs < e for gs, ge, _, _ in items):
                errors.append(f"{doc['id']}: SPURIOUS {doc['text'][s:e]!r} = {v!s}")

    def prf(tp_p: int, tp_g: int) -> dict[str, float]:
        p = tp_p / n_pred if n_pred else 0.0
        r = tp_g / n_gold if n_gold else 0.0
        return {"p": 100 * p, "r": 100 * r, "f1": 100 * (2 * p * r / (p + r) if p + r else 0.0)}

    return {
        "gold": n_gold, "predicted": n_pred,
        "exact": prf(exact_p, exact_g), "overlap": prf(over_p, over_g),
        "value_acc_found": 100 * val_ok / over_g if over_g else 0.0,
        "value_correct_all": 100 * val_ok / n_gold if n_gold else 0.0,
        "kinds": {k: {"gold": by_kind[k], "found": by_kind_found[k], "value_ok": by_kind_ok[k]}
                  for k in sorted(by_kind)},
        "errors": errors,
    }


def run_rasd(gold: list[dict[str, Any]]) -> tuple[dict[str, list[Pred]], float]:
    find_times("أمس", "2015-07-21")  # load the word lists before timing
    t0 = time.perf_counter()
    preds = {doc["id"]: [(t.start, t.end, t.value) for t in find_times(doc["text"],
                                                                         doc["published"])]
             for doc in gold}
    return preds, time.perf_counter() - t0


def run_dateparser(gold: list[dict[str, Any]]) -> tuple[dict[str, list[Pred]], float]:
    """dateparser's search_dates; its strings are located left to right in the text."""
    from dateparser.search import search_dates

    preds: dict[str, list[Pred]] = {}
    search_dates("أمس", languages=["ar"])  # load the language data before timing
    t0 = time.perf_counter()
    for doc in gold:
        base = datetime.fromisoformat(doc["published"])
        found = search_dates(doc["text"], languages=["ar"],
                             settings={"RELATIVE_BASE": base}) or []
        out: list[Pred] = []
        pos = 0
        for s, dt in found:
            i = doc["text"].find(s, pos)
            if i < 0:
                i = doc["text"].find(s)
            if i < 0:
                continue
            # dateparser keeps neighbouring punctuation and words ("الاثنين،", "الأحد في")
            out.append((i, i + len(s), dt))
            pos = i + len(s)
        preds[doc["id"]] = out
    return preds, time.perf_counter() - t0


def table(results: dict[str, dict[str, Any]], seconds: dict[str, float], n_docs: int) -> str:
    rows = ["| system | spans exact P / R / F1 | spans overlap P / R / F1 | value acc. (found) "
            "| value correct (all gold) | ms / article |",
            "|---|---|---|---|---|---|"]
    for name, r in results.items():
        ex, ov = r["exact"], r["overlap"]
        rows.append(
            f"| {name} | {ex['p']:.1f} / {ex['r']:.1f} / {ex['f1']:.1f} "
            f"| {ov['p']:.1f} / {ov['r']:.1f} / {ov['f1']:.1f} | {r['value_acc_found']:.1f} "
            f"| {r['value_correct_all']:.1f} | {1000 * seconds[name] / n_docs:.1f} |")
    kinds = sorted({k for r in results.values() for k in r["kinds"]})
    rows += ["", "| gold value kind | n | " + " | ".join(
        f"{name} found / value ok" for name in results) + " |",
        "|---|---|" + "---|" * len(results)]
    for k in kinds:
        n = next(r["kinds"][k]["gold"] for r in results.values() if k in r["kinds"])
        got = [r["kinds"].get(k, {}) for r in results.values()]
        cells = [f"{g.get('found', 0)} / {g.get('value_ok', 0)}" for g in got]
        rows.append(f"| {k} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def probe() -> str:
    """A table: each probe phrase, the expected value, rasd's and dateparser's answers."""
    rows = ["| phrase | expected | rasd | dateparser |", "|---|---|---|---|"]
    try:
        from dateparser.search import search_dates
    except ImportError:
        search_dates = None
    base = datetime.fromisoformat(PROBE_DATE)
    for phrase, expected in PROBES:
        ours = "; ".join(f"{t.text} → {t.value}" for t in find_times(phrase, PROBE_DATE)) or "—"
        theirs = "(not installed)"
        if search_dates is not None:
            got = search_dates(phrase, languages=["ar"], settings={"RELATIVE_BASE": base}) or []
            theirs = "; ".join(f"{s} → {d.date().isoformat()}" for s, d in got) or "—"
        rows.append(f"| {phrase} | {expected} | {ours} | {theirs} |")
    return "\n".join(rows)


def print_report(shared: Path = DEFAULT_SHARED, errors: bool = False,
                 dateparser: bool = True, probes: bool = False) -> None:
    """Print the score tables per split (dev, test, all), each miss with ``errors``, and
    one phrase per pattern family with ``probes``; dateparser is skipped when absent."""
    gold = load_gold(shared)
    results: dict[str, dict[str, Any]] = {}
    seconds: dict[str, float] = {}
    systems: dict[str, tuple[dict[str, list[Pred]], Callable[[str | None, Any], bool]]] = {}
    preds, seconds["rasd"] = run_rasd(gold)
    systems["rasd"] = (preds, lambda g, v: g == v)
    if dateparser:
        try:
            dp, seconds["dateparser"] = run_dateparser(gold)
            systems["dateparser"] = (dp, dateparser_value_ok)
        except ImportError:
            print("dateparser not installed: skipped", file=sys.stderr)
    for split in ("dev", "test", "all"):
        docs = [d for d in gold if split in ("all", d.get("split", "dev"))]
        n_items = sum(len(d["items"]) for d in docs)
        results = {name: score(docs, p, ok) for name, (p, ok) in systems.items()}
        print(f"### {split}: {n_items} gold expressions in {len(docs)} articles\n")
        print(table(results, {k: v * len(docs) / len(gold) for k, v in seconds.items()},
                    len(docs)))
        print()
        if errors and split != "all":
            for name, r in results.items():
                print(f"#### {name} errors ({split}): {len(r['errors'])}")
                print("\n".join(r["errors"]) + "\n")
    if probes:
        print(f"### probes (published {PROBE_DATE})\n")
        print(probe())
