"""Which records of a layer lie inside, cover or overlap a range, by bisection.

Stages ask such questions for every sentence, cue or trigger; a scan of the whole layer each
time made long inputs quadratic (issue #21.2). :class:`SpanIndex` sorts a layer once; its
answers are the records a scan would give, in the layer's start order. ``Document.index``
keeps one per layer and rebuilds it when the layer list is replaced or changes length.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Records with a ``[start, end)`` (their own, or through ``span``), sorted by start."""

    def __init__(self, items: Iterable[T],
                 span: Callable[[T], tuple[int, int] | None] | None = None) -> None:
        get = span or (lambda x: (x.start, x.end))  # type: ignore[attr-defined]
        pairs = [(s, x) for x in items if (s := get(x)) is not None]
        pairs.sort(key=lambda p: p[0][0])  # stable: ties keep the layer's order
        self.items: list[T] = [x for _, x in pairs]
        self.starts = [s for (s, _), _ in pairs]
        self.ends = [e for (_, e), _ in pairs]
        self.reach = list(accumulate(self.ends, max))  # farthest end so far

    def __len__(self) -> int:
        return len(self.items)

    def within(self, a: int, b: int) -> list[T]:
        """Records with ``a <= start`` and ``end <= b``."""
        lo, hi = bisect_left(self.starts, a), bisect_left(self.starts, b)
        ends = self.ends
        return [self.items[k] for k in range(lo, hi) if ends[k] <= b]

    def _first_reaching(self, pos: int) -> int:
        """The first record whose farthest-end-so-far passes ``pos`` (all before end <= pos)."""
        return bisect_right(self.reach, pos)

    def overlapping(self, a: int, b: int) -> list[T]:
        """Records with ``start < b`` and ``a < end``."""
        lo, hi = self._first_reaching(a), bisect_left(self.starts, b)
        ends = self.ends
        return [self.items[k] for k in range(lo, hi) if ends[k] > a]

    def containing(self, a: int, b: int) -> list[T]:
        """Records with ``start <= a`` and ``b <= end``."""
        lo, hi = self._first_reaching(b - 1 if b > a else a), bisect_right(self.starts, a)
        ends = self.ends
        return [self.items[k] for k in range(lo, hi) if ends[k] >= b and ends[k] > a]

    def covers(self, pos: int) -> bool:
        """Some record has ``start <= pos < end``."""
        k = bisect_right(self.starts, pos)
        return k > 0 and self.reach[k - 1] > pos


def layer_index(cache: dict[str, Any], name: str, layer: list, **kw: Any) -> SpanIndex:
    """The cached index of ``layer`` under ``name``, rebuilt when the list object was
    replaced or its length changed."""
    hit = cache.get(name)
    if hit is not None and hit[0] is layer and hit[1] == len(layer):
        return hit[2]
    idx = SpanIndex(layer, **kw)
    cache[name] = (layer, len(layer), idx)
    return idx
