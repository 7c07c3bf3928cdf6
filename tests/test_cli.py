"""The `rasd analyze` command end to end: formats, exit codes, bad inputs, the sample article."""

import json
import subprocess
import sys

import pytest

from rasd.cli import main
from rasd.document import Document
from rasd.schema import validate

ARTICLE = "عنوان الخبر\n\nقال وزير الخارجية إن المحادثات ستستأنف في طرابلس يوم الاثنين.\n"


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def test_json_output_follows_the_contract(article, capsys):
    assert main(["analyze", str(article)]) == 0
    data = json.loads(capsys.readouterr().out)
    validate(data)
    doc = Document.from_dict(data)
    doc.check_offsets()
    assert doc.title == "عنوان الخبر"
    assert Document.from_dict(json.loads(doc.to_json())).to_dict() == data


def test_jsonl_and_text_and_tokens(article, tmp_path, capsys):
    second = tmp_path / "b.txt"
    second.write_text("أعلن الجيش السيطرة على المدينة.", encoding="utf-8")
    assert main(["analyze", str(article), str(second), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all(json.loads(x)["rasd"] for x in lines)
    assert main(["analyze", str(article), "--format", "text"]) == 0
    assert "# عنوان الخبر" in capsys.readouterr().out
    assert main(["analyze", str(article), "--tokens"]) == 0
    data = json.loads(capsys.readouterr().out)
    validate(data)
    assert data["tokens"] and data["tokens"][0]["segments"]


def test_bad_inputs_one_line_each_rest_processed(article, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    rc = main(["analyze", str(empty), str(binary), str(article), str(tmp_path / "missing.txt"),
               "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert rc == 1
    assert len(out.strip().splitlines()) == 1
    errors = err.strip().splitlines()
    assert len(errors) == 3 and all(line.startswith("rasd: ") for line in errors)
    assert "Traceback" not in err


def test_usage_error_exit_code():
    res = subprocess.run([sys.executable, "-m", "rasd.cli", "analyze"], capture_output=True,
                         text=True)
    assert res.returncode == 2


def test_stdin_cp1256(tmp_path):
    res = subprocess.run([sys.executable, "-m", "rasd.cli", "analyze", "-", "--format", "jsonl"],
                         input=ARTICLE.encode("cp1256"), capture_output=True)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["document"]["text"].startswith("عنوان الخبر")


def test_golden_sample_article(shared, capsys):
    """The real scraped page: debris gone, headline and five sub-headings, the attributions."""
    path = shared("samples/libya-2019-rajma.txt")
    assert main(["analyze", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    validate(data)
    doc = Document.from_dict(data)
    doc.check_offsets()
    lines = doc.text.splitlines()
    for debris in ("Total", "0", "Shares", "مقالات ذات صلة"):
        assert debris not in lines
    heads = [s.heading.text for s in doc.sections if s.heading]
    assert heads == ["من الرجمة.. ألمانيا ترفض الحل العسكري وحفتر يقر بهزيمته",
                     "فوضى في صفوف مسلحي حفتر", "حفتر يقر بهزيمته أمام السراج",
                     "زيارات لـ”الرجمة” من أجل الحل السياسي",
                     "عودة التعاون الأمني بين باريس وطرابلس"]
    ents = {e.id: e for e in doc.entities}

    def said(cue, who, channel=None, stance=None):
        for c in doc.claims:
            names = [c.source_text or ""]
            if c.source in ents:
                names.append(ents[c.source].name)
            if c.cue.text.endswith(cue) and any(who in n for n in names):
                if (channel is None or c.channel == channel) and (
                        stance is None or c.stance == stance):
                    return c
        raise AssertionError(f"no claim {cue} by {who} ({channel}, {stance})")

    for cue in ("وصف", "أشار", "يقول", "ذكر", "عد"):
        said(cue, "موقع")
    assert said("يرى", "مراقبون").anonymous is True
    said("قالت", "البعثة الأممية")
    said("قال", "السفير الألماني", channel="tweet")
    said("أضاف", "بوك", channel="tweet")
    said("أعربت", "السفارة", channel="facebook")
    said("يزعم", "حفتر", stance="doubt")
    said("ادعاءات", "حفتر", stance="doubt")
    reported = said("ذكر", "موقع")
    assert reported.content and "غسان سلامة" in reported.content.text


def test_ordinary_mistakes_get_one_line_not_a_traceback(tmp_path):
    """Issue #21.8: closed stdin, --output a folder, a port out of range."""
    import subprocess
    import sys

    art = tmp_path / "a.txt"
    art.write_text("قال خليفة حفتر إن قواته تتقدم نحو طرابلس.", encoding="utf-8")
    py = sys.executable
    cases = [
        (f"{py} -m rasd analyze - --fast <&-", 1, "-: standard input is closed"),
        (f"{py} -m rasd analyze {art} --fast <&-", 0, ""),
        (f"{py} -m rasd export {art} --format acled-csv --output {tmp_path}", 1,
         "cannot write: Is a directory"),
        (f"{py} -m rasd serve --port 99999", 2, "a TCP port is 1-65535"),
    ]
    for cmd, code, message in cases:
        r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=300)
        assert r.returncode == code, (cmd, r.stderr)
        assert "Traceback" not in r.stderr, cmd
        assert message in r.stderr, (cmd, r.stderr)


def test_a_document_over_the_time_budget_stops_with_one_line_and_the_rest_runs(tmp_path):
    import subprocess
    import sys

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    for p in (a, b):
        p.write_text("قال خليفة حفتر إن قواته تتقدم نحو طرابلس.", encoding="utf-8")
    env = {**__import__("os").environ, "RASD_MAX_SECONDS": "0.000001"}
    r = subprocess.run([sys.executable, "-m", "rasd", "analyze", str(a), str(b), "--fast",
                        "--format", "jsonl"], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and all("budget" in x and "split the input" in x for x in lines)
    assert "Traceback" not in r.stderr


def test_closed_standard_output_is_one_line(tmp_path) -> None:
    """Issue #21.8: `rasd analyze file >&-` (and search, export): one line, exit 1."""
    import os
    import subprocess
    import sys

    art = tmp_path / "a.txt"
    art.write_text("قال خليفة حفتر إن قواته ستدخل طرابلس.", encoding="utf-8")
    for args in (["analyze", str(art), "--fast"], ["search", "طرابلس", "--db",
                                                   str(tmp_path / "none.db")]):
        r = subprocess.run([sys.executable, "-m", "rasd", *args], preexec_fn=lambda: os.close(1),
                           stderr=subprocess.PIPE, text=True, timeout=120)
        assert r.returncode == 1, (args, r.stderr)
        assert "standard output is closed" in r.stderr and "Traceback" not in r.stderr
