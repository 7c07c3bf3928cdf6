"""Same input, same output, whatever ran before it in the process (issue #21.5): an article
analysed alone, after others, and in another order gives the same full JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# snn-01912 once lost the name يوهانس فان در كلاوو when analysed after snn-01822.
IDS = ("snn-01822", "snn-01912", "snn-00017", "snn-00480", "snn-01000", "snn-02500")


def _analyse(path, mode: str) -> dict[str, dict]:
    args = [sys.executable, "-m", "rasd", "analyze", str(path), "--format", "jsonl"]
    if mode == "fast":
        args.append("--fast")
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=600).stdout
    docs = {}
    for line in out.splitlines():
        d = json.loads(line)
        d["document"].pop("source")  # the file and line number it came from
        docs[d["document"]["id"]] = d
    return docs


@pytest.mark.parametrize("mode", ["fast", "default"])
def test_an_article_alone_after_others_and_reordered_is_the_same(tmp_path, shared, mode):
    corpus = shared("data/news/saudinewsnet-2015.jsonl")
    lines = {}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            rid = json.loads(line)["id"]
            if rid in IDS:
                lines[rid] = line
    assert len(lines) == len(IDS)
    forward = tmp_path / "forward.jsonl"
    forward.write_text("".join(lines[i] for i in IDS), encoding="utf-8")
    backward = tmp_path / "backward.jsonl"
    backward.write_text("".join(lines[i] for i in reversed(IDS)), encoding="utf-8")
    alone = tmp_path / "alone.jsonl"
    alone.write_text(lines["snn-01912"], encoding="utf-8")
    a, b = _analyse(forward, mode), _analyse(backward, mode)
    assert set(a) == set(b) == set(IDS)
    for rid in IDS:
        assert a[rid] == b[rid], rid
    assert _analyse(alone, mode)["snn-01912"] == a["snn-01912"]
