"""The `rasd` command: a dispatcher over one module per door (rasd/cli/NAME.py and the rows of
:data:`_DELEGATED`); no analysis logic lives here.

Exit codes: 0 ok, 1 at least one input failed (each reported on one stderr line, the rest
processed), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from rasd import __version__
from rasd.cli.common import fail as _fail

# Every door: (name, module, one-line help). A door's module defines add_arguments(parser)
# and run(args) -> int; it is imported only when its door is chosen, so that `rasd analyze`
# never imports Dask or FastAPI.
_DELEGATED = (
    ("ingest", "rasd.cli.ingest", "analyse articles and store them in SQLite"),
    ("search", "rasd.cli.search", "Arabic-aware search over stored documents, events, claims"),
    ("serve", "rasd.cli.serve", "HTTP API and web page"),
    ("batch", "rasd.cli.batch", "analyse many articles on Dask into Parquet/JSONL"),
    ("analyze", "rasd.cli.analyze", "analyse articles and print the result"),
    ("export", "rasd.cli.export", "events as ACLED-like CSV, PLOVER JSON or GeoJSON"),
    ("stories", "rasd.cli.stories", "cluster articles into stories across outlets and days"),
    ("train", "rasd.cli.train", "rebuild a shipped model or lexicon from ../shared/data"),
    ("eval", "rasd.cli.eval", "score a component on its evaluation data"),
)
# The order `rasd --help` lists them in.
_ORDER = ("analyze", "export", "ingest", "search", "serve", "batch", "stories", "train", "eval")
# Doors that were subcommands of the `rasd` parser: `rasd NAME --help` has no description
# line, and a closed pipe (`| head`) ends them quietly.
_SUBCOMMANDS = ("analyze", "export", "stories", "train", "eval")
# Doors that print their result: started with standard output closed, they say so once.
_NEEDS_STDOUT = ("analyze", "export", "stories", "eval")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser: the doors by name and help (each door parses its own options)."""
    p = argparse.ArgumentParser(prog="rasd", description="Read Arabic news into structured, "
                                "sourced data (offline).")
    p.add_argument("--version", action="version", version=f"rasd {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    helps = {name: help_text for name, _module, help_text in _DELEGATED}
    for name in _ORDER:
        sub.add_parser(name, help=helps[name], add_help=False)
    return p


def _module(name: str):
    import importlib

    return importlib.import_module(name)


def _input_warnings_as_lines() -> None:
    """An :class:`InputWarning` (e.g. a few bad UTF-8 bytes replaced) is one stderr line."""
    import warnings

    from rasd.ingest.detect import InputWarning

    if getattr(warnings.showwarning, "_rasd", False):
        return
    previous = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
        if issubclass(category, InputWarning):
            print(f"rasd: warning: {message}", file=sys.stderr)
            return
        previous(message, category, filename, lineno, file, line)

    show._rasd = True  # type: ignore[attr-defined]
    warnings.showwarning = show
    warnings.simplefilter("always", InputWarning)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _input_warnings_as_lines()
    for name, module_name, help_text in _DELEGATED:
        if argv[:1] == [name]:
            return _run_door(name, module_name, help_text, argv[1:])
    build_parser().parse_args(argv)  # --help, --version or a usage error: exits
    return 2


def _run_door(name: str, module_name: str, help_text: str, argv: list[str]) -> int:
    """Parse ``argv`` with the door's own options and run it."""
    if sys.stdout is None and name == "search":
        _fail("search: standard output is closed; redirect it")
        return 1
    module = _module(module_name)
    own = name in _SUBCOMMANDS
    parser = argparse.ArgumentParser(prog=f"rasd {name}",
                                     description=None if own else help_text)
    module.add_arguments(parser)
    try:
        args = parser.parse_args(argv)
        if sys.stdout is None and name in _NEEDS_STDOUT and not getattr(args, "output", None):
            # started with standard output closed (>&-): say so once instead of a traceback
            _fail(f"{name}: standard output is closed; redirect it or use --output")
            return 1
        return module.run(args)
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (`rasd search ... | head`): what it read is what it asked for;
        # stdout goes to /dev/null so that the interpreter's last flush fails quietly too
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 0
