"""Train the learned claim and event decisions on the annotated corpus.

    rasd train claims --corpus eval/corpus --data ../shared/data
        [--out src/rasd/learn/model] [--epochs 40] [--seed 7]

(``rasd train events`` is the same command: one run trains both, as they share the
features.) Every article of ``train`` is analysed by the default pipeline up to the rule
claims and events (their output is a feature); gold spans are aligned to its tokens and
mentions; five small classifiers (cue, source, trigger, role, status) are trained with
torch on the CPU; ``dev`` picks the epoch, fits a temperature per classifier (calibration)
and the decision thresholds, then :mod:`rasd.train.calibrate` fits the final confidence
calibration on dev. ``test`` is never read. Writes the ``.npz`` weights,
``learned.json`` (thresholds, cue words, dev scores) and ``PROVENANCE.md``.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from rasd.document import Document
from rasd.eval.corpus import Article, load_split
from rasd.learn.features import EVENT_CLASSES, ROLES, STATUSES, DocFeatures, candidate_mentions
from rasd.learn.stages import DEFAULT_DIR, cue_rows, role_rows, source_rows, status_row

ARG_TYPES = ("PER", "ORG", "GPE", "FAC", "LOC")


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < d and c < b for c, d in spans)


def rule_pipeline():
    """The default pipeline without the learned stages (their inputs)."""
    from rasd.pipeline import Pipeline

    p = Pipeline(learned=False)
    return p


def examples(arts: list[Article], pipeline, lexicon: frozenset[str], log=print) -> dict:
    """Feature rows and labels of every classifier, from the gold of ``arts``."""
    out: dict[str, list] = {k: [] for k in ("cue_X", "cue_y", "src_X", "src_y", "trig_X",
                                            "trig_y", "role_X", "role_y", "stat_X",
                                            "stat_y", "src_group", "role_group")}
    t0 = time.time()
    group = 0
    for n, art in enumerate(arts, 1):
        doc = Document(text=art.text, id=art.id, title=art.record["title"],
                       published=art.record["date"][:10])
        pipeline(doc)
        f = DocFeatures.build(doc)
        if not f.views:
            continue
        ent_spans: dict[str, list[tuple[int, int]]] = {}
        for e in art.entities:
            ent_spans[e["id"]] = [(m["start"], m["end"]) for m in e["mentions"]]
        mentions = sorted((m for m in doc.mentions if m.type in ARG_TYPES),
                          key=lambda m: m.start)
        X = cue_rows(f, lexicon)
        # cues: the token where a gold cue begins
        y = np.zeros(len(f.views), dtype=np.int64)
        for c in art.claims:
            k = f.token_at(c["cue"]["start"])
            if k >= 0:
                y[k] = 1
                cands = candidate_mentions(f, k, mentions)
                if not cands:
                    continue
                gold_spans = ent_spans.get(c.get("source_entity") or "", [])
                if c.get("source"):
                    gold_spans = gold_spans + [(c["source"]["start"], c["source"]["end"])]
                labels = [int(_overlaps(m.start, m.end, gold_spans)) for m in cands]
                if not any(labels):
                    continue  # the source is no candidate (a description, or far away)
                out["src_X"].append(source_rows(f, k, cands))
                out["src_y"].extend(labels)
                out["src_group"].extend([group] * len(cands))
                group += 1
        out["cue_X"].append(X)
        out["cue_y"].append(y)
        # triggers, roles, status
        ty = np.zeros(len(f.views), dtype=np.int64)
        for ev in art.events:
            k = f.token_at(ev["trigger"]["start"])
            if k < 0:
                continue
            cls = ev["type"]
            if ty[k] == 0:
                ty[k] = EVENT_CLASSES.index(cls)
            cands = candidate_mentions(f, k, mentions)
            if cands:
                lab = []
                for m in cands:
                    r = 0
                    for role in ("actor", "target", "location"):
                        g = ev.get(role)
                        if g and _overlaps(m.start, m.end, ent_spans.get(g["entity"], [])):
                            r = ROLES.index(role)
                            break
                    lab.append(r)
                out["role_X"].append(role_rows(f, k, cls, cands))
                out["role_y"].extend(lab)
                out["role_group"].extend([group] * len(cands))
                group += 1
            out["stat_X"].append(status_row(f, k, cls, lexicon)[None])
            out["stat_y"].append(STATUSES.index(ev["status"]))
        out["trig_X"].append(X)
        out["trig_y"].append(ty)
        if n % 20 == 0:
            log(f"  {n}/{len(arts)} articles ({time.time() - t0:.0f} s)")
    res = {}
    for k, v in out.items():
        if k.endswith("_X"):
            res[k] = np.concatenate(v) if v else np.zeros((0, 1), np.float32)
        elif k in ("cue_y", "trig_y"):
            res[k] = np.concatenate(v) if v else np.zeros(0, np.int64)
        else:
            res[k] = np.asarray(v, dtype=np.int64)
    return res


def fit(X, y, n_classes: int, Xd, yd, epochs: int, seed: int, hidden: int = 128,
        pos_weight: float | None = None, log=print) -> dict:
    """A one-hidden-layer MLP (torch), the epoch with the best dev loss, then a temperature
    fitted on dev (calibration)."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    mean = X.mean(0)
    std = X.std(0)
    scale = np.where(std > 1e-6, 1.0 / np.maximum(std, 1e-6), 1.0).astype(np.float32)
    binary = n_classes == 2
    out_dim = 1 if binary else n_classes
    net = nn.Sequential(nn.Dropout(0.1), nn.Linear(X.shape[1], hidden), nn.ReLU(),
                        nn.Dropout(0.3), nn.Linear(hidden, out_dim))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-3)
    Xt = torch.from_numpy(((X - mean) * scale).astype(np.float32))
    Xdt = torch.from_numpy(((Xd - mean) * scale).astype(np.float32))
    if binary:
        yt = torch.from_numpy(y.astype(np.float32))
        ydt = torch.from_numpy(yd.astype(np.float32))
        pw = torch.tensor(pos_weight if pos_weight else 1.0)
        loss_fn = nn.BCEWithLogitsLoss(pos_weight=pw)

        def loss_of(z, t):
            return loss_fn(z[:, 0], t)
    else:
        yt, ydt = torch.from_numpy(y), torch.from_numpy(yd)
        loss_fn = nn.CrossEntropyLoss()

        def loss_of(z, t):
            return loss_fn(z, t)
    best, best_state, bs = 1e9, None, 256
    g = torch.Generator().manual_seed(seed)
    for ep in range(epochs):
        net.train()
        perm = torch.randperm(len(Xt), generator=g)
        for i in range(0, len(perm), bs):
            idx = perm[i:i + bs]
            opt.zero_grad()
            loss = loss_of(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            dl = float(loss_of(net(Xdt), ydt))
        if dl < best:
            best, best_state = dl, {k: v.clone() for k, v in net.state_dict().items()}
            best_ep = ep
    net.load_state_dict(best_state)
    net.eval()
    with torch.no_grad():
        zd = net(Xdt)
    # temperature: minimise the dev NLL (a 1-D search is enough)
    Ts = np.exp(np.linspace(np.log(0.3), np.log(5.0), 60))
    nll = []
    for T in Ts:
        with torch.no_grad():
            nll.append(float(nn.functional.binary_cross_entropy_with_logits(
                zd[:, 0] / T, ydt) if binary else nn.functional.cross_entropy(zd / T, ydt)))
    T = float(Ts[int(np.argmin(nll))])
    log(f"    best epoch {best_ep + 1}, dev loss {best:.4f}, temperature {T:.2f}")
    lin1, lin2 = net[1], net[4]
    return {"w1": lin1.weight.detach().numpy().T.copy(), "b1": lin1.bias.detach().numpy(),
            "w2": lin2.weight.detach().numpy().T.copy(), "b2": lin2.bias.detach().numpy(),
            "mean": mean.astype(np.float32), "scale": scale, "T": np.float32(T)}


def cue_words(arts: list[Article]) -> list[str]:
    """Cue words of the training gold (normalized, without و/ف), seen at least twice."""
    from rasd.text.normalize import norm

    c = Counter()
    for a in arts:
        for cl in a.claims:
            w = norm(cl["cue"]["text"].split()[0])
            c[w] += 1
    return sorted(w for w, n in c.items() if n >= 2)


def train_all(corpus: Path, data: Path, out: Path = DEFAULT_DIR, epochs: int = 40,
              seed: int = 7, limit: int = 0) -> Path:
    """Train the five classifiers on ``corpus``'s train split, pick on dev, write ``out``.

    ``limit`` keeps the first N train articles (and a quarter as many dev ones: tests).
    """
    import torch

    torch.set_num_threads(2)
    train = load_split(corpus, "train", data)
    dev = load_split(corpus, "dev", data)
    if limit:
        train, dev = train[: limit], dev[: max(2, limit // 4)]
    lex = frozenset(cue_words(train))
    pipe = rule_pipeline()
    print(f"features: {len(train)} train, {len(dev)} dev articles")
    tr = examples(train, pipe, lex)
    dv = examples(dev, pipe, lex)
    out.mkdir(parents=True, exist_ok=True)
    specs = {"cue": ("cue", 2, ["no", "cue"]), "source": ("src", 2, ["no", "source"]),
             "trigger": ("trig", len(EVENT_CLASSES), list(EVENT_CLASSES)),
             "role": ("role", len(ROLES), list(ROLES)),
             "status": ("stat", len(STATUSES), list(STATUSES))}
    counts = {}
    for name, (key, n, classes) in specs.items():
        X, y, Xd, yd = tr[f"{key}_X"], tr[f"{key}_y"], dv[f"{key}_X"], dv[f"{key}_y"]
        counts[name] = {"train_rows": int(len(y)), "dev_rows": int(len(yd)),
                        "train_positive": int((y > 0).sum())}
        print(f"  {name}: {len(y)} rows ({int((y > 0).sum())} positive), dev {len(yd)}")
        pw = float((y == 0).sum() / max(1, (y == 1).sum())) ** 0.5 if n == 2 else None
        w = fit(X, y, n, Xd, yd, epochs, seed, pos_weight=pw)
        np.savez_compressed(out / f"{name}.npz", classes=np.array(classes), **w)
    # Chosen on dev (docs/evaluation.md): a token is a trigger when P(not O) >= 0.3 (typed
    # token F1 0.38 vs 0.35 at 0.5), a cue when P >= 0.7 (cue F1 0.76 vs 0.72 at 0.5); the
    # rule's source is kept where the rule found one and the rule's status where a rule event
    # exists (both measured better than the classifier's on dev).
    # A trigger only the model found takes the rules' status cues (dev status accuracy 0.758
    # vs 0.653 with the status classifier); the encoder's event head, when there is one, is
    # not mixed in (it did not help on dev, docs/ner.md).
    # Roles: an actor when P >= 0.4, a target or a place when P >= 0.3 (dev, 2026-12-04:
    # target F1 0.367 -> 0.436, place 0.493 -> 0.597, actor unchanged; one threshold for all
    # three kept the recall of targets and places low).
    meta = {"thresholds": {"cue": 0.7, "source": 0.3, "trigger": 0.3, "role": 0.4,
                           "role_target": 0.3, "role_location": 0.3,
                           "replace_rule_source": False, "rule_status": True,
                           "rule_status_everywhere": True},
            "cue_words": sorted(lex), "counts": counts,
            "data": {"train": len(train), "dev": len(dev)}}
    (out / "learned.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1)
                                           + "\n", encoding="utf-8")
    print(f"wrote {out}")
    from rasd.train.calibrate import calibrate_folder

    calibrate_folder(out, dev)  # the final scores' calibration, on dev
    return out
