"""Readers for the NER corpora in ``shared/data/ner`` (CoNLL ``word tag`` lines).

Tags come back in one IOB2 vocabulary, ``{B,I}-{PER,LOC,ORG,MISC}`` and ``O``, so training and
scoring never see corpus-specific spellings (ANERcorp says ``PERS``; AQMAR has article-specific
``MIS0..MIS3`` and a handful of malformed tags, repaired the way Stanza's converter does).
"""

from __future__ import annotations

from pathlib import Path

Sentence = tuple[list[str], list[str]]

AQMAR_DEV = ("Damascus", "Atom", "Raul_Gonzales", "Linux", "Imam_Hussein_Shrine",
             "Nuclear_Power", "Real_Madrid", "Solaris")
_TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
# Typos in the original ANERcorp file (ANERCorp_Benajiba.txt), fixed as CAMeL Lab did.
_ANER_TYPOS = {"o": "O", ".O": "O", "B-ERS": "B-PERS", "I-PRG": "I-ORG", "B-PERs": "B-PERS",
               "B-ORF": "B-ORG", "IPERS": "I-PERS", "b-misc": "B-MISC", "B-LOCI-PERS": "B-LOC",
               "B-OEG": "B-ORG", "i-misc": "I-MISC", "B-PRG": "B-ORG", "B-MSIC": "B-MISC"}


def anercorp_tag(tag: str) -> str:
    """ANERcorp tag → rasd IOB2 tag (PERS → PER; typos of the original file repaired)."""
    tag = _ANER_TYPOS.get(tag, tag)
    if tag == "O" or len(tag) < 3 or tag[1] != "-":
        return "O"
    typ = _TYPES.get(tag[2:])
    return f"{tag[0]}-{typ}" if typ and tag[0] in "BI" else "O"


def aqmar_tag(tag: str) -> str:
    """AQMAR tag → IOB2 as Stanza converts it: MIS* → MISC, ``I--ORG`` → I-ORG, others → O."""
    tag = tag.strip("`")
    if tag.startswith(("B-", "I-")):
        typ = tag[2:].lstrip("-")
        if typ.startswith("MIS"):
            return tag[0] + "-MISC"
        if typ in ("PER", "LOC", "ORG"):
            return f"{tag[0]}-{typ}"
    return "O"


def read_conll(path: Path, fix=anercorp_tag, encoding: str = "utf-8-sig") -> list[Sentence]:
    """Sentences of a ``word tag`` file; blank lines separate sentences."""
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding=encoding) as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if words:
                    out.append((words, tags))
                    words, tags = [], []
                continue
            if len(parts) == 1:  # a tag with no word (stray control characters): skip
                continue
            words.append(" ".join(parts[:-1]))
            tags.append(fix(parts[-1]))
    if words:
        out.append((words, tags))
    return out


def anercorp(data: Path, split: str) -> list[Sentence]:
    """ANERcorp CAMeL Lab split ``train`` or ``test`` (the official files, as they are)."""
    return read_conll(data / "ner" / "anercorp" / f"ANERCorp_CamelLab_{split}.txt")


def aqmar(data: Path, part: str) -> list[Sentence]:
    """AQMAR ``dev`` (8 articles) or ``test`` (the other 20), per LLMeBench's partition."""
    folder = data / "ner" / "aqmar"
    files = sorted(p for p in folder.glob("*.txt") if p.name != "SOURCE.md")
    chosen = [p for p in files if (p.stem in AQMAR_DEV) == (part == "dev")]
    out: list[Sentence] = []
    for p in chosen:
        out.extend(read_conll(p, fix=aqmar_tag))
    return out


def _original_tokens(data: Path) -> list[tuple[str, str]]:
    """``(word, tag)`` lines of ANERCorp_Benajiba.txt, tags repaired."""
    out = []
    with (data / "ner" / "anercorp" / "ANERCorp_Benajiba.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.replace("\u200f", "").split()
            if len(parts) < 2:
                out.append((parts[0] if parts else "", "O"))
                continue
            out.append((" ".join(parts[:-1]), anercorp_tag(parts[-1])))
    return out


def anercorp_test_restored(data: Path) -> tuple[list[Sentence], int]:
    """The test split with each sentence's first token (word and tag) taken from the original.

    The official test file replaced the first token of 922 of its 925 sentences (see
    ``shared/data/ner/anercorp/SOURCE.md``). Each sentence's tokens after the first are found,
    in order, in the original corpus; the original token just before them is the true first
    token. Returns the repaired sentences and how many first tokens changed.
    """
    test = anercorp(data, "test")
    orig = _original_tokens(data)
    key = [w.replace("\u200f", "") for w, _ in orig]
    pos = 0
    changed = 0
    out: list[Sentence] = []
    for words, tags in test:
        # Sentence ends got extra "." tokens in the split files: match on the first few words,
        # then walk the rest of the sentence along the original to find where it ends.
        rest = [w.replace("\u200f", "") for w in words[1:]]
        core = list(rest)
        while core and core[-1] == ".":
            core.pop()
        if core:
            hit = _find(key, core[:4], pos)
        elif pos + 1 < len(key) and key[pos + 1] == ".":  # "X ." fragments (أ . ف . ب)
            hit = pos + 1
        else:
            hit = -1
        if hit <= 0:
            out.append((list(words), list(tags)))
            continue
        w0, t0 = orig[hit - 1]
        pos = hit
        for w in rest:
            if pos < len(key) and key[pos] == w:
                pos += 1
        if w0 == words[0]:  # same word: keep the split file's (repaired) tag
            t0 = tags[0]
        if w0 and (w0, t0) != (words[0], tags[0]):
            changed += 1
            words, tags = [w0, *words[1:]], [t0, *tags[1:]]
        out.append((list(words), list(tags)))
    return out, changed


def _find(seq: list[str], sub: list[str], start: int) -> int:
    """Index of the first occurrence of ``sub`` in ``seq`` at or after ``start`` (-1 if none)."""
    n = len(sub)
    first = sub[0]
    i = start
    while True:
        try:
            i = seq.index(first, i)
        except ValueError:
            return -1
        if seq[i:i + n] == sub:
            return i
        i += 1
