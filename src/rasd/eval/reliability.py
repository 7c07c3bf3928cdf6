"""Calibration of the learned stages' confidences: reliability tables and plot.

    rasd eval reliability --gold eval/corpus/dev --gold eval/corpus/test \
        [--data ../shared/data] [--svg docs/img/reliability.svg]

For each scored claim and event of the corpus folders, the scorer's matching says whether it
is right (``rasd.eval.corpus_score.scored_outcomes``); predictions are binned by confidence
(ten equal-width bins) and each bin's mean confidence is set against its accuracy. A
calibrated score lies on the diagonal; the expected calibration error (ECE) is the
count-weighted mean gap. Prints Markdown tables; with ``--svg`` draws the reliability plot.
"""

from __future__ import annotations

from pathlib import Path

BINS = 10


def bins(pairs: list[tuple[float, bool]], n: int = BINS) -> list[dict[str, float | int]]:
    """Equal-width bins over [0, 1]: count, mean confidence, accuracy (empty bins left out)."""
    out = []
    for b in range(n):
        lo, hi = b / n, (b + 1) / n
        xs = [(c, ok) for c, ok in pairs if lo <= c < hi or (b == n - 1 and c == 1.0)]
        if xs:
            out.append({"lo": lo, "hi": hi, "n": len(xs),
                        "conf": sum(c for c, _ in xs) / len(xs),
                        "acc": sum(ok for _, ok in xs) / len(xs)})
    return out


def ece(pairs: list[tuple[float, bool]], n: int = BINS) -> float:
    """Expected calibration error: Σ (n_b / N) |accuracy_b − confidence_b|."""
    total = len(pairs)
    if not total:
        return 0.0
    return sum(b["n"] / total * abs(b["acc"] - b["conf"]) for b in bins(pairs, n))


def table(name: str, pairs: list[tuple[float, bool]]) -> str:
    lines = [f"{name}: {len(pairs)} predictions, accuracy "
             f"{sum(ok for _, ok in pairs) / max(1, len(pairs)):.3f}, ECE {ece(pairs):.3f}", "",
             "| confidence | n | mean confidence | accuracy |", "|---|---:|---:|---:|"]
    for b in bins(pairs):
        lines.append(f"| {b['lo']:.1f}–{b['hi']:.1f} | {b['n']} | {b['conf']:.3f} | "
                     f"{b['acc']:.3f} |")
    return "\n".join(lines)


def svg(series: dict[str, list[tuple[float, bool]]], title: str = "") -> str:
    """A small self-contained SVG reliability plot: one line per series, the diagonal."""
    size, pad = 320, 40
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]

    def xy(c: float, a: float) -> tuple[float, float]:
        return pad + c * size, pad + (1 - a) * size

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 2 * pad + 170}" '
             f'height="{size + 2 * pad}" font-family="sans-serif" font-size="11">',
             f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" '
             'stroke="#999"/>',
             f'<line x1="{pad}" y1="{pad + size}" x2="{pad + size}" y2="{pad}" '
             'stroke="#bbb" stroke-dasharray="4 3"/>']
    for t in range(0, 11, 2):
        v = t / 10
        x, y = xy(v, v)
        parts.append(f'<text x="{x}" y="{pad + size + 14}" text-anchor="middle">{v:.1f}</text>')
        parts.append(f'<text x="{pad - 6}" y="{y + 4}" text-anchor="end">{v:.1f}</text>')
    parts.append(f'<text x="{pad + size / 2}" y="{pad + size + 30}" text-anchor="middle">'
                 'confidence</text>')
    parts.append(f'<text x="12" y="{pad + size / 2}" transform="rotate(-90 12 '
                 f'{pad + size / 2})" text-anchor="middle">accuracy</text>')
    if title:
        parts.append(f'<text x="{pad}" y="{pad - 12}">{title}</text>')
    for i, (name, pairs) in enumerate(series.items()):
        col = colours[i % len(colours)]
        series_bins = bins(pairs)
        pts = [xy(b["conf"], b["acc"]) for b in series_bins]
        if pts:
            parts.append(f'<polyline fill="none" stroke="{col}" stroke-width="2" points="'
                         + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
            for (x, y), b in zip(pts, series_bins, strict=True):
                r = 2 + min(6, b["n"] ** 0.5 / 2)
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{col}"/>')
        ly = pad + 16 * i + 8
        parts.append(f'<rect x="{pad + size + 14}" y="{ly - 8}" width="10" height="10" '
                     f'fill="{col}"/>')
        parts.append(f'<text x="{pad + size + 30}" y="{ly + 1}">{name} '
                     f'(ECE {ece(pairs):.2f})</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def collect(folders: list[Path], data: Path, pipeline=None) -> dict[str, list]:
    from rasd.document import Document
    from rasd.eval.corpus import load_article
    from rasd.eval.corpus_score import scored_outcomes
    from rasd.pipeline import Pipeline

    pipeline = pipeline or Pipeline()
    out: dict[str, list] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            art = load_article(path, data)
            doc = Document(text=art.text, id=art.id, title=art.record["title"],
                           published=art.record["date"][:10], outlet=art.record.get("outlet"))
            pipeline(doc)
            for k, v in scored_outcomes(art, doc).items():
                out.setdefault(k, []).extend(v)
    return out
