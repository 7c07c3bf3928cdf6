// rasd web page: plain JavaScript, no build step, no external resources.
// Article text and every value from the API are put on the page with textContent or as
// attribute values, never with innerHTML, so an article containing <script> shows as text.
"use strict";

const TYPE_LABEL = {PER: "شخص", ORG: "منظمة", GPE: "دولة/مدينة", LOC: "مكان", FAC: "منشأة"};
const STANCE_LABEL = {neutral: "محايد", assert: "تأكيد", doubt: "تشكيك", deny: "نفي"};
const STATUS_LABEL = {asserted: "وقع", reported: "منقول", expected: "متوقَّع",
                      hypothetical: "افتراضي", denied: "منفيّ"};
// The 16 PLOVER v2.0 event categories (resources/events/triggers.tsv), in Arabic for the page; the
// English code stays beside it (tooltips, filters and exports use the code).
const EVENT_LABEL = {AGREE: "اتفاق", CONSULT: "تشاور", SUPPORT: "دعم", CONCEDE: "تنازل",
                     COOPERATE: "تعاون", AID: "مساعدة", RETREAT: "انسحاب", REQUEST: "مطالبة",
                     ACCUSE: "اتهام", REJECT: "رفض", THREATEN: "تهديد", PROTEST: "احتجاج",
                     SANCTION: "عقوبات", MOBILIZE: "حشد", COERCE: "إكراه", ASSAULT: "اعتداء"};
// Claim channels (docs/annotation.md B4) in Arabic.
const CHANNEL_LABEL = {statement: "بيان", press: "تصريح صحفي", interview: "مقابلة",
                       conference: "مؤتمر صحفي", television: "التلفزيون", radio: "الإذاعة",
                       agency: "وكالة أنباء", tweet: "تغريدة", facebook: "فيسبوك",
                       social: "مواقع التواصل", website: "موقع إلكتروني", document: "وثيقة",
                       report: "تقرير", speech: "كلمة", letter: "رسالة", phone: "اتصال هاتفي",
                       other: "أخرى"};
// The analysis stages (rasd.stages, by their registered names), as a background job reports them.
const STAGE_LABEL = {starting: "بدء العامل", loading: "تحميل النماذج", structure: "البنية",
                     tokens: "تقطيع الكلمات", encoder: "المرمِّز", ner: "الكيانات المسمّاة",
                     times: "التواريخ", mentions: "الإشارات", entities: "ربط الكيانات",
                     claims: "التصريحات", events: "الأحداث"};
// API error codes (rasd.api, docs/api.md) in Arabic; the server's own detail follows in brackets.
const ERROR_LABEL = {bad_input: "المدخل غير صالح", bad_json: "JSON غير صالح",
                     bad_query: "عبارة البحث غير صالحة", invalid_request: "طلب غير صالح",
                     unauthorized: "الحفظ يحتاج رمز الكتابة", cross_origin: "طلب من موقع آخر",
                     not_found: "غير موجود", cancelled: "أُلغي التحليل",
                     unsupported_media_type: "نوع المحتوى غير مقبول",
                     too_large: "النص أكبر من الحد المسموح", bad_host: "اسم خادم غير مقبول",
                     rate_limited: "طلبات كثيرة، انتظر دقيقة",
                     analysis_too_long: "تجاوز التحليل مهلته؛ قسّم النص",
                     analysis_failed: "تعذّر التحليل", worker_stopped: "توقف عامل التحليل",
                     internal_error: "خطأ في الخادم",
                     read_only: "القاعدة معروضة للقراءة فقط؛ لا يحفظ فيها شيء"};
// Arabic number agreement: one, two, 3–10 (plural), 11–99 (singular, accusative), and
// hundreds/thousands (singular, genitive), decided by the last two digits.
const NOUNS = {
  article: ["مقال واحد", "مقالان", "مقالات", "مقالًا", "مقال"],
  entity: ["كيان واحد", "كيانان", "كيانات", "كيانًا", "كيان"],
  event: ["حدث واحد", "حدثان", "أحداث", "حدثًا", "حدث"],
  claim: ["تصريح واحد", "تصريحان", "تصريحات", "تصريحًا", "تصريح"],
  mention: ["إشارة واحدة", "إشارتان", "إشارات", "إشارةً", "إشارة"],
  result: ["نتيجة واحدة", "نتيجتان", "نتائج", "نتيجةً", "نتيجة"],
  story: ["قصة واحدة", "قصتان", "قصص", "قصةً", "قصة"],
  day: ["يوم واحد", "يومان", "أيام", "يومًا", "يوم"],
};
const SVG_NS = "http://www.w3.org/2000/svg";
const ISO_DAY = /^\d{4}(-\d{2}(-\d{2})?)?/;

// -- small DOM helpers --------------------------------------------------------------------

/** An element with attributes/properties and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

const $ = (id) => document.getElementById(id);

/** A left-to-right run (an ISO date, a URL) inside Arabic text, isolated so the text's
 * direction cannot reorder it (2015-07-21 read as 21-07-2015). */
function ltr(s) {
  return s ? `\u2066${s}\u2069` : s;
}

/** "1,274 حدثًا", "حدثان", "3 أحداث": a count with its noun in the right Arabic form. */
function count(n, noun) {
  const [one, two, plural, accusative, genitive] = NOUNS[noun];
  if (n === 1) return one;
  if (n === 2) return two;
  const last = n % 100;
  const form = last >= 3 && last <= 10 ? plural : last >= 11 ? accusative : genitive;
  return `${n.toLocaleString("en")} ${form}`;
}

function setStatus(id, message, isError) {
  const box = $(id);
  box.textContent = message || "";
  box.classList.toggle("error", Boolean(isError));
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// -- API ----------------------------------------------------------------------------------

async function api(path, options) {
  const response = await fetch(path, options);
  let body = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) body = await response.json();
  if (!response.ok) {
    let detail = body && body.detail !== undefined ? body.detail : response.statusText;
    if (Array.isArray(detail)) detail = detail.map((d) => `${d.where}: ${d.message}`).join("؛ ");
    throw new Error(errorText(body && body.error, detail, response.status));
  }
  return body;
}

function errorText(code, detail, status) {
  const label = ERROR_LABEL[code] || `خطأ ${status || ""}`.trim();
  return detail ? `${label} (${detail})` : label;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v != null) q.set(k, v);
  return q.toString();
}

function authHeaders() {
  const token = $("token").value.trim();
  return token ? {Authorization: `Bearer ${token}`} : {};
}

async function refreshStats() {
  try {
    const s = await api("/api/stats");
    $("stats").textContent = `${count(s.documents, "article")} · ${count(s.entities, "entity")}` +
      ` · ${count(s.events, "event")} · ${count(s.claims, "claim")} في القاعدة`;
  } catch (err) {
    $("stats").textContent = "";
  }
}

// -- views and routing --------------------------------------------------------------------

const VIEWS = ["analyze", "search", "events", "claims", "stories", "story", "entity",
               "entities"];

function show(view) {
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle("active", a.dataset.view === view);
  }
}

// Every list view keeps its filters and page in the address (#events?type=ASSAULT&offset=200):
// a view can be bookmarked, reloaded, shared, and Back returns to the previous filters.
const FORM_FIELDS = {
  search: {q: "search-q", kind: "search-kind", entity: "search-entity", type: "search-type",
           since: "search-since", until: "search-until", source: "search-source",
           sort: "search-sort"},
  events: {type: "events-type", entity: "events-entity", since: "events-since",
           until: "events-until", status: "events-state", min_confidence: "events-confidence",
           sort: "events-sort"},
  claims: {source: "claims-source", about: "claims-about", q: "claims-q",
           since: "claims-since", until: "claims-until", outlet: "claims-outlet",
           stance: "claims-stance", min_confidence: "claims-confidence", sort: "claims-sort"},
  stories: {since: "stories-since", until: "stories-until", min_articles: "stories-min"},
  entities: {q: "entities-q", type: "entities-type"},
};
const LOADERS = {search: (o) => onSearch(null, o), events: (o) => loadEvents(null, o),
                 claims: (o) => loadClaims(null, o), stories: (o) => loadStories(null, o),
                 entities: (o) => loadEntities(null, o)};
const loadedState = {};  // view → the query string of what it shows now

function fieldsOf(view) {
  return Object.fromEntries(Object.entries(FORM_FIELDS[view]).map(([k, id]) => [k, $(id).value]));
}

/** Put a list view's filters and page into the address (a new history entry when they
 * changed), so a reload or a bookmark shows the same rows. */
function remember(view, offset) {
  const q = query({...fieldsOf(view), offset: offset || ""});
  loadedState[view] = q;
  const hash = `#${view}${q ? `?${q}` : ""}`;
  if (decodeURIComponent(location.hash) !== decodeURIComponent(hash)) {
    history.pushState(null, "", hash);
  }
}

/** The value a field has when the page loads (what an address without it means). */
function initialValue(field) {
  if (field.tagName === "SELECT") {
    const chosen = field.querySelector("option[selected]") || field.options[0];
    return chosen ? chosen.value : "";
  }
  return field.defaultValue || "";
}

function restore(view, params) {
  for (const [k, id] of Object.entries(FORM_FIELDS[view])) {
    $(id).value = params.has(k) ? params.get(k) : initialValue($(id));
  }
}

async function route() {
  const full = location.hash.slice(1) || "analyze";
  const [path, qs = ""] = full.split("?");
  const hash = decodeURIComponent(path);
  const [view, arg] = hash.split("/");
  if (FORM_FIELDS[view]) {
    show(view);
    const shown = loadedState[view];
    if (!qs && shown !== undefined) {  // the menu's plain link: the view as it was left
      if (shown) history.replaceState(null, "", `#${view}?${shown}`);
      return;
    }
    if (!qs && view === "search") return;  // nothing asked yet
    const params = new URLSearchParams(qs);
    if (shown !== query(Object.fromEntries(params))) {
      restore(view, params);
      await LOADERS[view](Number(params.get("offset")) || 0);
    }
    return;
  }
  if (view === "entity" && arg) {
    show("entity");
    await openEntity(arg);
  } else if (view === "story" && arg) {
    show("story");
    await openStory(arg);
  } else if (view === "doc" && arg) {
    show("analyze");
    await openDocument(arg, new URLSearchParams(qs));
  } else if (VIEWS.includes(view)) {
    show(view);
  } else {
    show("analyze");
  }
}

// -- one document: highlighted text, claims, events, map, timeline -------------------------

/** The article text as nodes: plain text between mentions, a <mark> per mention (an
 * adjective that refers to an entity, السفير الألماني, is marked more lightly). ``focus``
 * ([{start, end, kind}]: cue, content, trigger, arg) is shown over it: what a claim or an
 * event clicked in the lists is made of. */
function highlightedText(text, mentions, entityLink, focus = []) {
  const frag = document.createDocumentFragment();
  const sorted = [...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  const chosen = [];
  let pos = 0;
  for (const m of sorted) {
    if (m.start < pos) continue;  // nested or overlapping: the outer one is shown
    chosen.push(m);
    pos = m.end;
  }
  const cuts = new Set([0, text.length]);
  for (const x of [...chosen, ...focus]) {
    cuts.add(Math.max(0, Math.min(text.length, x.start)));
    cuts.add(Math.max(0, Math.min(text.length, x.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  let k = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    while (k < chosen.length && chosen[k].end <= a) k++;
    const m = k < chosen.length && chosen[k].start <= a && b <= chosen[k].end ? chosen[k] : null;
    const kinds = focus.filter((f) => f.start <= a && b <= f.end).map((f) => `focus focus-${f.kind}`);
    const piece = text.slice(a, b);
    if (m) {
      const mark = el("mark", {class: [`ent ent-${m.type}`, m.adjective ? "adj" : "", ...kinds]
                                 .filter(Boolean).join(" "),
                               tabindex: 0, role: "button",
                               title: (m.adjective ? "صفة تشير إلى " : "") +
                                      `${TYPE_LABEL[m.type] || m.type}: ${m.text}`,
                               dataset: {mention: m.id, type: m.type}}, piece);
      const go = () => entityLink(m);
      mark.addEventListener("click", go);
      mark.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
      frag.append(mark);
    } else if (kinds.length) {
      frag.append(el("span", {class: kinds.join(" ")}, piece));
    } else {
      frag.append(document.createTextNode(piece));
    }
  }
  return frag;
}

function legend() {
  return el("div", {class: "legend"},
    Object.entries(TYPE_LABEL).map(([t, label]) => el("span", {class: `ent ent-${t}`}, label)));
}

function stanceBadge(stance) {
  return el("span", {class: `stance stance-${stance}`}, STANCE_LABEL[stance] || stance);
}

function statusBadge(status, negated) {
  return el("span", {class: `status-badge status-${status}`},
            (STATUS_LABEL[status] || status) + (negated ? " · منفيّ" : ""));
}

/** Country or point, for an entity of one analysis (the store's places say it themselves). */
function precisionOf(e) {
  if (e.precision) return e.precision;
  return e.kb_id && e.kb_id.startsWith("cc:") ? "country" : "city";
}

function entityName(e) {
  return e ? e.name : "—";
}

/** A claim as "who says what". ``who`` is a name; ``speaker`` an entity to link or null. */
function claimItem(who, speakerLink, claim, extra) {
  const whoNode = speakerLink
    ? el("a", {href: speakerLink, class: "who"}, who)
    : el("span", {class: "who"}, who);
  const body = claim.speaks_for;
  return el("li", {class: "claim"},
    el("div", {class: "claim-head"}, whoNode,
       claim.anonymous ? el("span", {class: "muted"}, " (مصدر مجهول)") : null,
       body ? el("span", {class: "speaks-for muted"}, " باسم ",
                 el("a", {href: `#entity/${body.id}`}, body.name)) : null,
       " ", el("span", {class: "cue"}, claim.cue.text), " ", stanceBadge(claim.stance),
       claim.channel ? el("span", {class: "muted"},
                          ` · ${CHANNEL_LABEL[claim.channel] || claim.channel}`) : null,
       confidenceNode(claim.confidence)),
    claim.via && claim.via.source_text
      ? el("div", {class: "muted via"}, `نقلًا عن: ${claim.via.source_text} (${claim.via.cue})`)
      : null,
    claim.content ? el("blockquote", {class: "content"}, claim.content.text)
                  : el("div", {class: "muted"}, "(بلا مضمون محدد)"),
    extra || null);
}

/** The learned stages' calibrated score, shown small beside a claim or an event. */
function confidenceNode(value) {
  if (value == null) return null;
  return el("small", {class: "muted confidence", title: "ثقة النموذج المعايَرة"},
            ` ثقة ${Math.round(value * 100)}٪`);
}

/** Events as a table. Stored rows (with ``docNode``) get their article's column; with
 * ``sort`` ({current, onSort}) the date, type and status headers sort the list. */
function eventsTable(rows, sort = null) {
  if (!rows.length) return el("p", {class: "muted"}, "لا أحداث.");
  const withDoc = rows.some((r) => r.docNode);
  const labels = ["التاريخ", "النوع", "الكلمة", "الفاعل", "المستهدف", "المكان", "الحالة",
                  "الجملة", ...(withDoc ? ["المقال"] : [])];
  const sortKeys = {0: sort && sort.current === "date" ? "oldest" : "date", 1: "type",
                    6: "confidence"};
  const head = el("tr", {}, labels.map((h, i) => {
    if (!sort || !(i in sortKeys)) return el("th", {scope: "col"}, h);
    const on = sort.current === sortKeys[i] || (i === 0 && sort.current === "oldest");
    const arrow = i === 0 ? (sort.current === "oldest" ? " ↑" : sort.current === "date" ? " ↓" : "")
      : on ? " ↓" : "";
    return el("th", {scope: "col", "aria-sort": on ? (sort.current === "oldest" ? "ascending"
                                                                               : "descending")
                                                     : "none"},
              el("button", {type: "button", class: "sort", onclick: () => sort.onSort(sortKeys[i])},
                 h + arrow));
  }));
  // data-label: on a phone each row is a card, each cell with its column's name
  const cell = (i, attrs, ...children) => el("td", {...attrs, "data-label": labels[i]}, ...children);
  const body = rows.map((r) => el("tr", {},
    cell(0, {class: "nowrap date"}, r.date ? el("bdi", {dir: "ltr"}, r.date) : "—"),
    cell(1, {class: "type"}, eventTypeNode(r.type)),
    cell(2, {}, el("mark", {class: "trigger"}, r.trigger)),
    cell(3, {}, r.actorNode || "—"),
    cell(4, {}, r.targetNode || "—"),
    cell(5, {}, r.locationNode || "—"),
    cell(6, {}, statusBadge(r.status, r.negated), confidenceNode(r.confidence)),
    cell(7, {class: "sentence"}, r.sentence || ""),
    withDoc ? cell(8, {class: "doc"}, r.docNode || "—") : null));
  return el("table", {class: "events"}, el("thead", {}, head), el("tbody", {}, body));
}

/** An event type as the page shows it: the Arabic name, the PLOVER code after it. */
function eventTypeNode(type) {
  const label = EVENT_LABEL[type];
  if (!label) return el("span", {dir: "ltr"}, type);
  return el("span", {title: type}, label, " ", el("small", {dir: "ltr", class: "muted"}, type));
}

/** Fill a <select> with "any type" and the PLOVER categories. */
function fillEventTypes(select) {
  select.append(el("option", {value: ""}, "كل أنواع الأحداث"),
                ...Object.entries(EVENT_LABEL).map(([code, label]) =>
                  el("option", {value: code}, `${label} (${code})`)));
}

/** Fill a confidence <select>: any, or at least one of the calibrated thresholds. */
function fillConfidence(select) {
  select.append(el("option", {value: ""}, "أي ثقة"),
                ...["0.3", "0.5", "0.7", "0.9"].map((t) => el("option", {value: t}, `ثقة ≥ ${t}`)));
}

function dayOf(value) {
  const m = value && ISO_DAY.exec(value);
  return m ? m[0] : null;
}

/** Draw ``doc`` (a to_dict() document, optionally with ``store``) into #doc-view; ``focus``
 * (claim=, event= or mention= a local id) is marked in the text. */
function renderDocument(doc, focus = new URLSearchParams()) {
  const view = clear($("doc-view"));
  view.hidden = false;
  const meta = doc.document;
  const ents = Object.fromEntries(doc.entities.map((e) => [e.id, e]));
  const stored = doc.store ? doc.store.entities : null;
  const times = Object.fromEntries(doc.times.map((t) => [t.id, t]));

  const entityHref = (localId) => stored && stored[localId] ? `#entity/${stored[localId]}` : null;
  const entityNode = (localId) => {
    const e = ents[localId];
    if (!e) return null;
    const href = entityHref(localId);
    return href ? el("a", {href, class: `ent-link ent-${e.type}`}, e.name)
                : el("button", {type: "button", class: `linkish ent-${e.type}`,
                                onclick: () => lookupEntity(e)}, e.name);
  };
  const openMention = (m) => {
    const e = m.entity ? ents[m.entity] : null;
    const href = m.entity ? entityHref(m.entity) : null;
    if (href) location.hash = href;
    else lookupEntity(e || {name: m.text, type: m.type});
  };

  view.append(el("h2", {id: "doc-title"}, meta.title || "(بلا عنوان)"));
  const info = [meta.outlet, ltr(meta.published), ltr(meta.url)].filter(Boolean).join(" · ");
  if (info) view.append(el("p", {class: "muted", dir: "auto"}, info));
  if (doc.store) view.append(el("p", {class: "muted"}, `محفوظ في القاعدة برقم ${doc.store.id}`));

  view.append(el("h3", {}, "النص والكيانات"), legend());
  const article = el("article", {id: "doc-text", class: "doc-text", lang: "ar"});
  const adjectives = (doc.adjectives || []).map((m) => ({...m, adjective: true}));
  const marks = [...doc.mentions, ...adjectives];
  article.append(highlightedText(meta.text, marks, openMention));
  view.append(article);
  // "show in the text": a claim's cue, content and speaker, an event's trigger and arguments
  const mentionsOf = (entityId, near) => doc.mentions.filter((m) => m.entity === entityId)
    .sort((x, y) => Math.abs(x.start - near) - Math.abs(y.start - near)).slice(0, 1);
  const showInText = (spans) => {
    clear(article).append(highlightedText(meta.text, marks, openMention, spans));
    const first = article.querySelector(".focus-cue, .focus-trigger");
    if (first) first.scrollIntoView({block: "center"});
  };
  const claimSpans = (c) => [{...c.cue, kind: "cue"},
    ...(c.content ? [{...c.content, kind: "content"}] : []),
    ...(c.source ? mentionsOf(c.source, c.cue.start).map((m) => ({...m, kind: "arg"})) : [])];
  const eventSpans = (v) => [{...v.trigger, kind: "trigger"},
    ...[v.actor, v.target, v.location].filter(Boolean)
      .flatMap((id) => mentionsOf(id, v.trigger.start)).map((m) => ({...m, kind: "arg"}))];
  const showButton = (spans) => el("button", {type: "button", class: "show-in-text linkish",
                                              onclick: () => showInText(spans)}, "أظهر في النص");

  // Entities, grouped by type
  const byType = {};
  for (const e of doc.entities) (byType[e.type] = byType[e.type] || []).push(e);
  const entList = el("ul", {id: "entities-list", class: "entities"});
  for (const type of Object.keys(TYPE_LABEL)) {
    for (const e of byType[type] || []) entList.append(el("li", {}, entityNode(e.id)));
  }
  view.append(el("h3", {}, `الكيانات (${doc.entities.length})`), entList);

  // Claims: who says what
  const claims = el("ol", {id: "claims-list", class: "claims"});
  const claimById = Object.fromEntries(doc.claims.map((c) => [c.id, c]));
  for (const c of doc.claims) {
    const speaker = c.source ? ents[c.source] : null;
    const who = speaker ? speaker.name : (c.source_text || "مصدر غير محدد");
    // via: the claim that reports this one; its speaker relays it
    const relay = c.via ? claimById[c.via] : null;
    const relayName = relay ? (ents[relay.source] || {}).name || relay.source_text : null;
    claims.append(claimItem(who, c.source ? entityHref(c.source) : null, {...c, via: null},
      el("div", {class: "muted"}, relayName ? `نقلًا عن ${relayName} · ` : "",
         showButton(claimSpans(c)))));
  }
  view.append(el("h3", {}, `من قال ماذا (${doc.claims.length})`),
              doc.claims.length ? claims : el("p", {class: "muted"}, "لا تصريحات."));

  // Events
  const sentences = doc.sentences;
  const rows = doc.events.map((v) => ({
    date: dayOf(v.time && times[v.time] ? times[v.time].value : null) || dayOf(meta.published),
    type: v.type, trigger: v.trigger.text, status: v.status, negated: v.negated,
    confidence: v.confidence, actorNode: entityNode(v.actor), targetNode: entityNode(v.target),
    locationNode: entityNode(v.location),
    sentence: el("span", {}, v.sentence != null && sentences[v.sentence]
      ? meta.text.slice(sentences[v.sentence].start, sentences[v.sentence].end) : "", " ",
      showButton(eventSpans(v))),
    location: v.location ? ents[v.location] : null,
  }));
  const table = eventsTable(rows);
  table.id = "doc-events";
  view.append(el("h3", {}, `الأحداث (${doc.events.length})`), table);

  // Map: located entities, sized by their events
  const points = {};
  for (const e of doc.entities) {
    if (e.lat == null || e.lon == null) continue;
    points[e.id] = {lat: e.lat, lon: e.lon, label: e.name, count: 0, type: e.type,
                    precision: precisionOf(e)};
  }
  for (const r of rows) if (r.location && points[r.location.id]) points[r.location.id].count++;
  const mapBox = el("div", {id: "doc-map", class: "map"});
  view.append(el("h3", {}, "الخريطة"), mapBox);
  drawMap(mapBox, Object.values(points));

  const timeline = el("div", {id: "doc-timeline", class: "timeline"});
  view.append(el("h3", {}, "الخط الزمني"), timeline);
  drawTimeline(timeline, rows.map((r) => ({date: r.date, type: r.type, label: r.trigger})));

  const claim = doc.claims.find((c) => c.id === focus.get("claim"));
  const event = doc.events.find((v) => v.id === focus.get("event"));
  const mention = doc.mentions.find((m) => m.id === focus.get("mention"));
  if (claim) showInText(claimSpans(claim));
  else if (event) showInText(eventSpans(event));
  else if (mention) {
    showInText([{...mention, kind: "cue"}]);
  }
}

/** An entity of an unsaved analysis: find it in the store by KB id, else name and type. */
async function lookupEntity(e) {
  try {
    const params = e.kb_id ? {kb_id: e.kb_id} : {q: e.name, type: e.type};
    const found = await api(`/api/entities?${query({...params, limit: 1})}`);
    if (found.results.length) {
      location.hash = `#entity/${found.results[0].id}`;
    } else {
      setStatus("analyze-status",
                `«${e.name}» غير موجود في القاعدة بعد؛ احفظ المقال لتتبّعه عبر المقالات.`);
    }
  } catch (err) {
    setStatus("analyze-status", err.message, true);
  }
}

async function openDocument(id, focus = new URLSearchParams()) {
  setStatus("analyze-status", "جار التحميل…");
  try {
    renderDocument(await api(`/api/documents/${encodeURIComponent(id)}`), focus);
    setStatus("analyze-status", "");
  } catch (err) {
    setStatus("analyze-status", err.message, true);
  }
}

// -- analyse form -------------------------------------------------------------------------

let JOB_CHARS = 50000;  // from /api/jobs: inputs this long are analysed in the background
let currentJob = null;

/** The form's metadata fields that are filled in. */
function articleMeta() {
  const meta = {title: $("article-title").value.trim(),
                published: $("article-published").value.trim(),
                outlet: $("article-outlet").value.trim(), url: $("article-url").value.trim()};
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v));
}

async function onAnalyze(event) {
  event.preventDefault();
  const text = $("article-text").value;
  const file = $("article-file").files[0];
  if (!text.trim() && !file) {
    setStatus("analyze-status", "ألصق نص مقال أو اختر ملفا.", true);
    return;
  }
  const meta = articleMeta();
  if (meta.published && !ISO_DAY.test(meta.published)) {
    setStatus("analyze-status", "تاريخ النشر بالصيغة 2015-07-21.", true);
    return;
  }
  const storeIt = $("store-it").checked;
  let body;
  let headers = {};
  if (file) {
    body = new FormData();
    body.append("file", file);
    for (const [k, v] of Object.entries(meta)) body.append(k, v);
  } else {
    body = JSON.stringify({text, ...meta});
    headers = {"Content-Type": "application/json"};
  }
  if (storeIt) headers = {...headers, ...authHeaders()};
  const large = (file ? file.size / 2 : text.length) >= JOB_CHARS;  // UTF-8 Arabic: ~2 bytes
  $("analyze-button").disabled = true;
  setStatus("analyze-status", storeIt ? "جار التحليل والحفظ…" : "جار التحليل…");
  try {
    let result;
    if (large) {
      const job = await api(`/api/jobs${storeIt ? "?store=true" : ""}`,
                            {method: "POST", body, headers});
      result = await followJob(job);
      if (result === null) return;
    } else {
      result = await api(storeIt ? "/api/ingest" : "/api/analyze",
                         {method: "POST", body, headers});
    }
    if (storeIt) showStored(result);
    else showAnalysis(Array.isArray(result) ? result[0] : result);
  } catch (err) {
    setStatus("analyze-status", err.message, true);
  } finally {
    $("analyze-button").disabled = false;
  }
}

function showStored(result) {
  const item = result.items.find((i) => i.id);
  if (!item) throw new Error(result.items.map((i) => i.error).join("؛ ") || "لم يحفظ شيء");
  refreshStats();
  const states = {added: "أضيف", updated: "حدّث", unchanged: "محفوظ من قبل"};
  location.hash = `#doc/${item.id}`;
  setStatus("analyze-status", `${states[item.status] || item.status} (رقم ${item.id}).`);
}

function showAnalysis(doc) {
  renderDocument(doc);
  setStatus("analyze-status", `حُلّل: ${count(doc.mentions.length, "mention")}، ` +
            `${count(doc.claims.length, "claim")}، ${count(doc.events.length, "event")}.`);
}

/** Follow a background job until it ends: progress by stage, a cancel button. Returns its
 * result, or null when it was cancelled. */
async function followJob(job) {
  currentJob = job.id;
  const box = $("job-box");
  box.hidden = false;
  try {
    for (;;) {
      const stage = STAGE_LABEL[job.stage] || job.stage || "في الانتظار";
      $("job-progress").max = Math.max(1, job.stages);
      $("job-progress").value = job.stage_index;
      const step = job.stages ? ` (${job.stage_index} من ${job.stages})` : "";
      const docs = job.documents > 1 ? ` · ${job.done} من ${count(job.documents, "article")}` : "";
      $("job-stage").textContent = `في الخلفية: ${stage}${step}${docs} · ${job.elapsed_s} ث`;
      if (job.status === "done") return job.result;
      if (job.status === "cancelled") {
        setStatus("analyze-status", "أُلغي التحليل.");
        return null;
      }
      if (job.status === "failed") {
        throw new Error(errorText(job.error && job.error.error, job.error && job.error.detail));
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      job = await api(`/api/jobs/${job.id}`);
    }
  } finally {
    box.hidden = true;
    currentJob = null;
  }
}

async function cancelJob() {
  if (!currentJob) return;
  try {
    await api(`/api/jobs/${currentJob}`, {method: "DELETE"});
  } catch (err) {
    setStatus("analyze-status", err.message, true);
  }
}

async function loadJobSettings() {
  try {
    JOB_CHARS = (await api("/api/jobs")).job_chars || JOB_CHARS;
  } catch (err) { /* the default stays */ }
}

// -- search -------------------------------------------------------------------------------

/** ``text`` with [start, end) ``marks`` wrapped in <mark>. */
function marked(text, marks) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const [a, b] of marks || []) {
    if (a < pos) continue;
    frag.append(document.createTextNode(text.slice(pos, a)), el("mark", {}, text.slice(a, b)));
    pos = b;
  }
  frag.append(document.createTextNode(text.slice(pos)));
  return frag;
}

function entityLinkNode(e) {
  return e ? el("a", {href: `#entity/${e.id}`, class: `ent-link ent-${e.type}`}, e.name) : null;
}

function storedEventRow(h) {
  return {date: h.date, type: h.type, trigger: h.trigger.text, status: h.status,
          negated: h.negated, actorNode: entityLinkNode(h.actor),
          targetNode: entityLinkNode(h.target), locationNode: entityLinkNode(h.location),
          sentence: h.sentence, location: h.location, confidence: h.confidence,
          docNode: el("span", {}, docLink(h), h.outlet ? ` · ${h.outlet}` : "")};
}

/** A link to the stored article of a claim, event or mention, which opens with that claim,
 * event or mention marked in the text. */
function docLink(h) {
  const which = h.kind === "claim" ? `?claim=${encodeURIComponent(h.local_id)}`
    : h.kind === "event" ? `?event=${encodeURIComponent(h.local_id)}`
    : h.id && h.start != null ? `?mention=${encodeURIComponent(h.id)}` : "";
  return el("a", {href: `#doc/${h.doc}${which}`, class: "doc-link"},
            h.doc_title || `مقال ${h.doc}`);
}

const FACET_LABEL = {outlet: "الصحف", type: "أنواع الأحداث", stance: "المواقف"};

/** Where all the results come from (every page): outlets, event types, stances, with
 * counts; an outlet or a type narrows the search to it. */
function showFacets(facets) {
  const box = clear($("search-facets"));
  for (const [name, rows] of Object.entries(facets)) {
    if (!rows.length) continue;
    const field = name === "outlet" ? "search-source" : name === "type" ? "search-type" : null;
    box.append(el("div", {class: "facet", "data-facet": name},
      el("span", {class: "muted"}, `${FACET_LABEL[name] || name}: `),
      rows.map(([value, n]) => {
        const label = name === "type" ? (EVENT_LABEL[value] || value)
          : name === "stance" ? (STANCE_LABEL[value] || value) : value;
        const text = `${label} (${n.toLocaleString("en")})`;
        return field ? el("button", {type: "button", class: "chip facet-value",
                                     onclick: () => { $(field).value = value; onSearch(); }}, text)
                     : el("span", {class: "chip"}, text);
      })));
  }
}

async function onSearch(event, offset = 0) {
  if (event) event.preventDefault();
  const params = {...fieldsOf("search"), limit: 50, offset};
  const list = clear($("search-results"));
  setStatus("search-status", "جار البحث…");
  try {
    const res = await api(`/api/search?${query(params)}`);
    pageStatus("search-status", res, "result", onSearch);
    remember("search", offset);
    showFacets(res.facets || {});
    if (res.kind === "events") {
      list.append(el("li", {class: "plain"}, eventsTable(res.results.map(storedEventRow))));
      return;
    }
    for (const h of res.results) {
      if (h.kind === "document") {
        list.append(el("li", {class: "hit"},
          el("a", {href: `#doc/${h.id}`, class: "hit-title"}, h.title || `مقال ${h.id}`),
          el("div", {class: "muted"}, [ltr(h.date), h.outlet].filter(Boolean).join(" · ")),
          el("p", {class: "snippet"}, marked(h.snippet, h.highlights))));
      } else {
        list.append(claimItem(h.source_text || "مصدر غير محدد",
                              h.source ? `#entity/${h.source.id}` : null, h,
                              el("div", {class: "muted"}, docLink(h), h.outlet ? ` · ${h.outlet}` : "",
                                 h.date ? ` · ${ltr(h.date)}` : "")));
      }
    }
  } catch (err) {
    setStatus("search-status", err.message, true);
  }
}

// -- events and claims across the store -----------------------------------------------------

function eventFilters() {
  return {type: $("events-type").value, entity: $("events-entity").value,
          since: $("events-since").value, until: $("events-until").value,
          status: $("events-state").value, min_confidence: $("events-confidence").value};
}

const PAGE = 200;  // rows per page of the events and claims lists

/** "1–200 من 1,274 حدثًا": the page's rows and the true total, with buttons to the others. */
function pageStatus(id, res, noun, load) {
  const box = $(id);
  box.classList.remove("error");
  clear(box);
  if (!res.total) {
    box.textContent = `لا ${NOUNS[noun][4]}.`;
    return;
  }
  const from = res.offset + 1, to = res.offset + res.count;
  const total = res.total > 2 ? count(res.total, noun)
    : `${res.total} (${count(res.total, noun)})`;
  box.append(el("span", {class: "page-range"},
                `${from.toLocaleString("en")}–${to.toLocaleString("en")} من ${total}`));
  if (res.offset > 0) {
    box.append(" ", el("button", {type: "button", class: "page-prev",
                                 onclick: () => load(null, Math.max(0, res.offset - res.limit))},
                       "السابق"));
  }
  if (to < res.total) {
    box.append(" ", el("button", {type: "button", class: "page-next",
                                 onclick: () => load(null, res.offset + res.limit)}, "التالي"));
  }
}

async function loadEvents(event, offset = 0) {
  if (event) event.preventDefault();
  const filters = eventFilters();
  $("export-csv").href = `/api/export/events.csv?${query(filters)}`;
  $("export-geojson").href = `/api/export/events.geojson?${query(filters)}`;
  setStatus("events-status", "جار التحميل…");
  try {
    const res = await api(`/api/events?${query({...filters, sort: $("events-sort").value,
                                                limit: PAGE, offset})}`);
    pageStatus("events-status", res, "event", loadEvents);
    remember("events", offset);
    const rows = res.results.map(storedEventRow);
    clear($("events-table")).append(eventsTable(rows, {current: $("events-sort").value,
      onSort: (key) => { $("events-sort").value = key; loadEvents(); }}));
    // the map shows every event of the filters, not this page's (the API counts them)
    const where = await api(`/api/events/places?${query(filters)}`);
    drawMap($("events-map"), where.places.map((p) => ({
      lat: p.lat, lon: p.lon, label: p.name, count: p.count, href: `#entity/${p.id}`,
      precision: p.precision})), where.unlocated);
    // the chart counts every event of the filters; brushing a period filters the views
    const days = await api(`/api/events/timeline?${query(filters)}`);
    drawEventChart($("events-timeline"), days, (since, until) => {
      $("events-since").value = since;
      $("events-until").value = until;
      loadEvents();
    });
    const period = filters.since || filters.until;
    if (period) {
      $("events-timeline").append(el("button", {type: "button", class: "clear-period",
        onclick: () => { $("events-since").value = ""; $("events-until").value = ""; loadEvents(); }},
        "كل الفترات"));
    }
  } catch (err) {
    setStatus("events-status", err.message, true);
  }
}

async function loadClaims(event, offset = 0) {
  if (event) event.preventDefault();
  const list = clear($("claims-results"));
  setStatus("claims-status", "جار التحميل…");
  try {
    const res = await api(`/api/claims?${query({...fieldsOf("claims"), limit: PAGE, offset})}`);
    pageStatus("claims-status", res, "claim", loadClaims);
    remember("claims", offset);
    for (const h of res.results) {
      list.append(claimItem(h.source_text || "مصدر غير محدد",
                            h.source ? `#entity/${h.source.id}` : null, h,
                            el("div", {class: "muted"}, docLink(h), h.outlet ? ` · ${h.outlet}` : "",
                               h.date ? ` · ${ltr(h.date)}` : "")));
    }
  } catch (err) {
    setStatus("claims-status", err.message, true);
  }
}

// -- stories ------------------------------------------------------------------------------

const KIND_LABEL = {denial: "تأكيد مقابل نفي", numbers: "أرقام مختلفة",
                    actor: "فاعل مختلف للحدث نفسه", attribution: "نسبة التصريح نفسه لقائلين مختلفين"};

function daysText(a, b) {
  if (!a) return "";
  return a === b || !b ? a : `${a} – ${b}`;
}

async function loadStories(event, offset = 0) {
  if (event) event.preventDefault();
  const list = clear($("stories-results"));
  setStatus("stories-status", "جار التحميل…");
  try {
    const res = await api(`/api/stories?${query({since: $("stories-since").value,
                                                 until: $("stories-until").value,
                                                 min_articles: $("stories-min").value,
                                                 limit: 50, offset})}`);
    pageStatus("stories-status", res, "story", loadStories);
    remember("stories", offset);
    for (const s of res.results) {
      list.append(el("li", {class: "hit story-hit"},
        el("a", {href: `#story/${s.id}`, class: "hit-title"}, s.title || s.id),
        el("div", {class: "muted"},
           el("bdi", {}, daysText(s.first_day, s.last_day)),
           ` · ${s.n_articles} مقال · ${s.n_outlets} مصدر: `, s.outlets.join("، "))));
    }
  } catch (err) {
    setStatus("stories-status", err.message, true);
  }
}

/** One side of a contradiction: outlet, article, and the evidence with its key span marked. */
function evidenceNode(side) {
  const ev = side.evidence || {};
  const text = ev.text || "";
  const key = side.trigger || null;
  const marks = key && key.start >= ev.start && key.end <= ev.end
    ? [[key.start - ev.start, key.end - ev.start]] : [[0, text.length]];
  const href = side.store_doc != null ? `#doc/${side.store_doc}` : null;
  return el("div", {class: "side"},
    el("div", {class: "muted"}, el("strong", {}, side.outlet || "—"), " · ",
       href ? el("a", {href}, side.title || "المقال") : (side.title || ""),
       side.published ? el("bdi", {}, ` · ${dayOf(side.published)}`) : "",
       side.source ? ` · القائل: ${side.source}` : ""),
    el("blockquote", {class: "evidence"}, marked(text, marks)));
}

async function openStory(id) {
  const page = clear($("story-page"));
  setStatus("story-status", "جار التحميل…");
  try {
    const s = await api(`/api/stories/${encodeURIComponent(id)}`);
    setStatus("story-status", "");
    page.append(el("h2", {}, s.title || s.id),
                el("p", {class: "muted"}, el("bdi", {}, daysText(s.first_day, s.last_day)),
                   ` · ${s.n_articles} مقال من ${s.n_outlets} مصدر`));
    // Articles by outlet, in time order: who told it, and when.
    const byOutlet = {};
    for (const a of s.articles) (byOutlet[a.outlet || "—"] ||= []).push(a);
    page.append(el("h3", {}, "المقالات حسب المصدر"),
      el("table", {class: "story-articles"},
        el("thead", {}, el("tr", {}, ["المصدر", "المقالات (بالترتيب الزمني)"].map(
          (h) => el("th", {scope: "col"}, h)))),
        el("tbody", {}, Object.entries(byOutlet).map(([outlet, arts]) => el("tr", {},
          el("th", {scope: "row"}, outlet),
          el("td", {}, arts.map((a) => el("div", {class: "story-article"},
            el("bdi", {class: "muted nowrap"}, (a.published || "").replace("T", " ").slice(0, 16)),
            " ", el("a", {href: `#doc/${a.id}`}, a.title || `مقال ${a.id}`),
            a.duplicate_of ? el("small", {class: "muted"}, " (نسخة منشورة من قبل)") : ""))))))));
    // Merged events: one row per real-world event, with how many reports told it.
    const merged = s.event_clusters.filter((c) => c.articles > 1);
    page.append(el("h3", {}, `الأحداث المدموجة (${merged.length})`));
    if (!merged.length) page.append(el("p", {class: "muted"}, "لا حدث روته أكثر من مقالة."));
    else {
      page.append(el("table", {class: "events merged"},
        el("thead", {}, el("tr", {}, ["النوع", "الفاعل", "المستهدف", "المكان", "التاريخ",
                                      "التقارير", "المصادر"].map((h) => el("th", {scope: "col"}, h)))),
        el("tbody", {}, merged.map((c) => el("tr", {},
          el("td", {class: "type"}, eventTypeNode(c.type)), el("td", {}, c.actor || "—"),
          el("td", {}, c.target || "—"), el("td", {}, c.location || "—"),
          el("td", {class: "nowrap"}, c.day || "—"), el("td", {}, String(c.reports)),
          el("td", {}, c.outlets.join("، ")))))));
    }
    // Contradictions side by side, both texts with their evidence marked.
    page.append(el("h3", {}, `التناقضات (${s.contradictions.length})`));
    if (!s.contradictions.length) page.append(el("p", {class: "muted"}, "لم يُعثر على تناقض."));
    for (const x of s.contradictions) {
      page.append(el("div", {class: "contradiction", dataset: {kind: x.kind}},
        el("div", {class: "kind"}, KIND_LABEL[x.kind] || x.kind,
           x.values ? el("bdi", {}, ` (${x.values.join(" / ")})`) : ""),
        el("div", {class: "sides"}, evidenceNode(x.a), evidenceNode(x.b))));
    }
    // Framing: the words each outlet puts before an actor's name.
    if (s.framing.length) {
      page.append(el("h3", {}, "كيف تسمّي المصادرُ الأطرافَ"),
        el("table", {class: "framing"},
          el("thead", {}, el("tr", {}, ["الطرف", "المصدر", "الكلمات"].map(
            (h) => el("th", {scope: "col"}, h)))),
          el("tbody", {}, s.framing.flatMap((f) => Object.entries(f.outlets).map(([o, v], i) =>
            el("tr", {}, el("td", {}, i === 0 ? f.name : ""), el("td", {}, o),
               el("td", {}, v.words.length ? v.words.join("، ") : "—")))))));
    }
  } catch (err) {
    setStatus("story-status", err.message, true);
  }
}

// -- entity page --------------------------------------------------------------------------

async function openEntity(id) {
  const page = clear($("entity-page"));
  setStatus("entity-status", "جار التحميل…");
  let data;
  try {
    data = await api(`/api/entities/${encodeURIComponent(id)}`);
  } catch (err) {
    setStatus("entity-status", err.message, true);
    return;
  }
  setStatus("entity-status", "");
  const e = data.entity;
  page.append(
    el("h2", {}, el("span", {class: `ent ent-${e.type}`}, e.name), " ",
       el("small", {class: "muted"}, TYPE_LABEL[e.type] || e.type)),
    el("p", {class: "muted"},
       [e.name_en, e.kb_id && `KB: ${e.kb_id}`, e.country,
        e.lat != null ? `${e.lat.toFixed(3)}، ${e.lon.toFixed(3)}` : null]
         .filter(Boolean).join(" · ")),
    el("p", {}, `${count(e.mentions, "mention")} في ${count(e.documents, "article")}`),
    data.aliases.length ? el("p", {class: "aliases"}, "صيغ الاسم: ",
      data.aliases.map((a) => `${a.text} (${a.count.toLocaleString("en")})`).join("، ")) : null,
    data.generic && data.generic.length ? el("p", {class: "muted generic"},
      "وأشير إليه أيضا بأسماء عامة: ",
      data.generic.map((a) => `${a.text} (${a.count.toLocaleString("en")})`).join("، ")) : null);

  // who it meets: the other side of its events, and who is named in the same articles
  const people = (list, title, what) => {
    if (!list || !list.length) return;
    page.append(el("h3", {}, title), el("ul", {class: "entities"}, list.map((x) =>
      el("li", {}, el("a", {href: `#entity/${x.id}`, class: `ent-link ent-${x.type}`}, x.name),
         el("small", {class: "muted"}, ` ${count(x.count, what)}`)))));
  };
  people(data.counterparts, "الطرف الآخر في أحداثه", "event");
  people(data.co_occurring, "يُذكر معه في المقالات", "article");

  const mentions = el("ol", {class: "mentions"});
  const mentionsStatus = el("div", {class: "status", id: "entity-mentions-status"});
  const showMentions = (res) => {
    clear(mentions);
    mentions.start = res.offset + 1;
    for (const m of res.results) {
      mentions.append(el("li", {},
        el("span", {class: "context"}, "…" + m.before + " "),
        el("mark", {class: `ent ent-${m.type}`}, m.text),
        el("span", {class: "context"}, " " + m.after + "…"),
        el("div", {class: "muted"}, docLink(m), m.outlet ? ` · ${m.outlet}` : "",
           m.date ? ` · ${ltr(m.date)}` : "")));
    }
    mentionsStatus.id = "entity-mentions-status";
    pageStatus("entity-mentions-status", res, "mention", async (_, offset) => {
      try {
        showMentions(await api(`/api/entities/${e.id}/mentions?${query({offset, limit: 50})}`));
      } catch (err) {
        setStatus("entity-mentions-status", err.message, true);
      }
    });
  };
  page.append(el("h3", {}, "الإشارات"), mentionsStatus, mentions);
  showMentions({results: data.mentions, total: data.mentions_total ?? data.mentions.length,
                offset: 0, count: data.mentions.length, limit: 50});
  page.append(el("h3", {}, `الأحداث (${data.events.length})`),
              eventsTable(data.events.map(storedEventRow)));

  const says = el("ol", {class: "claims"});
  for (const c of data.claims) {
    says.append(claimItem(c.source_text || e.name, null, c,
                          el("div", {class: "muted"}, docLink(c))));
  }
  page.append(el("h3", {}, `ما قاله (${data.claims.length})`),
              data.claims.length ? says : el("p", {class: "muted"}, "لا تصريحات منسوبة إليه."));
  const about = el("ol", {class: "claims"});
  for (const c of data.claims_about) {
    about.append(claimItem(c.source_text || "مصدر غير محدد",
                           c.source ? `#entity/${c.source.id}` : null, c,
                           el("div", {class: "muted"}, docLink(c))));
  }
  page.append(el("h3", {}, `ما قيل عنه (${data.claims_about.length})`),
              data.claims_about.length ? about : el("p", {class: "muted"}, "لا شيء."));

  const byPlace = {};
  if (e.lat != null) {
    byPlace[e.id] = {lat: e.lat, lon: e.lon, label: e.name, count: 0, precision: precisionOf(e)};
  }
  for (const v of data.events) {
    const loc = v.location;
    if (!loc || loc.lat == null) continue;
    const p = byPlace[loc.id] || (byPlace[loc.id] = {lat: loc.lat, lon: loc.lon, label: loc.name,
                                                    count: 0, href: `#entity/${loc.id}`,
                                                    precision: precisionOf(loc)});
    p.count++;
  }
  const points = Object.values(byPlace);
  if (points.length) {
    const box = el("div", {class: "map"});
    page.append(el("h3", {}, "الخريطة"), box);
    drawMap(box, points);
  }
  const timeline = el("div", {class: "timeline"});
  page.append(el("h3", {}, "الخط الزمني"), timeline);
  drawTimeline(timeline, data.events.map((v) => ({date: v.date, type: v.type,
                                                  label: v.trigger.text})));
}

// -- timeline: events per day, oldest at the top --------------------------------------------

/** A timeline chart of ``items`` ({date, type}) of one article or entity (no brush). */
function drawTimeline(box, items) {
  drawEventChart(box, timelineOf(items));
}

// -- entity directory and type-ahead ------------------------------------------------------

async function loadEntities(event, offset = 0) {
  if (event) event.preventDefault();
  const box = clear($("entities-results"));
  setStatus("entities-status", "جار التحميل…");
  try {
    const res = await api(`/api/entities?${query({...fieldsOf("entities"), limit: 50, offset})}`);
    pageStatus("entities-status", res, "entity", loadEntities);
    remember("entities", offset);
    if (!res.results.length) return;
    const labels = ["الكيان", "النوع", "الإشارات", "المقالات"];
    const cell = (i, ...children) => el("td", {"data-label": labels[i]}, ...children);
    box.append(el("table", {class: "events entity-list"},
      el("thead", {}, el("tr", {}, labels.map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, res.results.map((e) => el("tr", {},
        cell(0, el("a", {href: `#entity/${e.id}`, class: `ent-link ent-${e.type}`}, e.name),
             e.name_en ? el("span", {class: "muted", dir: "ltr"}, ` ${e.name_en}`) : null),
        cell(1, TYPE_LABEL[e.type] || e.type),
        cell(2, e.mentions.toLocaleString("en")),
        cell(3, e.documents.toLocaleString("en")))))));
  } catch (err) {
    setStatus("entities-status", err.message, true);
  }
}

let suggestTimer = null;
let suggestAsked = "";

/** Type-ahead for every entity field: the store's entities whose names begin with (or
 * contain) what is typed, most mentioned first, in the shared <datalist>. */
function suggestEntities(event) {
  const text = event.target.value.trim();
  if (text.length < 2 || text === suggestAsked) return;
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(async () => {
    suggestAsked = text;
    try {
      const res = await api(`/api/entities?${query({q: text, limit: 10})}`);
      clear($("entity-names")).append(...res.results.map((e) =>
        el("option", {value: e.name}, `${TYPE_LABEL[e.type] || e.type} · ${e.mentions}`)));
    } catch (err) { /* suggestions are a help, not a need */ }
  }, 200);
}

// -- start --------------------------------------------------------------------------------

function start() {
  fillEventTypes($("search-type"));
  fillEventTypes($("events-type"));
  fillConfidence($("events-confidence"));
  fillConfidence($("claims-confidence"));
  $("analyze-form").addEventListener("submit", onAnalyze);
  $("job-cancel").addEventListener("click", cancelJob);
  loadJobSettings();
  $("search-form").addEventListener("submit", onSearch);
  $("events-form").addEventListener("submit", loadEvents);
  $("claims-form").addEventListener("submit", loadClaims);
  $("stories-form").addEventListener("submit", loadStories);
  $("entities-form").addEventListener("submit", loadEntities);
  for (const input of document.querySelectorAll("input[list=entity-names]")) {
    input.addEventListener("input", suggestEntities);
  }
  $("article-file").addEventListener("change", () => {
    if ($("article-file").files.length) $("article-text").value = "";
  });
  window.addEventListener("hashchange", route);
  refreshStats();
  route();
}

start();
