"""Mentions the statistical tagger misses, found with language knowledge instead.

Four sources, each adding a mention only where no mention stands yet:
1. known names from the knowledge base (حكومة الوفاق، البعثة الأممية، مجلس النواب), longest
   match first — a KB name that contains a shorter tagger mention replaces it;
2. institution chunks: a head noun from ``resources/arabic/org_heads.tsv`` followed by definite
   genitives and a nisba adjective (موقع الدفاع والأمن الإيطالي، السفارة الفرنسية);
3. nisba adjectives and demonyms (الألماني، الليبيين، الأممي) as references to what they name
   (the mentions stage moves them to ``doc.adjectives``; the entity stage links them);
4. definite back-references (الموقع، السفارة) to the last organization with the same head.
Clitic prefixes stay outside every span; the article stays inside. The mentions stage
(rasd.stages.mentions) runs it; what it learns besides the mentions (:class:`Augmented`)
goes to the entity stage on ``doc.mention_links``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from rasd.document import PREFIX_KINDS, Document, Mention, Token
from rasd.link.roles import is_title_head
from rasd.memo import BoundedMemo
from rasd.text.arabic import shared_list, word_list, words
from rasd.text.normalize import norm
from rasd.text.views import TokenView, doc_views, views_in

MAX_NGRAM = 6
_NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يان", "يتين", "يتان")
STOP = words(tag="name_stop")


@cache
def org_heads() -> frozenset[str]:
    return frozenset(norm(w).removeprefix("ال") for w in shared_list("org_heads", "link"))


@cache
def fac_heads() -> frozenset[str]:
    return frozenset(norm(w).removeprefix("ال") for w in shared_list("fac_heads", "link"))


@dataclass
class Augmented:
    """What augmentation learned besides the mentions: KB ids and back-reference links (the
    mentions stage adds the KB ids its rules resolve; the entity stage reads them)."""

    kb_ids: dict[str, str] = field(default_factory=dict)  # mention id → kb id
    antecedent: dict[str, str] = field(default_factory=dict)  # mention id → mention id
    adjectives: set[str] = field(default_factory=set)  # ids of lone nisba/demonym mentions


def _nisba_like(t: TokenView) -> bool:
    return t.has_det and t.core.endswith(("ي", "يه", "يين", "يون", "يه"))


class _Tokens:
    """The tokens of one sentence by index, built on demand: augmentation needs only the
    few at the edges of a match, not a Token object for every word."""

    __slots__ = ("tokens", "lo")

    def __init__(self, doc: Document, start: int) -> None:
        self.tokens = doc.tokens
        self.lo = doc.token_range(start, start)[0]

    def __getitem__(self, k: int) -> Token:
        return self.tokens[self.lo + k]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Character span of tokens i..j-1 without the first token's conjunction, preposition
        or future prefix (read from the token table's shared analyses when it has them)."""
        analyses = getattr(self.tokens, "analyses", None)
        if analyses is None:
            first, last = self[i], self[j - 1]
            start = next((g.start for g in first.segments if g.kind not in PREFIX_KINDS),
                         first.start)
            return start, last.end
        starts = self.tokens.starts
        a, b = self.lo + i, self.lo + j - 1
        start = starts[a] + next((x for x, _, kind in analyses[a].pieces
                                  if kind not in PREFIX_KINDS), 0)
        return start, starts[b] + len(analyses[b].form)


class Augmenter:
    def __init__(self, lookup: Callable[[str], list] | None = None,
                 nisba: Callable[[str], object | None] | None = None,
                 is_common: Callable[[str], bool] | None = None,
                 may_start: Callable[[str], bool] | None = None,
                 may_end: Callable[[str], bool] | None = None,
                 may_continue: Callable[[tuple[str, str]], bool] | None = None,
                 may_be_name: Callable[[list[str]], bool] | None = None) -> None:
        # KB lookup memoized across documents (n-grams repeat from article to article); the
        # entity stage looks mention texts up through it too.
        self.lookup = BoundedMemo(lookup or (lambda name: []))
        self._occ: np.ndarray | None = None
        self._local: list[Mention] = []  # the mentions of the sentence being augmented
        self._gone: set[int] = set()
        self._nisba = BoundedMemo(nisba or (lambda word: None))
        self.is_common = BoundedMemo(is_common or (lambda name: False))
        # Asked for every word: can a KB name start here / can an n-gram ending in this word
        # be a KB name (if not, its lookup is skipped).
        self._can_start = BoundedMemo(may_start or (lambda word: True))
        self._can_end = BoundedMemo(may_end or (lambda word: True))
        # and can a KB name of two words or more begin with these two (its second word kept)
        self._can_continue = BoundedMemo(may_continue or (lambda pair: True))
        # and can these words (two or more) be a KB name: asked before each such lookup
        self._may_be_name = may_be_name or (lambda words: True)
        self.heads = org_heads()

    @classmethod
    def from_kb(cls, kb) -> Augmenter:
        """An augmenter asking ``kb`` (a :class:`rasd.link.kb.KnowledgeBase`; None: the
        document alone, so only the head-noun rules add mentions)."""
        if not kb:
            return cls()
        return cls(kb.lookup, kb.nisba, kb.is_common, getattr(kb, "may_start_name", None),
                   getattr(kb, "may_end_name", None), getattr(kb, "may_continue_name", None),
                   getattr(kb, "may_be_name", None))

    def __call__(self, doc: Document) -> Augmented:
        """Cost linear in the text: each sentence looks only at its own mentions
        (``self._local``; tagger mentions never cross a sentence), removals are marked and
        dropped once at the end, and the occupancy map is built once."""
        info = Augmented()
        counter = [len(doc.mentions)]
        self._occ = None
        self._occupied(doc)  # before any removal: later changes update it in place
        self._gone = set()  # ids of the mentions removed, for this call only
        by_start = sorted(doc.mentions, key=lambda m: m.start)
        starts = [m.start for m in by_start]
        for sent in doc.sentences:
            lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
            self._local = by_start[lo:hi]
            toks = _Tokens(doc, sent.start)
            vs = views_in(doc, sent.start, sent.end)
            self._kb_names(doc, toks, vs, info, counter)
            self._org_chunks(doc, toks, vs, counter)
            self._facilities(doc, toks, vs, counter)
            self._nisbas(doc, toks, vs, info, counter)
        self._local = []
        if self._gone:
            doc.mentions = [m for m in doc.mentions if id(m) not in self._gone]
        self._gone = set()
        self._back_references(doc, info, counter)
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        return info

    # -- helpers ---------------------------------------------------------------------------
    def _free(self, doc: Document, a: int, b: int) -> bool:
        return not self._occupied(doc)[a:b].any()

    def _occupied(self, doc: Document) -> np.ndarray:
        """How many mentions cover each character, built once per document.

        Every change to ``doc.mentions`` during augmentation goes through :meth:`_add` (which
        counts its span in) or :meth:`_remove` (which counts it out), so the map is never
        rebuilt (rebuilding it after each removal made long documents quadratic);
        ``__call__`` drops it for each new document.
        """
        occ = self._occ
        if occ is None:
            occ = np.zeros(len(doc.text) + 1, dtype=np.int32)
            for m in doc.mentions:  # difference array: +1 at start, -1 at end
                occ[m.start] += 1
                occ[m.end] -= 1
            occ = np.cumsum(occ[:-1], dtype=np.int32)
            self._occ = occ
        return occ

    def _add(self, doc: Document, a: int, b: int, type_: str, score: float,
             counter: list[int]) -> Mention:
        counter[0] += 1
        m = Mention(f"m{counter[0]}", a, b, doc.text[a:b], type_, None, score)
        doc.mentions.append(m)
        self._local.append(m)
        if self._occ is not None:
            self._occ[a:b] += 1
        return m

    def _remove(self, doc: Document, m: Mention) -> None:
        self._gone.add(id(m))
        self._local.remove(m)
        if self._occ is not None:
            self._occ[m.start:m.end] -= 1

    def _kb_names(self, doc, toks, vs, info: Augmented, counter) -> None:
        after = 0  # token index after the last name found
        can_start = self._can_start  # where no KB name can begin, no n-gram is looked up
        for i in [i for i, v in enumerate(vs) if not v.is_punct and can_start(v.norm)]:
            if i < after:
                continue
            first = vs[i].bare.removeprefix("ب").removeprefix("ل") if vs[i].has_prep \
                else vs[i].bare
            longest = min(MAX_NGRAM, len(vs) - i)
            if longest > 1 and not self._can_continue((first, vs[i + 1].norm)):
                longest = 1  # no name of two words or more starts here: only one-word lookups
            for n in range(longest, 0, -1):
                if vs[i + n - 1].is_punct:
                    continue
                if n > 1 and not self._can_end(vs[i + n - 1].norm):
                    continue  # the key's last word ends no KB name: its lookup finds nothing
                words = [first] + [v.norm for v in vs[i + 1:i + n]]
                if n > 1 and not self._may_be_name(words):
                    continue  # its words after the first are those of no KB name
                key = " ".join(words)
                if n == 1 and (self.is_common(key) or (
                        i + 1 < len(vs) and vs[i + 1].has_det)):
                    # القاعدة الجوية (the air base), وفتح الآفاق (opening): a one-word name
                    # followed by a definite word is the common noun it also is
                    continue
                entries = [e for e in self.lookup(key) if _usable(e, n)]
                if not entries:
                    continue
                # the KB lookup looks past a title (المبعوث الأممي غسان سلامة); the person's
                # mention does not include it (docs/annotation.md B3)
                skip = _title_words(vs, i, n) if entries[0].type == "PER" else 0
                if skip >= n:
                    continue
                a, b = toks.span(i + skip, i + n)
                inside = [m for m in self._local if a <= m.start and m.end <= b]
                overlapping = [m for m in self._local if m.start < b and a < m.end]
                if overlapping and (len(inside) != len(overlapping) or n == 1):
                    continue
                if inside and all(m.end - m.start == b - a for m in inside):
                    m = inside[0]
                else:
                    for m in inside:
                        self._remove(doc, m)
                    m = self._add(doc, a, b, entries[0].type, 0.9, counter)
                if len({e.kb_id for e in entries}) == 1:
                    info.kb_ids[m.id] = entries[0].kb_id
                after = i + n
                break

    def _org_chunks(self, doc, toks, vs, counter) -> None:
        after = 0  # token index after the last chunk
        heads = self.heads
        for i in [i for i, v in enumerate(vs) if v.core.removeprefix("ال") in heads]:
            v = vs[i]
            if i < after or not self._free(doc, v.start, v.end):
                continue
            if v.has_det and i > 0 and (vs[i - 1].has_det or vs[i - 1].bare.startswith("ال")):
                continue  # الجريمة المنظمة: a definite word after a definite noun is its adjective
            j = i + 1
            while j < len(vs) and j - i < MAX_NGRAM:
                w = vs[j]
                if w.is_punct or w.bare in STOP or (w.has_prep and not w.norm.startswith("و")):
                    break
                if not (w.has_det or w.bare.startswith("ال")):
                    break
                if _nisba_like(vs[j - 1]) and not _nisba_like(w):
                    break  # the phrase ends with its adjectives: الإيطالي | الحالة
                j += 1
            if j == i + 1:
                continue
            if v.has_det and not _nisba_like(vs[j - 1]):
                continue
            after = j
            a, b = toks.span(i, j)
            if any(m.type == "PER" for m in self._local if a <= m.start and m.end <= b):
                continue
            if self._free(doc, a, b) or all(a <= m.start and m.end <= b
                                            for m in self._local if m.start < b and a < m.end):
                for m in [m for m in self._local if a <= m.start and m.end <= b]:
                    self._remove(doc, m)
                self._add(doc, a, b, "ORG", 0.6, counter)

    def _facilities(self, doc, toks, vs, counter) -> None:
        """مطار طرابلس، قاعدة العند الجوية: a facility head, then its name and adjectives."""
        heads = fac_heads()
        after = 0  # token index after the last facility
        for i in [i for i, v in enumerate(vs[:-1]) if v.core.removeprefix("ال") in heads]:
            v, nxt = vs[i], vs[i + 1]
            if i < after or v.has_det or nxt.is_punct or nxt.bare in STOP or nxt.has_prep:
                continue
            inner = [m for m in self._local if m.start < nxt.end and nxt.start < m.end]
            if inner and inner[0].type not in ("GPE", "LOC", "FAC"):
                continue
            j = i + 2
            if inner:
                while j < len(vs) and vs[j].start < inner[0].end:
                    j += 1
            while j < len(vs) and _nisba_like(vs[j]) and not vs[j].has_prep and j - i < MAX_NGRAM:
                j += 1
            if j == i + 2 and not inner and not nxt.has_det:
                # an unknown single word needs an adjective to be a name (قاعدة العند الجوية)
                continue
            a, b = toks.span(i, j)
            if all(a <= m.start and m.end <= b for m in self._local
                   if m.start < b and a < m.end):
                for m in [m for m in self._local if a <= m.start and m.end <= b]:
                    self._remove(doc, m)
                self._add(doc, a, b, "FAC", 0.6, counter)
            after = j

    def _nisbas(self, doc, toks, vs, info: Augmented, counter) -> None:
        for k, v in enumerate(vs):
            if v.is_punct or not v.core.endswith(_NISBA_ENDINGS) \
                    or not self._free(doc, v.start, v.end):
                continue
            entry = self._nisba(v.core) or self._nisba(v.bare.removeprefix("ب").removeprefix("ل"))
            if entry is None:
                continue
            a, b = toks.span(k, k + 1)
            m = self._add(doc, a, b, getattr(entry, "type", "GPE"), 0.8, counter)
            info.kb_ids[m.id] = entry.kb_id
            info.adjectives.add(m.id)

    def _back_references(self, doc: Document, info: Augmented, counter) -> None:
        orgs = sorted((m for m in doc.mentions if m.type == "ORG"), key=lambda m: m.start)
        by_head: dict[str, list[Mention]] = {}  # head noun → its organizations, by start
        for m in orgs:
            by_head.setdefault(norm(m.text.split()[0]).removeprefix("ال"), []).append(m)
        head_starts = {h: [m.start for m in ms] for h, ms in by_head.items()}
        for k, v in enumerate(doc_views(doc)):
            if not v.has_det or v.core not in self.heads:
                continue
            t = doc.tokens[k]
            seg = next(g for g in t.segments if g.kind == "det")
            a, b = seg.start, t.end
            if not self._free(doc, a, b):
                continue
            same = by_head.get(v.core)
            if not same:
                continue
            # the last organization with this head (in start order) that ends before a
            k = bisect_left(head_starts[v.core], a) - 1
            while k >= 0 and same[k].end > a:
                k -= 1
            if k < 0:
                continue
            m = self._add(doc, a, b, "ORG", 0.5, counter)
            info.antecedent[m.id] = same[k].id


def _title_words(vs: list[TokenView], i: int, n: int) -> int:
    """How many of the n words from ``i`` are a leading title: a title head word
    (``resources/arabic/titles.tsv``) and the nisba adjectives after it (الرئيس اليمني)."""
    if not is_title_head(vs[i]):
        return 0
    k = 1
    while k < n and _nisba_like(vs[i + k]):
        k += 1
    return k


def _usable(entry, n: int) -> bool:
    """Single words only for countries and hand-curated actors; places from GeoNames need two
    words or more (single-word town names collide with ordinary words)."""
    if n >= 2:
        return True
    return getattr(entry, "feature", None) in ("country", "actor") or \
        not str(entry.kb_id).startswith("gn:")


# Single common nouns that stand for an entity without naming it (besides the head nouns):
# shown apart from its names on the entity's page (resources/arabic/generic_nouns.txt).
_GENERIC = frozenset(norm(w).removeprefix("ال") for w in word_list("generic_nouns"))


def is_generic_name(text: str) -> bool:
    """One definite common noun (الحكومة، التنظيم، السفارة), not a name of what it stands
    for: a head noun of ``resources/arabic/org_heads.tsv`` / ``fac_heads.tsv`` or a
    designation word that articles use alone for an entity named before."""
    words = text.split()
    if len(words) != 1:
        return False
    w = norm(words[0])
    if not w.startswith(("ال", "لل")):
        return False
    core = w.removeprefix("ال").removeprefix("لل")
    return core in org_heads() or core in fac_heads() or core in _GENERIC
