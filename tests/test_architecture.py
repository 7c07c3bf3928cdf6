"""The shape rules of docs/architecture.md, checked on the source so they cannot rot quietly.

- argument parsing lives in ``rasd.cli`` only (library modules expose plain functions);
- a ``__main__`` block only in a ``__main__.py`` module (entry points are the CLI's business);
- no import circle between modules (lazy imports inside functions count too: a circle hidden
  in a function is still two modules that cannot be understood apart);
- run-time packages import nothing from ``rasd.eval``, ``rasd.train`` or ``rasd.cli``
  (``__main__.py`` entry points excepted), so analysis never loads build or scoring code;
- ``rasd.ner`` imports nothing from ``rasd.eval`` (the label scheme is ``rasd.ner.labels``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "rasd"
BUILD_SIDE = ("rasd.eval", "rasd.train", "rasd.cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}
TREES: dict[str, ast.Module] = {m: ast.parse(p.read_text(encoding="utf-8"), str(p))
                                for m, p in MODULES.items()}


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _imported(module: str) -> set[str]:
    """The rasd modules ``module`` imports anywhere in its body (resolved to known modules)."""
    is_pkg = MODULES[module].name == "__init__.py"
    here = module if is_pkg else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import sub` needs the submodule; the package only for other names
            subs = [f"{base}.{a.name}" for a in node.names]
            names = subs if all(n in MODULES for n in subs) else [base, *subs]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


GRAPH: dict[str, set[str]] = {m: _imported(m) for m in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_the_checker_sees_the_whole_package() -> None:
    assert len(MODULES) > 100 and "rasd.pipeline" in MODULES and "rasd.cli" in MODULES
    assert "rasd.stages" in GRAPH["rasd.pipeline"] or any(
        _under(m, "rasd.stages") for m in GRAPH["rasd.pipeline"])


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_only_the_cli_parses_arguments() -> None:
    offenders = sorted(m for m, deps in ((m, _argparse_users(m)) for m in MODULES)
                       if deps and not _under(m, "rasd.cli"))
    assert offenders == [], f"argparse outside rasd.cli: {offenders}"


def _argparse_users(module: str) -> bool:
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import) and any(a.name == "argparse" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "argparse":
            return True
    return False


def test_main_blocks_only_in_main_modules() -> None:
    offenders = []
    for m, tree in TREES.items():
        if MODULES[m].name == "__main__.py":
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
                    and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"):
                offenders.append(m)
    assert offenders == [], f"`if __name__ == ...` blocks outside __main__.py: {offenders}"


def test_no_import_circles() -> None:
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("side", BUILD_SIDE)
def test_run_time_code_imports_no_build_side(side: str) -> None:
    offenders = sorted(
        f"{m} -> {d}" for m, deps in GRAPH.items() for d in deps
        if _under(d, side) and not any(_under(m, b) for b in BUILD_SIDE)
        and MODULES[m].name != "__main__.py")
    assert offenders == [], f"run-time modules importing {side}: {offenders}"


def test_ner_imports_nothing_from_eval() -> None:
    offenders = sorted(f"{m} -> {d}" for m, deps in GRAPH.items() if _under(m, "rasd.ner")
                       for d in deps if _under(d, "rasd.eval"))
    assert offenders == []


def test_every_code_folder_is_a_package() -> None:
    """setuptools' find_packages skips a folder without __init__.py: a wheel would lack it."""
    folders = {p.parent for p in PKG.rglob("*.py")}
    assert sorted(str(f.relative_to(SRC)) for f in folders
                  if not (f / "__init__.py").exists()) == []
