// rasd map: Leaflet over a bundled vector base layer (static/areas.json, Natural Earth
// countries and first-level regions), no tiles, nothing fetched from elsewhere.
// Places known only as a country or a region are drawn as that area, shaded by their
// events; cities and other places are points, clustered (the cluster shows the sum of its
// events), with a density (heat) layer to switch on. Labels are tooltips, shown one at a
// time on hover or focus, so they never overlap.
"use strict";

const PRECISION_LABEL = {country: "دولة", region: "إقليم", city: "مدينة", place: "موقع"};
let areasPromise = null;

function mapAreas() {
  if (!areasPromise) {
    areasPromise = fetch("/static/areas.json").then((r) => {
      if (!r.ok) throw new Error(`areas.json: ${r.status}`);
      return r.json();
    });
  }
  return areasPromise;
}

/** Is [lon, lat] inside a GeoJSON (Multi)Polygon? Even-odd rule over every ring. */
function inGeometry(lon, lat, geometry) {
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let inside = false;
  for (const poly of polys) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
          inside = !inside;
        }
      }
    }
  }
  return inside;
}

function areaOf(features, p) {
  return features.find((f) => inGeometry(p.lon, p.lat, f.geometry)) || null;
}

function shade(n, max) {
  const t = max > 1 ? Math.log(1 + n) / Math.log(1 + max) : 1;
  return {fillColor: "#c62828", fillOpacity: 0.15 + 0.5 * t, color: "#8e1b1b", weight: 1};
}

function tooltipText(label, n, precision) {
  const what = PRECISION_LABEL[precision] ? ` (${PRECISION_LABEL[precision]})` : "";
  return n ? `${label}${what}: ${count(n, "event")}` : `${label}${what}`;
}

/**
 * Draw ``points`` ({lat, lon, label, count, href, precision}) inside ``box``.
 * ``unlocated``: how many events have no place (said under the map).
 */
async function drawMap(box, points, unlocated = 0) {
  // a newer draw of the same box (filters changed while the areas loaded) wins
  const draw = (box._mapDraw = (box._mapDraw || 0) + 1);
  if (box._leaflet) {
    box._leaflet.remove();
    box._leaflet = null;
  }
  clear(box);
  let data;
  try {
    data = await mapAreas();
  } catch (err) {
    if (box._mapDraw === draw) box.append(el("p", {class: "muted"}, "تعذر تحميل الخريطة."));
    return;
  }
  if (box._mapDraw !== draw) return;
  if (typeof L === "undefined") {
    box.append(el("p", {class: "muted"}, "تعذر تحميل مكتبة الخريطة."));
    return;
  }
  const canvas = el("div", {class: "leaflet-box", dir: "ltr", role: "region",
                            "aria-label": "خريطة الأماكن"});
  const note = el("p", {class: "muted map-note"});
  box.append(canvas, note);
  const map = L.map(canvas, {worldCopyJump: true, zoomSnap: 0.5, minZoom: 1, maxZoom: 13,
                             attributionControl: true});
  box._leaflet = map;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth · Leaflet");
  L.geoJSON(data.countries, {interactive: false,
    style: {color: "#9aa3ad", weight: 0.7, fillColor: "#f3efe6", fillOpacity: 1}}).addTo(map);
  const regionLines = L.geoJSON(data.regions, {interactive: false,
    style: {color: "#b9b3a6", weight: 0.5, fill: false, dashArray: "2 3"}});

  // countries and regions with events: areas; the rest: clustered points
  const areas = new Map();
  const pointLayer = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
    iconCreateFunction: (cluster) => {
      const n = cluster.getAllChildMarkers().reduce((s, m) => s + (m.options.count || 1), 0);
      const size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return L.divIcon({html: el("div", {}, el("span", {}, n.toLocaleString("en"))),
                        className: `marker-cluster marker-cluster-${size}`,
                        iconSize: L.point(40, 40)});
    },
  });
  const heat = [];
  let drawnPoints = 0;
  const max = Math.max(1, ...points.map((p) => p.count || 1));
  for (const p of points) {
    const n = p.count || 0;
    if (p.precision === "country" || p.precision === "region") {
      const feature = areaOf(p.precision === "country" ? data.countries.features
                                                       : data.regions.features, p);
      if (feature) {
        const key = `${p.precision}:${feature.properties.id || feature.properties.name}`;
        const a = areas.get(key) || {feature, label: p.label, count: 0, href: p.href,
                                     precision: p.precision};
        a.count += n;
        areas.set(key, a);
        continue;
      }
    }
    const radius = 5 + Math.min(12, 3 * Math.log2(1 + n));
    const marker = L.circleMarker([p.lat, p.lon], {radius, count: n || 1, className: "point",
      color: "#fff", weight: 1.5, fillColor: "#c62828", fillOpacity: 0.85});
    marker.bindTooltip(tooltipText(p.label, n, p.precision), {direction: "top"});
    if (p.href) marker.on("click", () => { location.hash = p.href; });
    pointLayer.addLayer(marker);
    heat.push([p.lat, p.lon, n || 1]);
    drawnPoints++;
  }
  const amax = Math.max(1, ...[...areas.values()].map((a) => a.count));
  const areaLayer = L.featureGroup();
  for (const a of areas.values()) {
    const layer = L.geoJSON(a.feature, {style: shade(a.count, amax), className: "area"});
    layer.bindTooltip(tooltipText(a.label, a.count, a.precision), {sticky: true});
    if (a.href) layer.on("click", () => { location.hash = a.href; });
    areaLayer.addLayer(layer);
  }
  areaLayer.addTo(map);
  pointLayer.addTo(map);
  const overlays = {"الأقاليم": regionLines};
  if (heat.length && L.heatLayer) {
    overlays["الكثافة"] = L.heatLayer(heat, {radius: 28, blur: 20,
                                             max: Math.max(...heat.map((h) => h[2]))});
  }
  L.control.layers(null, overlays, {collapsed: false, position: "topright"}).addTo(map);
  map.on("zoomend", () => {
    if (map.getZoom() >= 4 && !map.hasLayer(regionLines)) regionLines.addTo(map);
  });

  // Frame where most events are: the busiest points (and regions) that hold 80% of the
  // events drawn as points; a whole country only when nothing finer is on the map.
  const bounds = L.latLngBounds([]);
  const fine = points.filter((p) => p.precision !== "country")
    .sort((a, b) => (b.count || 0) - (a.count || 0));
  const fineTotal = fine.reduce((s, p) => s + (p.count || 0), 0);
  let held = 0;
  for (const p of fine) {
    bounds.extend([p.lat, p.lon]);
    held += p.count || 0;
    if (held >= 0.8 * fineTotal) break;
  }
  if (!bounds.isValid() && areas.size) bounds.extend(areaLayer.getBounds());
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), {maxZoom: 7});
  else map.setView([25, 30], 2);

  const shown = points.reduce((s, p) => s + (p.count || 0), 0);
  const parts = [`${points.length.toLocaleString("en")} مكان على الخريطة`];
  if (shown) parts.push(`${count(shown, "event")}`);
  if (areas.size) parts.push(`${areas.size} منطقة مظللة: دولة أو إقليم دون مكان أدق`);
  if (unlocated) parts.push(`${count(unlocated, "event")} بلا مكان معروف`);
  note.textContent = points.length ? parts.join(" · ") : "لا أماكن معروفة الإحداثيات.";
  box.dataset.places = String(points.length);
  box.dataset.areas = String(areas.size);
  box.dataset.points = String(drawnPoints);
  // a map drawn while hidden (a view not shown yet) needs its size once shown
  // (not once it has been removed: a removed map has no panes, Leaflet would throw)
  setTimeout(() => { if (box._leaflet === map) map.invalidateSize(); }, 0);
}
