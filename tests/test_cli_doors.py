"""The shape issue #16 gave the command line and the build code, kept by tests.

One module per door (HELP, add_arguments, run), imported only when its door is chosen;
run-time packages import nothing from train/, eval/ or cli/; the library parses no arguments.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.cli import _DELEGATED, _ORDER

SRC = Path(__file__).resolve().parents[1] / "src" / "rasd"
BUILD_AND_DOORS = ("train", "eval", "cli")


def _modules(*parts: str):
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if not parts or rel.parts[0] in parts:
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("name,module_name,help_text",
                         [row for row in _DELEGATED if row[1].startswith("rasd.cli.")])
def test_each_door_module_has_help_arguments_and_run(name, module_name, help_text):
    module = importlib.import_module(module_name)
    assert module.HELP == help_text, name
    assert callable(module.add_arguments) and callable(module.run)


def test_the_help_order_lists_every_door_once():
    assert sorted(_ORDER) == sorted(name for name, _m, _h in _DELEGATED)


def test_run_time_packages_import_nothing_from_build_eval_or_cli():
    bad = []
    for rel, tree in _modules():
        if rel.parts[0] in BUILD_AND_DOORS or rel.name == "__main__.py":
            continue  # the entry points (python -m rasd, python -m rasd.batch) are doors
        for name in _imports(tree):
            if name.split(".")[:2] in (["rasd", p] for p in BUILD_AND_DOORS):
                bad.append(f"{rel}: {name}")
    assert not bad, bad


@pytest.mark.parametrize("package", ("train", "eval", "ner", "link", "text"))
def test_library_modules_parse_no_arguments(package):
    bad = []
    for rel, tree in _modules(package):
        if "argparse" in _imports(tree):
            bad.append(f"{rel}: imports argparse")
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
                bad.append(f"{rel}: has a __main__ block")
    assert not bad, bad


def test_analyze_imports_no_training_or_server_package(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("قال خليفة حفتر إن قواته ستدخل طرابلس.", encoding="utf-8")
    code = ("import sys\nfrom rasd.cli import main\n"
            f"rc = main(['analyze', {str(art)!r}, '--fast', '--format', 'jsonl'])\n"
            "heavy = ('dask', 'fastapi', 'pycrfsuite', 'torch', 'rasd.train', 'rasd.eval')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
            "             or m.startswith(('rasd.train', 'rasd.eval'))), file=sys.stderr)\n"
            "sys.exit(rc)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "[]", r.stderr


def test_train_and_eval_usage_errors_are_exit_2(capsys):
    from rasd.cli import main

    for argv in (["train", "nothing"], ["eval", "nothing"], ["train"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2, argv
    assert "invalid choice" in capsys.readouterr().err


def test_a_missing_data_folder_is_one_line(tmp_path, capsys):
    from rasd.cli import main

    assert main(["train", "vocab", "--data", str(tmp_path / "none")]) == 1
    assert main(["eval", "times", "--data", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"rasd: {tmp_path / 'none'}: training data folder not found (pass --data "
                   "PATH)", f"rasd: {tmp_path / 'none'}: evaluation data folder not found "
                   "(pass --data PATH)"]
