"""Inter-annotator agreement on the corpus: one annotation scored as if it were a system's.

    rasd eval agreement [--gold eval/corpus] [--data ../shared/data] [--json]

Each article of ``eval/corpus/agreement/<annotator>/`` is compared with the same article's
file in ``eval/corpus/test/`` by the corpus scorer (``rasd.eval.corpus_score``), the test
file as gold: the F1 figures are symmetric, so they are the agreement F1 per layer, the
ceiling a system's scores on this corpus should be read against.
"""

from __future__ import annotations

from pathlib import Path

from rasd.document import Claim, Document, Event, Mention, Span
from rasd.eval.corpus import Article, load_article
from rasd.eval.corpus_score import Scores, outermost, score_article


def _sp(d: dict | None) -> Span | None:
    return Span(d["start"], d["end"], d["text"]) if d and "start" in d else None


def as_document(art: Article) -> Document:
    """An annotation as a rasd output: outermost mentions with their entity ids, claims
    and events with entity arguments."""
    doc = Document(text=art.text, id=art.id)
    owner = {(m["start"], m["end"]): e for e, m in art.mentions()}
    flat = outermost([(m["start"], m["end"], e["type"]) for e, m in art.mentions()])
    doc.mentions = [Mention(f"m{i}", a, b, art.text[a:b], t, owner[(a, b)]["id"])
                    for i, (a, b, t) in enumerate(flat, 1)]

    def ent(x: dict | None) -> str | None:
        return x.get("entity") if x else None

    doc.claims = [Claim(c["id"], c.get("source_entity"),
                        c["source"]["text"] if c.get("source") else None, c["anonymous"],
                        _sp(c["cue"]), _sp(c.get("content")), c.get("channel"),
                        stance=c.get("stance", "assert"))
                  for c in art.claims]
    doc.events = [Event(v["id"], v["type"], v.get("mode"), _sp(v["trigger"]), ent(v["actor"]),
                        ent(v["target"]), ent(v["location"]), status=v["status"],
                        negated=v["negated"], claim=v.get("claim"))
                  for v in art.events]
    return doc


def agreement(corpus: Path, data: Path) -> tuple[dict, list[str]]:
    sc = Scores()
    pairs = []
    for second in sorted((corpus / "agreement").glob("*/*.json")):
        first = corpus / "test" / second.name
        if not first.exists():
            continue
        a, b = load_article(first, data), load_article(second, data)
        score_article(sc, a, as_document(b))
        pairs.append(f"{a.id}: {a.data.get('annotator')} vs {b.data.get('annotator')}")
    return sc.report(), pairs
