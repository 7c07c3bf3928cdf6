"""rasd.memo's caching rule, checked on the source: no cache keyed by id(), no module-level
table filled by functions (a hand-written cache; use functools.cache or BoundedMemo)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rasd"
# Build-time code (training commands) runs once and exits; the rule is for run-time code.
BUILD = ("train",)
DICT_METHODS = {"get", "setdefault", "pop"}


def _modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py"))
            if p.relative_to(SRC).parts[0] not in BUILD]


def _is_id_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "id")


def id_keys(tree: ast.AST) -> list[int]:
    """Lines where ``id(...)`` is a dict key: ``d[id(x)]``, ``d.get(id(x))`` (and setdefault,
    pop), ``{id(x): …}``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_id_call(node.slice):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in DICT_METHODS and node.args and _is_id_call(node.args[0])):
            lines.append(node.lineno)
        elif isinstance(node, ast.DictComp) and _is_id_call(node.key):
            lines.append(node.lineno)
        elif isinstance(node, ast.Dict) and any(k is not None and _is_id_call(k)
                                                for k in node.keys):
            lines.append(node.lineno)
    return lines


def _module_tables(tree: ast.Module) -> set[str]:
    """Module-level names bound to an empty dict or set (``_X = {}``, ``_X: dict[…] = {}``)."""
    names = set()
    for node in tree.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        empty = (isinstance(value, ast.Dict) and not value.keys) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in ("dict", "set") and not value.args)
        if empty:
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def filled_module_tables(tree: ast.Module) -> list[tuple[str, int]]:
    """(name, line) where a function stores into a module-level empty table: ``_X[k] = v``,
    ``_X.setdefault(…)``, ``_X.update(…)``, ``_X.add(…)``."""
    tables = _module_tables(tree)
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign | ast.AugAssign):
                for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if (isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
                            and t.value.id in tables):
                        out.append((t.value.id, node.lineno))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.value.id in tables
                  and node.func.attr in ("setdefault", "update", "add")):
                out.append((node.func.value.id, node.lineno))
    return out


def test_no_cache_is_keyed_by_id():
    bad = [f"{p.relative_to(SRC)}:{line}" for p in _modules()
           for line in id_keys(ast.parse(p.read_text(encoding="utf-8")))]
    assert not bad, "id() as a dict key (rasd.memo: key by a value instead): " + ", ".join(bad)


def test_no_module_level_table_is_filled_by_functions():
    bad = [f"{p.relative_to(SRC)}:{line} {name}" for p in _modules()
           for name, line in filled_module_tables(ast.parse(p.read_text(encoding="utf-8")))]
    assert not bad, ("a module-level table filled lazily (rasd.memo: functools.cache or "
                     "BoundedMemo): " + ", ".join(bad))


@pytest.mark.parametrize("code, hits", [
    ("_V = {}\ndef f(a):\n    return _V.get(id(a))\n", 1),
    ("def f(self, a):\n    self.t[id(a)] = a\n", 1),
    ("x = {id(s): s for s in y}\n", 1),
    ("def f(self, a):\n    return self.t.get(a.form)\n", 0),
    ("def f(seen, m):\n    seen.add(id(m))\n", 0),  # a set of live objects, not a cache
])
def test_the_id_check_finds_id_keys(code, hits):
    assert len(id_keys(ast.parse(code))) == hits


@pytest.mark.parametrize("code, hits", [
    ("_T: dict[str, int] = {}\ndef f(k):\n    _T[k] = 1\n", 1),
    ("_T = {}\ndef f(k):\n    return _T.setdefault(k, [])\n", 1),
    ("_S = set()\ndef f(k):\n    _S.add(k)\n", 1),
    ("_T = {'a': 1}\ndef f(k):\n    return _T[k]\n", 0),  # a constant, only read
    ("_T = {}\n_T['a'] = 1\n", 0),  # filled at import: a constant
    ("def f(k):\n    t = {}\n    t[k] = 1\n", 0),  # a local scratch table
])
def test_the_table_check_finds_lazily_filled_tables(code, hits):
    assert len(filled_module_tables(ast.parse(code))) == hits
