"""The knowledge base: places, countries and actors with Arabic names, read from package files.

Everything comes from ``rasd/resources/kb/`` (see its PROVENANCE.md); nothing is fetched:

* ``places.tsv.gz`` — countries (CLDR/ISO Arabic names, capital as point) and GeoNames cities
  with Arabic names, built by ``rasd train kb`` (rasd/train/kb.py);
* ``places_hand.tsv``, ``countries_hand.tsv``, ``actors.tsv``, ``nisba.tsv``,
  ``stopnames.txt`` — written by hand, read as they are (no rebuild needed after an edit).

Names are matched on :func:`rasd.text.normalize.norm` keys. :meth:`KnowledgeBase.lookup`
also tries the name without a leading title (الرئيس، مدينة …), without a clitic (و ف ب ل ك)
and without the article, because NER spans in Arabic news carry all of these.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from rasd.memo import BoundedMemo
from rasd.resources import path as resource_path
from rasd.resources import read_lines
from rasd.text.normalize import norm

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})

# Leading words that are not part of a name: titles, and the kind of place (one word), and
# two-word titles (resources/kb/name_prefixes.txt).
_PREFIXES = [norm(w) for w in read_lines("kb/name_prefixes.txt")]
_TITLES = frozenset(w for w in _PREFIXES if " " not in w)
_TITLE_PHRASES = frozenset(w for w in _PREFIXES if " " in w)
_CLITICS = "وفبلك"
_PUNCT = re.compile(r"[\"'«»“”()\[\]{}.,،:;؛!?؟]")


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One knowledge-base record: a country, a city or other place, or an actor."""

    kb_id: str  # gn:<GeoNames id>, cc:<ISO2>, a Wikidata QID, or rasd:<slug>
    type: str  # PER / ORG / GPE / LOC / FAC
    name: str  # canonical Arabic name
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    feature: str = ""  # country / capital / city / town / region / base / ... / actor
    wikidata: str | None = None

    @property
    def is_place(self) -> bool:
        return self.type in PLACE_TYPES and self.lat is not None

    def entity_fields(self) -> dict[str, object]:
        """The fields of :class:`rasd.document.Entity` this entry fills."""
        return {"type": self.type, "name": self.name, "name_en": self.name_en,
                "kb_id": self.kb_id, "country": self.country, "lat": self.lat,
                "lon": self.lon}


def _float(s: str) -> float | None:
    return float(s) if s else None


def _names(field: str) -> list[str]:
    return [n.strip() for n in field.split("|") if n.strip()]


def nisba_of(name: str) -> str | None:
    """The masculine nisba of a one-word country name by rule (ليبيا → ليبي), else None."""
    w = name.strip()
    if " " in w:
        return None
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    if len(w) < 3:
        return None
    if w.endswith("يا") or w.endswith("ية"):
        return w[:-1]
    if w.endswith("ا"):
        return w[:-1] + "ي"
    if w.endswith(("ي", "ى", "ة", "و")):
        return None
    return w + "ي"


def _nisba_forms(m: str) -> list[str]:
    """Feminine, plural and dual forms of a masculine nisba (ليبي → ليبية، ليبيون …)."""
    return [m, m + "ة", m + "ون", m + "ين", m + "ان", m + "تان", m + "تين", m + "ات"]


class KnowledgeBase:
    """Name → entries index over the shipped KB files. Use :meth:`load` (cached)."""

    def __init__(self, entries: Iterable[KBEntry] = ()) -> None:
        self.entries: dict[str, KBEntry] = {}
        self._index: dict[str, list[str]] = {}
        self._ids: dict[str, str] = {}  # rasd slug / QID → kb_id
        self._nisba: dict[str, str] = {}
        self._common: set[str] = set()
        self._firsts: set[str] | None = None
        self._lasts: set[str] | None = None
        self._seconds: set[str] | None = None
        self._tails: set[str] | None = None
        self._plain = BoundedMemo(_plain_word)
        # name → places(name), see places()
        self._places = BoundedMemo(self._find_places, 100_000)
        for e in entries:
            self.add(e)

    # -- building ---------------------------------------------------------------------------
    def add(self, entry: KBEntry) -> None:
        self.entries[entry.kb_id] = entry
        self._firsts = self._lasts = self._seconds = self._tails = None
        self._places.clear()
        for name in (entry.name, *entry.aliases):
            key = norm(name).strip()
            if key:
                ids = self._index.setdefault(key, [])
                if entry.kb_id not in ids:
                    ids.append(entry.kb_id)

    def _add_aliases(self, kb_id: str, names: list[str]) -> None:
        """More names for an entry; a name written ``*name`` becomes the canonical one."""
        e = self.entries.get(kb_id)
        if e is None:
            return
        canonical = next((n[1:] for n in names if n.startswith("*")), e.name)
        names = [n.lstrip("*") for n in names] + [e.name]
        aliases = tuple(dict.fromkeys(n for n in (*e.aliases, *names) if n != canonical))
        self.add(KBEntry(e.kb_id, e.type, canonical, e.name_en, aliases, e.country, e.lat,
                         e.lon, e.population, e.feature, e.wikidata))

    @classmethod
    def load(cls) -> KnowledgeBase:
        """The KB built from the package files, loaded once per process."""
        return _load()

    @classmethod
    def from_files(cls) -> KnowledgeBase:
        kb = cls()
        with gzip.open(resource_path("kb/places.tsv.gz"), "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                f = line.rstrip("\n").split("\t")
                kb.add(KBEntry(f[0], f[1], f[7], f[8] or None, tuple(_names(f[9])),
                               f[3] or None, _float(f[4]), _float(f[5]), int(f[6] or 0), f[2]))
        for line in read_lines("kb/countries_hand.tsv"):
            iso, names = line.split("\t")[:2]
            kb._add_aliases(f"cc:{iso}", _names(names))
        for line in read_lines("kb/places_hand.tsv"):
            slug, typ, feature, cc, lat, lon, en, names = line.split("\t")[:8]
            ns = _names(names)
            kb.add(KBEntry(f"rasd:{slug}", typ, ns[0], en or None, tuple(ns[1:]), cc or None,
                           _float(lat), _float(lon), 0, feature))
        for line in read_lines("kb/actors.tsv"):
            slug, typ, cc, qid, en, names = line.split("\t")[:6]
            ns = _names(names)
            kb_id = qid or f"rasd:{slug}"
            kb.add(KBEntry(kb_id, typ, ns[0], en or None, tuple(ns[1:]), cc or None,
                           feature="actor", wikidata=qid or None))
            kb._ids[f"rasd:{slug}"] = kb_id
            kb._ids[slug] = kb_id
        kb._build_nisba()
        section = "drop"
        for line in read_lines("kb/stopnames.txt"):
            line = line.strip()
            if line.startswith("["):
                section = line.strip("[]")
            elif section == "common":
                kb._common.add(norm(line))
        return kb

    def _build_nisba(self) -> None:
        removed: set[str] = set()
        for line in read_lines("kb/nisba.tsv"):
            if line.startswith("-"):
                removed.update(norm(f) for f in _nisba_forms(line[1:].strip()))
                continue
            form, target = line.split("\t")[:2]
            target = self._ids.get(target, target)
            for f in _nisba_forms(form.strip()):
                self._nisba.setdefault(norm(f), target)
        for e in self.entries.values():
            if e.feature != "country":
                continue
            for name in (e.name, *e.aliases):
                m = nisba_of(name)
                if m:
                    for f in _nisba_forms(m):
                        self._nisba.setdefault(norm(f), e.kb_id)
        for k in removed:
            self._nisba.pop(k, None)

    # -- queries ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self.entries.values())

    def get(self, kb_id: str) -> KBEntry | None:
        """The entry with this id (also accepts an actor's rasd slug when it has a QID)."""
        return self.entries.get(kb_id) or self.entries.get(self._ids.get(kb_id, ""))

    def country(self, iso2: str) -> KBEntry | None:
        return self.entries.get(f"cc:{iso2.upper()}")

    def _hits(self, key: str, types: frozenset[str] | None) -> list[KBEntry]:
        out = [self.entries[i] for i in self._index.get(key, ())]
        if types is not None:
            out = [e for e in out if e.type in types]
        return out

    def lookup(self, name: str, types: Iterable[str] | None = None) -> list[KBEntry]:
        """Entries named ``name``: the exact normalized name first, then the name without a
        title word, a clitic (و ف ب ل ك) or the article. Countries first, then by population."""
        tset = frozenset(types) if types is not None else None
        for key in name_keys(name):
            hits = self._hits(key, tset)
            if hits:
                return sorted(hits, key=lambda e: (e.feature != "country", -e.population))
        return []

    def places(self, name: str) -> list[KBEntry]:
        """Place entries (with coordinates) named ``name``.

        Memoized (the geocoder asks for every place name of a document once per place it
        resolves, and names recur across documents); each call returns a fresh list.
        """
        return list(self._places(name))

    def _find_places(self, name: str) -> list[KBEntry]:
        return [e for e in self.lookup(name, PLACE_TYPES) if e.lat is not None]

    def nisba(self, word: str) -> KBEntry | None:
        """The country or body a nisba adjective refers to (الليبية → Libya, الأممي → UN)."""
        for key in _word_variants(norm(_PUNCT.sub("", word)).strip()):
            target = self._nisba.get(key)
            if target:
                return self.get(target)
            if key.startswith("ال"):
                target = self._nisba.get(key[2:])
                if target:
                    return self.get(target)
        return None

    def may_start_name(self, word: str) -> bool:
        """Cheap pre-check for scanning text: can a KB name (possibly after a title word, a
        clitic or the article) begin with this word? False means no lookup can succeed."""
        firsts = self._firsts
        if firsts is None:
            firsts = self._firsts = {k.split(" ", 1)[0] for k in self._index}
            firsts |= {k[2:] for k in firsts if k.startswith("ال")}
            firsts |= _TITLES | {p.split(" ", 1)[0] for p in _TITLE_PHRASES}
        w = norm(word)
        return any(v in firsts or (v.startswith("ال") and v[2:] in firsts)
                   for v in _word_variants(w))

    def may_end_name(self, word: str) -> bool:
        """Cheap pre-check for scanning text: can a name of two words or more that ends with
        this word be found by :meth:`lookup`? False means no lookup can succeed.

        Every key :func:`name_keys` makes keeps the name's last word, except when title words
        are dropped down to that word alone, which then is tried with its clitic and article
        variants; both cases are checked here.
        """
        base = " ".join(norm(_PUNCT.sub(" ", word)).split())
        if not base or " " in base:
            return True  # the name's last word is not this word as it stands: no shortcut
        lasts = self._lasts
        if lasts is None:
            lasts = self._lasts = {k.rsplit(" ", 1)[-1] for k in self._index}
        if base in lasts:
            return True
        alone = [base, *_word_variants(base)[1:]]
        alone += [k[2:] for k in alone if k.startswith("ال") and len(k) > 4]
        return any(k in self._index for k in alone)

    def may_continue_name(self, pair: tuple[str, str]) -> bool:
        """Cheap pre-check for scanning text: can a name of two words or more that begins with
        these two words be found by :meth:`lookup`? False means no such lookup can succeed.

        Every key :func:`name_keys` makes keeps the name's second word where it is: only the
        first word gets clitic and article variants. The exception is a leading title (or
        two-word title phrase), which is dropped; then, and for words that punctuation would
        split, there is no shortcut.
        """
        first, second = (norm(w) for w in pair)
        if (not first or not second or len(first) <= 2 or _PUNCT.search(first)
                or _PUNCT.search(second) or " " in first or " " in second
                or first in _TITLES or f"{first} {second}" in _TITLE_PHRASES):
            return True
        seconds = self._seconds
        if seconds is None:
            seconds = self._seconds = {k.split(" ")[1] for k in self._index if " " in k}
        return second in seconds

    def may_be_name(self, words: Sequence[str]) -> bool:
        """Cheap pre-check for scanning text: can ``lookup(" ".join(words))`` find a name, for
        two words or more? False means it cannot.

        Every key :func:`name_keys` makes keeps the words after the first as they are, so a
        name is found only if they are the words after the first of an indexed name. Not so
        when a title (or two-word title phrase) leads, which is dropped, or when a word is not
        already a normalized word without punctuation (the key would split or change): then
        there is no shortcut.
        """
        plain = self._plain
        if (words[0] in _TITLES or f"{words[0]} {words[1]}" in _TITLE_PHRASES
                or not all(plain(w) for w in words)):
            return True
        tails = self._tails
        if tails is None:
            tails = self._tails = {k.split(" ", 1)[1] for k in self._index if " " in k}
        return " ".join(words[1:]) in tails

    def is_common(self, name: str) -> bool:
        """True when ``name`` is a place name that is also a frequent word (الخبر، الباب)."""
        return norm(name).strip() in self._common


def _plain_word(w: str) -> bool:
    """A word :func:`name_keys` keeps as it is: normalized, no punctuation, no space."""
    return w.split() == [w] and norm(w) == w and not _PUNCT.search(w)


def _word_variants(w: str) -> list[str]:
    """``w`` and ``w`` without leading clitics: و ف ب ل ك, لل → ال, وب/ول/فب/فل/ولل."""
    out = [w]
    if len(w) >= 4 and w.startswith("لل"):
        out.append("ال" + w[2:])
    if len(w) >= 4 and w[0] in _CLITICS:
        out.append(w[1:])
    if len(w) >= 5 and w[0] in "وف" and w[1] in "بلك":
        rest = w[2:]
        out.append("ال" + rest[1:] if w[1] == "ل" and rest.startswith("ل") else rest)
    return out


def name_keys(name: str) -> list[str]:
    """Normalized keys tried for ``name``, in order of preference."""
    base = " ".join(norm(_PUNCT.sub(" ", name)).split())
    if not base:
        return []
    keys = [base]
    words = base.split(" ")
    while len(words) > 1:
        two = " ".join(words[:2])
        if len(words) > 2 and two in _TITLE_PHRASES:
            words = words[2:]
        elif words[0] in _TITLES:
            words = words[1:]
        else:
            break
        keys.append(" ".join(words))
    more = []
    for k in keys:
        first, _, rest = k.partition(" ")
        for v in _word_variants(first)[1:]:
            more.append(f"{v} {rest}".strip())
    keys += more
    for k in list(keys):
        if k.startswith("ال") and len(k) > 4:
            keys.append(k[2:])
    seen: set[str] = set()
    return [k for k in keys if not (k in seen or seen.add(k))]


@cache
def _load() -> KnowledgeBase:
    return KnowledgeBase.from_files()
