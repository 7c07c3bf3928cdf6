"""Score a NER model on ANERcorp, CLEANANERCorp and AQMAR test (entity-level micro P/R/F1).

    rasd eval ner --corpus anercorp|cleananercorp|aqmar [--ner default|fast] [--data PATH]

ANERcorp is scored twice: (a) the official CAMeL-Lab test file as released — the number
comparable with published results — and (b) the same sentences with the first token of each
restored from the original corpus, because the release replaced 922 of 925 first tokens (word
and tag) with words from elsewhere. AQMAR (Wikipedia, out of domain) is scored on the 20 test
articles of LLMeBench's partition, MIS0–MIS3 mapped to MISC. Scores are CoNLL exact-span,
seqeval-compatible (:mod:`rasd.eval.chunks`).
"""

from __future__ import annotations

from pathlib import Path

from rasd.eval.chunks import score
from rasd.ner.data import anercorp, anercorp_test_restored, aqmar

TYPES = ("PER", "LOC", "ORG", "MISC")
CORPORA = ("anercorp", "cleananercorp", "aqmar")


def load_tagger(ner: str | None = None):
    """The tagger of a NER spec: ``default``/``e5`` (fine-tuned encoder) or ``fast``/``crf``."""
    if ner in (None, "default", "e5"):
        from rasd.ner.e5_tagger import E5NerTagger

        return E5NerTagger.load()
    if ner in ("fast", "crf"):
        from rasd.ner.tagger import NerTagger

        return NerTagger.load()
    raise ValueError(f"unknown NER backend {ner!r} for evaluation (default or fast)")


def cleananercorp(data: Path) -> list:
    """CLEANANERCorp's relabelled test (GPL-3.0, used here for evaluation only)."""
    from rasd.ner.data import read_conll

    return read_conll(data / "ner" / "cleananercorp" / "cleananercorp_TEST.txt")


def evaluate(corpus: str, data: Path, tagger=None) -> dict:
    """Scores for ``corpus`` (``anercorp``, ``cleananercorp`` or ``aqmar``) with the shipped
    default (or given) tagger."""
    if tagger is None:
        tagger = load_tagger()
    if corpus == "cleananercorp":
        test = cleananercorp(data)
        return {"clean": _score(tagger, test), "sentences": len(test)}
    if corpus == "anercorp":
        official = anercorp(data, "test")
        restored, changed = anercorp_test_restored(data)
        return {
            "official": _score(tagger, official),
            "restored": _score(tagger, restored),
            "restored_first_tokens": changed,
            "sentences": len(official),
        }
    if corpus == "aqmar":
        test = aqmar(data, "test")
        return {"test": _score(tagger, test), "sentences": len(test)}
    raise ValueError(f"unknown corpus {corpus!r} (anercorp or aqmar)")


def _score(tagger, sents) -> dict:
    pred = tagger.tag_tokens([w for w, _ in sents])
    return score([t for _, t in sents], pred)


def format_report(corpus: str, res: dict) -> str:
    """A plain-text table: one block per test set, overall then per type."""
    names = {"official": "ANERcorp test (official file)",
             "restored": f"ANERcorp test (first tokens restored: "
                         f"{res.get('restored_first_tokens', 0)})",
             "test": "AQMAR test (20 articles)",
             "clean": "CLEANANERCorp test (relabelled)"}
    lines = []
    for key, name in names.items():
        if key not in res:
            continue
        s = res[key]
        lines.append(f"{name}, {res['sentences']} sentences")
        lines.append(f"  {'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}")
        rows = [("overall", s["overall"])] + [(t, s["types"][t]) for t in TYPES
                                              if t in s["types"]]
        for t, v in rows:
            lines.append(f"  {t:<8}{v['p']:8.2f}{v['r']:8.2f}{v['f1']:8.2f}"
                         f"{v['support']:7d}{v['predicted']:7d}")
    return "\n".join(lines)
