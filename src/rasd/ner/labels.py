"""Label schemes: the CRF learns BILOU, everything outside it speaks IOB2."""

from __future__ import annotations

from collections.abc import Sequence


def to_bio(labels: Sequence[str]) -> list[str]:
    """BILOU → IOB2 (U- → B-, L- → I-); IOB2 labels pass through unchanged."""
    out = []
    for lab in labels:
        if lab[:2] == "U-":
            lab = "B-" + lab[2:]
        elif lab[:2] == "L-":
            lab = "I-" + lab[2:]
        out.append(lab)
    return out
