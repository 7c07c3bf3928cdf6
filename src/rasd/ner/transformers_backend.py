"""Optional NER backend: a fine-tuned token-classification model from a directory on disk.

``rasd analyze --ner transformers:PATH`` replaces the shipped CRF with any Hugging Face
``AutoModelForTokenClassification`` saved in PATH (e.g. a CAMeLBERT or AraBERT NER model the
user fine-tuned). Nothing is downloaded: the model and tokenizer load with
``local_files_only=True``. Words are rasd's tokens (clitics stay attached, as in ANERcorp);
each word takes the label of its first word piece, and B-/I- runs become mentions whose
character offsets are the tokens' own, with clitic prefixes left out as the CRF does.

Needs the ``transformers`` extra (``pip install 'rasd[transformers]'``); torch is used only
here, never by the default pipeline.
"""

from __future__ import annotations

from pathlib import Path

from rasd.document import PREFIX_KINDS, Document, Mention, Token

TYPE_MAP = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG",
            "ORGANIZATION": "ORG", "GPE": "GPE", "LOC": "GPE", "LOCATION": "GPE", "FAC": "FAC",
            "MISC": "MISC", "MIS": "MISC"}
MAX_WORDS = 200  # words per window; long sentences are cut into windows


class TransformersTagger:
    """A pipeline stage that fills ``doc.mentions`` from a local transformers model."""

    def __init__(self, model, tokenizer, id2label: dict[int, str]) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.id2label = id2label

    @classmethod
    def load(cls, path: str | Path) -> TransformersTagger:
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForTokenClassification, AutoTokenizer
        except ImportError as exc:  # an optional extra: say how to get it
            raise RuntimeError("the transformers NER backend needs `pip install "
                               "'rasd[transformers]'` (transformers and torch)") from exc
        path = Path(path)
        if not path.is_dir():
            raise RuntimeError(f"{path}: not a model directory")
        tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModelForTokenClassification.from_pretrained(path, local_files_only=True)
        model.eval()
        labels = {int(k): v for k, v in model.config.id2label.items()}
        return cls(model, tok, labels)

    def tag_words(self, words: list[str]) -> list[tuple[str, float]]:
        """(label, probability) for each word, from its first word piece."""
        import torch

        out: list[tuple[str, float]] = []
        for lo in range(0, len(words), MAX_WORDS):
            chunk = words[lo:lo + MAX_WORDS]
            enc = self.tokenizer(chunk, is_split_into_words=True, return_tensors="pt",
                                 truncation=True)
            with torch.no_grad():
                probs = self.model(**enc).logits[0].softmax(-1)
            firsts: dict[int, int] = {}
            for piece, word in enumerate(enc.word_ids(0)):
                if word is not None and word not in firsts:
                    firsts[word] = piece
            for w in range(len(chunk)):
                piece = firsts.get(w)
                if piece is None:  # truncated away
                    out.append(("O", 1.0))
                    continue
                p, k = probs[piece].max(-1)
                out.append((self.id2label.get(int(k), "O"), float(p)))
        return out

    def __call__(self, doc: Document) -> None:
        spans = [(s.start, s.end) for s in doc.sentences] or [(0, len(doc.text))]
        mentions: list[Mention] = []
        for a, b in spans:
            toks = doc.tokens_in(a, b)
            if not toks:
                continue
            labels = self.tag_words([t.text for t in toks])
            mentions += _mentions(doc, toks, labels, len(mentions))
        doc.mentions = mentions


def _split(label: str) -> tuple[str, str | None]:
    if label == "O" or "-" not in label:
        return "O", None
    prefix, typ = label.split("-", 1)
    return prefix.upper(), TYPE_MAP.get(typ.upper())


def _mentions(doc: Document, toks: list[Token], labels: list[tuple[str, float]],
              offset: int) -> list[Mention]:
    out: list[Mention] = []
    cur: list[int] = []
    cur_type: str | None = None

    def close() -> None:
        if cur and cur_type and cur_type != "MISC":
            first, last = toks[cur[0]], toks[cur[-1]]
            start = next((g.start for g in first.segments
                          if g.kind not in PREFIX_KINDS), first.start)
            end = last.end
            if start < end:
                score = min(labels[k][1] for k in cur)
                out.append(Mention(f"m{offset + len(out) + 1}", start, end, doc.text[start:end],
                                   cur_type, None, round(score, 4)))

    for k, (label, _p) in enumerate(labels):
        prefix, typ = _split(label)
        if prefix == "I" and typ == cur_type and cur:
            cur.append(k)
            continue
        close()
        cur, cur_type = ([k], typ) if typ else ([], None)
    close()
    return out
