import csv
import io
import json

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
