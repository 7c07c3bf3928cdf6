"""Accuracy of the clitic segmenter against clitic-split gold derived from NewsFANE.

    rasd eval segmentation [--data ../shared/data] [--json]

**Gold.** NewsFANE Gold (``ner/newsfane``) re-annotates ANERcorp newswire and writes clitics as
separate tokens (``و الصادرات``, ``ف ان ه``, ``زوجة ه``) with the article ال left attached and
normalised spelling. ANERcorp (``ner/anercorp/ANERCorp_Benajiba.txt``) has the same text as
whole words (``والصادرات``). NewsFANE tokens are regrouped into words (a one-letter proclitic
token و ف ب ل ك س joins the next token, a pronoun token ه ها هم … joins the previous one; a stem
restored to ة before a suffix is spelled ت again, ل + ال is spelled لل), and an ANERcorp word
takes its gold from NewsFANE only when it, its left and its right neighbour all equal
consecutive regrouped NewsFANE words (normalized: no diacritics, alef and yaa folded), and every
NewsFANE place with that three-word context splits the word the same way. Regrouping by a wrong
rule gives a word that matches nothing, so it costs coverage, never a wrong gold.

**What the gold annotates.** Conjunctions و/ف and pronoun suffixes are split consistently.
Prepositions are not: ب/ل are split mostly off *names* (بالقاهرة → ب القاهرة) and off verbs
(لتصل → ل تصل), rarely off common nouns (بشكل, لمدة stay whole), ك and future س almost never,
لل never. Hence two comparisons, both on split points of the normalized word:

- **main** (all words): conjunction and pronoun-suffix split points only; preposition, future
  and article pieces are merged into the stem on both sides (rasd ``و|ب|ال|رجمة`` is compared
  as ``و|بالرجمة``).
- **prep** (words NewsFANE tags as part of a name, except لل-words): conjunction, preposition
  and suffix split points (ب/ل/ك on names: بحفتر → ب حفتر, بغداد whole); article and future
  merged.

Baselines: *never split*, and *naive*: strip one leading و/ف (conjunction) then one ب/ل/ك
(preposition) whenever at least two letters remain.

**Leakage.** The segmenter lexicon counts ANERcorp *train* words, and most NewsFANE text is
ANERcorp text. Figures are also given for the words that fall in the part of ANERcorp that
forms the CAMeL *test* file (its last sixth), which the lexicon never saw.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rasd.text.normalize import Normalizer
from rasd.text.tokenize import TOKEN_RE, Piece, Segmenter

NEWSFANE = "ner/newsfane/NewsFANE_Gold_2014_170K.txt"
ANERCORP = "ner/anercorp/ANERCorp_Benajiba.txt"
ANERCORP_TEST = "ner/anercorp/ANERCorp_CamelLab_test.txt"

PROCLITICS = frozenset("وفبلكس")
CONJ = frozenset("وف")
PREP = frozenset("بلك")
ENCLITICS = frozenset(("ه", "ها", "هم", "هما", "هن", "كم", "كما", "كن", "نا", "ني", "ي", "ك"))
_PUNCT = frozenset('.،,"():؟-')
_PUNCT_KEY = {",": "،", "·": ".", "•": ".", ";": "؛", "?": "؟"}

_KEY = Normalizer(fold_taa=False)  # the lexicon's view: alef and yaa folded, ة kept
_DIGIT = re.compile(r"\d")

Splits = frozenset[tuple[int, str]]  # (offset in the normalized word, kind of the split)


@dataclass(frozen=True, slots=True)
class GoldWord:
    index: int  # position in ANERCorp_Benajiba.txt
    surface: str  # the ANERcorp word as written
    key: str  # normalized word (offsets below refer to it)
    segments: tuple[str, ...]  # NewsFANE pieces, normalized
    splits: Splits  # every gold split point: (offset, "conj" | "prep" | "pron")
    entity: bool  # NewsFANE tags the word's stem as part of a name
    test: bool  # in the part of ANERcorp that is the CAMeL test file


@cache
def _key(token: str) -> str:
    k = _KEY.text(token)
    if _DIGIT.search(k):
        k = k.replace(".", "").replace(",", "")
    return _PUNCT_KEY.get(k, k)


def _read_newsfane(path: Path) -> tuple[list[str], list[str]]:
    tokens, tags = [], []
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.replace("\u200e", "").strip()
            if not line:
                continue
            tok, _, tag = line.partition("\t")
            tokens.append(tok.strip())
            tags.append(tag.strip() or "O")
    return tokens, tags


def _read_anercorp(path: Path) -> list[str]:
    words = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if parts:
                words.append(parts[0])
    return words


def _test_start(words: list[str], test_file: Path) -> int:
    """Index in ``words`` where the CAMeL test file begins (last sixth if not found).

    The test file's sentence-initial tokens were replaced in the release, so it is located by
    a run of tokens from inside its first sentence.
    """
    if test_file.exists():
        test = _read_anercorp(test_file)[1:13]
        n = len(test)
        for i in range(len(words) - n, 0, -1):
            if words[i:i + n] == test:
                return i - 1
    return len(words) * 5 // 6


def _regroup(tokens: list[str]) -> list[list[int]]:
    """NewsFANE token indices grouped into words: proclitics forward, enclitics back."""
    words: list[list[int]] = []
    i, n = 0, len(tokens)
    while i < n:
        group = []
        while i < n - 1 and tokens[i] in PROCLITICS and tokens[i + 1] not in _PUNCT:
            group.append(i)
            i += 1
        group.append(i)
        i += 1
        while i < n and tokens[i] in ENCLITICS and len(tokens[group[-1]]) > 1:
            group.append(i)
            i += 1
        words.append(group)
    return words


def _join(segments: list[str]) -> tuple[str, Splits]:
    """Spell regrouped pieces as the whole word is written; split points with their kind."""
    word = ""
    splits = set()
    k = 0
    while k < len(segments) - 1 and len(segments[k]) == 1 and segments[k] in PROCLITICS:
        kind = "conj" if k == 0 and segments[k] in CONJ else "prep"
        word += segments[k]
        splits.add((len(word), kind))
        k += 1
    last = len(segments)
    while last - 1 > k and segments[last - 1] in ENCLITICS:
        last -= 1
    stem = "".join(segments[k:last])
    if word.endswith("ل") and stem.startswith("ال") and k and segments[k - 1] == "ل":
        stem = stem[1:]  # ل + الاتحاد is written للاتحاد
    if last < len(segments) and stem.endswith("ة"):
        stem = stem[:-1] + "ت"  # زوجة + ه is written زوجته
    word += stem
    for suffix in segments[last:]:
        splits.add((len(word), "pron"))
        word += suffix
    return word, frozenset(splits)


def build_gold(data: Path) -> list[GoldWord]:
    """ANERcorp words with their confidently aligned NewsFANE segmentation."""
    nf_tokens, nf_tags = _read_newsfane(data / NEWSFANE)
    keys = [_key(t) for t in nf_tokens]
    groups = _regroup(keys)
    joined = [_join([keys[i] for i in g]) for g in groups]
    words = [w for w, _ in joined]
    by_context: dict[tuple[str, str, str], set] = defaultdict(set)
    for j in range(1, len(groups) - 1):
        g = groups[j]
        stem = next((i for i in g if keys[i] not in PROCLITICS), g[-1])
        segs = tuple(keys[i] for i in g)
        by_context[words[j - 1], words[j], words[j + 1]].add(
            (segs, joined[j][1], nf_tags[stem] != "O"))
    aner = _read_anercorp(data / ANERCORP)
    akeys = [_key(w) for w in aner]
    test_start = _test_start(aner, data / ANERCORP_TEST)
    gold = []
    for i in range(1, len(aner) - 1):
        hits = by_context.get((akeys[i - 1], akeys[i], akeys[i + 1]))
        if not hits or len({(s, sp) for s, sp, _ in hits}) != 1:
            continue
        m = TOKEN_RE.fullmatch(aner[i])
        if m is None or m.lastgroup != "ar":
            continue
        segs, splits, _ = next(iter(hits))
        entity = any(e for _, _, e in hits)
        gold.append(GoldWord(i, aner[i], akeys[i], segs, splits, entity, i >= test_start))
    return gold


# --- comparison -------------------------------------------------------------------------------

def rasd_splits(pieces: Iterable[Piece]) -> Splits:
    """Split points of a segmentation, article and future pieces merged into the stem."""
    pieces = list(pieces)
    out = set()
    for p in pieces[:-1]:
        if p.kind in ("conj", "prep"):
            out.add((p.end, p.kind))
    for p in pieces[1:]:
        if p.kind == "pron":
            out.add((p.start, "pron"))
    return frozenset(out)


def never_split(surface: str) -> Splits:
    return frozenset()


def naive_split(surface: str) -> Splits:
    """Baseline: strip one leading و/ف, then one ب/ل/ك, whenever two letters remain."""
    return naive_splits(_key(surface))


def naive_splits(word: str) -> Splits:
    out = set()
    i = 0
    if word[:1] in CONJ and len(word) - 1 >= 2:
        out.add((1, "conj"))
        i = 1
    if word[i:i + 1] in PREP and len(word) - i - 1 >= 2:
        out.add((i + 1, "prep"))
    return frozenset(out)


def main_view(splits: Splits) -> Splits:
    """The main comparison: conjunction and pronoun split points only."""
    return frozenset(s for s in splits if s[1] != "prep")


def prep_view(splits: Splits) -> Splits:
    """The preposition comparison: every split point."""
    return splits


def is_prep_word(g: GoldWord) -> bool:
    """Words for the preposition comparison: names, but not لل-words (NewsFANE keeps them)."""
    rest = g.key[1:] if any(s == (1, "conj") for s in g.splits) else g.key
    return g.entity and not rest.startswith("لل")


@dataclass
class Score:
    words: int = 0
    correct: int = 0
    split_words: int = 0
    split_correct: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: Splits, pred: Splits, n: int = 1) -> None:
        ok = n if gold == pred else 0
        self.words += n
        self.correct += ok
        if gold:
            self.split_words += n
            self.split_correct += ok
        g, p = {o for o, _ in gold}, {o for o, _ in pred}
        self.tp += n * len(g & p)
        self.fp += n * len(p - g)
        self.fn += n * len(g - p)

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return {
            "words": self.words,
            "accuracy": _ratio(self.correct, self.words),
            "split_words": self.split_words,
            "accuracy_split_words": _ratio(self.split_correct, self.split_words),
            "accuracy_whole_words": _ratio(self.correct - self.split_correct,
                                           self.words - self.split_words),
            "split_precision": round(p, 4),
            "split_recall": round(r, 4),
            "split_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def error_type(gold: Splits, pred: Splits) -> str:
    """A short name for how ``pred`` differs from ``gold`` (they differ)."""
    parts = []
    for kind in ("conj", "prep", "pron"):
        g = {o for o, k in gold if k == kind}
        p = {o for o, k in pred if k == kind}
        if g == p:
            continue
        if g and p:
            parts.append(f"{kind} at wrong place")
        elif p:
            parts.append(f"{kind} split, gold whole")
        else:
            parts.append(f"{kind} missed")
    return " + ".join(parts) or "kind differs"


def _show(key: str, splits: Splits) -> str:
    cuts = sorted({o for o, _ in splits})
    bounds = [0, *cuts, len(key)]
    return "+".join(key[a:b] for a, b in zip(bounds, bounds[1:], strict=False))


def evaluate(gold: list[GoldWord], segment: Callable[[str], Splits],
             view: Callable[[Splits], Splits]) -> tuple[dict, Counter, dict]:
    """Scores overall / rest / test, and error types with example words."""
    scores = {"all": Score(), "rest": Score(), "test": Score()}
    errors: Counter = Counter()
    examples: dict[str, Counter] = defaultdict(Counter)
    distinct = Counter((g.surface, g.key, g.splits, g.test) for g in gold)
    for (surface, key, splits, test), n in distinct.items():
        gs, ps = view(splits), view(segment(surface))
        for name in ("all", "test" if test else "rest"):
            scores[name].add(gs, ps, n)
        if gs != ps:
            kind = error_type(gs, ps)
            errors[kind] += n
            examples[kind][f"{_show(key, ps)} (gold {_show(key, gs)})"] += n
    return {k: s.as_dict() for k, s in scores.items()}, errors, examples


class RasdSplitter:
    """rasd's Segmenter on one word, as split points in the key's coordinates."""

    def __init__(self, segmenter: Segmenter | None = None) -> None:
        self.segmenter = segmenter or Segmenter.default()

    def __call__(self, surface: str) -> Splits:
        view = self.segmenter.norm.text(surface)
        return rasd_splits(self.segmenter.pieces(view))


def run(data: Path, segmenter: Segmenter | None = None) -> dict:
    """All figures as a dict (no printing)."""
    gold = build_gold(data)
    rasd = RasdSplitter(segmenter)
    prep_gold = [g for g in gold if is_prep_word(g)]
    arabic = sum(1 for w in _read_anercorp(data / ANERCORP)
                 if (m := TOKEN_RE.fullmatch(w)) and m.lastgroup == "ar")
    out: dict = {
        "anercorp_arabic_words": arabic,
        "gold_words": len(gold),
        "gold_words_test_part": sum(g.test for g in gold),
        "gold_split_words": sum(bool(main_view(g.splits)) for g in gold),
    }
    for name, fn in (("rasd", rasd), ("never_split", never_split), ("naive", naive_split)):
        main_scores, errors, examples = evaluate(gold, fn, main_view)
        prep_scores, perrors, pexamples = evaluate(prep_gold, fn, prep_view)
        out[name] = {"main": main_scores, "prep": prep_scores}
        if name == "rasd":
            out["errors"] = _top_errors(errors, examples)
            out["prep_errors"] = _top_errors(perrors, pexamples)
    # Recall of the preposition splits the gold does make, on all words.
    made = [g for g in gold if any(k == "prep" for _, k in g.splits)]
    hit = sum({s for s in g.splits if s[1] == "prep"} <= rasd(g.surface) for g in made)
    out["gold_prep_splits_found"] = {"words": len(made), "recall": _ratio(hit, len(made))}
    return out


def _top_errors(errors: Counter, examples: dict[str, Counter], n: int = 12,
                k: int = 8) -> list[dict]:
    return [{"type": t, "count": c,
             "examples": [f"{w} ×{m}" for w, m in examples[t].most_common(k)]}
            for t, c in errors.most_common(n)]


def print_report(res: dict) -> None:
    """The figures of :func:`run` as the tables docs/evaluation.md quotes."""
    print(f"gold words: {res['gold_words']:,} of {res['anercorp_arabic_words']:,} Arabic words "
          f"in ANERcorp confidently aligned with NewsFANE ({res['gold_split_words']:,} split "
          f"by the gold in the main view; {res['gold_words_test_part']:,} in the CAMeL-test "
          "part, the rest overlaps the lexicon's training text)")
    head = (f"{'':22}{'words':>8}{'acc':>8}{'acc split':>10}{'acc whole':>10}"
            f"{'P':>8}{'R':>8}{'F1':>8}")
    for view in ("main", "prep"):
        title = {"main": "main view: conjunction + pronoun-suffix split points",
                 "prep": "prep view: names (NewsFANE entity words, no لل), with ب/ل/ك"}[view]
        print(f"\n{title}\n{head}")
        for name in ("rasd", "never_split", "naive"):
            for part in ("all", "rest", "test"):
                s = res[name][view][part]
                print(f"{name + ' / ' + part:22}{s['words']:>8,}{s['accuracy']:>8.2%}"
                      f"{s['accuracy_split_words']:>10.2%}{s['accuracy_whole_words']:>10.2%}"
                      f"{s['split_precision']:>8.2%}{s['split_recall']:>8.2%}"
                      f"{s['split_f1']:>8.2%}")
    found = res["gold_prep_splits_found"]
    print(f"\npreposition splits made by the gold (all words): {found['words']:,}, "
          f"found by rasd: {found['recall']:.2%}")
    for title, key in (("main", "errors"), ("prep", "prep_errors")):
        print(f"\nmost frequent rasd errors ({title} view): rasd split (gold split) ×count")
        for e in res[key]:
            print(f"  {e['count']:>5}  {e['type']}: " + ", ".join(e["examples"]))
