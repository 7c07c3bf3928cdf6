"""Language data shipped as files (lexicons, gazetteers, model artifacts), loaded once.

Each sub-folder documents its source and licence in a PROVENANCE.md beside the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(name: str) -> Path:
    return ROOT / name


def read_lines(name: str, missing_ok: bool = False) -> list[str]:
    """Non-empty, non-comment lines of a UTF-8 text resource."""
    return list(_lines(name, missing_ok))


@cache
def _lines(name: str, missing_ok: bool) -> tuple[str, ...]:
    p = path(name)
    if not p.exists():
        if missing_ok:
            return ()
        raise FileNotFoundError(f"rasd resource missing: {name}")
    out = []
    with p.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                out.append(line)
    return tuple(out)


def read_tsv(name: str, missing_ok: bool = False) -> Iterator[list[str]]:
    """Rows of a tab-separated resource (comment lines start with #)."""
    for line in _lines(name, missing_ok):
        yield line.split("\t")
