"""Shared test helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# The project's shared data sits beside the repository (../shared), never inside it.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared() -> Callable[[str], Path]:
    """``shared("data/html/manifest.json")``: a path in ../shared, or skip when it is absent."""

    def get(relative: str) -> Path:
        path = SHARED / relative
        if not path.exists():
            pytest.skip(f"shared data not available: {path}")
        return path

    return get
