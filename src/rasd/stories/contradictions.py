"""Where the outlets of one story disagree, with both spans as evidence; and how they name actors.

Four kinds, each built to be shown only when it is real (precision first):

* ``denial`` — one event cluster (rasd.stories.reports) reported as happening by one article
  and as denied (status ``denied`` or negated, with a denial word in its sentence: نفى، كذّب،
  لا صحة …) by another whose sentence has none.
* ``numbers`` — one event cluster whose reports give different death or injury tolls: each
  report's sentence states exactly one toll of that kind, they differ, and the two sentences
  are otherwise alike (word Jaccard ≥ 0.4 without the numbers: the same count, told twice).
* ``actor`` — two event clusters of the story with the same type, the same target and the same
  place (both named), a day apart at most, whose actors are two different named entities: the
  same attack blamed on different sides.
* ``attribution`` — the same statement (content word sets with Jaccard ≥ 0.6, six words or
  more each) put in the mouths of two different named people by two outlets, both claims
  scored ≥ 0.6 by the learned claims.

Every kind needs two different outlets, and two names that may be one entity the linker kept
apart (a shared word, close spellings) never make a contradiction.

``framing`` lists, for each actor named by at least two outlets, the loaded words each outlet
puts before its name (ميليشيات / جماعة / المتمردين …, from ``resources/stories/framing.tsv``)
when the outlets' words differ. It is a description of wording, not a contradiction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from rasd.resources import read_tsv
from rasd.stories.reports import EventCluster, Report, _days_apart, entity_key
from rasd.text.normalize import norm, normalize

_DEAD = (re.compile(r"(?:مقتل|قتل|استشهاد|مصرع|سقوط)\s+(\d+)(?!\s*(?:الف|مليون))"),
         re.compile(r"(\d+)\s+(?:قتيلا|قتيل|قتلي|شهيدا|شهيد|شهداء)"))
_HURT = (re.compile(r"(?:اصابه|جرح)\s+(\d+)(?!\s*(?:الف|مليون))"),
         re.compile(r"(\d+)\s+(?:جريحا|جريح|جرحي|مصابا|مصابين)"))
_WORD = re.compile(r"\w+")
ATTRIBUTION_MIN_CONFIDENCE = 0.6
_DENIED = "denied"


_DENIAL_CUE = re.compile(r"(?<!\w)(?:و|ف)?(?:نفي|ينفي|نفت|تنفي|نفوا|كذب|يكذب|كذبت|تكذب|لا صحه"
                         r"|عار عن الصحه|عاريه عن الصحه|غير صحيح)(?!\w)")


def _same_name(a: str | None, b: str | None) -> bool:
    """Two names that may well be one entity the linker kept apart (سلفا كير / سالفاكير,
    الأمانة العامة / الأمانة العامة لمنظمة التعاون): a shared word, or close spellings."""
    if not a or not b:
        return False
    wa = {w.removeprefix("ال") for w in _WORD.findall(norm(a)) if len(w) >= 3}
    wb = {w.removeprefix("ال") for w in _WORD.findall(norm(b)) if len(w) >= 3}
    if wa & wb:
        return True
    sa, sb = norm(a).replace(" ", ""), norm(b).replace(" ", "")
    return SequenceMatcher(None, sa, sb).ratio() >= 0.75


def _overlap(a: str, b: str, drop_numbers: bool = False) -> float:
    wa, wb = _words(a), _words(b)
    if drop_numbers:
        wa = {w for w in wa if not w.isdigit()}
        wb = {w for w in wb if not w.isdigit()}
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _tolls(text: str) -> dict[str, set[int]]:
    t = norm(text)
    return {kind: {int(m.group(1)) for p in pats for m in p.finditer(t)}
            for kind, pats in (("killed", _DEAD), ("injured", _HURT))}


def _side(r: Report) -> dict[str, Any]:
    span = r.sentence or r.trigger
    return {"doc": r.doc, "event": r.event, "outlet": r.outlet or None,
            "published": r.published or None, "title": r.title, "status": r.status,
            "negated": r.negated, "trigger": dict(r.trigger),
            "evidence": {"start": span["start"], "end": span["end"], "text": span["text"]}}


def _denials(c: EventCluster) -> list[dict[str, Any]]:
    said = [r for r in c.reports if r.status != _DENIED and not r.negated
            and r.status in ("asserted", "reported")]
    denied = [r for r in c.reports if r.status == _DENIED or r.negated]
    for d in denied:
        dtext = (d.sentence or d.trigger)["text"]
        if not _DENIAL_CUE.search(norm(dtext)):  # the model's "denied" alone is not shown
            continue
        for s in said:
            stext = (s.sentence or s.trigger)["text"]
            if (s.outlet != d.outlet and not _DENIAL_CUE.search(norm(stext))
                    and _overlap(stext, dtext) < 0.8):
                return [{"kind": "denial", "cluster": c.id, "type": c.type,
                         "summary": f"{c.type}: reported by {s.outlet or s.doc}, denied in "
                                    f"{d.outlet or d.doc}", "a": _side(s), "b": _side(d)}]
    return []


def _numbers(c: EventCluster) -> list[dict[str, Any]]:
    out = []
    tolls = [(r, _tolls(r.sentence["text"])) for r in c.reports if r.sentence]
    for kind in ("killed", "injured"):
        one = [(r, next(iter(t[kind]))) for r, t in tolls if len(t[kind]) == 1]
        seen: set[tuple[int, int]] = set()
        for i, (ra, na) in enumerate(one):
            for rb, nb in one[i + 1:]:
                if (ra.outlet != rb.outlet and na != nb
                        and (min(na, nb), max(na, nb)) not in seen
                        # the same sentence told with another number, not another count
                        and _overlap(ra.sentence["text"], rb.sentence["text"], True) >= 0.4):
                    seen.add((min(na, nb), max(na, nb)))
                    out.append({"kind": "numbers", "cluster": c.id, "type": c.type,
                                "field": kind, "values": [na, nb],
                                "summary": f"{kind}: {na} ({ra.outlet or ra.doc}) vs {nb} "
                                           f"({rb.outlet or rb.doc})",
                                "a": _side(ra), "b": _side(rb)})
    return out


def _actors(clusters: list[EventCluster]) -> list[dict[str, Any]]:
    out = []
    for i, a in enumerate(clusters):
        for b in clusters[i + 1:]:
            ra, rb = a.roles, b.roles
            if (a.type == b.type and ra.get("target") and ra.get("target") == rb.get("target")
                    and ra.get("location") and ra.get("location") == rb.get("location")
                    and ra.get("actor") and rb.get("actor") and ra["actor"] != rb["actor"]
                    and not _same_name(a.names.get("actor"), b.names.get("actor"))
                    and _days_apart(a.day, b.day) <= 1):
                x = next((r for r in a.reports if r.actor == ra["actor"]), a.reports[0])
                y = next((r for r in b.reports if r.actor == rb["actor"]
                          and r.outlet != x.outlet), None)
                if y is None:
                    continue
                out.append({"kind": "actor", "cluster": a.id, "other_cluster": b.id,
                            "type": a.type,
                            "summary": f"{a.type} on {a.names.get('target')} in "
                                       f"{a.names.get('location')}: by {a.names.get('actor')} "
                                       f"({x.outlet or x.doc}) or by {b.names.get('actor')} "
                                       f"({y.outlet or y.doc})",
                            "a": _side(x), "b": _side(y)})
    return out


def _words(text: str) -> set[str]:
    return set(_WORD.findall(norm(text)))


def _attributions(docs: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    claims = []
    for d in docs:
        meta = d.get("document") or {}
        ents = {e["id"]: e for e in d.get("entities") or []}
        for c in d.get("claims") or []:
            src = ents.get(c.get("source") or "")
            content = c.get("content") or {}
            words = _words(content.get("text") or "")
            # People only: a ministry and its spokesman, or a country and its minister, are one
            # attribution told two ways, not a disagreement.
            if src is None or src.get("type") != "PER" or c.get("anonymous") or len(words) < 6:
                continue
            # Who said it is the learned claims' weakest field (docs/evaluation.md): only the
            # claims they are sure of (calibrated ≥ 0.6; fast mode's unscored claims never).
            if (c.get("confidence") or 0.0) < ATTRIBUTION_MIN_CONFIDENCE:
                continue
            claims.append((meta, c, entity_key(src), src.get("name"), words))
    out = []
    for i, (ma, ca, ka, na, wa) in enumerate(claims):
        for mb, cb, kb, nb, wb in claims[i + 1:]:
            if ma.get("outlet") == mb.get("outlet") or ka == kb or _same_name(na, nb):
                continue
            if len(wa & wb) / len(wa | wb) >= 0.6:
                out.append({"kind": "attribution",
                            "summary": f"the same statement: {na} ({ma.get('outlet')}) or "
                                       f"{nb} ({mb.get('outlet')})",
                            "a": _claim_side(ma, ca, na), "b": _claim_side(mb, cb, nb)})
    return out


def _claim_side(meta: Mapping[str, Any], c: Mapping[str, Any], name: str | None
                ) -> dict[str, Any]:
    return {"doc": meta.get("id"), "claim": c["id"], "outlet": meta.get("outlet"),
            "published": meta.get("published"), "title": meta.get("title"), "source": name,
            "cue": c.get("cue"), "evidence": c.get("content")}


def contradictions(docs: Iterable[Mapping[str, Any]], clusters: list[EventCluster]
                   ) -> list[dict[str, Any]]:
    """Every disagreement found in one story (its articles and its event clusters)."""
    docs = list(docs)
    out: list[dict[str, Any]] = []
    for c in clusters:
        out += _denials(c)
        out += _numbers(c)
    out += _actors(clusters)
    out += _attributions(docs)
    return out


# -- framing -----------------------------------------------------------------------------------


@cache
def _framing_terms() -> tuple[tuple[str, str], ...]:
    return tuple((norm(row[0]), row[1]) for row in read_tsv("stories/framing.tsv")
                 if len(row) >= 2)


_PREFIX = "(?:و|ف)?(?:ب|ل|ك)?"


@cache
def _framing_re() -> re.Pattern[str]:
    terms = sorted({t for t, _ in _framing_terms()}, key=len, reverse=True)
    return re.compile(rf"(?<!\w){_PREFIX}({'|'.join(map(re.escape, terms))})\s*$")


def framing(docs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per actor named by two or more outlets: the loaded words each outlet uses right before
    its name, when they differ between outlets."""
    gloss = dict(_framing_terms())
    pat = _framing_re()
    use: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    names: dict[str, str] = {}
    for d in docs:
        meta = d.get("document") or {}
        text = meta.get("text") or ""
        outlet = meta.get("outlet") or meta.get("id") or ""
        ents = {e["id"]: e for e in d.get("entities") or []}
        for m in d.get("mentions") or []:
            e = ents.get(m.get("entity") or "")
            if e is None or e.get("type") not in ("ORG", "PER", "GPE"):
                continue
            key = entity_key(e)
            names.setdefault(key, e.get("name") or m["text"])
            lo = max(0, m["start"] - 30)
            view = normalize(text[lo:m["start"]])
            hit = pat.search(view.text)
            # A bare outlet mention still counts: it shows which words the outlet does not use.
            use[key][outlet]
            if hit:
                a, b = view.to_original(*hit.span(1))
                use[key][outlet][hit.group(1)].append(
                    {"doc": meta.get("id"), "mention": m["id"], "start": lo + a, "end": lo + b,
                     "text": text[lo + a:lo + b], "name": m["text"]})
    out = []
    for key, by_outlet in use.items():
        if len(by_outlet) < 2:
            continue
        labels = {o: sorted({gloss.get(t, t) for t in terms}) for o, terms in by_outlet.items()}
        if len({tuple(v) for v in labels.values()}) < 2 or not any(labels.values()):
            continue
        out.append({"entity": key, "name": names[key],
                    "outlets": {o: {"words": sorted(terms), "labels": labels[o],
                                    "evidence": [ev for t in sorted(terms)
                                                 for ev in terms[t][:2]]}
                                for o, terms in sorted(by_outlet.items())}})
    return out
