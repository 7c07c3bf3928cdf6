"""A bounded memo for the per-word questions the analysis stages ask again and again.

News repeats its word forms from article to article, so the stages cache answers that depend
only on a word (can a KB name or a cue or a trigger start here, which places a name has). A
batch worker lives for millions of words, so each memo is emptied once it holds ``limit``
keys: memory stays bounded and the cost is one cold stretch.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class BoundedMemo(dict):
    """``fn`` memoized: ``memo(key)`` is ``fn(key)``, computed once per key until the table is
    emptied past ``limit`` keys. Calling the memo is the dict's own lookup (no Python frame on
    a hit); ``__missing__`` computes and stores a miss."""

    __slots__ = ("fn", "limit")

    def __init__(self, fn: Callable[[Any], Any], limit: int = 200_000) -> None:
        super().__init__()
        self.fn, self.limit = fn, limit

    def __missing__(self, key: Hashable) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.fn(key)
        return value

    __call__ = dict.__getitem__
