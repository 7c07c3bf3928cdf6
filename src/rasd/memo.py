"""rasd's one caching rule, and the bounded memo it names.

Every cache in run-time code is one of two things:

``functools.cache`` / ``functools.lru_cache``
    A pure function of a few hashable arguments whose argument space is small and fixed (a
    normalizer per option set, a converter per record type, a compiled table per word list),
    and every loader that reads a data file once (``@cache def lexicon()``; per object,
    ``functools.cached_property``). Plain ``@cache`` when the arguments are a closed set;
    ``lru_cache(maxsize=N)`` when callers can pass open-ended values, with N the working set.

:class:`BoundedMemo`
    A memo over an open key space: word forms, mention texts, n-grams. News repeats its word
    forms from article to article, so the stages ask the same per-word question again and
    again, but a batch worker lives for millions of words, so each memo states its size and
    is emptied once it holds ``limit`` keys: memory stays bounded and the cost is one cold
    stretch. Size it at about the distinct keys of a few thousand articles (200,000 word
    forms by default; 300,000 where every token of every article asks); what it holds at
    most is ``limit`` keys and their values. A memo whose entries others refer to by
    position (the NER feature rows) empties only between documents (``between_units``):
    it then holds at most ``limit`` keys plus one document's.

What a word form knows about itself it carries: the tokenizer's
:class:`~rasd.text.tokenize.Analysis` is one shared object per form (a lexeme, as spaCy's
``Lexeme``) holding its matching view's fields and its stem, computed once when it is built;
nothing else caches them.

Never key a cache by ``id()`` of an object: once the object is freed, Python hands its id to
the next object made, and the cache answers for the wrong one (keeping the object alive in
the cache to prevent that makes the cache hold every object it ever saw). Key by a value (the
form, a frozenset, the word tuple), or let the object carry what is derived from it.

Not caches, and so outside the rule: a module-level constant built at import, a table filled
while one call or one text's short-lived object runs and dropped with it (a parser's
per-token readings, an evaluation's per-article names), and a lazily built process-wide
singleton (the default tokenizer, pipeline, featurizer). ``tests/test_memo_rule.py`` checks
the rule on ``src/rasd``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class BoundedMemo(dict):
    """``fn`` memoized: ``memo(key)`` is ``fn(key)``, computed once per key until the table is
    emptied past ``limit`` keys. Calling the memo is the dict's own lookup (no Python frame on
    a hit); ``__missing__`` computes and stores a miss.

    With ``between_units=True`` a miss never empties the table: the owner calls :meth:`trim`
    between units of work (documents), so entries stay valid for the whole unit."""

    __slots__ = ("fn", "limit", "between_units")

    def __init__(self, fn: Callable[[Any], Any], limit: int = 200_000, *,
                 between_units: bool = False) -> None:
        super().__init__()
        self.fn, self.limit, self.between_units = fn, limit, between_units

    def __missing__(self, key: Hashable) -> Any:
        if len(self) >= self.limit and not self.between_units:
            self.clear()
        value = self[key] = self.fn(key)
        return value

    __call__ = dict.__getitem__

    def trim(self) -> bool:
        """Empty the table if it holds ``limit`` keys or more; True if it did."""
        if len(self) < self.limit:
            return False
        self.clear()
        return True
