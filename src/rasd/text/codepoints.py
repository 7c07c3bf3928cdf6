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
