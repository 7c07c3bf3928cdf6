"""Evaluate the geocoder on the hand-made geo gold, and cross-check the KB with gazetteers.

    rasd eval geocoder [--data ../shared/data] [--errors] [--crosscheck]

The gold (``rasd/eval/data/geo_gold.jsonl``) holds only ids, offsets, the mention and the
answer; the texts are read from the shared data (SaudiNewsNet articles, ANERcorp test
sentences). Each mention is resolved with the context of its article: every other place
name and nisba adjective found by looking up the article's token n-grams in the KB (the NER
stage is not needed for this). Split ``dev`` was used while building the KB and choosing the
weights; split ``test`` (44 news mentions) was annotated afterwards and run once. A place
counts as right within 25 km (``tol_km`` where a governorate or region is meant), a country
when the country itself is chosen. The baseline takes the most populous candidate.

``--crosscheck`` measures the KB against gazetteers it was not built from (evaluation only):
the share of Libyan OpenStreetMap places and world-cities-ar labels that the KB resolves, and
whether the coordinates / countries agree.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rasd.geo.geocode import GeoContext, haversine_km, resolve_by_population, resolve_place
from rasd.link.kb import KBEntry, KnowledgeBase
from rasd.paths import DEFAULT_SHARED
from rasd.text.marks import HARAKAT
from rasd.text.normalize import norm

GOLD = Path(__file__).resolve().parent / "data" / "geo_gold.jsonl"
_WORD = re.compile(rf"[\w{HARAKAT}]+")  # letters and harakat, not ، ؛ ؟
_ID = re.compile(r'\{"id": "([^"]+)"')
NEWS_FILES = ("saudinewsnet-2015.jsonl", "saudinewsnet-conflict.jsonl")


def load_gold(path: Path = GOLD) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts(shared: Path, gold: list[dict]) -> dict[tuple[str, str], str]:
    """Texts the gold points into, keyed by (source, doc): articles and ANERcorp sentences."""
    want = {g["doc"] for g in gold if g["source"] == "news"}
    out: dict[tuple[str, str], str] = {}
    for name in NEWS_FILES:
        p = shared / "data" / "news" / name
        if not p.exists():
            continue
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                m = _ID.match(line)  # skip unwanted articles without parsing them
                if m and m.group(1) not in want:
                    continue
                rec = json.loads(line)
                if rec["id"] in want:
                    out[("news", rec["id"])] = rec["text"]
    sents = anercorp_sentences(shared / "data" / "ner" / "anercorp" /
                               "ANERCorp_CamelLab_test.txt")
    for g in gold:
        if g["source"] == "anercorp-test" and sents:
            i = int(g["doc"])
            # No article boundaries in ANERcorp: two sentences either side stand for it.
            out[("anercorp-test", g["doc"])] = sents[i]
            out[("anercorp-ctx", g["doc"])] = "\n".join(sents[max(0, i - 2):i + 3])
    return out


def anercorp_sentences(path: Path) -> list[str]:
    """Sentences of a CoNLL file as their tokens joined by one space (the gold's offsets)."""
    if not path.exists():
        return []
    sents: list[str] = []
    cur: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    sents.append(" ".join(cur))
                    cur = []
                continue
            cur.append(line.rsplit(" ", 1)[0])
    if cur:
        sents.append(" ".join(cur))
    return sents


def find_names(text: str, kb: KnowledgeBase,
               skip: tuple[int, int] | None = None) -> tuple[list[str], list[str]]:
    """Place names (longest KB match over 1–3 token n-grams) and nisba adjectives in ``text``."""
    toks = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    names: list[str] = []
    adjectives: list[str] = []
    i = 0
    while i < len(toks):
        hit = 0
        for n in (3, 2, 1) if kb.may_start_name(toks[i][2]) else ():
            if i + n > len(toks):
                continue
            s, e = toks[i][0], toks[i + n - 1][1]
            if skip and s < skip[1] and e > skip[0]:
                continue
            phrase = " ".join(t[2] for t in toks[i:i + n])
            key = norm(phrase)
            if n == 1 and (len(key) <= 2 or key.isdigit()):
                continue
            if kb.is_common(phrase) or not kb.places(phrase):
                continue
            names.append(phrase)
            hit = n
            break
        if hit:
            i += hit
            continue
        s, e, tok = toks[i]
        if not (skip and s < skip[1] and e > skip[0]) and kb.nisba(tok) is not None:
            adjectives.append(tok)
        i += 1
    return names, adjectives


def _allowed(g: dict) -> set[str]:
    return set(g["country"].split("|"))


def _place_ok(g: dict, e: KBEntry | None) -> tuple[bool, bool]:
    """(within tolerance, right country) for a place item."""
    if e is None or e.lat is None or e.lon is None:
        return False, False
    d = haversine_km(g["lat"], g["lon"], e.lat, e.lon)
    return d <= g.get("tol_km", 25), (e.country or "") in _allowed(g)


def evaluate(shared: Path = DEFAULT_SHARED, kb: KnowledgeBase | None = None,
             errors: bool = False) -> dict:
    """Run resolver and baseline over the gold; return the figures (and errors if asked)."""
    kb = kb or KnowledgeBase.load()
    gold = load_gold()
    texts = load_texts(shared, gold)
    stats: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = {}  # news / anercorp-test, and dev / test splits
    errs: list[dict] = []
    ctx_cache: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for g in gold:
        key = (g["source"], g["doc"])
        if key not in texts:
            stats["missing_text"] += 1
            continue
        text = texts[key]
        assert text[g["start"]:g["end"]] == g["mention"], g["id"]
        # The article's names, cached per article; every occurrence of the mention's own name
        # is left out of its context (GeoContext.from_names(exclude=...)).
        ctx_key = ("anercorp-ctx", g["doc"]) if g["source"] == "anercorp-test" else key
        ctx_text = texts[ctx_key]
        if ctx_key not in ctx_cache:
            ctx_cache[ctx_key] = find_names(ctx_text, kb)
        names, adjs = ctx_cache[ctx_key]
        context = GeoContext.from_names(names, kb, adjectives=adjs, outlet_country=(
            "SA" if g["source"] == "news" else None), exclude=g["mention"])
        pred = resolve_place(g["mention"], context, kb)
        base = resolve_by_population(g["mention"], kb)
        src = by_source.setdefault(g["source"], Counter())
        split = by_source.setdefault(f"split {g.get('split', 'dev')}", Counter())
        for c in (stats, src, split):
            c["n"] += 1
            c["covered"] += bool(kb.places(g["mention"]))
        if g["kind"] == "country":
            ok = pred is not None and pred.feature == "country" and pred.country in _allowed(g)
            b_ok = base is not None and base.feature == "country" and base.country in _allowed(g)
            for c in (stats, src, split):
                c["countries"] += 1
                c["country_ok"] += ok
                c["base_country_ok"] += b_ok
            if not ok:
                errs.append({**g, "pred": pred and pred.kb_id})
            continue
        near, cc = _place_ok(g, pred)
        b_near, b_cc = _place_ok(g, base)
        amb = len({(e.country, round(e.lat or 0), round(e.lon or 0))
                   for e in kb.places(g["mention"])}) > 1
        for c in (stats, src, split):
            c["places"] += 1
            c["near"] += near
            c["cc"] += cc
            c["base_near"] += b_near
            c["base_cc"] += b_cc
            c["ambiguous"] += amb
            c["amb_near"] += near and amb
            c["amb_base_near"] += b_near and amb
        if not near:
            errs.append({"id": g["id"], "mention": g["mention"], "want": g.get("en"),
                         "want_cc": g["country"],
                         "pred": pred and f"{pred.kb_id} {pred.name_en} {pred.country}",
                         "context": sorted(context.countries.items())})
    out = {"all": dict(stats), "by_source": {k: dict(v) for k, v in by_source.items()}}
    if errors:
        out["errors"] = errs
    return out


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


def report(res: dict) -> Iterator[str]:
    s = res["all"]
    yield (f"geo gold: {s['n']} mentions ({s['places']} places, {s['countries']} countries), "
           f"KB has candidates for {_pct(s['covered'], s['n'])}")
    yield (f"  places within tolerance: {_pct(s['near'], s['places'])} "
           f"(population baseline {_pct(s['base_near'], s['places'])}); "
           f"country right: {_pct(s['cc'], s['places'])} "
           f"(baseline {_pct(s['base_cc'], s['places'])})")
    yield (f"  ambiguous names ({s['ambiguous']}): {_pct(s['amb_near'], s['ambiguous'])} "
           f"(baseline {_pct(s['amb_base_near'], s['ambiguous'])})")
    yield (f"  country mentions: {_pct(s['country_ok'], s['countries'])} "
           f"(baseline {_pct(s['base_country_ok'], s['countries'])})")
    for src, c in sorted(res["by_source"].items()):
        yield (f"  {src}: {c.get('places', 0)} places {_pct(c.get('near', 0), c.get('places', 0))} "
               f"(baseline {_pct(c.get('base_near', 0), c.get('places', 0))}), country "
               f"{_pct(c.get('cc', 0), c.get('places', 0))}")


# -- cross-check with gazetteers (evaluation only; nothing is copied) -------------------------
def crosscheck(shared: Path = DEFAULT_SHARED, kb: KnowledgeBase | None = None) -> dict:
    """Coverage and agreement of the KB with the Libya OSM places and world-cities-ar."""
    kb = kb or KnowledgeBase.load()
    out: dict[str, dict] = {}
    osm = shared / "data" / "gazetteer" / "libya-osm-places" / "all.json"
    if osm.exists():
        data = json.loads(osm.read_text(encoding="utf-8"))["data"]
        ctx = GeoContext(countries=Counter({"LY": 1}))
        for group, types in (("city/town", {"city", "town"}), ("village/hamlet",
                                                                 {"village", "hamlet"})):
            rows = [p for p in data if p["type"] in types and p["name"][0].get("ar")]
            found = dists = 0
            ds: list[float] = []
            for p in rows:
                e = resolve_place(p["name"][0]["ar"], ctx, kb)
                if e is None or e.lat is None or e.lon is None:
                    continue
                found += 1
                d = haversine_km(p["latitude"], p["longitude"], e.lat, e.lon)
                ds.append(d)
                dists += d <= 25
            out[f"libya_osm {group}"] = {
                "n": len(rows), "resolved": found, "within_25km": dists,
                "median_km": round(statistics.median(ds), 1) if ds else None}
    wc = shared / "data" / "gazetteer" / "world-cities-ar" / "world-cities.csv"
    if wc.exists():
        import csv

        with wc.open(encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        found = cc_ok = 0
        for r in rows:
            c = kb.places(r["CountryNameAr"])
            iso = c[0].country if c and c[0].feature == "country" else None
            ctx = GeoContext(countries=Counter({iso: 1}) if iso else Counter())
            e = resolve_place(r["CityNameAr"], ctx, kb)
            if e is None:
                continue
            found += 1
            cc_ok += bool(iso) and e.country == iso
        out["world_cities_ar"] = {"n": len(rows), "resolved": found, "country_agrees": cc_ok}
    return out
