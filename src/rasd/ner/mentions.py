"""From token labels to rasd mentions, shared by the NER taggers (CRF and encoder).

Mentions follow the offset rule and Arabic word structure: a name glued to a conjunction,
preposition or future prefix starts after it (بحفتر → حفتر), the article stays (الرجمة), a
pronoun suffix on the last word is left out. LOC becomes GPE unless its head word names a
natural feature or area (→ LOC) or a facility (→ FAC), or the whole name is a world region.
Name propagation tags later bare mentions of a name found once (docs/ner.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rasd.document import PREFIX_KINDS, Document, Mention, Token
from rasd.ner.gazetteer import list_lines
from rasd.text.normalize import norm
from rasd.text.tokenize import Analysis

OUTPUT_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "GPE"}
COMMON_WORDS = Path(__file__).resolve().parent / "model" / "common_words.txt"


def _word_set(*names: str) -> frozenset[str]:
    out = set()
    for name in names:
        for line in list_lines(name):
            w = norm(line.split("\t")[0].strip())
            out.add(w)
            if w.startswith("ال") and len(w) > 4:
                out.add(w[2:])
    return frozenset(out)


class MentionMaker:
    """Gazetteer word sets and the label → mention rules (loaded once per tagger)."""

    def __init__(self, common: Path = COMMON_WORDS) -> None:
        self.loc_heads = _word_set("loc_heads.txt")
        self.fac_heads = _word_set("fac_heads.txt")
        self.regions = _word_set("regions.txt")
        self.given = _word_set("given_names.txt", "person_titles.txt")
        self.common = frozenset(
            w for w in (common.read_text(encoding="utf-8").split("\n") if common.exists() else [])
            if w and not w.startswith("#"))

    def _propagate(self, doc: Document, tokens: Sequence[Token],
                   analyses: Sequence[Analysis] | None, starts: list[int], forms: list[str],
                   found: list[tuple[Mention, list[Token], list[int]]]) -> list[Mention]:
        """Later bare mentions of a name the CRF found once in the document.

        A news story names a person in full once (خليفة حفتر) and then by surname alone, often
        with a clitic (وحفتر، قوات حفتر) where the sentence alone gives the CRF little to go on.
        The surname of a multi-word PER mention, and a one-word PER/GPE/LOC mention, are looked
        for in the rest of the document; words that are usually not names in the training
        data (``common_words.txt``: لصالح must not become صالح) and given names are skipped.
        """
        names: dict[str, Mention] = {}
        for m, edges, span in found:  # edges: the first and the last token of the span
            if m.type == "PER" and len(span) >= 2:
                key = self._key(edges[-1])
            elif len(span) == 1 and m.type in ("PER", "GPE", "LOC"):
                key = self._key(edges[0])
            else:
                continue
            if len(key) >= 3 and key not in self.common and key not in self.given:
                names.setdefault(key, m)
        if not names:
            return []
        covered = {starts[k] for _, _, span in found for k in span}
        # _key of each token: from the stem its analysis carries when there is one (norm is
        # memoized), else once per form of this document
        if analyses is not None:
            keys = [norm(a.stem) for a in analyses]
        else:
            by_form: dict[str, str] = {}
            keys = [by_form[f] if f in by_form else by_form.setdefault(f, self._key(t))
                    for f, t in zip(forms, tokens, strict=True)]
        out = []
        for k in [k for k, key in enumerate(keys) if key in names]:
            if starts[k] in covered:
                continue
            src = names[keys[k]]
            m = self._mention(doc, [tokens[k]], "PER" if src.type == "PER" else "LOC", [src.score])
            if m is not None:
                m.type = src.type
                out.append(m)
        return out

    @staticmethod
    def _key(tok: Token) -> str:
        return norm(tok.stem.text)

    def _mention(self, doc: Document, toks: list[Token], typ: str,
                 probs: list[float], rasd_types: bool = False) -> Mention | None:
        """A mention of the tokens ``toks[0] … toks[-1]``; ``typ`` is a tagger class
        (PER/LOC/ORG/MISC: LOC is retyped by head word), or with ``rasd_types`` already one
        of rasd's five types (a tagger trained on them)."""
        out_type = typ if rasd_types else OUTPUT_TYPES.get(typ)
        if out_type is None:  # MISC
            return None
        first, last = toks[0], toks[-1]
        start = first.start
        for seg in first.segments:
            if seg.kind in PREFIX_KINDS:
                start = seg.end
            else:
                break
        end = last.end
        if last.segments and last.segments[-1].kind == "pron" and last.segments[-1].start > start:
            end = last.segments[-1].start
        if end <= start:
            return None
        text = doc.text[start:end]
        if typ == "LOC" and not rasd_types:
            out_type = self._location_type(text, first)
        score = round(sum(probs) / len(probs), 3)
        return Mention(id="", start=start, end=end, text=text, type=out_type, score=score)

    def _location_type(self, text: str, first: Token) -> str:
        whole = norm(text)
        if whole in self.regions or (whole.startswith("ال") and whole[2:] in self.regions):
            return "LOC"
        head = norm(first.stem.text)
        if head in self.fac_heads:
            return "FAC"
        if head in self.loc_heads:
            return "LOC"
        return "GPE"

