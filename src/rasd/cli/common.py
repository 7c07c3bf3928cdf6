"""What every door shares: the one-line error format."""

from __future__ import annotations

import sys


def fail(msg: str) -> None:
    """Say ``msg`` on one stderr line, as every rasd error is said."""
    print(f"rasd: {msg}", file=sys.stderr)
