"""The one error type of ingest: a bad input or record, reported on one line and skipped."""

from __future__ import annotations


class InputError(Exception):
    """An input (file, stdin, JSONL record) that cannot become a document.

    ``input`` names it as the user gave it (a path, ``-``, or ``FILE:LINENO``); ``reason`` is
    short, one line and human readable, so the CLI can print ``str(err)`` as is.
    """

    def __init__(self, input: str, reason: str) -> None:  # noqa: A002 - the issue's name
        # args keep both values, so the error pickles (batch workers send errors back).
        super().__init__(input, reason)
        self.input = input
        self.reason = " ".join(reason.split())

    def __str__(self) -> str:
        return f"{printable(self.input)}: {self.reason}"


def printable(name: str) -> str:
    """A name safe to print on one terminal line: control characters (a newline or an escape
    sequence in a file name) are shown as Python escapes, never sent raw."""
    if name.isprintable():
        return name
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)
