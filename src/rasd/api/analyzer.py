"""The Pipeline the API runs: built on the first request that needs it, then shared."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rasd.document import Document


class Analyzer:
    """The app's one pipeline: built on first use, then shared (calls are serialized)."""

    def __init__(self, factory: Callable[[], Callable[[Document], Document]] | None) -> None:
        self.factory = factory
        self.pipeline: Callable[[Document], Document] | None = None
        self.lock = threading.Lock()
        self.builds = 0

    def __call__(self, doc: Document) -> Document:
        with self.lock:
            if self.pipeline is None:
                if self.factory is None:
                    from rasd.pipeline import Pipeline

                    self.pipeline = Pipeline()
                else:
                    self.pipeline = self.factory()
                self.builds += 1
            return self.pipeline(doc) or doc
