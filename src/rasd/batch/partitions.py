"""A run's partitions: the inputs' raw records cut into fixed slices, each with its hash.

Partition ``k`` is always records ``k*size …`` of the enumeration (:mod:`rasd.batch.records`),
so a resumed run finds the same partitions, and the hash tells whether the inputs changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from rasd.batch.raw import EnumStats
from rasd.batch.records import iter_records
from rasd.batch.worker import Partition


def iter_partitions(inputs: Sequence[str], size: int, max_bytes: int,
                    stats: EnumStats | None = None) -> Iterator[Partition]:
    """The run's partitions in order; the same inputs always give the same partitions."""
    buf: list = []
    index = start = 0
    for rec in iter_records(inputs, max_bytes, stats):
        buf.append(rec)
        if len(buf) == size:
            yield Partition(index, start, tuple(buf))
            index, start, buf = index + 1, start + size, []
    if buf:
        yield Partition(index, start, tuple(buf))


def digest(part: Partition) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{part.index}:{part.start}\0".encode())
    for rec in part.records:
        rec.digest_into(h)
    return h.hexdigest()


def part_name(index: int) -> str:
    return f"part-{index:06d}"

