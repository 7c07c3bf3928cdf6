"""Where the outlets of one story disagree, with both spans as evidence; and how they name actors.

Four kinds, each built to be shown only when it is real (precision first):

* ``denial`` — one event cluster (rasd.stories.reports) reported as happening by one article
  and as denied (status ``denied`` or negated, with a denial word in its sentence: نفى، كذّب،
  لا صحة …) by another whose sentence has none, the two reports filling two roles alike and
  their sentences close (word Jaccard 0.25–0.8: one proposition, not one copied text).
* ``numbers`` — the same sentence told by two outlets with other counts: killed, injured
  (never the "مقتل وإصابة 10" sum of both) or arrested. Two sentences
  alike once their numbers are left out (word Jaccard ≥ 0.4), giving as many counts of a kind,
  some of them different, counting the same people (not 11 شخصا / 5 مقاتلين), on the same
  weekday when both name one. Sums of money were tried and left out: rounding (322.8 / 322
  مليار), lists of thresholds and Al-Sharq Al-Awsat's right-to-left decimals ("1.‏116") made
  most of them false.
* ``actor`` — two event clusters of the story with the same type, the same target and the same
  place (both named), a day apart at most, whose actors are two different named entities, told
  in sentences alike but for the actor (word Jaccard ≥ 0.5 without the actors' names), each
  actor linked to the knowledge base and absent from the other outlet's sentence: the same
  attack blamed on different sides.
* ``attribution`` — the same statement (content word sets with Jaccard ≥ 0.6, six words or
  more each) put in the mouths of two different people of the knowledge base by two outlets,
  both claims scored ≥ 0.6 by the learned claims. Off by default (``DEFAULT_KINDS``): both
  of its items in the hand-checked sample were false.

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

from rasd.resources import read_lines, read_tsv
from rasd.stories.reports import EventCluster, Report, _days_apart, entity_key
from rasd.text.arabic import words
from rasd.text.normalize import norm, normalize

_DEAD = (re.compile(r"(?:مقتل|قتل|استشهاد|مصرع|وفاه|سقوط)\s+(\d+)(?!\s*(?:الف|مليون))"),
         re.compile(r"(\d+)\s+(?:قتيلا|قتيل|قتلي|شهيدا|شهيد|شهداء)"))
_HURT = (re.compile(r"(?:اصابه|جرح)\s+(\d+)(?!\s*(?:الف|مليون))"),
         re.compile(r"(\d+)\s+(?:جريحا|جريح|جرحي|مصابا|مصابين)"))
_ARRESTED = (re.compile(r"(?:القبض علي|اعتقال|توقيف|احتجاز)\s+(\d+)(?!\s*(?:الف|مليون))"),
             re.compile(r"(\d+)\s+(?:معتقلا|معتقلين|موقوفا|موقوفين)"))
# "مقتل وإصابة 10": one number for dead and wounded together, a count of neither.
_COMBINED = re.compile(r"(?:مقتل|مصرع|وفاه|سقوط)\s+و(?:اصابه|جرح)\s+(\d+)")
QUANTITIES = {"killed": _DEAD, "injured": _HURT, "arrested": _ARRESTED}
_WORD = re.compile(r"\w+")
ATTRIBUTION_MIN_CONFIDENCE = 0.6
_DENIED = "denied"


_DENIAL_CUE = re.compile(r"(?<!\w)(?:و|ف)?(?:نفي|ينفي|نفت|تنفي|نفوا|كذب|يكذب|كذبت|تكذب|لا صحه"
                         r"|عار عن الصحه|عاريه عن الصحه|غير صحيح)(?!\w)")


def _same_name(a: str | None, b: str | None) -> bool:
    """Two names that may well be one entity the linker kept apart (سلفا كير / سالفاكير,
    أغولو / أوغلو, عبد العزيز / محمد يوسف عبدالعزيز, الأمانة العامة / الأمانة العامة
    لمنظمة التعاون): a shared or near-identical word, or one name inside the other."""
    if not a or not b:
        return False
    wa = {w.removeprefix("ال") for w in _WORD.findall(norm(a)) if len(w) >= 3}
    wb = {w.removeprefix("ال") for w in _WORD.findall(norm(b)) if len(w) >= 3}
    if wa & wb or any(SequenceMatcher(None, x, y).ratio() >= 0.75 for x in wa for y in wb):
        return True
    sa, sb = norm(a).replace(" ", ""), norm(b).replace(" ", "")
    return sa in sb or sb in sa or SequenceMatcher(None, sa, sb).ratio() >= 0.75


def _overlap(a: str, b: str, drop_numbers: bool = False) -> float:
    wa, wb = _words(a), _words(b)
    if drop_numbers:
        wa = {w for w in wa if not w.isdigit()}
        wb = {w for w in wb if not w.isdigit()}
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _side(r: Report) -> dict[str, Any]:
    span = r.sentence or r.trigger
    return {"doc": r.doc, "event": r.event, "outlet": r.outlet or None,
            "published": r.published or None, "title": r.title, "status": r.status,
            "negated": r.negated, "trigger": dict(r.trigger),
            "evidence": {"start": span["start"], "end": span["end"], "text": span["text"]}}


def _shared_roles(a: Report, b: Report) -> int:
    return sum(1 for role in ("actor", "target", "location")
               if getattr(a, role) and getattr(a, role) == getattr(b, role))


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
            # The same proposition: two roles filled alike (one shared name is not enough in
            # a war story), and the sentences not one text (a status flip of the model).
            if (s.outlet != d.outlet and not _DENIAL_CUE.search(norm(stext))
                    and _shared_roles(s, d) >= 2 and 0.25 <= _overlap(stext, dtext) < 0.8):
                return [{"kind": "denial", "cluster": c.id, "type": c.type,
                         "summary": f"{c.type}: reported by {s.outlet or s.doc}, denied in "
                                    f"{d.outlet or d.doc}", "a": _side(s), "b": _side(d)}]
    return []


def _toll_list(text: str) -> dict[str, list[str]]:
    """The sentence's counts in order of appearance, per kind: killed, injured, arrested."""
    t = norm(text)
    combined = [m.span() for m in _COMBINED.finditer(t)]
    out: dict[str, list[str]] = {}
    for kind, pats in QUANTITIES.items():
        hits = sorted((m.start(), m.group(1)) for p in pats for m in p.finditer(t)
                      if not any(a <= m.start() < b for a, b in combined))
        out[kind] = [str(int(n)) for _, n in hits]
    return out


# Words that may follow a toll without saying who was counted (people, dead, wounded).
_GENERIC_COUNTED = frozenset(norm(w) for w in read_lines("stories/counted.txt"))
_WEEKDAYS = words("weekday")


def _counted(text: str, n: str) -> str | None:
    m = re.search(rf"(?<![\d.]){re.escape(n)}\s+(\w+)", norm(text))
    return m.group(1).removeprefix("ال") if m else None


def _same_count(ta: str, tb: str, xa: list[str], xb: list[str], kind: str) -> bool:
    """Do two counts count the same thing? Not when one counts people and the other fighters
    of one side (11 شخصا / 5 مقاتلين), nor when the sentences name different weekdays."""
    for na, nb in zip(xa, xb, strict=True):
        ca, cb = _counted(ta, na), _counted(tb, nb)
        if ca and cb and ca != cb and not (ca in _GENERIC_COUNTED and cb in _GENERIC_COUNTED):
            return False
    da, db = _words(ta) & _WEEKDAYS, _words(tb) & _WEEKDAYS
    return not (da and db and not da & db)


def _numbers(docs: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The same sentence told by two outlets with other tolls: sentences of the story that
    state a death or injury toll, paired across outlets when they are alike without their
    numbers (word Jaccard ≥ 0.4) and give as many tolls of a kind, some different."""
    rows = []
    for d in docs:
        meta = d.get("document") or {}
        text = meta.get("text") or ""
        for s in d.get("sentences") or []:
            sent = text[s["start"]:s["end"]]
            tolls = _toll_list(sent)
            if any(tolls.values()):
                rows.append((meta, s["start"], s["end"], sent, tolls))
    out, seen = [], set()
    for i, (ma, a0, a1, ta, la) in enumerate(rows):
        for mb, b0, b1, tb, lb in rows[i + 1:]:
            if ma.get("outlet") == mb.get("outlet") or _overlap(ta, tb, True) < 0.4:
                continue
            for kind in QUANTITIES:
                xa, xb = la[kind], lb[kind]
                if (not xa or len(xa) != len(xb) or xa == xb
                        or not _same_count(ta, tb, xa, xb, kind)):
                    continue
                key = (ma.get("id"), mb.get("id"), kind, tuple(xa), tuple(xb))
                if key in seen:
                    continue
                seen.add(key)
                out.append({"kind": "numbers", "field": kind, "values": [xa, xb],
                            "summary": f"{kind}: {', '.join(map(str, xa))} "
                                       f"({ma.get('outlet') or ma.get('id')}) vs "
                                       f"{', '.join(map(str, xb))} "
                                       f"({mb.get('outlet') or mb.get('id')})",
                            "a": _sentence_side(ma, a0, a1, ta),
                            "b": _sentence_side(mb, b0, b1, tb)})
    return out


def _sentence_side(meta: Mapping[str, Any], start: int, end: int, text: str) -> dict[str, Any]:
    return {"doc": meta.get("id"), "outlet": meta.get("outlet"),
            "published": meta.get("published"), "title": meta.get("title"),
            "evidence": {"start": start, "end": end, "text": text}}


def _same_but_actor(x: Report, y: Report) -> bool:
    """The same sentence told with another actor: word Jaccard ≥ 0.5 once the two actors'
    names are taken out (allied forces attacking one enemy on one day are not a dispute)."""
    if not x.sentence or not y.sentence:
        return False
    names = _words(x.names.get("actor") or "") | _words(y.names.get("actor") or "")
    wa, wb = _words(x.sentence["text"]) - names, _words(y.sentence["text"]) - names
    return bool(wa | wb) and len(wa & wb) / len(wa | wb) >= 0.5


def _absent(name: str | None, r: Report) -> bool:
    """``name`` is nowhere in ``r``'s sentence: the other outlet really names someone else
    (when both names are in both sentences, the two actors are the model's two readings of
    one text, not two outlets' accounts)."""
    if not name or not r.sentence:
        return False
    words = _words(name)
    return not words or not words <= _words(r.sentence["text"])


def _actors(clusters: list[EventCluster]) -> list[dict[str, Any]]:
    out = []
    for i, a in enumerate(clusters):
        for b in clusters[i + 1:]:
            ra, rb = a.roles, b.roles
            if (a.type == b.type and ra.get("target") and ra.get("target") == rb.get("target")
                    and ra.get("location") and ra.get("location") == rb.get("location")
                    and ra.get("actor") and rb.get("actor") and ra["actor"] != rb["actor"]
                    and not ra["actor"].startswith(("PER:", "ORG:", "GPE:", "LOC:", "FAC:"))
                    and not rb["actor"].startswith(("PER:", "ORG:", "GPE:", "LOC:", "FAC:"))
                    and not _same_name(a.names.get("actor"), b.names.get("actor"))
                    and _days_apart(a.day, b.day) <= 1):
                x = next((r for r in a.reports if r.actor == ra["actor"]), a.reports[0])
                y = next((r for r in b.reports if r.actor == rb["actor"]
                          and r.outlet != x.outlet and _same_but_actor(x, r)
                          and _absent(x.names.get("actor"), r)
                          and _absent(r.names.get("actor"), x)), None)
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
            # People the knowledge base knows only: a ministry and its spokesman, or a country
            # and its minister, are one attribution told two ways, and an unlinked name is too
            # often a wrong or partial source.
            if (src is None or src.get("type") != "PER" or not src.get("kb_id")
                    or c.get("anonymous") or len(words) < 6):
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


#: Kinds shown by default. ``attribution`` is off: on the hand-checked sample
#: (eval/contradictions/README.md) both of its items were false (a quote of the reporter's
#: own, and one quote read from two articles that did not name two speakers).
DEFAULT_KINDS: frozenset[str] = frozenset({"denial", "numbers", "actor"})
KINDS: frozenset[str] = DEFAULT_KINDS | {"attribution"}


def contradictions(docs: Iterable[Mapping[str, Any]], clusters: list[EventCluster],
                   kinds: Iterable[str] = DEFAULT_KINDS) -> list[dict[str, Any]]:
    """Every disagreement of the given kinds in one story (its articles and event clusters)."""
    docs = list(docs)
    kinds = frozenset(kinds)
    if unknown := kinds - KINDS:
        raise ValueError(f"unknown contradiction kind(s): {', '.join(sorted(unknown))}")
    out: list[dict[str, Any]] = []
    if "denial" in kinds:
        for c in clusters:
            out += _denials(c)
    if "numbers" in kinds:
        out += _numbers(docs)
    if "actor" in kinds:
        out += _actors(clusters)
    if "attribution" in kinds:
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
