"""Fit the final confidence calibration of the learned claims and events on dev.

    rasd train calibrate [--corpus eval/corpus] [--data ../shared/data]
        [--out src/rasd/learn/model]

A claim's raw score is the product of its cue and source probabilities, an event's of its
trigger, status and actor probabilities: products of separately calibrated classifiers are
not probabilities of the whole being right. This fits, on ``dev`` only, a logistic map from
[logit(raw), came-from-a-rule] to "right" (claims: cue + source; events: trigger + type, the
scorer's matching) and writes it to ``learned.json`` under ``calibration``; the stages apply
it (``LearnedModels.calibrate``). ``test`` is never read; docs/evaluation.md shows the
reliability on both.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rasd.document import Document
from rasd.eval.corpus_score import scored_outcomes
from rasd.learn.stages import LearnedModels


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-2, iters: int = 50
                 ) -> np.ndarray:
    """Weights (last one the bias) of an L2-regularised logistic regression, by Newton."""
    A = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(A.shape[1])
    reg = np.full(A.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-A @ w))
        g = A.T @ (p - y) + reg * w
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def outcomes(arts, pipeline) -> dict[str, list[tuple[float, bool, bool]]]:
    """(raw score, from a rule, right) per scored claim and event of ``arts``."""
    out: dict[str, list[tuple[float, bool, bool]]] = {"claims": [], "events": []}
    for art in arts:
        doc = Document(text=art.text, id=art.id, title=art.record["title"],
                       published=art.record["date"][:10], outlet=art.record.get("outlet"))
        rule_cues: set[int] = set()
        rule_trigs: set[int] = set()
        for stage in pipeline.stages:
            name = type(stage).__name__
            stage(doc)
            if name == "ClaimStage":
                rule_cues = {c.cue.start for c in doc.claims}
            elif name == "EventStage":
                rule_trigs = {v.trigger.start for v in doc.events}
        res = scored_outcomes(art, doc)
        scored_claims = [c for c in doc.claims if c.confidence is not None]
        for c, (raw, ok) in zip(scored_claims, res["claims"], strict=True):
            out["claims"].append((raw, c.cue.start in rule_cues, ok))
        scored_events = [v for v in doc.events if v.confidence is not None]
        for v, (raw, ok) in zip(scored_events, res["events"], strict=True):
            out["events"].append((raw, v.trigger.start in rule_trigs, ok))
    return out


def features(rows: list[tuple[float, bool, bool]]) -> tuple[np.ndarray, np.ndarray]:
    raw = np.clip(np.array([r[0] for r in rows], dtype=float), 1e-6, 1 - 1e-6)
    X = np.stack([np.log(raw / (1 - raw)), np.array([float(r[1]) for r in rows])], axis=1)
    return X, np.array([float(r[2]) for r in rows])


def calibrate_folder(folder: Path, dev: list, log=print) -> dict[str, list[float]]:
    """Fit the calibration of the model in ``folder`` on the ``dev`` articles and write it
    into the folder's ``learned.json``."""
    from rasd.learn.stages import LearnedClaimStage, LearnedEventStage
    from rasd.pipeline import Pipeline

    models = LearnedModels(folder)
    models.calibration = {}  # raw scores while fitting
    pipeline = Pipeline(learned=False)
    stages = []
    for s in pipeline.stages:
        stages.append(s)
        if type(s).__name__ == "ClaimStage":
            stages.append(LearnedClaimStage(models))
        elif type(s).__name__ == "EventStage":
            stages.append(LearnedEventStage(models))
    res = outcomes(dev, Pipeline(stages))
    meta_path = folder / "learned.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["calibration"] = {}
    for layer, rows in res.items():
        if len(rows) < 2 or len({r[2] for r in rows}) < 2:
            log(f"{layer}: too few dev predictions to calibrate ({len(rows)}); raw scores")
            continue
        X, y = features(rows)
        w = fit_logistic(X, y)
        meta["calibration"][layer] = [round(float(x), 5) for x in w]
        log(f"{layer}: {len(rows)} dev predictions, {int(y.sum())} right; "
            f"weights {meta['calibration'][layer]}")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
    LearnedModels._shared.pop(folder.resolve(), None)  # reload with the calibration
    log(f"wrote {meta_path}")
    return meta["calibration"]
