"""A text as an array of its code points, and back.

Per-character table lookups (normalization folds, letter classes) are one NumPy gather over
this array instead of a Python or dict step per character. Lone surrogates, which a Python
string may hold (``surrogateescape`` decoding), are kept as their own code points.
"""

from __future__ import annotations

import numpy as np


def code_points(text: str) -> np.ndarray:
    """The code point of every character of ``text`` (uint32, one per character)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def from_code_points(cps: np.ndarray) -> str:
    """The text whose characters are these code points (the inverse of :func:`code_points`)."""
    return cps.astype("<u4", copy=False).tobytes().decode("utf-32-le", "surrogatepass")


_IDENTITY = list(range(0x10000))


def translation_list(table: dict[int, str | int | None]) -> list[str | int | None]:
    """``table`` (as :meth:`str.maketrans` makes it) as a list over the Basic Multilingual
    Plane, for :meth:`str.translate` on short strings: it indexes a list where a dict table
    costs a hash lookup per character (a word is translated in half the time). Characters
    past the BMP fall off the list's end, which ``str.translate`` reads as "keep", as it
    does for a dict's missing keys; so every key there must be in the BMP."""
    if any(cp >= 0x10000 for cp in table):
        raise ValueError("a translation list covers the BMP only")
    out: list[str | int | None] = _IDENTITY.copy()  # shares the int objects
    for cp, v in table.items():
        out[cp] = None if v == "" else v
    return out
