"""In-document coreference: mentions of the same thing become one entity.

Mentions join when they resolve to the same knowledge-base id, when one is a definite
back-reference to the other (الموقع → موقع الدفاع والأمن الإيطالي), when a person's single name
is the family or given name of a fuller name (حفتر ↔ خليفة حفتر، السراج ↔ فايز السراج), or when
their normalized forms agree with or without the article (الرجمة ↔ رجمة). Clitics are already
outside the mention spans.
"""

from __future__ import annotations

from rasd.document import Document, Entity, Mention
from rasd.memo import BoundedMemo
from rasd.text.normalize import norm

TYPE_ORDER = ("PER", "ORG", "GPE", "LOC", "FAC")
_QUOTES = "\"'«»“”‘’()"


def _key_of(text: str) -> str:
    """Matching key of a mention: normalized, quotes dropped, article-insensitive."""
    words = [w.strip(_QUOTES) for w in norm(text).split()]
    words = [w for w in words if w]
    if words:
        words[0] = words[0].removeprefix("ال") if len(words[0]) > 4 else words[0]
    return " ".join(words)


key_of = BoundedMemo(_key_of)  # mention texts recur within and across documents


class _Sets:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def cluster(mentions: list[Mention], kb_ids: dict[str, str],
            antecedent: dict[str, str]) -> list[list[Mention]]:
    """Group mentions into entities, in order of first mention."""
    sets = _Sets()
    by_kb: dict[str, str] = {}
    by_key: dict[tuple[str, str], str] = {}
    people: list[Mention] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    for m in ordered:
        sets.find(m.id)
        if m.id in antecedent:
            sets.union(antecedent[m.id], m.id)
        kb = kb_ids.get(m.id)
        if kb:
            if kb in by_kb:
                sets.union(by_kb[kb], m.id)
            else:
                by_kb[kb] = m.id
        keys = [(_family(m.type), key_of(m.text))]
        if m.type == "FAC":  # قاعدة العند الجوية ↔ قاعدة العند: head + name decide
            keys.append(("FAC-name", " ".join(key_of(m.text).split()[:2])))
        for k in keys:
            if k in by_key:
                sets.union(by_key[k], m.id)
            else:
                by_key[k] = m.id
        if m.type == "PER":
            people.append(m)
    _link_person_names(people, sets)
    groups: dict[str, list[Mention]] = {}
    for m in ordered:
        groups.setdefault(sets.find(m.id), []).append(m)
    return list(groups.values())


def _family(t: str) -> str:
    return "place" if t in ("GPE", "LOC", "FAC") else t


def _link_person_names(people: list[Mention], sets: _Sets) -> None:
    """حفتر joins خليفة حفتر: a one-word name equal to the last (or first) word of exactly one
    fuller name in the document."""
    by_last: dict[str, list[str]] = {}  # last word (article dropped) → fuller names' ids
    by_first: dict[str, list[str]] = {}
    for f in people:
        words = key_of(f.text).split()
        if len(words) > 1:
            by_last.setdefault(words[-1].removeprefix("ال"), []).append(f.id)
            by_first.setdefault(words[0], []).append(f.id)
    for m in people:
        words = key_of(m.text).split()
        if len(words) != 1:
            continue
        w = words[0]
        last = {sets.find(fid) for fid in by_last.get(w.removeprefix("ال"), ())}
        if len(last) == 1:
            sets.union(last.pop(), m.id)
            continue
        first = {sets.find(fid) for fid in by_first.get(w, ())}
        if len(first) == 1:
            sets.union(first.pop(), m.id)


def entity_type(group: list[Mention]) -> str:
    counts: dict[str, int] = {}
    for m in group:
        if m.type in TYPE_ORDER:
            counts[m.type] = counts.get(m.type, 0) + 1
    if not counts:
        return "ORG"
    return max(counts, key=lambda t: (counts[t], -TYPE_ORDER.index(t)))


def best_name(group: list[Mention]) -> str:
    """The fullest written form: most words, then most frequent, then first."""
    forms: dict[str, int] = {}
    for m in group:
        forms[m.text.strip(_QUOTES)] = forms.get(m.text.strip(_QUOTES), 0) + 1
    return max(forms, key=lambda f: (len(f.split()), forms[f], -list(forms).index(f)))


def build_entities(doc: Document, groups: list[list[Mention]]) -> list[Entity]:
    entities = []
    for n, group in enumerate(groups, start=1):
        eid = f"e{n}"
        for m in group:
            m.entity = eid
        entities.append(Entity(id=eid, type=entity_type(group), name=best_name(group)))
    return entities
