"""A one-hidden-layer classifier read from an ``.npz`` (weights trained with torch).

Inputs are dense feature rows (encoder vectors and one-hot/indicator features, concatenated
by the caller); ``probs`` returns softmax probabilities, or sigmoid ones for a single output.
Temperature ``T`` (fitted on held-out data by ``rasd.train``) calibrates the scores.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


class Mlp:
    def __init__(self, path: Path) -> None:
        z = np.load(path, allow_pickle=False)
        self.w1, self.b1 = z["w1"].astype(np.float32), z["b1"].astype(np.float32)
        self.w2, self.b2 = z["w2"].astype(np.float32), z["b2"].astype(np.float32)
        self.mean = z["mean"].astype(np.float32)
        self.scale = z["scale"].astype(np.float32)
        self.T = float(z["T"]) if "T" in z else 1.0
        self.classes = [str(c) for c in z["classes"]]

    @property
    def n_in(self) -> int:
        return self.w1.shape[0]

    def logits(self, X: np.ndarray) -> np.ndarray:
        x = (np.asarray(X, dtype=np.float32) - self.mean) * self.scale
        h = np.maximum(x @ self.w1 + self.b1, 0.0)
        return (h @ self.w2 + self.b2) / self.T

    def probs(self, X: np.ndarray) -> np.ndarray:
        z = self.logits(X)
        if z.shape[1] == 1:
            return 1.0 / (1.0 + np.exp(-z[:, 0]))
        z = z - z.max(1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(1, keepdims=True)
