// rasd timeline chart: events per day, stacked by type (uPlot, vendored), with a brush:
// drag across the chart to choose a period, which ``onRange`` applies to the other views.
// Only events dated to a day are drawn; those dated to a month or a year are counted under
// the chart, never put on the first of the month.
"use strict";

const CHART_COLORS = ["#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f",
                      "#8d6e63"];
const CHART_TYPES = 6;  // the busiest types get their own colour, the rest are "أخرى"
const DAY_S = 86400;

/** {days, types, imprecise, undated} from items ({date, type}) of one article or entity. */
function timelineOf(items) {
  const counts = {};
  let imprecise = 0;
  let undated = 0;
  for (const it of items) {
    const d = it.date || "";
    if (/^\d{4}-\d{2}-\d{2}/.test(d)) {
      const per = counts[d.slice(0, 10)] || (counts[d.slice(0, 10)] = {});
      per[it.type] = (per[it.type] || 0) + 1;
    } else if (d) imprecise++;
    else undated++;
  }
  const days = Object.keys(counts).sort();
  const types = {};
  for (const t of new Set(days.flatMap((d) => Object.keys(counts[d])))) {
    types[t] = days.map((d) => counts[d][t] || 0);
  }
  return {days, types, total: items.length, imprecise, undated};
}

function daySeconds(day) {
  return Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 1000;
}

function isoDay(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** The days that hold the middle 98% of the events: far outliers (a war of 1948 named in an
 * article of 2015) are counted but do not squeeze the chart. */
function mainRange(days, totals) {
  const sum = totals.reduce((a, b) => a + b, 0);
  let lo = 0;
  let hi = days.length - 1;
  let acc = 0;
  for (let i = 0; i < days.length; i++) {
    acc += totals[i];
    if (acc > 0.01 * sum) { lo = i; break; }
  }
  acc = 0;
  for (let i = days.length - 1; i >= 0; i--) {
    acc += totals[i];
    if (acc > 0.01 * sum) { hi = i; break; }
  }
  return [lo, Math.max(lo, hi)];
}

/**
 * Draw ``data`` (an /api/events/timeline answer) into ``box``. ``onRange(since, until)`` is
 * called with ISO days when a period is brushed (null, null: cleared); without it the chart
 * has no brush.
 */
function drawEventChart(box, data, onRange = null) {
  if (box._uplot) {
    box._uplot.destroy();
    box._uplot = null;
  }
  clear(box);
  box.dataset.days = "0";
  if (!data.days.length) {
    const dated = data.imprecise ? `؛ ${count(data.imprecise, "event")} مؤرخة بشهر أو سنة فقط` : "";
    box.append(el("p", {class: "muted"},
                  data.total ? `لا أحداث مؤرخة بيوم${dated}.` : "لا أحداث."));
    return;
  }
  if (typeof uPlot === "undefined") {
    box.append(el("p", {class: "muted"}, "تعذر تحميل مكتبة الرسم."));
    return;
  }
  const totals = data.days.map((_, i) => Object.values(data.types).reduce((s, v) => s + v[i], 0));
  const [lo, hi] = mainRange(data.days, totals);
  const days = data.days.slice(lo, hi + 1);
  const byTotal = Object.entries(data.types)
    .map(([t, v]) => [t, v.slice(lo, hi + 1)])
    .sort((a, b) => b[1].reduce((s, x) => s + x, 0) - a[1].reduce((s, x) => s + x, 0));
  const shown = byTotal.slice(0, CHART_TYPES);
  const rest = byTotal.slice(CHART_TYPES);
  if (rest.length) {
    shown.push(["OTHER", days.map((_, i) => rest.reduce((s, [, v]) => s + v[i], 0))]);
  }
  // stacked: series k holds the sum of the first k+1 types; drawn top first
  const raw = shown.map(([, v]) => v);
  const stacked = [];
  let run = days.map(() => 0);
  for (const v of raw) {
    run = run.map((x, i) => x + v[i]);
    stacked.push(run);
  }
  const xs = days.map(daySeconds);
  const series = [{label: "اليوم", value: (u, v) => (v == null ? "—" : isoDay(v))}];
  shown.forEach(([t], k) => {
    const color = CHART_COLORS[k % CHART_COLORS.length];
    series.push({
      label: t === "OTHER" ? "أخرى" : (EVENT_LABEL[t] || t), stroke: color, fill: color,
      width: 0, paths: uPlot.paths.bars({size: [0.85, 24], align: 0}), points: {show: false},
      value: (u, v, si, i) => (i == null ? "—" : String(raw[si - 1][i])),
    });
  });
  const order = [...stacked.keys()].reverse();  // the tallest stack first, smaller on top
  const canvas = el("div", {class: "chart-box", dir: "ltr", role: "img",
                            "aria-label": `أحداث كل يوم، ${count(totals.reduce((a, b) => a + b, 0),
                                                                  "event")}`});
  const note = el("p", {class: "muted chart-note"});
  box.append(canvas, note);
  const width = Math.max(280, box.clientWidth || 560);
  const opts = {
    width, height: 260,
    scales: {x: {time: true, range: (u, min, max) => [min - DAY_S, max + DAY_S]},
             y: {range: (u, min, max) => [0, Math.max(1, max) * 1.05]}},
    // day ticks as MM-DD, the year written where it starts or changes
    axes: [{space: 64, values: (u, ticks) => ticks.map((t, i) => {
      const d = isoDay(t);
      return i === 0 || d.slice(0, 4) !== isoDay(ticks[i - 1]).slice(0, 4) ? d : d.slice(5);
    })},
           {values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : ""))}],
    series: [series[0], ...order.map((k) => series[k + 1])],
    cursor: {drag: {x: Boolean(onRange), y: false, setScale: false}},
    legend: {show: true, live: true},
    hooks: {setSelect: [(u) => {
      if (!onRange || u.select.width < 2) return;
      const a = u.posToVal(u.select.left, "x");
      const b = u.posToVal(u.select.left + u.select.width, "x");
      onRange(isoDay(Math.max(a, xs[0])), isoDay(Math.min(b, xs[xs.length - 1])));
    }]},
  };
  const plot = new uPlot(opts, [xs, ...order.map((k) => stacked[k])], canvas);
  box._uplot = plot;
  const outside = totals.slice(0, lo).reduce((a, b) => a + b, 0) +
                  totals.slice(hi + 1).reduce((a, b) => a + b, 0);
  const parts = [`${count(days.length, "day")} من ${ltr(days[0])} إلى ${ltr(days[days.length - 1])}`];
  if (outside) parts.push(`${count(outside, "event")} في أيام بعيدة خارج الرسم`);
  if (data.imprecise) parts.push(`${count(data.imprecise, "event")} مؤرخة بشهر أو سنة فقط`);
  if (data.undated) parts.push(`${count(data.undated, "event")} بلا تاريخ`);
  if (onRange) parts.push("اسحب على الرسم لاختيار فترة");
  note.textContent = parts.join(" · ");
  box.dataset.days = String(days.length);
  box.dataset.series = String(shown.length);
}
