"""Count Arabic string literals per module under src/rasd (issue #16: language knowledge is data).

A literal counts when it holds at least one Arabic letter (U+0600-U+06FF, U+0750-U+077F,
U+08A0-U+08FF, U+FB50-U+FDFF, U+FE70-U+FEFF). Docstrings are not counted: they explain, they
do not decide. Use ``--min N`` to list only modules with at least N literals.

    python scripts/arabic_literals.py            # per-module counts, then the total
    python scripts/arabic_literals.py --min 5
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
ROOT = Path(__file__).resolve().parent.parent / "src" / "rasd"


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings (module, class, function)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def count(path: Path) -> int:
    """Arabic string literals in one module (f-string parts count once per part)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return sum(1 for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str)
               and id(node) not in skip and _ARABIC.search(node.value))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min", type=int, default=1, help="list modules with at least this many")
    args = ap.parse_args(argv)
    counts = {p.relative_to(ROOT.parent).as_posix(): count(p)
              for p in sorted(ROOT.rglob("*.py"))}
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= args.min:
            print(f"{n:5d}  {name}")
    print(f"{sum(counts.values()):5d}  total ({sum(1 for n in counts.values() if n)} modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
