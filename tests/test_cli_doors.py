"""The shape issue #16 gave the command line, kept by tests (the import rules are in
tests/test_architecture.py).

One module per door (HELP, add_arguments, run), imported only when its door is chosen, so that
`rasd analyze` loads no training, scoring or server package.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from rasd.cli import _DELEGATED, _ORDER


@pytest.mark.parametrize("name,module_name,help_text",
                         [row for row in _DELEGATED if row[1].startswith("rasd.cli.")])
def test_each_door_module_has_help_arguments_and_run(name, module_name, help_text):
    module = importlib.import_module(module_name)
    assert module.HELP == help_text, name
    assert callable(module.add_arguments) and callable(module.run)


def test_the_help_order_lists_every_door_once():
    assert sorted(_ORDER) == sorted(name for name, _m, _h in _DELEGATED)


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


@pytest.mark.parametrize("name", [name for name, _m, _h in _DELEGATED])
def test_a_reader_that_goes_away_ends_any_door_quietly(name, monkeypatch, tmp_path, capfd):
    """`rasd search ... | head -1`: the pipe closes, the door ends with 0 and no traceback."""
    module = importlib.import_module(dict((n, m) for n, m, _h in _DELEGATED)[name])

    def closed_pipe(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(module, "run", closed_pipe)
    monkeypatch.setattr(module, "add_arguments", lambda parser: None)
    with open(tmp_path / "out", "w") as out:
        monkeypatch.setattr(sys, "stdout", out)
        from rasd.cli import main

        assert main([name]) == 0
    assert capfd.readouterr().err == ""
