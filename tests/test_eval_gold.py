"""rasd's gold scorer must agree with the reference scorer on the same outputs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.eval import gold
from rasd.ingest import document_from_text
from rasd.pipeline import Pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "data" / "gold"
REFERENCE = SHARED / "eval" / "score_doc.py"

pytestmark = pytest.mark.skipif(not (GOLD.exists() and REFERENCE.exists()),
                                reason="shared gold data not available")


def _reference(gold_path: Path, out_path: Path) -> dict[str, float]:
    res = subprocess.run([sys.executable, str(REFERENCE), str(gold_path), str(out_path)],
                         capture_output=True, text=True, check=True)
    last = res.stdout.strip().splitlines()[-1]
    assert last.startswith("SCORE ")
    return {k: float(v) for k, v in (kv.split("=") for kv in last.split()[1:])}


def test_recall_figures_agree_with_reference_scorer(tmp_path):
    pipeline = Pipeline()
    compared = 0
    for gp in sorted(GOLD.glob("*.json")):
        g = json.loads(gp.read_text(encoding="utf-8"))
        text = gold.gold_text(g, gp, SHARED / "data")
        out = pipeline(document_from_text(text, source=gp.name)).to_dict()
        out_path = tmp_path / f"{gp.stem}.out.json"
        out_path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
        ref = _reference(gp, out_path)
        c = gold.Counts()
        scorer = gold.Scorer(g, out)
        for part in gold.PARTS:
            getattr(scorer, part)(c)
        for key in ("key_entity_recall", "claim_recall", "event_recall", "role_recall",
                    "geocode_accuracy", "country_code_accuracy",
                    "entity_precision_vs_gold_forms"):
            if key in ref:
                assert round(c.ratio(key), 3) == ref[key], (gp.name, key)
                compared += 1
    assert compared >= 10


def test_scorer_matches_clitic_variants():
    assert gold.form_match("والعراق", ["العراق"])
    assert gold.form_match("بحفتر", ["حفتر"])
    assert not gold.form_match("طرابلس", ["بنغازي"])
