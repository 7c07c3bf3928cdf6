"""Build the segmenter's word-frequency lexicon from the unlabeled and labeled text in shared data.

Run as ``rasd train vocab [--data PATH]``. Counts normalized (taa-preserving) Arabic word forms
in ANERcorp *train* (never its test file), AQMAR and the SaudiNewsNet news files, keeps forms
seen at least ``min_count`` times, and writes ``resources/segmenter/vocab.tsv`` plus its
PROVENANCE.md. NewsFANE is left out because it re-annotates ANERcorp test text.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rasd.resources import path as resource_path
from rasd.text.normalize import Normalizer
from rasd.text.tokenize import TOKEN_RE

SOURCES = (
    ("ner/anercorp/ANERCorp_CamelLab_train.txt", "conll",
     "ANERcorp (CAMeL Lab train split), CC BY-SA 4.0"),
    ("ner/aqmar", "conll-dir", "AQMAR Arabic Wikipedia NE corpus, CC BY-SA 3.0"),
    ("news/saudinewsnet-2015.jsonl", "jsonl", "SaudiNewsNet (sample), CC BY-NC-SA 4.0"),
    ("news/saudinewsnet-conflict.jsonl", "jsonl", "SaudiNewsNet (conflict), CC BY-NC-SA 4.0"),
)


def _texts(data: Path, rel: str, kind: str) -> Iterator[str]:
    p = data / rel
    if kind == "conll":
        with p.open(encoding="utf-8-sig") as fh:
            for line in fh:
                if line.strip():
                    yield line.rsplit(" ", 1)[0]
    elif kind == "conll-dir":
        for f in sorted(p.glob("*.txt")):
            yield from _texts(data, str(f.relative_to(data)), "conll")
    else:
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                yield rec.get("title") or ""
                yield rec.get("text") or ""


def build(data: Path, out: Path | None = None, min_count: int = 2) -> dict[str, int]:
    norm = Normalizer(fold_taa=False)
    counts: Counter[str] = Counter()
    used = []
    for rel, kind, credit in SOURCES:
        if not (data / rel).exists():
            continue
        used.append(credit)
        for text in _texts(data, rel, kind):
            for m in TOKEN_RE.finditer(text):
                if m.lastgroup == "ar":
                    counts[norm.text(m.group())] += 1
    if not used:
        raise FileNotFoundError(f"no training text found under {data}")
    vocab = {w: c for w, c in counts.items() if c >= min_count}
    out = out or resource_path("segmenter")
    out.mkdir(parents=True, exist_ok=True)
    with (out / "vocab.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# normalized word form<TAB>count; built by `rasd train vocab`\n")
        for w, c in sorted(vocab.items(), key=lambda x: (-x[1], x[0])):
            fh.write(f"{w}\t{c}\n")
    (out / "PROVENANCE.md").write_text(
        "# Segmenter lexicon (vocab.tsv)\n\n"
        "Word-form frequencies (normalized, taa marbuta kept), forms seen at least "
        f"{min_count} times: {len(vocab):,} forms from {sum(counts.values()):,} tokens.\n\n"
        "Built by `rasd train vocab --data ../shared/data` from:\n\n"
        + "".join(f"- {c}\n" for c in used)
        + "\nNewsFANE and the ANERcorp test file are not used.\n\n"
        "**Licence.** A frequency list derived from these corpora. Because one source is "
        "CC BY-NC-SA 4.0 (SaudiNewsNet: research, non-commercial use), this list is "
        "distributed under CC BY-NC-SA 4.0 terms, with attribution to the sources above. "
        "`vocab.tsv` contains no running text, only word forms and counts.\n",
        encoding="utf-8",
    )
    return vocab
