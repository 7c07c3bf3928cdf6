"""The one document model every rasd stage reads and extends.

A :class:`Document` owns ``text``; every layer record points into it with ``[start, end)``
Python string indices, and ``text[start:end]`` is the record's text. Stages add layers; none
copies or re-slices the text. ``to_dict``/``from_dict`` round-trip exactly, so a document can
be written as JSON, read back, and analysed further.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import Any

from rasd import __version__


class OffsetError(ValueError):
    """A span does not satisfy the offset rule for its document."""


@dataclass(slots=True)
class Span:
    """A bare ``[start, end)`` span with its text, used inside other records."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Heading(Span):
    pass


@dataclass(slots=True)
class Section:
    start: int
    end: int
    heading: Heading | None = None


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int


@dataclass(slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Segment:
    """One morphological piece of a token: a clitic prefix, the article, the stem, a suffix."""

    start: int
    end: int
    text: str
    kind: str  # "conj" | "prep" | "fut" | "det" | "stem" | "pron"


# The clitic prefixes a name's span leaves out (وبحفتر → حفتر); the article stays (الرجمة).
PREFIX_KINDS = frozenset(("conj", "prep", "fut"))


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def stem(self) -> Segment:
        """The segment that carries the word itself (never a clitic)."""
        for seg in self.segments:
            if seg.kind == "stem":
                return seg
        return Segment(self.start, self.end, self.text, "stem")


@dataclass(slots=True)
class Mention:
    id: str
    start: int
    end: int
    text: str
    type: str
    entity: str | None = None
    score: float = 1.0


@dataclass(slots=True)
class Role:
    title: str
    of: str | None = None
    mention: str | None = None


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    name: str
    name_en: str | None = None
    kb_id: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    roles: list[Role] = field(default_factory=list)


@dataclass(slots=True)
class Time:
    id: str
    start: int
    end: int
    text: str
    value: str | None = None


@dataclass(slots=True)
class Claim:
    id: str
    source: str | None
    source_text: str | None
    anonymous: bool
    cue: Span
    content: Span | None
    channel: str | None = None
    time: str | None = None
    stance: str = "neutral"
    via: str | None = None
    confidence: float | None = None  # learned stages: calibrated probability; rules: None


@dataclass(slots=True)
class Event:
    id: str
    type: str
    mode: str | None
    trigger: Span
    actor: str | None = None
    target: str | None = None
    location: str | None = None
    time: str | None = None
    status: str = "asserted"
    negated: bool = False
    claim: str | None = None
    sentence: int | None = None
    confidence: float | None = None  # learned stages: calibrated probability; rules: None


METADATA_KEYS = ("id", "source", "url", "title", "published", "outlet", "language")
LAYERS = ("sections", "paragraphs", "sentences", "mentions", "adjectives", "entities", "times",
          "claims", "events")


@dataclass
class Document:
    text: str
    id: str = ""
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str = "ar"
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: Sequence[Token] = field(default_factory=list)  # a TokenTable after tokenizing
    mentions: list[Mention] = field(default_factory=list)
    # Lone nisba adjectives and demonyms linked to the entity they refer to without naming it
    # (السفير الألماني → Germany): Mention records, kept apart because they are not names.
    adjectives: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # The encoder stage's outputs (rasd.encoder.stage.Encoding): contextual vectors for the
    # later stages; never serialized.
    encoding: Any = field(default=None, repr=False, compare=False)
    # The mentions stage's KB ids and back-references of its mentions and adjectives for the
    # entity stage (rasd.link.augment.Augmented); never serialized.
    mention_links: Any = field(default=None, repr=False, compare=False)
    # Span indexes of the layers (rasd.spans), built on demand; never serialized.
    _indexes: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = "sha1:" + hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:16]

    # -- spans -----------------------------------------------------------------------------
    def index(self, layer: str) -> Any:
        """A :class:`rasd.spans.SpanIndex` of ``mentions``, ``times`` or ``claims`` (by
        content span): which records lie in, cover or overlap a range, without a scan."""
        from rasd.spans import layer_index

        if layer == "claims":
            return layer_index(self._indexes, layer, self.claims,
                               span=lambda c: (c.content.start, c.content.end)
                               if c.content else None)
        return layer_index(self._indexes, layer, getattr(self, layer))

    def span(self, start: int, end: int) -> Span:
        """A checked span of this document's text."""
        if not 0 <= start <= end <= len(self.text):
            raise OffsetError(f"span [{start}, {end}) outside text of length {len(self.text)}")
        return Span(start, end, self.text[start:end])

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``lo, hi`` of the tokens starting inside ``[start, end)`` (tokens are sorted
        by offset); the last of them may end after ``end``."""
        import bisect

        starts = getattr(self.tokens, "starts", None) or [t.start for t in self.tokens]
        lo = bisect.bisect_left(starts, start)
        return lo, bisect.bisect_left(starts, end, lo)

    def token_at(self, pos: int) -> int:
        """Index of the token containing character ``pos``, -1 if none (a span that leaves a
        clitic out starts inside its token, not at its start)."""
        import bisect

        starts = getattr(self.tokens, "starts", None) or [t.start for t in self.tokens]
        k = bisect.bisect_right(starts, pos) - 1
        return k if k >= 0 and pos < self.tokens[k].end else -1

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """Tokens lying inside ``[start, end)``."""
        lo, hi = self.token_range(start, end)
        return [tok for tok in self.tokens[lo:hi] if tok.end <= end]

    def check_offsets(self) -> None:
        """Raise :class:`OffsetError` unless every span in every layer obeys the offset rule."""
        for where, start, end, text in self.iter_spans():
            if not 0 <= start <= end <= len(self.text):
                raise OffsetError(f"{where}: [{start}, {end}) outside text")
            if text is not None and self.text[start:end] != text:
                raise OffsetError(f"{where}: text {text!r} != {self.text[start:end]!r}")

    def iter_spans(self):
        """Yield ``(where, start, end, text_or_None)`` for every span in the document."""
        for i, s in enumerate(self.sections):
            yield f"sections[{i}]", s.start, s.end, None
            if s.heading:
                yield f"sections[{i}].heading", s.heading.start, s.heading.end, s.heading.text
        for name in ("paragraphs", "sentences"):
            for i, s in enumerate(getattr(self, name)):
                yield f"{name}[{i}]", s.start, s.end, None
        for i, t in enumerate(self.tokens):
            yield f"tokens[{i}]", t.start, t.end, t.text
            for j, g in enumerate(t.segments):
                yield f"tokens[{i}].segments[{j}]", g.start, g.end, g.text
        for i, m in enumerate(self.mentions):
            yield f"mentions[{i}]", m.start, m.end, m.text
        for i, m in enumerate(self.adjectives):
            yield f"adjectives[{i}]", m.start, m.end, m.text
        for i, t in enumerate(self.times):
            yield f"times[{i}]", t.start, t.end, t.text
        for i, c in enumerate(self.claims):
            yield f"claims[{i}].cue", c.cue.start, c.cue.end, c.cue.text
            if c.content:
                yield f"claims[{i}].content", c.content.start, c.content.end, c.content.text
        for i, e in enumerate(self.events):
            yield f"events[{i}].trigger", e.trigger.start, e.trigger.end, e.trigger.text

    # -- JSON --------------------------------------------------------------------------------
    def to_dict(self, tokens: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rasd": __version__,
            "document": {k: getattr(self, k) for k in METADATA_KEYS} | {"text": self.text},
        }
        for name in LAYERS:
            out[name] = [_plain(rec) for rec in getattr(self, name)]
        if tokens:
            out["tokens"] = [_plain(t) for t in self.tokens]
        return out

    def to_json(self, tokens: bool = False, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(tokens=tokens), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        meta = data["document"]
        doc = cls(text=meta["text"], **{k: meta.get(k) for k in METADATA_KEYS if k in meta})
        doc.sections = [
            Section(s["start"], s["end"], Heading(**s["heading"]) if s.get("heading") else None)
            for s in data.get("sections", [])
        ]
        doc.paragraphs = [Paragraph(**p) for p in data.get("paragraphs", [])]
        doc.sentences = [Sentence(**s) for s in data.get("sentences", [])]
        doc.tokens = [
            Token(**{**t, "segments": [Segment(**g) for g in t.get("segments", [])]})
            for t in data.get("tokens", [])
        ]
        doc.mentions = [Mention(**m) for m in data.get("mentions", [])]
        doc.adjectives = [Mention(**m) for m in data.get("adjectives", [])]
        doc.entities = [
            Entity(**{**e, "roles": [Role(**r) for r in e.get("roles", [])]})
            for e in data.get("entities", [])
        ]
        doc.times = [Time(**t) for t in data.get("times", [])]
        doc.claims = [
            Claim(**{**c, "cue": Span(**c["cue"]),
                     "content": Span(**c["content"]) if c.get("content") else None})
            for c in data.get("claims", [])
        ]
        doc.events = [Event(**{**e, "trigger": Span(**e["trigger"])})
                      for e in data.get("events", [])]
        return doc

    @classmethod
    def from_json(cls, raw: str) -> Document:
        return cls.from_dict(json.loads(raw))


_ATOMIC = frozenset({"str", "int", "float", "bool", "None"})


def _plain(rec: Any) -> dict[str, Any]:
    """``dataclasses.asdict(rec)``, the same dict, built 3–4× faster (batch output writes every
    record of every document): a converter per record type, generated once, copies the
    fields whose declared type is a scalar as they are and converts only the others."""
    return _converter(type(rec))(rec)


@cache  # one per record type
def _converter(cls: type) -> Any:
    items = []
    for f in fields(cls):
        kinds = {k.strip() for k in str(f.type).split("|")}
        value = f"o.{f.name}" if kinds <= _ATOMIC else f"_value(o.{f.name})"
        items.append(f"{f.name!r}: {value}")
    return eval(f"lambda o: {{{', '.join(items)}}}", {"_value": _value})


def _value(v: Any) -> Any:
    """One field value as asdict gives it: records and containers converted, the rest copied."""
    if v is None or type(v) in (str, int, float, bool):
        return v
    if type(v) is list:
        return [_value(x) for x in v]
    if hasattr(type(v), "__dataclass_fields__"):
        return _plain(v)
    if isinstance(v, (list, tuple, dict)):  # the rare cases: asdict's own rules
        return asdict(_Box(v)).get("v")
    return copy.deepcopy(v)


@dataclass(slots=True)
class _Box:
    """Carries an odd field value through ``asdict`` so it is converted exactly as there."""

    v: Any


def record_fields(record_type: type) -> tuple[str, ...]:
    """Field names of a layer record type, in output order (used by the schema and exports)."""
    return tuple(f.name for f in fields(record_type))
