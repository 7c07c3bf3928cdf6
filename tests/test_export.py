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
