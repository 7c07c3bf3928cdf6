"""The one default location of the shared data (corpora, news, gold) that builds and scores read.

Relative to the working directory, as every ``--data`` default and the docs say: commands run
from the repository root, with the shared folder beside the checkout (``../shared``).
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_DATA = Path("../shared/data")
DEFAULT_SHARED = DEFAULT_DATA.parent  # the folder above data/ (samples, eval files)
