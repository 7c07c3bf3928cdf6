"""Progress of a run on stderr: a bar on a terminal, else one line per finished partition."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from rasd.batch.partitions import part_name
from rasd.batch.worker import PartResult


class Progress:
    """A bar (articles/s, ETA) on a terminal, else one stderr line per finished partition."""

    def __init__(self, total: int, initial: int, partitions: int, enabled: bool | None,
                 stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.done, self.partitions = total, initial, partitions
        self.initial, self.errors = initial, 0
        self.t0 = time.perf_counter()
        self.want_bar = bool(enabled or (enabled is None and self.stream.isatty()))
        self.bar: Any = None
        self.lines = not self.want_bar and enabled is None

    def start(self) -> None:
        """Once the workers are up: rates and ETA count from here, not from cluster start."""
        self.t0 = time.perf_counter()
        if self.want_bar:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, initial=self.done, unit="art",
                            desc="rasd batch", file=self.stream, dynamic_ncols=True,
                            smoothing=0.1)

    def update(self, res: PartResult, parts_done: int) -> None:
        self.done += res.records
        self.errors += len(res.errors)
        if self.bar is not None:
            self.bar.update(res.records)
            self.bar.set_postfix(errors=self.errors, refresh=False)
        elif self.lines:
            elapsed = time.perf_counter() - self.t0
            rate = (self.done - self.initial) / elapsed if elapsed else 0.0
            eta = (self.total - self.done) / rate if rate else 0.0
            print(f"rasd batch: {part_name(res.index)} done ({parts_done}/{self.partitions}): "
                  f"{res.records} records, {res.documents} documents, {len(res.errors)} "
                  f"errors; {self.done:,}/{self.total:,} records, {rate:.1f} articles/s, "
                  f"ETA {time.strftime('%H:%M:%S', time.gmtime(eta))}",
                  file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

