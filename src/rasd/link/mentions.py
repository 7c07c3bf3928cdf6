"""The mention layer's rules after the tagger and the augmenter: which types are linked, where
a person's name ends, the KB id a mention's text names, one type per name, adjectives apart.

The mentions stage (rasd.stages.mentions) applies them in the order its docstring gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rasd.document import PREFIX_KINDS, Document, Mention
from rasd.text.normalize import norm

PLACES = ("GPE", "LOC", "FAC")
#: The KB entry types a mention of each type may link to (the types the entity stage links).
COMPATIBLE = {"PER": {"PER"}, "ORG": {"ORG"}, "GPE": {"GPE", "LOC"}, "LOC": {"LOC", "GPE", "FAC"},
              "FAC": {"FAC", "LOC"}}


def linkable(mentions: list[Mention]) -> list[Mention]:
    """The mentions of the five linked types (a tagger's other classes are dropped)."""
    return [m for m in mentions if m.type in COMPATIBLE]


def trim_name(doc: Document, m: Mention) -> None:
    """A name's later words carry no proclitic and no verb ending: the tagger's span
    "الزياني بشدة" or "حفتر كرروا" ends before such a word."""
    toks = doc.tokens_in(m.start, m.end)
    while len(toks) > 1:
        last = toks[-1]
        kinds = {g.kind for g in last.segments}
        if kinds & PREFIX_KINDS or last.norm.endswith("وا"):
            toks = toks[:-1]
        else:
            break
    if toks and toks[-1].end < m.end:
        m.end = toks[-1].end
        m.text = doc.text[m.start:m.end]


def resolve_kb_ids(mentions: list[Mention], kb_ids: dict[str, str],
                   lookup: Callable[[str], list]) -> None:
    """Give each mention without a KB id the one its text names unambiguously among the
    entries of a compatible type; a place only a country (other places are geocoded with
    the whole document as context)."""
    for m in mentions:
        if m.id not in kb_ids and m.type not in PLACES:
            ids = {e.kb_id for e in lookup(m.text) if e.type in COMPATIBLE[m.type]}
            if len(ids) == 1:
                kb_ids[m.id] = ids.pop()
        elif m.id not in kb_ids:
            countries = [e for e in lookup(m.text) if getattr(e, "feature", None) == "country"]
            if countries:
                kb_ids[m.id] = countries[0].kb_id


def one_type_per_name(mentions: list[Mention], kb_ids: dict[str, str]) -> None:
    """A name written the same way several times in one article names one thing: when at
    least two thirds of its mentions (two or more) agree on a type, the others that no KB
    entry types take it (خسارة حفتر للمطار: Haftar, a PER eleven times, not a place)."""
    by_text: dict[str, list[Mention]] = {}
    for m in mentions:
        by_text.setdefault(norm(m.text), []).append(m)
    for same in by_text.values():
        if len(same) < 3:
            continue
        counts = Counter(m.type for m in same)
        top, n = counts.most_common(1)[0]
        if n < 2 or n * 3 < 2 * len(same):
            continue
        for m in same:
            if m.type != top and m.id not in kb_ids:
                m.type = top


def names_and_adjectives(mentions: list[Mention], adjectives: set[str]
                         ) -> tuple[list[Mention], list[Mention]]:
    """A lone nisba or demonym (السفير الألماني، الليبيين) refers to an entity without naming
    it: the mentions layer holds names only, so the page, the store's mention lists, claims
    and events see no adjective as a name (measured: mention precision and event actors
    gain, claims unchanged; docs/evaluation.md). The entity stage still links, clusters and
    uses them for roles (المبعوث الأممي → of: the UN) like mentions (:func:`references`)."""
    return ([m for m in mentions if m.id not in adjectives],
            [m for m in mentions if m.id in adjectives])


def references(doc: Document) -> list[Mention]:
    """The names and the adjectives of ``doc`` in one list, in the mentions stage's order
    (by start, the longer first): what the entity stage links. No adjective shares a span
    with a name (the augmenter adds one only where no mention stands), so the merge
    restores the order the two lists were split from."""
    if not doc.adjectives:
        return doc.mentions
    return sorted([*doc.mentions, *doc.adjectives], key=lambda m: (m.start, -m.end))
