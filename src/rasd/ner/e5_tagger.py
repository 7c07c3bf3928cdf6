"""The default NER: the fine-tuned encoder's label scores, decoded into rasd mentions.

The encoder stage has already run the network (``doc.encoding.ner_logp``: IOB2 label
log-probabilities per token, read at each token's first piece); this stage decodes each unit
with the IOB2 constraints (Viterbi: I-X only after B-X or I-X) and turns labels into
mentions by the rules every rasd tagger shares (``MentionMaker``: clitics outside the span,
LOC → GPE/LOC/FAC, MISC dropped). The mention score is the mean probability of its labels.
For corpora (``tag_tokens``) it runs the encoder itself on word lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rasd.document import Document, Mention, Token
from rasd.encoder.stage import DEFAULT_MODEL_DIR, EncoderStage
from rasd.encoder.windows import pack, unit_of_words
from rasd.ner.features import analysis_key, token_key
from rasd.ner.labels import chunks, iob2_allows
from rasd.ner.mentions import COMMON_WORDS, MentionMaker


def constraint_matrices(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Additive scores: transitions ``[prev, next]`` and starts (-inf where IOB2 forbids)."""
    n = len(labels)
    trans = np.zeros((n, n))
    start = np.zeros(n)
    for j, lab in enumerate(labels):
        if not iob2_allows(None, lab):
            start[j] = -1e9
        for i, prev in enumerate(labels):
            if not iob2_allows(prev, lab):
                trans[i, j] = -1e9
    return trans, start


def viterbi(logp: np.ndarray, trans: np.ndarray, start: np.ndarray) -> np.ndarray:
    n = len(logp)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    score = logp[0] + start
    back = np.zeros(logp.shape, dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans
        back[t] = cand.argmax(0)
        score = cand[back[t], np.arange(len(score))] + logp[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def crf_label_map(crf_labels: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """``M[i, j]``: the share of CRF label i (BILOU over PER/LOC/ORG/MISC) that goes to label
    j of an encoder head. ANERcorp head: U→B, L→I. News head (rasd types): LOC is split over
    GPE/LOC/FAC later (by the head's own odds, see ``_split_loc``), MISC goes to O."""
    M = np.zeros((len(crf_labels), len(labels)))
    for i, lab in enumerate(crf_labels):
        if lab == "O":
            M[i, 0] = 1
            continue
        p, t = lab.split("-", 1)
        b = {"U": "B", "L": "I"}.get(p, p)
        name = f"{b}-{t}"
        if name in labels:
            M[i, labels.index(name)] = 1
        elif t == "LOC":  # news head: spread over the place types, refined per token
            for typ in ("GPE", "LOC", "FAC"):
                M[i, labels.index(f"{b}-{typ}")] = 1 / 3
        else:  # MISC in the news head
            M[i, 0] = 1
    return M


class E5NerTagger(MentionMaker):
    """Reads ``doc.encoding``; needs the encoder stage before it in the pipeline."""

    _shared: dict[Path, E5NerTagger] = {}

    def __init__(self, model_dir: Path = DEFAULT_MODEL_DIR, propagate: bool = False) -> None:
        MentionMaker.__init__(self, COMMON_WORDS)
        self.encoder = EncoderStage.load(model_dir)
        self.labels = self.encoder.labels
        self.trans, self.start = constraint_matrices(self.labels)
        # the news head speaks rasd's five types; the ANERcorp head PER/LOC/ORG/MISC
        self.rasd_types = self.encoder.head == "news"
        self.propagate = propagate
        # weight of the fast CRF in a product of experts for corpus tagging (tag_tokens);
        # fixed at 0.5 a priori, not tuned on any test set
        self.crf_weight = float(self.encoder.meta.get("crf_weight", 0.5))

    @classmethod
    def load(cls, model_dir: Path | str | None = None) -> E5NerTagger:
        p = Path(model_dir).resolve() if model_dir else DEFAULT_MODEL_DIR
        hit = cls._shared.get(p)
        if hit is None:
            hit = cls._shared[p] = cls(p)
        return hit

    def decode(self, logp: np.ndarray, labels: Sequence[str] | None = None
               ) -> tuple[list[str], np.ndarray]:
        labels = labels or self.labels
        trans, start = (self.trans, self.start) if labels == self.labels else \
            constraint_matrices(labels)
        path = viterbi(logp, trans, start)
        probs = np.exp(logp[np.arange(len(path)), path])
        return [labels[k] for k in path], probs

    def __call__(self, doc: Document) -> None:
        enc = doc.encoding
        if enc is None:
            enc = doc.encoding = self.encoder.encode(doc)
        tokens = doc.tokens
        found: list[tuple[Mention, list[Token], list[int]]] = []
        for unit in enc.units:
            lp = enc.ner_logp[unit]
            if not (lp[:, 1:].max(1) > lp[:, 0] - 4.0).any():
                continue  # nothing near an entity label in this unit: all O
            labels, probs = self.decode(lp)
            for typ, a, b in chunks(labels):
                edges = [tokens[unit[a]]] + ([tokens[unit[b - 1]]] if b - a > 1 else [])
                mention = self._mention(doc, edges, typ, probs[a:b].tolist(),
                                        rasd_types=self.rasd_types)
                if mention is not None:
                    found.append((mention, edges, unit[a:b]))
        mentions = [m for m, _, _ in found]
        if self.propagate:
            starts = getattr(tokens, "starts", None) or [t.start for t in tokens]
            analyses = getattr(tokens, "analyses", None)
            keys = ([analysis_key(a) for a in analyses] if analyses is not None
                    else [token_key(t) for t in tokens])
            mentions += self._propagate(doc, tokens, analyses, list(starts), keys, found)
        mentions.sort(key=lambda m: m.start)
        for i, m in enumerate(mentions, 1):
            m.id = f"m{i}"
        doc.mentions = mentions

    def tag_tokens(self, sentences: Sequence[Sequence[Token | str]], head: str = "aner"
                   ) -> list[list[str]]:
        """IOB2 labels for sentences of words (corpus evaluation: the ANERcorp head by
        default), consecutive sentences packed into windows as at run time."""
        enc = self.encoder
        labels = enc.heads[head]
        words = [[w if isinstance(w, str) else w.text for w in s] for s in sentences]
        units = [unit_of_words(enc.tok, w) for w in words]
        windows = pack(units, enc.max_pieces)
        out_lp = [np.zeros((len(w), len(labels)), np.float32) for w in words]
        for lp in out_lp:
            lp[:, 1:] = -30.0
        B = 32
        for i in range(0, len(windows), B):
            chunk = windows[i:i + B]
            lp, _states, _ = enc._run([w.ids for w in chunk], head)
            for b, w in enumerate(chunk):
                for ui, w0, shift, cnt in w.parts:
                    first = units[ui].first[w0:w0 + cnt]
                    pos = first + shift
                    ok = (first >= 0) & (pos >= 0) & (pos < len(w.ids))
                    idx = np.arange(w0, w0 + cnt)[ok]
                    out_lp[ui][idx] = lp[b, pos[ok] + 1]
        if self.crf_weight > 0:
            crf = self.crf_logp(words, labels)
            w = self.crf_weight
            out_lp = [(1 - w) * a + w * b for a, b in zip(out_lp, crf, strict=True)]
        return [self.decode(lp, labels)[0] for lp in out_lp]

    def crf_logp(self, words: Sequence[Sequence[str]], labels: Sequence[str]
                 ) -> list[np.ndarray]:
        """The fast CRF's label marginals for the same sentences, as log-probabilities over
        an encoder head's labels (a product of the two experts is then decoded)."""
        from itertools import pairwise

        from rasd.ner.tagger import NerTagger

        crf = NerTagger.load()
        with crf._lock:
            crf.emissions.start()
            E, starts = crf.emissions([crf.fx.sentence_infos(w) for w in words])
        P = crf.model.posteriors(E, starts, np.ones(len(starts) - 1, dtype=bool))
        Q = np.log(np.maximum(P @ crf_label_map(crf.model.labels, labels), 1e-9))
        return [Q[a:b] for a, b in pairwise(starts.tolist())]
