"""Build ``src/rasd/api/web/world.json``: country outlines as SVG path data, for the web map.

Why: the web page must draw a map with no tile server and no CDN, so it ships one small file
of country outlines. Source: the ``world-atlas`` npm package (Natural Earth 1:110m Admin 0
countries as TopoJSON; Natural Earth is public domain, world-atlas is ISC). Get it with
``npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz`` and run::

    python scripts/build_world_outline.py package/countries-110m.json

Coordinates are plate carrée: x = longitude, y = -latitude (SVG's y grows downwards), rounded
to 0.01°; a point on the map is ``(lon, -lat)`` in the same space. Rings that cross the
antimeridian (Russia, Fiji) are unwrapped past ±180 so they draw as one shape; Antarctica is
left out (it wraps the pole, and news maps do not need it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/rasd/api/web/world.json"
SKIP = {"010"}  # Antarctica


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for r in refs:
        arc = arcs[r] if r >= 0 else arcs[~r][::-1]
        pts.extend(arc if not pts else arc[1:])
    # Unwrap longitudes so a ring crossing the antimeridian stays one shape.
    out = [pts[0]]
    shift = 0.0
    for (x0, _), (x1, y1) in zip(pts, pts[1:], strict=False):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append((x1 + shift, y1))
    return out


def path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for pts in rings:
        coords = []
        prev = None
        for x, y in pts:
            p = (round(x, 2), round(-y, 2))
            if p != prev:
                coords.append(f"{p[0]:g} {p[1]:g}")
            prev = p
        if len(coords) >= 3:
            parts.append("M" + "L".join(coords) + "Z")
    return "".join(parts)


def main(src: str) -> None:
    topo = json.loads(Path(src).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id") in SKIP or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        rings = [ring(arcs, r) for poly in polys for r in poly]
        countries.append({"id": g.get("id"), "name": g["properties"]["name"],
                          "d": path(rings)})
    data = {"source": "Natural Earth 1:110m Admin 0 countries via world-atlas 2.0.2 "
                      "(public domain / ISC); see PROVENANCE.md",
            "projection": "plate carree: x = lon, y = -lat", "countries": countries}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/countries-110m.json")
