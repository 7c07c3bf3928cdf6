"""Input specs → the files they name, and JSON Lines → their records within the size limit.

The one enumeration behind every door that reads inputs: ``rasd analyze``/``ingest``
(:mod:`rasd.ingest.inputs`, which turns each file into documents) and ``rasd batch``
(:mod:`rasd.batch.records`, which turns each file into raw records for its workers).

* Inputs come in the order given. ``-`` is standard input (what a door does with it is its own
  business: ``rasd batch`` refuses it, since it cannot be resumed).
* A folder is searched recursively, hidden names skipped, in sorted order (the order never
  varies); a glob's matches are sorted and folders among them searched the same way. From
  folders and globs only files of the door's types are taken (:class:`FileTypes`: ``rasd
  batch`` adds WARC archives); a file named directly is always read, its kind sniffed.
* A FIFO, socket or device met in a folder or glob is skipped with a warning line (its read
  would block); a file named directly keeps the name as typed, files found in folders and
  globs are named by their path.
* A JSON Lines record (one line) may be at most ``max_bytes``; blank lines are skipped, a BOM
  before the first line dropped, and a file without records is one error.

Where the two doors differed before this module (rasd 0.x, issue #16), the ingest door's
behaviour was kept, as the one a user expects: a file named directly is named as typed
(``./news.jsonl:3``; batch named it ``news.jsonl:3``), an empty folder or a glob without input
files lists the accepted types and a glob without any match says "no files match" (batch said
"no input files in this directory" / "no input files match"), a too-large file names
``RASD_MAX_INPUT_MB``, an unreadable file says "permission denied" / "no such file or
directory" (batch: "cannot read: …"). The JSON Lines limit is written with ``:g`` as batch
wrote it (a 0.5 MB limit reads "limit 0.5 MB", where ingest wrote "limit 0 MB").
"""

from __future__ import annotations

import glob
import os
import stat
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rasd.ingest.detect import EXTENSIONS, InputWarning
from rasd.ingest.errors import InputError, printable

STDIN = "-"
ENV_MAX_MB = "RASD_MAX_INPUT_MB"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class FileTypes:
    """The files a door takes from folders and globs: by suffix (``.txt``), or by a whole
    name ending (``.warc.gz``)."""

    suffixes: frozenset[str]
    endings: tuple[str, ...] = ()

    def accepts(self, name: str) -> bool:
        return Path(name).suffix.lower() in self.suffixes or (
            bool(self.endings) and name.lower().endswith(self.endings))

    @property
    def listing(self) -> str:
        """The accepted types as error lines name them: ``.htm, .html, …``."""
        return ", ".join(sorted(self.suffixes | set(self.endings)))


DOCUMENT_TYPES = FileTypes(frozenset(EXTENSIONS))


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: a file (``path``), or standard input (``path`` None)."""

    path: Path | None
    name: str


def regular_only(paths: Iterable[Path]) -> list[Path]:
    """The paths that are regular files; each other one (a FIFO, socket or device met in a
    folder or a glob, whose read would block or never end) is skipped with a warning line.
    A path that cannot be examined is kept: reading it gives its error."""
    out = []
    for p in paths:
        try:
            mode = p.stat().st_mode
        except OSError:
            out.append(p)
            continue
        if stat.S_ISREG(mode):
            out.append(p)
        else:
            what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket"
                    if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode)
                    or stat.S_ISBLK(mode) else "not a regular file")
            warnings.warn(InputWarning(f"{printable(str(p))}: skipped, {what}"), stacklevel=2)
    return out


def walk(root: Path, types: FileTypes = DOCUMENT_TYPES) -> list[Path]:
    """Regular files of ``types`` under ``root``, hidden ones skipped, sorted: the order must
    never vary (a resumed batch relies on it)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / f for f in filenames
                     if not f.startswith(".") and types.accepts(f))
    return regular_only(sorted(found))


def iter_sources(inputs: Sequence[str],
                 types: FileTypes = DOCUMENT_TYPES) -> Iterator[Source | InputError]:
    """Every file (or stdin) that ``inputs`` name, in order, or an error per spec that names
    none. Lazy: a folder is walked when its turn comes."""
    for spec in inputs:
        if spec == STDIN:
            yield Source(None, STDIN)
            continue
        path = Path(spec)
        if path.is_dir():
            files = walk(path, types)
            if not files:
                yield InputError(spec, f"no input files in this directory ({types.listing})")
            for f in files:
                yield Source(f, str(f))
        elif path.exists():
            yield Source(path, spec)
        elif _GLOB_CHARS & set(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            files = []
            for m in matches:
                p = Path(m)
                files.extend(walk(p, types) if p.is_dir() else
                             regular_only([p]) if types.accepts(m) else [])
            if not files:
                yield InputError(spec, "no files match" if not matches else
                                 f"no input files match ({types.listing})")
            for f in files:
                yield Source(f, str(f))
        else:
            yield InputError(spec, "no such file or directory")


def jsonl_lines(lines: Iterable[bytes], name: str,
                max_bytes: int) -> Iterator[tuple[str, bytes] | InputError]:
    """The records of a JSON Lines stream as ``(FILE:LINENO, line)``; a line over
    ``max_bytes`` is an error in its place, and a stream without records one error."""
    seen = False
    for lineno, raw in enumerate(lines, 1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        seen = True
        where = f"{name}:{lineno}"
        if len(raw) > max_bytes:
            yield InputError(where, f"record too large ({len(raw) / 1e6:.1f} MB, limit "
                                    f"{max_bytes / 1e6:g} MB)")
        else:
            yield where, raw
    if not seen:
        yield InputError(name, "empty input (no JSON records)")


def too_large(name: str, size: int, limit: int) -> InputError:
    """A whole input over the size limit."""
    return InputError(name, f"too large: {size / 1e6:.1f} MB (limit {limit / 1e6:g} MB; "
                            f"set {ENV_MAX_MB} to raise it)")


def os_error(name: str, exc: OSError) -> InputError:
    """An input that could not be read, in words."""
    if isinstance(exc, FileNotFoundError):
        return InputError(name, "no such file or directory")
    if isinstance(exc, PermissionError):
        return InputError(name, "permission denied")
    return InputError(name, f"cannot read: {exc.strerror or type(exc).__name__}")
