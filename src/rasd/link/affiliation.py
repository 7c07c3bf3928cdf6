"""The body a speaker speaks for, so claims can be asked by country or organisation:
فرنسا، السفارة الفرنسية، وزير الخارجية الفرنسي لوران فابيوس، مصادر فرنسية → France.

A country speaks for itself; a person for the body of their title (the role layer's
``of``); an organisation the KB does not know for the country its name's nisba adjective
names (السفارة الفرنسية, وزارة الخارجية الأمريكية), else for itself; an unnamed source
(مصادر فرنسية, السفير الألماني) for the country or body its nisba names. An organisation the
KB knows (the LNA, the Houthis, the UN) is its own body: the Libyan National Army does not
speak for Libya. A news medium (وكالة الأنباء الفرنسية: ``resources/claims/media_heads.txt``)
speaks for no country. The specific speaker is kept beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from rasd.document import Claim, Document, Entity
from rasd.resources import read_lines
from rasd.text.normalize import norm

Nisba = Callable[[str], object | None]


@cache
def media_heads() -> frozenset[str]:
    return frozenset(norm(w).removeprefix("ال") for w in read_lines("claims/media_heads.txt"))


def _is_medium(name: str) -> bool:
    words = name.split()
    return bool(words) and norm(words[0]).removeprefix("ال") in media_heads()


def speaker_body(doc: Document, claim: Claim, nisba: Nisba) -> str | None:
    """A local entity id of ``doc``, ``kb:<KB id>`` for a body the article names only by an
    adjective, or None."""
    ents = {e.id: e for e in doc.entities}
    seen: set[str] = set()
    e = ents.get(claim.source or "")
    while e is not None and e.id not in seen:
        seen.add(e.id)
        if e.type == "PER":
            of = next((r.of for r in e.roles if r.of in ents), None)
            if of is None:
                return e.id
            e = ents[of]
            continue
        if e.type == "ORG" and not e.kb_id and not _is_medium(e.name):
            # a described body (السفارة الفرنسية); a known one (the LNA, the UN) is its own
            return _named_by_nisba(e.name, nisba) or _mentioned_nisba(doc, e, nisba) or e.id
        return e.id
    if e is not None:
        return e.id
    text = claim.source_text or ""
    return None if _is_medium(text) else _named_by_nisba(text, nisba)


def _named_by_nisba(text: str, nisba: Nisba) -> str | None:
    for word in text.split():
        entry = nisba(word.strip("«»\"()،,.:"))
        if entry is not None:
            return f"kb:{entry.kb_id}"
    return None


def _mentioned_nisba(doc: Document, e: Entity, nisba: Nisba) -> str | None:
    """An organisation whose canonical name lost the adjective: look at how the article
    wrote it (السفارة الفرنسية in the text, السفارة in the KB)."""
    for m in doc.mentions:
        if m.entity == e.id:
            found = _named_by_nisba(m.text, nisba)
            if found:
                return found
    return None
