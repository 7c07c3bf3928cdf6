"""The span-level annotated corpus (``eval/corpus/``): its format, loading and checking.

Each article is one JSON file holding annotations and the record id only; the text is rebuilt
from ``shared/data/news/`` as ``title + "\\n\\n" + text`` (the held-out gold does the same), so
no article text lives in the repository. Every span is ``{"start", "end", "text"}`` with
``text == doc[start:end]``. Annotators may write a span as ``{"text": …}`` plus a unique
context string ``ctx`` containing it, or ``occ`` (the n-th occurrence, from 1); ``resolve``
turns those into offsets, and ``check`` refuses anything that does not hold mechanically.
The format and the annotation decisions are in ``docs/annotation.md`` (part B).
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rasd.text.marks import EXTRA_MARKS, HARAKAT, TATWEEL, VOWEL_MARKS

ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "FAC")
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
          "ASSAULT")
STATUSES = ("asserted", "reported", "expected", "hypothetical", "denied")
STANCES = ("assert", "doubt", "deny")
CHANNELS = ("statement", "press", "interview", "conference", "television", "radio", "agency",
            "tweet", "facebook", "social", "website", "document", "report", "speech", "letter",
            "phone", "other")
SPLITS = ("train", "dev", "test")
NEWS_FILES = ("news/saudinewsnet-conflict.jsonl", "news/saudinewsnet-2015.jsonl",
              "news/saudinewsnet-rest.jsonl.gz")


class CorpusError(ValueError):
    """An annotation does not hold against its article text."""


# -- article text ----------------------------------------------------------------------------

def read_records(shared_data: Path, file: str) -> dict[str, dict[str, Any]]:
    """All records of one shared news file by id (read once per process)."""
    return _records(str(shared_data), file)


@cache
def _records(shared_data: str, file: str) -> dict[str, dict[str, Any]]:
    path = Path(shared_data) / file
    opener = gzip.open if file.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def article_text(record: dict[str, Any]) -> str:
    return record["title"] + "\n\n" + record["text"]


def source_record(shared_data: Path, source: dict[str, str]) -> dict[str, Any]:
    recs = read_records(shared_data, source["file"])
    if source["id"] not in recs:
        raise CorpusError(f"record {source['id']} not in {source['file']}")
    return recs[source["id"]]


# -- spans -----------------------------------------------------------------------------------


def occurrences(text: str, s: str) -> list[int]:
    out, i = [], text.find(s)
    while i >= 0 and s:
        out.append(i)
        i = text.find(s, i + 1)
    return out


_PROCLITICS = set("وفبلكس")
_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "ي", "نا", "ك", "كم", "كما", "كن", "ني")


# The marks a word may carry (every harakah, the dagger alef, tatweel), and the two narrower
# sets the boundary check strips before comparing a clitic or a suffix (rasd.text.marks).
_WORD_MARK = re.compile(f"[{HARAKAT}{TATWEEL}]")
_HEAD_MARK = re.compile(f"[{VOWEL_MARKS}{EXTRA_MARKS}{TATWEEL}]")
_TAIL_MARK = re.compile(f"[{VOWEL_MARKS}{EXTRA_MARKS}]")


def _is_word_char(c: str) -> bool:
    return c.isalnum() or _WORD_MARK.match(c) is not None


def check_boundaries(text: str, a: int, b: int, where: str) -> None:
    """A span may begin inside a word only after proclitics (وبالرياض → الرياض, للحكومة →
    لحكومة) and end inside one only before a pronoun suffix; anything else cuts a word."""
    w = a
    while w > 0 and _is_word_char(text[w - 1]):
        w -= 1
    head = _HEAD_MARK.sub("", unicodedata.normalize("NFKC", text[w:a]))
    if w < a and not (set(head) <= _PROCLITICS and len(head) <= 3):
        raise CorpusError(f"{where}: {text[a:b]!r} starts inside the word "
                          f"{_word_at(text, a)!r}")
    e = b
    while e < len(text) and _is_word_char(text[e]):
        e += 1
    rest = _TAIL_MARK.sub("", text[b:e])
    if e > b and rest not in _SUFFIXES:
        raise CorpusError(f"{where}: {text[a:b]!r} ends inside the word {_word_at(text, a)!r}"
                          " (use the whole word, or ctx/occ to pick the right occurrence)")


def _word_at(text: str, i: int) -> str:
    a = b = i
    while a > 0 and _is_word_char(text[a - 1]):
        a -= 1
    while b < len(text) and _is_word_char(text[b]):
        b += 1
    return text[a:b]


def resolve_span(text: str, spec: Any, where: str) -> dict[str, Any] | None:
    """A span spec → ``{"start", "end", "text"}`` checked against ``text`` (None stays None)."""
    span = _resolve_span(text, spec, where)
    if span is not None:
        check_boundaries(text, span["start"], span["end"], where)
    return span


def _resolve_span(text: str, spec: Any, where: str) -> dict[str, Any] | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = {"text": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("text"), str) or not spec["text"]:
        raise CorpusError(f"{where}: a span needs a non-empty 'text'")
    s = spec["text"]
    if "start" in spec and "end" in spec:
        a, b = spec["start"], spec["end"]
        if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text)):
            raise CorpusError(f"{where}: bad offsets [{a}, {b})")
        if text[a:b] != s:
            raise CorpusError(f"{where}: text[{a}:{b}] is {text[a:b]!r}, not {s!r}")
        return {"start": a, "end": b, "text": s}
    if s != s.strip():
        raise CorpusError(f"{where}: span {s!r} starts or ends with white space")
    if "ctx" in spec:
        ctx = spec["ctx"]
        found = occurrences(text, ctx)
        if len(found) != 1:
            raise CorpusError(f"{where}: ctx {ctx!r} occurs {len(found)} times (must be once)")
        inner = ctx.find(s)
        if inner < 0:
            raise CorpusError(f"{where}: {s!r} is not inside its ctx {ctx!r}")
        a = found[0] + inner
        return {"start": a, "end": a + len(s), "text": s}
    found = occurrences(text, s)
    if not found:
        raise CorpusError(f"{where}: {s!r} does not occur in the text")
    occ = spec.get("occ")
    if occ is None:
        if len(found) > 1:
            raise CorpusError(f"{where}: {s!r} occurs {len(found)} times; add 'ctx' or 'occ'")
        occ = 1
    if not isinstance(occ, int) or not 1 <= occ <= len(found):
        raise CorpusError(f"{where}: occ {occ!r} but {s!r} occurs {len(found)} times")
    a = found[occ - 1]
    return {"start": a, "end": a + len(s), "text": s}


# -- the annotation of one article -----------------------------------------------------------


@dataclass
class Article:
    """One annotated article, spans resolved."""

    id: str
    split: str
    text: str
    record: dict[str, Any]
    data: dict[str, Any]
    path: Path | None = None
    mention_entity: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def entities(self) -> list[dict[str, Any]]:
        return self.data["entities"]

    @property
    def claims(self) -> list[dict[str, Any]]:
        return self.data["claims"]

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.data["events"]

    def mentions(self) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """``(entity, mention)`` pairs in text order."""
        pairs = [(e, m) for e in self.entities for m in e["mentions"]]
        yield from sorted(pairs, key=lambda p: (p[1]["start"], -p[1]["end"]))


def _check_keys(obj: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = set(obj) - allowed
    if extra:
        raise CorpusError(f"{where}: unknown field(s) {sorted(extra)}")


def _enum(value: Any, allowed: tuple[str, ...], where: str, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if value not in allowed:
        raise CorpusError(f"{where}: {value!r} is not one of {', '.join(allowed)}")


_ENTITY_KEYS = {"id", "type", "en", "key", "mentions", "note"}
_CLAIM_KEYS = {"id", "cue", "source", "source_entity", "anonymous", "content", "channel", "via",
               "stance", "note"}
_EVENT_KEYS = {"id", "trigger", "type", "mode", "actor", "target", "location", "time",
               "status", "negated", "claim", "key", "note"}
_TOP_KEYS = {"id", "source", "split", "annotator", "note", "entities", "claims", "events",
             "status"}


def resolve(data: dict[str, Any], text: str) -> dict[str, Any]:
    """Check one annotation against its text and return it with every span resolved.

    Raises :class:`CorpusError` naming the first field that does not hold.
    """
    _check_keys(data, _TOP_KEYS, "file")
    out = {k: v for k, v in data.items() if k not in ("entities", "claims", "events")}
    ents, spans_of_entity, seen_ids = [], {}, set()
    mention_owner: dict[tuple[int, int], str] = {}
    for i, e in enumerate(data.get("entities", [])):
        where = f"entities[{i}]"
        _check_keys(e, _ENTITY_KEYS, where)
        eid = e.get("id")
        if not isinstance(eid, str) or eid in seen_ids:
            raise CorpusError(f"{where}: missing or repeated id {eid!r}")
        seen_ids.add(eid)
        _enum(e.get("type"), ENTITY_TYPES, f"{where}.type")
        if not e.get("mentions"):
            raise CorpusError(f"{where} ({eid}): no mentions")
        ms = []
        for j, m in enumerate(e["mentions"]):
            span = resolve_span(text, m, f"{where}.mentions[{j}]")
            key = (span["start"], span["end"])
            if key in mention_owner:
                raise CorpusError(f"{where}.mentions[{j}] {span['text']!r}: already a mention "
                                  f"of {mention_owner[key]}")
            mention_owner[key] = eid
            ms.append(span)
        ms.sort(key=lambda s: s["start"])
        spans_of_entity[eid] = ms
        ents.append({**e, "mentions": ms})
    _check_nesting(mention_owner)
    out["entities"] = ents

    def entity_ref(ref: Any, where: str, kinds: tuple[str, ...] | None = None) -> Any:
        """An argument: a mention span of an annotated entity (or an entity id)."""
        if ref is None:
            return None
        if isinstance(ref, dict) and "text" not in ref and "entity" in ref:
            ref = ref["entity"]
        if isinstance(ref, str) and ref in spans_of_entity:
            return {"entity": ref}
        if isinstance(ref, str) and len(ref) <= 4 and ref[:1] == "E" and ref[1:].isdigit():
            raise CorpusError(f"{where}: {ref!r} is not an entity id")
        span = resolve_span(text, ref, where)
        owner = mention_owner.get((span["start"], span["end"]))
        if isinstance(ref, dict) and ref.get("entity") not in (None, owner):
            raise CorpusError(f"{where}: the span is a mention of {owner}, not {ref['entity']}")
        if owner is None:
            raise CorpusError(f"{where}: {span['text']!r} at {span['start']} is not an "
                              "annotated entity mention (annotate it under entities first)")
        if kinds and _entity_type(ents, owner) not in kinds:
            raise CorpusError(f"{where}: {owner} has type {_entity_type(ents, owner)}")
        return {**span, "entity": owner}

    claims, claim_ids = [], set()
    for i, c in enumerate(data.get("claims", [])):
        where = f"claims[{i}]"
        _check_keys(c, _CLAIM_KEYS, where)
        cid = c.get("id")
        if not isinstance(cid, str) or cid in claim_ids:
            raise CorpusError(f"{where}: missing or repeated id {cid!r}")
        claim_ids.add(cid)
        cue = resolve_span(text, c.get("cue"), f"{where}.cue")
        if cue is None:
            raise CorpusError(f"{where}: a claim needs a cue")
        src = resolve_span(text, c.get("source"), f"{where}.source")
        sent = c.get("source_entity")
        if sent is not None and sent not in spans_of_entity:
            raise CorpusError(f"{where}.source_entity: {sent!r} is not an entity id")
        anon = c.get("anonymous", False)
        if not isinstance(anon, bool):
            raise CorpusError(f"{where}.anonymous: must be true or false")
        if src is None and sent is None:
            raise CorpusError(f"{where}: a claim needs a source span or a source_entity")
        content = resolve_span(text, c.get("content"), f"{where}.content")
        _enum(c.get("channel"), CHANNELS, f"{where}.channel", nullable=True)
        _enum(c.get("stance", "assert"), STANCES, f"{where}.stance")
        via = []
        for j, v in enumerate(c.get("via") or []):
            via.append(resolve_span(text, v, f"{where}.via[{j}]"))
        claims.append({**c, "cue": cue, "source": src, "source_entity": sent, "anonymous": anon,
                       "content": content, "channel": c.get("channel"),
                       "stance": c.get("stance", "assert"), "via": via})
    out["claims"] = claims

    events, event_ids = [], set()
    for i, ev in enumerate(data.get("events", [])):
        where = f"events[{i}]"
        _check_keys(ev, _EVENT_KEYS, where)
        vid = ev.get("id")
        if not isinstance(vid, str) or vid in event_ids:
            raise CorpusError(f"{where}: missing or repeated id {vid!r}")
        event_ids.add(vid)
        trig = resolve_span(text, ev.get("trigger"), f"{where}.trigger")
        if trig is None:
            raise CorpusError(f"{where}: an event needs a trigger")
        _enum(ev.get("type"), PLOVER, f"{where}.type")
        _enum(ev.get("status"), STATUSES, f"{where}.status")
        neg = ev.get("negated", False)
        if not isinstance(neg, bool):
            raise CorpusError(f"{where}.negated: must be true or false")
        claim = ev.get("claim")
        if claim is not None and claim not in claim_ids:
            raise CorpusError(f"{where}.claim: {claim!r} is not a claim id")
        events.append({
            **ev, "trigger": trig, "negated": neg, "claim": claim,
            "actor": entity_ref(ev.get("actor"), f"{where}.actor"),
            "target": entity_ref(ev.get("target"), f"{where}.target"),
            "location": entity_ref(ev.get("location"), f"{where}.location",
                                   ("GPE", "LOC", "FAC")),
            "time": resolve_span(text, ev.get("time"), f"{where}.time"),
        })
    out["events"] = events
    return out


def _entity_type(ents: list[dict[str, Any]], eid: str) -> str:
    return next(e["type"] for e in ents if e["id"] == eid)


def _check_nesting(owner: dict[tuple[int, int], str]) -> None:
    """Mentions may nest (ديالى inside محكمة استئناف ديالى) but never cross."""
    spans = sorted(owner, key=lambda s: (s[0], -s[1]))
    stack: list[tuple[int, int]] = []
    for a, b in spans:
        while stack and stack[-1][1] <= a:
            stack.pop()
        if stack and b > stack[-1][1]:
            raise CorpusError(f"mentions [{stack[-1][0]}, {stack[-1][1]}) and [{a}, {b}) cross")
        stack.append((a, b))


def load_article(path: Path, shared_data: Path) -> Article:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    record = source_record(shared_data, data["source"])
    text = article_text(record)
    try:
        resolved = resolve(data, text)
    except CorpusError as exc:
        raise CorpusError(f"{path}: {exc}") from None
    split = data.get("split") or Path(path).parent.name
    return Article(id=data["id"], split=split, text=text, record=record, data=resolved,
                   path=Path(path))


def load_split(corpus: Path, split: str, shared_data: Path) -> list[Article]:
    """Every finished article of one split (files named ``*.json``; drafts stay elsewhere)."""
    folder = Path(corpus) / split
    return [load_article(p, shared_data) for p in sorted(folder.glob("*.json"))]
