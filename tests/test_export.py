import csv
import io
import json
import sys
from pathlib import Path

import pytest

from rasd.cli import main
from rasd.document import Document, Entity, Event, Mention
from rasd.export import write_export


def analysed() -> dict:
    text = "هاجمت القوات مدينة سرت أمس."
    doc = Document(text=text, published="2019-06-25", outlet="موقع", url="http://x/1")
    doc.mentions = [Mention("m1", 13, 17, "سرت", "GPE", "e2"),
                    Mention("m2", 6, 12, "القوات", "ORG", "e1")]
    doc.entities = [Entity("e1", "ORG", "القوات"),
                    Entity("e2", "GPE", "سرت", "Sirte", "gn:1", "LY", 31.2, 16.6)]
    doc.events = [Event("v1", "ASSAULT", None, doc.span(0, 5), "e1", "e2", None, None,
                        "asserted", False, None, 0)]
    doc.sentences = []
    return doc.to_dict()


def test_acled_csv_row():
    rows = list(csv.DictReader(io.StringIO(write_export([analysed()], "acled-csv"))))
    (row,) = rows
    assert row["event_type"] == "ASSAULT" and row["actor1"] == "القوات"
    assert row["actor2"] == "سرت" and row["country"] == "LY"
    assert float(row["latitude"]) == 31.2 and row["event_date"] == "2019-06-25"


def test_plover_and_geojson():
    rec = json.loads(write_export([analysed()], "plover-json"))
    assert rec["event"] == ["ASSAULT"] and rec["quad_code"] == 4
    assert rec["recipient"][0]["identifier_id"] == "gn:1"
    assert rec["text_info"]["trigger"] == "هاجمت"
    gj = json.loads(write_export([analysed()], "geojson"))
    (feat,) = gj["features"]
    assert feat["geometry"]["coordinates"] == [16.6, 31.2]


def test_cli_export_reads_rasd_output(tmp_path, capsys):
    p = tmp_path / "out.jsonl"
    p.write_text(json.dumps(analysed(), ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["export", str(p), "--format", "acled-csv"]) == 0
    assert "ASSAULT" in capsys.readouterr().out


def _scored(conf: float | None, outlet: str = "موقع") -> dict:
    d = analysed()
    d["events"][0]["confidence"] = conf
    d["document"]["outlet"] = outlet
    return d


def test_min_confidence_keeps_only_scored_events_above_it():
    docs = [_scored(0.9), _scored(0.2), _scored(None)]
    rows = list(csv.DictReader(io.StringIO(write_export(docs, "acled-csv"))))
    assert [r["confidence"] for r in rows] == ["0.9", "0.2", ""]
    kept = list(csv.DictReader(io.StringIO(write_export(docs, "acled-csv", 0.5))))
    assert [r["confidence"] for r in kept] == ["0.9"]
    assert len(write_export(docs, "plover-json", 0.5).splitlines()) == 1
    assert len(json.loads(write_export(docs, "geojson", 0.1))["features"]) == 2


def test_cli_export_min_confidence_and_bad_value(tmp_path, capsys):
    p = tmp_path / "out.jsonl"
    p.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n"
                         for d in (_scored(0.9), _scored(0.2))), encoding="utf-8")
    assert main(["export", str(p), "--format", "acled-csv", "--min-confidence", "0.5"]) == 0
    out = capsys.readouterr().out
    assert len(list(csv.DictReader(io.StringIO(out)))) == 1
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["export", str(p), "--format", "acled-csv", "--min-confidence", "7"])
    assert exc.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_csv_cells_that_start_a_formula_are_neutralised():
    evil = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
            '=HYPERLINK("http://evil.example","x")']
    for payload in evil:
        text = write_export([_scored(0.5, payload)], "acled-csv")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert rows[0]["outlet"] == "'" + payload
    # Numbers are not text: a negative longitude stays a number.
    from rasd.export.formats import safe_cell

    assert safe_cell(-17.5) == -17.5 and safe_cell("سرت") == "سرت"


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE semantics")
def test_a_full_disk_during_export_leaves_no_truncated_file(tmp_path: Path) -> None:
    """Issue #21.8: the export is written whole or not at all; one line, exit 1."""
    import resource
    import subprocess

    doc = Document(text="قصفت الطائرات مواقع قرب غريان")
    doc.events = [Event(f"v{i}", "ASSAULT", None, doc.span(0, 4)) for i in range(2000)]
    src = tmp_path / "out.jsonl"
    src.write_text(doc.to_json() + "\n", encoding="utf-8")
    dest = tmp_path / "events.csv"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    r = subprocess.run([sys.executable, "-m", "rasd", "export", str(src), "--format",
                        "acled-csv", "-o", str(dest)], capture_output=True, text=True,
                       timeout=120, preexec_fn=limit)
    assert r.returncode == 1 and "cannot write" in r.stderr and "Traceback" not in r.stderr
    assert not dest.exists() and not list(tmp_path.glob(".*.tmp"))
    r = subprocess.run([sys.executable, "-m", "rasd", "export", str(src), "--format",
                        "acled-csv", "-o", str(dest)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and dest.read_text(encoding="utf-8").count("\n") >= 2000



def test_a_record_that_is_not_rasd_output_is_one_line_and_the_rest_is_exported(
        tmp_path: Path, capsys) -> None:
    good = Document(text="قصفت الطائرات مواقع قرب غريان")
    good.events = [Event("v1", "ASSAULT", None, good.span(0, 4))]
    bad = good.to_dict()
    del bad["events"][0]["status"]
    src = tmp_path / "out.jsonl"
    src.write_text(json.dumps(bad, ensure_ascii=False) + "\n" + good.to_json() + "\n",
                   encoding="utf-8")
    assert main(["export", str(src), "--format", "acled-csv"]) == 1
    out, err = capsys.readouterr()
    assert "record 1 is not rasd output" in err and "status" in err
    assert len(err.strip().splitlines()) == 1
    assert out.count("\n") == 2  # the header and the good record's event



def test_output_of_an_earlier_rasd_without_adjectives_is_exported(tmp_path: Path) -> None:
    doc = Document(text="قصفت الطائرات مواقع قرب غريان")
    doc.events = [Event("v1", "ASSAULT", None, doc.span(0, 4))]
    old = doc.to_dict()
    del old["adjectives"]
    src = tmp_path / "old.jsonl"
    src.write_text(json.dumps(old, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["export", str(src), "--format", "acled-csv"]) == 0
