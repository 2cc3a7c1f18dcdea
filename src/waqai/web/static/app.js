// Waqai dashboard: vanilla JavaScript, no dependencies, no network beyond the app's own API.
// Every text that comes from the API goes into the page through textContent (see el/svg below).
"use strict";

// The 16 PLOVER event types, from cooperation to conflict (the API's own list: CONCEDE, no DEMAND).
const EVENT_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const EVENT_FILTERS = ["event_type", "actor", "recipient", "country", "since", "until", "q", "entity", "min_confidence"];
const PAGE = 50;
const BLOC_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22"];
const OTHER_BLOC = "#a0a7b1";
const MAP_VIEW = "0 6 360 148";  // world.json's 0 0 360 180 without the far Arctic and Antarctica (84°N to 64°S)

const I18N = {
  ar: {
    title: "وقائع Waqai — لوحة الأحداث", other_lang: "English", footer: "وقائع: بيانات أحداث سياسية من الأخبار العربية (PLOVER / CAMEO)",
    tab_events: "الأحداث", tab_map: "الخريطة", tab_dyads: "الثنائيات", tab_network: "الشبكة", tab_polarity: "الأقطاب", tab_code: "جرّب",
    f_type: "نوع الحدث", f_actor: "الفاعل", f_recipient: "المتلقي", f_country: "البلد (فاعل أو متلقٍّ)", f_since: "من", f_until: "إلى",
    f_q: "بحث في النص", f_entity: "شخص أو منظمة", f_confidence: "أدنى ثقة", any: "الكل", apply: "تطبيق", reset: "مسح",
    people: "الأشخاص", organisations: "المنظمات", named_in: "مذكور في {0} تقرير", k_people: "الأشخاص", k_orgs: "المنظمات",
    health: "{0} مقال · {1} حدث", health_error: "الخادم غير متاح",
    loading: "جارٍ التحميل…", error: "خطأ", err_network: "تعذّر الاتصال بالخادم", err_json: "ردّ غير صالح من الخادم",
    events_found: "حدثًا", showing: "عرض {0}–{1}", no_events: "لا توجد أحداث تطابق هذه المرشحات.",
    prev: "السابق", next: "التالي", details: "التفاصيل", source: "المصدر", none: "—",
    reports_sources: "التقارير: {0} · المصادر: {1}", confidence: "ثقة", goldstein: "غولدشتاين", place: "المكان",
    legend: "في الاقتباس:", legend_trigger: "فعل الحدث", legend_actor: "الفاعل", legend_recipient: "المتلقي",
    back: "→ العودة إلى الأحداث", event: "حدث", reports: "التقارير ({0})", raw: "السجل الكامل (JSON)",
    k_id: "المعرّف", k_date: "التاريخ", k_type: "النوع", k_cameo: "CAMEO", k_quad: "الفئة", k_actor: "الفاعل", k_recipient: "المتلقي",
    k_place: "المكان", k_confidence: "الثقة", k_coder: "المرمّز", k_reports: "التقارير", k_cite: "المصدر", k_published: "النشر",
    quad_1: "تعاون لفظي", quad_2: "تعاون مادي", quad_3: "صراع لفظي", quad_4: "صراع مادي",
    map_caption: "تظليل البلدان بعدد الأحداث (فاعلًا أو متلقيًا)؛ النقاط: {0} حدثًا محدد الموقع من أحدث {1}.",
    map_few: "أقل", map_many: "أكثر", cooperation: "تعاون", conflict: "صراع", events: "الأحداث",
    dyads_auto: "الثنائية الأكثر نشاطًا في هذه الفترة؛ اختر غيرها في المرشحات أعلاه أو من القائمة أدناه.",
    dyads_top: "أنشط الثنائيات",
    dyads_title: "{0} ← {1}", dyads_swap: "عكس الاتجاه", month: "الشهر", reports_n: "التقارير", types: "الأنواع",
    dyads_none: "لا أحداث بين هذين البلدين في هذه الفترة.", dyad: "الثنائية",
    network_caption: "العُقد: البلدان (الحجم = النشاط، اللون = الكتلة)؛ الروابط: أقوى {0} من {1} (الأخضر تعاون، الأحمر صراع).",
    bloc: "الكتلة {0}", other_blocs: "{0} كتلة صغيرة أخرى ({1} بلدًا)", activity: "النشاط", centrality: "المركزية", network_none: "لا شبكة في هذه الفترة.",
    polarity_caption: "عدد الأقطاب الفعلي شهريًا", poles: "الأقطاب", states: "الدول", top: "الأقطاب الرئيسية", polarity_none: "لا بيانات أقطاب في هذه الفترة.",
    code_intro: "الصق نصًا إخباريًا عربيًا لترى الأحداث التي يستخرجها وقائع منه.", code_run: "استخرج الأحداث",
    code_published: "تاريخ النشر (اختياري)", code_none: "لم يُعثر على أحداث في هذا النص.",
    t_AGREE: "اتفاق", t_ASSAULT: "اعتداء", t_ACCUSE: "اتهام", t_AID: "مساعدة", t_COERCE: "إكراه", t_CONSULT: "تشاور",
    t_COOPERATE: "تعاون", t_CONCEDE: "تنازل", t_MOBILIZE: "تعبئة", t_PROTEST: "احتجاج", t_REJECT: "رفض", t_REQUEST: "طلب",
    t_RETREAT: "تراجع", t_SANCTION: "عقوبات", t_SUPPORT: "دعم", t_THREATEN: "تهديد",
  },
  en: {
    title: "Waqai — event dashboard", other_lang: "العربية", footer: "Waqai: political event data from Arabic news (PLOVER / CAMEO)",
    tab_events: "Events", tab_map: "Map", tab_dyads: "Dyads", tab_network: "Network", tab_polarity: "Polarity", tab_code: "Try it",
    f_type: "Event type", f_actor: "Actor", f_recipient: "Recipient", f_country: "Country (either side)", f_since: "Since", f_until: "Until",
    f_q: "Text search", f_entity: "Person or organisation", f_confidence: "Min. confidence", any: "Any", apply: "Apply", reset: "Clear",
    people: "People", organisations: "Organisations", named_in: "named in {0} report(s)", k_people: "People", k_orgs: "Organisations",
    health: "{0} articles · {1} events", health_error: "server unreachable",
    loading: "Loading…", error: "Error", err_network: "Cannot reach the server", err_json: "Invalid answer from the server",
    events_found: "events", showing: "showing {0}–{1}", no_events: "No events match these filters.",
    prev: "Previous", next: "Next", details: "Details", source: "Source", none: "—",
    reports_sources: "reports: {0} · sources: {1}", confidence: "confidence", goldstein: "Goldstein", place: "Place",
    legend: "In the quote:", legend_trigger: "event trigger", legend_actor: "actor", legend_recipient: "recipient",
    back: "← Back to events", event: "Event", reports: "Reports ({0})", raw: "Full record (JSON)",
    k_id: "ID", k_date: "Date", k_type: "Type", k_cameo: "CAMEO", k_quad: "Quad class", k_actor: "Actor", k_recipient: "Recipient",
    k_place: "Place", k_confidence: "Confidence", k_coder: "Coder", k_reports: "Reports", k_cite: "Source", k_published: "Published",
    quad_1: "verbal cooperation", quad_2: "material cooperation", quad_3: "verbal conflict", quad_4: "material conflict",
    map_caption: "Countries shaded by number of events (as actor or recipient); dots: {0} located events of the latest {1}.",
    map_few: "fewer", map_many: "more", cooperation: "Cooperation", conflict: "Conflict", events: "Events",
    dyads_auto: "The most active dyad of the period; pick another in the filters above or in the list below.",
    dyads_top: "Most active dyads",
    dyads_title: "{0} → {1}", dyads_swap: "Reverse direction", month: "Month", reports_n: "Reports", types: "Types",
    dyads_none: "No events between these two countries in this period.", dyad: "Dyad",
    network_caption: "Nodes: countries (size = activity, colour = bloc); links: strongest {0} of {1} (green cooperation, red conflict).",
    bloc: "Bloc {0}", other_blocs: "{0} other small blocs ({1} countries)", activity: "Activity", centrality: "Centrality", network_none: "No network in this period.",
    polarity_caption: "Effective number of poles per month", poles: "Poles", states: "States", top: "Main poles", polarity_none: "No polarity data in this period.",
    code_intro: "Paste Arabic news text to see the events Waqai finds in it.", code_run: "Find events",
    code_published: "Publication date (optional)", code_none: "No events found in this text.",
    t_AGREE: "Agree", t_ASSAULT: "Assault", t_ACCUSE: "Accuse", t_AID: "Aid", t_COERCE: "Coerce", t_CONSULT: "Consult",
    t_COOPERATE: "Cooperate", t_CONCEDE: "Concede", t_MOBILIZE: "Mobilize", t_PROTEST: "Protest", t_REJECT: "Reject", t_REQUEST: "Request",
    t_RETREAT: "Retreat", t_SANCTION: "Sanction", t_SUPPORT: "Support", t_THREATEN: "Threaten",
  },
};

const state = {
  lang: storedLanguage(),
  countries: {},  // ISO3 -> {en, ar}, from /api/countries
  health: null,   // /health, or an Error
  world: null,    // /static/world.json, loaded once
  draft: "",      // text typed in the "try it" box, kept across re-renders
  token: 0,       // bumped on every route, so a slow answer never paints over a newer view
};

// ---- small helpers ---------------------------------------------------------------------------------

function storedLanguage() {
  try { return localStorage.getItem("waqai.lang") === "en" ? "en" : "ar"; } catch { return "ar"; }
}

function t(key, ...args) {
  const s = I18N[state.lang][key] ?? I18N.en[key] ?? key;
  return s.replace(/\{(\d)\}/g, (_, i) => args[i]);
}

// Children as given to el()/svg(): nested arrays are flattened, null and false skipped.
const nodes = (children) => children.flat(Infinity).filter((c) => c != null && c !== false);

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  return node;
}

function el(tag, attrs = {}, ...children) {
  const node = setAttrs(document.createElement(tag), attrs);
  node.append(...nodes(children));
  return node;
}

function svg(tag, attrs = {}, ...children) {
  const node = setAttrs(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs);
  node.append(...nodes(children));
  return node;
}

const num = (n, digits = 0) => n == null || Number.isNaN(Number(n)) ? "–"
  : Number(n).toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
const signed = (n) => ltr((n > 0 ? "+" : "") + num(n, 1));
// Dates and signed numbers keep their left-to-right order inside Arabic text.
const ltr = (text) => el("bdi", {dir: "ltr"}, text);
const countryName = (code, fallback) => code
  ? state.countries[code]?.[state.lang] || state.countries[code]?.en || fallback || code : t("none");
const typeName = (type) => (EVENT_TYPES.includes(type) ? t(`t_${type}`) : type || t("none"));
const arrow = () => (state.lang === "ar" ? " ← " : " → ");
const sep = () => (state.lang === "ar" ? "، " : ", ");
const pick = (params, keys) => Object.fromEntries(keys.filter((k) => params[k]).map((k) => [k, params[k]]));
const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);

function errorBox(err) {
  return el("div", {class: "error", role: "alert", "data-testid": "error"}, `${t("error")}: ${err.message || err}`);
}

const emptyBox = (message) => el("p", {class: "empty", "data-testid": "empty"}, message);

async function api(path, params = {}, options = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString();
  let res;
  try {
    res = await fetch(query ? `${path}?${query}` : path, options);
  } catch {
    throw new Error(t("err_network"));
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON: reported below */ }
  if (!res.ok) throw new Error(`HTTP ${res.status}${detailOf(body) ? `: ${detailOf(body)}` : ""}`);
  if (body == null) throw new Error(t("err_json"));
  return body;
}

function detailOf(body) {
  const d = body?.detail;
  if (Array.isArray(d)) return d.map((e) => `${(e.loc || []).filter((p) => p !== "query").join(".")}: ${e.msg}`).join("; ");
  return typeof d === "string" ? d : "";
}

// ---- routing: #/view/arg?filters ---------------------------------------------------------------------

const VIEWS = {
  events: {render: viewEvents, fields: EVENT_FILTERS},
  event: {render: viewEvent, fields: null},
  map: {render: viewMap, fields: ["since", "until"]},
  dyads: {render: viewDyads, fields: ["actor", "recipient", "since", "until"]},
  network: {render: viewNetwork, fields: ["since", "until"]},
  polarity: {render: viewPolarity, fields: ["since", "until"]},
  code: {render: viewCode, fields: null},
};

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "");
  const cut = hash.indexOf("?");
  const [view, ...rest] = (cut < 0 ? hash : hash.slice(0, cut)).split("/");
  const params = Object.fromEntries(new URLSearchParams(cut < 0 ? "" : hash.slice(cut + 1)));
  let arg = rest.join("/");
  try { arg = decodeURIComponent(arg); } catch { /* malformed escape: keep it as typed */ }
  return {view: VIEWS[view] ? view : "events", arg, params};
}

function hrefFor(view, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString();
  return `#/${view}${query ? `?${query}` : ""}`;
}

function go(href) {
  if (location.hash === href) route();
  else location.hash = href;
}

async function route() {
  const {view, arg, params} = parseHash();
  const token = ++state.token;
  syncForm(params, VIEWS[view].fields);
  for (const a of document.querySelectorAll(".tabs a")) {
    a.href = hrefFor(a.dataset.view, pick(params, EVENT_FILTERS));
    a.classList.toggle("active", a.dataset.view === view);
    if (a.dataset.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  const main = document.getElementById("view");
  main.replaceChildren(el("p", {class: "loading"}, t("loading")));
  let node;
  try {
    node = await VIEWS[view].render(params, arg);
  } catch (err) {
    node = errorBox(err);
  }
  if (token === state.token) main.replaceChildren(node);
}

// ---- header, language and the filter form -----------------------------------------------------------

const form = () => document.querySelector("form.filters");

function syncForm(params, fields) {
  const f = form();
  f.hidden = !fields;
  for (const label of f.querySelectorAll("label[data-for]")) {
    const name = label.dataset.for;
    label.hidden = !fields?.includes(name);
    const input = f.elements[name];
    const value = params[name] || "";
    if (input.tagName === "SELECT" && value && ![...input.options].some((o) => o.value === value)) {
      input.append(el("option", {value}, value));  // a code the lists do not know still shows
    }
    input.value = value;
  }
}

function fillSelects() {
  const f = form();
  const typeSelect = f.elements.event_type;
  const type = typeSelect.value;
  typeSelect.replaceChildren(...nodes([el("option", {value: ""}, t("any")),
    EVENT_TYPES.map((ty) => el("option", {value: ty}, `${typeName(ty)} (${ty})`))]));
  typeSelect.value = type;
  const codes = Object.keys(state.countries)
    .sort((a, b) => countryName(a).localeCompare(countryName(b), state.lang));
  for (const select of f.querySelectorAll("select.country-select")) {
    const value = select.value;
    select.replaceChildren(...nodes([el("option", {value: ""}, t("any")),
      codes.map((c) => el("option", {value: c}, `${countryName(c)} (${c})`))]));
    select.value = value;
  }
}

function applyLanguage() {
  const root = document.documentElement;
  root.lang = state.lang;
  root.dir = state.lang === "ar" ? "rtl" : "ltr";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.querySelector("[data-testid=lang-toggle]").textContent = t("other_lang");
  const h = state.health;
  document.querySelector("[data-testid=health]").textContent =
    !h ? "" : h instanceof Error ? t("health_error") : t("health", num(h.articles), num(h.events));
  fillSelects();
}

function setupForm() {
  const f = form();
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    const {view} = parseHash();
    const params = {};
    for (const name of EVENT_FILTERS) params[name] = f.elements[name].value.trim();
    go(hrefFor(VIEWS[view].fields ? view : "events", params));
  });
  f.addEventListener("reset", (e) => {
    e.preventDefault();
    go(hrefFor(parseHash().view));
  });
  document.querySelector("[data-testid=lang-toggle]").addEventListener("click", () => {
    state.lang = state.lang === "ar" ? "en" : "ar";
    try { localStorage.setItem("waqai.lang", state.lang); } catch { /* private mode: not remembered */ }
    applyLanguage();
    route();
  });
}

// ---- pieces of an event --------------------------------------------------------------------------------

// The quote with the trigger, actors and recipients marked. Offsets count code points, as in Python.
function quoteNode(text, info, trigger, actors, recipients) {
  text = text || "";
  const chars = Array.from(text);
  const label = new Array(chars.length).fill("");
  const find = (s) => {
    const i = s ? text.indexOf(s) : -1;
    return i < 0 ? null : Array.from(text.slice(0, i)).length;
  };
  const paint = (start, length, cls) => {
    for (let i = Math.max(0, start); i < Math.min(start + length, chars.length); i++) label[i] = cls;
  };
  for (const [list, cls] of [[recipients, "recipient"], [actors, "actor"]]) {
    for (const a of list || []) {
      const at = find(a.entity_text);
      if (at != null) paint(at, Array.from(a.entity_text).length, cls);
    }
  }
  if (trigger?.text) {
    let at = info && trigger.start != null ? trigger.start - info.start : null;
    const length = Array.from(trigger.text).length;
    if (at == null || chars.slice(at, at + length).join("") !== trigger.text) at = find(trigger.text);
    if (at != null) paint(at, length, "trigger");
  }
  const quote = el("blockquote", {class: "quote", "data-testid": "quote", lang: "ar", dir: "rtl"});
  let start = 0;
  for (let i = 1; i <= chars.length; i++) {
    if (i < chars.length && label[i] === label[start]) continue;
    const piece = chars.slice(start, i).join("");
    quote.append(label[start] ? el("mark", {class: label[start], title: t(`legend_${label[start]}`)}, piece) : piece);
    start = i;
  }
  return quote;
}

function highlightLegend() {
  return el("p", {class: "legend", "data-testid": "quote-legend"}, t("legend"), " ",
    ["trigger", "actor", "recipient"].map((cls) => [el("mark", {class: cls}, t(`legend_${cls}`)), " "]));
}

function actorsNode(actors) {
  if (!actors?.length) return el("span", {class: "nobody"}, t("none"));
  return el("span", {class: "actors"}, actors.map((a, i) => [
    i ? sep() : null,
    el("span", {class: "actor-name", title: [a.code, a.entity_text, a.name].filter(Boolean).join(" · ")},
      countryName(a.country, a.code), a.sector?.length ? el("small", {}, ` ${a.sector.join("/")}`) : null),
  ]));
}

// The people and organisations an event's reports name; each links to the events that name it too.
function namedNode(rec) {
  const chip = (x, kind) => el("a", {class: `chip ${kind}`, "data-testid": `entity-${kind}`, lang: "ar", dir: "rtl",
    href: hrefFor("events", {entity: x.form}),
    title: [x.name, x.code, x.roles?.length ? t(`legend_${x.roles[0]}`) : null, t("named_in", x.reports)].filter(Boolean).join(" · ")},
    x.form);
  const people = rec.people || [], orgs = rec.organisations || [];
  if (!people.length && !orgs.length) return null;
  return el("div", {class: "named"},
    people.length ? [el("span", {class: "muted"}, `${t("people")}: `), people.map((x) => chip(x, "person"))] : null,
    orgs.length ? [el("span", {class: "muted"}, `${t("organisations")}: `), orgs.map((x) => chip(x, "org"))] : null);
}

const typeBadge = (rec) => el("span", {class: `type q${rec.quad_class}`, title: t(`quad_${rec.quad_class}`)}, typeName(rec.event_type));

// A date known only to the month or the year is shown as 2019-03 or 2019.
function dateNode(date, precision) {
  if (!date) return t("none");
  return el("time", {datetime: date, dir: "ltr"},
    precision === "year" ? date.slice(0, 4) : precision === "month" ? date.slice(0, 7) : date);
}

function placeText(loc) {
  if (!loc) return null;
  const name = loc.resolved_place || loc.extracted_place || "";
  return loc.country_code && loc.country_code !== name ? `${name} (${countryName(loc.country_code)})` : name;
}

// Event links keep the filters and page they were followed from, for the way back.
const eventHref = (id) => hrefFor(`event/${encodeURIComponent(id)}`, pick(parseHash().params, [...EVENT_FILTERS, "offset"]));

function sourceLink(url, label) {
  const href = safeUrl(url);
  return href ? el("a", {href, target: "_blank", rel: "noopener noreferrer", "data-testid": "source-link"}, label) : null;
}

function eventCard(rec, withLink = true) {
  const cite = rec.cite_info || {};
  const place = placeText(rec.event_loc);
  return el("article", {class: `event q${rec.quad_class}`, "data-testid": "event-item", "data-event-id": rec.id},
    el("header", {},
      dateNode(rec.date, rec.date_precision),
      typeBadge(rec),
      el("span", {class: "type-code"}, rec.event_type),
      rec.mode ? el("span", {class: "mode"}, rec.mode) : null,
      el("span", {class: "cameo"}, `CAMEO ${rec.cameo || "–"}`),
      el("span", {class: "gold"}, `${t("goldstein")} `, signed(rec.goldstein)),
      el("span", {class: "conf"}, `${t("confidence")} ${num(rec.confidence, 2)}`)),
    el("div", {class: "dyad"}, actorsNode(rec.actor), arrow(), actorsNode(rec.recipient)),
    el("div", {class: "meta"},
      place ? el("span", {}, `${t("place")}: ${place}`) : null,
      rec.n_reports != null ? el("span", {}, t("reports_sources", rec.n_reports, rec.n_sources)) : null),
    quoteNode(rec.text, rec.text_info, rec.trigger, rec.actor, rec.recipient),
    namedNode(rec),
    el("footer", {},
      el("span", {class: "cite"}, [cite.publication, cite.title].filter(Boolean).join(" — ")),
      sourceLink(cite.url, t("source")),
      withLink && rec.id ? el("a", {href: eventHref(rec.id), "data-testid": "event-link"}, t("details")) : null));
}

// ---- views -------------------------------------------------------------------------------------------

async function viewEvents(params) {
  const offset = Math.max(0, parseInt(params.offset, 10) || 0);
  const data = await api("/api/events", {...pick(params, EVENT_FILTERS), limit: PAGE, offset});
  const page = (o) => () => go(hrefFor("events", {...pick(params, EVENT_FILTERS), offset: o || ""}));
  const last = offset + data.items.length;
  return el("section", {class: "view-events"},
    el("div", {class: "summary"},
      el("strong", {"data-testid": "total"}, String(data.total)), " ", t("events_found"),
      data.items.length ? el("span", {class: "muted"}, ` · ${t("showing", num(offset + 1), num(last))}`) : null),
    data.items.length ? [highlightLegend(), el("div", {class: "events"}, data.items.map((r) => eventCard(r)))]
      : emptyBox(t("no_events")),
    el("nav", {class: "pager"},
      el("button", {type: "button", "data-testid": "prev-page", disabled: offset === 0, onclick: page(Math.max(0, offset - PAGE))}, t("prev")),
      el("button", {type: "button", "data-testid": "next-page", disabled: last >= data.total, onclick: page(offset + PAGE)}, t("next"))));
}

function actorRows(actors) {
  return (actors || []).map((a) => el("div", {},
    el("strong", {}, countryName(a.country, a.code)),
    ` ${[a.code, a.sector?.join("/"), a.name].filter(Boolean).join(" · ")}`,
    a.entity_text ? el("span", {class: "entity", lang: "ar", dir: "rtl"}, ` «${a.entity_text}»`) : null));
}

async function viewEvent(params, id) {
  const data = await api(`/api/events/${encodeURIComponent(id)}`);
  const rec = data.event;
  if (!rec) throw new Error(t("err_json"));
  const cite = rec.cite_info || {};
  const loc = rec.event_loc;
  const rows = [
    ["k_id", rec.id],
    ["k_date", dateNode(rec.date, rec.date_precision)],
    ["k_type", [typeBadge(rec), " ", el("bdi", {}, [rec.event_type, rec.mode, ...(rec.context || [])].filter(Boolean).join(" · "))]],
    ["k_cameo", [`${rec.cameo} · ${t("goldstein")} `, signed(rec.goldstein)]],
    ["k_quad", `${rec.quad_class} · ${t(`quad_${rec.quad_class}`)}`],
    ["k_actor", actorRows(rec.actor)],
    ["k_recipient", rec.recipient?.length ? actorRows(rec.recipient) : t("none")],
    ["k_people", namedNode({people: rec.people}) || t("none")],
    ["k_orgs", namedNode({organisations: rec.organisations}) || t("none")],
    ["k_place", loc ? [el("bdi", {}, loc.extracted_place || t("none")), arrow(), el("bdi", {}, placeText(loc)), " ",
      el("bdi", {dir: "ltr"}, `(${num(loc.lat, 2)}, ${num(loc.lon, 2)})`)] : t("none")],
    ["k_confidence", num(rec.confidence, 2)],
    ["k_reports", t("reports_sources", rec.n_reports, rec.n_sources)],
    ["k_cite", [[cite.publication, cite.title].filter(Boolean).join(" — "), " ", sourceLink(cite.url, t("source"))]],
    ["k_coder", rec.coder],
  ];
  return el("section", {class: "event-page", "data-testid": "event-page", "data-event-id": rec.id},
    el("a", {href: hrefFor("events", pick(params, [...EVENT_FILTERS, "offset"])), class: "back"}, t("back")),
    el("h2", {}, `${t("event")}: ${typeName(rec.event_type)} — `, actorsNode(rec.actor), arrow(), actorsNode(rec.recipient)),
    highlightLegend(),
    quoteNode(rec.text, rec.text_info, rec.trigger, rec.actor, rec.recipient),
    el("dl", {class: "fields"}, rows.map(([k, v]) => [el("dt", {}, t(k)), el("dd", {}, v ?? t("none"))])),
    el("details", {class: "raw"}, el("summary", {}, t("raw")), el("pre", {dir: "ltr"}, JSON.stringify(rec, null, 2))),
    el("h3", {}, t("reports", data.reports.length)),
    data.reports.map((r) => el("article", {class: "report", "data-testid": "report", "data-mention-id": r.mention_id},
      el("h4", {}, safeUrl(r.url) ? sourceLink(r.url, r.title || r.url) : r.title || t("none")),
      el("div", {class: "meta"},
        el("span", {}, r.source || t("none")),
        el("span", {}, `${t("k_published")}: `, dateNode(r.published)),
        el("span", {}, `${t("k_date")}: `, dateNode(r.date)),
        el("span", {}, `${t("confidence")} ${num(r.confidence, 2)}`)),
      el("div", {class: "dyad"}, actorsNode(r.actor), arrow(), actorsNode(r.recipient)),
      quoteNode(r.quote, r.text_info, r.trigger, r.actor, r.recipient))));
}

const shade = (f) => `hsl(205, 65%, ${Math.round(90 - 58 * f)}%)`;

async function viewMap(params) {
  const range = pick(params, ["since", "until"]);
  const [world, network, events] = await Promise.all([
    state.world || api("/static/world.json"), api("/api/network", range), api("/api/events", {...range, limit: 1000})]);
  state.world = world;
  const activity = Object.fromEntries(network.nodes.map((n) => [n.id, n.activity]));
  const scale = Math.log1p(Math.max(1, ...Object.values(activity)));
  const located = events.items.filter((r) => r.event_loc?.lat != null && r.event_loc?.lon != null);
  const countries = world.countries.map((c) => {
    const n = activity[c.iso3] || 0;
    return svg("path", {d: c.d, class: "land", style: n ? `fill:${shade(Math.log1p(n) / scale)}` : null, "data-iso3": c.iso3,
      onclick: () => go(hrefFor("events", {...range, country: c.iso3}))},
    svg("title", {}, `${countryName(c.iso3, c.name)}: ${num(n)}`));
  });
  const markers = located.map((r) => svg("a", {href: eventHref(r.id)},
    svg("circle", {class: `marker q${r.quad_class}`, cx: (r.event_loc.lon + 180).toFixed(2), cy: (90 - r.event_loc.lat).toFixed(2), r: 0.9},
      svg("title", {}, `${r.date} · ${typeName(r.event_type)} (${r.event_type}) · ${placeText(r.event_loc)}\n${(r.text || "").slice(0, 120)}…`))));
  return el("section", {class: "view-map", "data-testid": "map"},
    el("p", {class: "caption"}, t("map_caption", num(located.length), num(events.items.length))),
    svg("svg", {viewBox: MAP_VIEW, class: "world", role: "img", "aria-label": t("tab_map")},
      svg("rect", {class: "sea", x: 0, y: 0, width: 360, height: 180}), countries, svg("g", {class: "markers"}, markers)),
    el("div", {class: "legend"},
      el("span", {}, t("map_few")), [0, 0.25, 0.5, 0.75, 1].map((f) => el("span", {class: "swatch", style: `background:${shade(f)}`})),
      el("span", {}, t("map_many")),
      [1, 2, 3, 4].map((q) => el("span", {class: "key"}, el("span", {class: `dot q${q}`}), t(`quad_${q}`)))),
    el("p", {class: "muted small"}, world.source));
}

// Every month from the first to the last one given, so gaps show as zero.
function monthSpan(months) {
  if (!months.length) return [];
  const sorted = [...months].sort();
  let [y, m] = sorted[0].split("-").map(Number);
  const out = [];
  for (let key = sorted[0]; key <= sorted.at(-1) && out.length < 1200;) {
    out.push(key);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
    key = `${y}-${String(m).padStart(2, "0")}`;
  }
  return out;
}

function monthRange(month) {
  const [y, m] = month.split("-").map(Number);
  return {since: `${month}-01`, until: `${month}-${new Date(y, m, 0).getDate()}`};
}

// An SVG chart frame with month labels along the bottom; returns the root and an x() for month i.
function chartFrame(months, {width = 900, height = 300, left = 48, right = 48, top = 16, bottom = 40} = {}) {
  const step = (width - left - right) / Math.max(1, months.length);
  const x = (i) => left + (i + 0.5) * step;
  const every = Math.max(1, Math.ceil(months.length / 12));
  const root = svg("svg", {viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", direction: "ltr"},
    svg("line", {class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom}),
    months.map((mo, i) => (i % every ? null : svg("text", {class: "tick", x: x(i), y: height - bottom + 16, "text-anchor": "middle"}, mo))));
  return {root, x, step, width, left, right, top, plot: height - top - bottom};
}

// Cooperation up and conflict down in the upper panel, event counts in the lower one.
function dyadChart(rows) {
  const f = chartFrame(rows.map((r) => r.period), {height: 380, right: 90});
  const maxV = Math.max(1, ...rows.map((r) => Math.max(r.cooperation, r.conflict)));
  const maxE = Math.max(1, ...rows.map((r) => r.events));
  const upper = f.plot * 0.72, gap = 14, lower = f.plot - upper - gap;
  const mid = f.top + upper / 2;
  const h = (v) => (v / maxV) * (upper / 2);
  const hE = (v) => (v / maxE) * lower;
  const base = f.top + f.plot;
  const bw = Math.max(1, f.step * 0.7);
  const tick = (y, label) => svg("text", {class: "tick", x: f.left - 6, y, "text-anchor": "end"}, label);
  f.root.append(...nodes([
    svg("line", {class: "zero", x1: f.left, x2: f.width - f.right, y1: mid, y2: mid}),
    tick(f.top + 10, num(maxV, 1)), tick(mid + 4, "0"), tick(f.top + upper, `−${num(maxV, 1)}`),
    tick(base - lower + 10, num(maxE)),
    svg("text", {class: "tick", x: f.width - f.right + 6, y: mid + 4}, t("goldstein")),
    svg("text", {class: "tick", x: f.width - f.right + 6, y: base - 2}, t("events")),
    rows.map((r, i) => svg("g", {},
      svg("title", {}, `${r.period}: ${t("cooperation")} ${num(r.cooperation, 1)} · ${t("conflict")} ${num(r.conflict, 1)} · ${t("events")} ${r.events}`),
      svg("rect", {class: "bar coop", x: f.x(i) - bw / 2, width: bw, y: mid - h(r.cooperation), height: h(r.cooperation)}),
      svg("rect", {class: "bar conflict", x: f.x(i) - bw / 2, width: bw, y: mid, height: h(r.conflict)}),
      svg("rect", {class: "bar events", x: f.x(i) - bw / 2, width: bw, y: base - hE(r.events), height: hE(r.events)})))]));
  return f.root;
}

function chartLegend(items) {
  return el("div", {class: "legend"}, items.map(([cls, label]) => el("span", {class: "key"}, el("span", {class: `dot ${cls}`}), label)));
}

// One dyad's months; without a chosen pair, the most active dyad of the period, with the others listed.
async function viewDyads(params) {
  const range = pick(params, ["since", "until"]);
  let {actor, recipient} = params;
  let top = [];
  if (!actor || !recipient) {
    const data = await api("/api/dyads", {...range, actor, recipient, period: "all"});
    top = [...data.items].sort((a, b) => b.events - a.events).slice(0, 30);
    if (!top.length) return el("section", {class: "view-dyads", "data-testid": "dyads"}, emptyBox(t("no_events")));
    ({actor, recipient} = top[0]);
  }
  const data = await api("/api/dyads", {...range, actor, recipient, period: "month"});
  const byMonth = {};
  for (const d of data.items) {
    const r = (byMonth[d.period] ??= {period: d.period, events: 0, reports: 0, cooperation: 0, conflict: 0, by_type: {}});
    r.events += d.events; r.reports += d.reports;
    r.cooperation += Math.abs(d.cooperation); r.conflict += Math.abs(d.conflict);
    for (const [k, v] of Object.entries(d.by_type || {})) r.by_type[k] = (r.by_type[k] || 0) + v;
  }
  const rows = monthSpan(Object.keys(byMonth).filter(Boolean))
    .map((p) => byMonth[p] || {period: p, events: 0, reports: 0, cooperation: 0, conflict: 0, by_type: {}});
  const dyadHref = (a, r) => hrefFor("dyads", {...params, actor: a, recipient: r});
  const head = (labels) => el("thead", {}, el("tr", {}, labels.map((h) => el("th", {}, t(h)))));
  return el("section", {class: "view-dyads", "data-testid": "dyads"},
    el("h2", {}, t("dyads_title", countryName(actor), countryName(recipient)), " ",
      el("a", {href: dyadHref(recipient, actor), class: "small", "data-testid": "dyad-swap"}, t("dyads_swap"))),
    top.length ? el("p", {class: "caption"}, t("dyads_auto")) : null,
    rows.length ? [
      chartLegend([["coop", t("cooperation")], ["conflict", t("conflict")], ["events", t("events")]]),
      dyadChart(rows),
      el("table", {class: "data"}, head(["month", "events", "reports_n", "cooperation", "conflict", "types"]),
        el("tbody", {}, rows.filter((r) => r.events).reverse().map((r) => el("tr", {},
          el("td", {}, el("a", {href: hrefFor("events", {actor, recipient, ...monthRange(r.period)})}, r.period)),
          el("td", {}, num(r.events)), el("td", {}, num(r.reports)),
          el("td", {}, num(r.cooperation, 1)), el("td", {}, num(r.conflict, 1)),
          el("td", {}, Object.entries(r.by_type).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${typeName(k)} ${v}`).join(sep()))))))]
      : emptyBox(t("dyads_none")),
    top.length ? [el("h3", {}, t("dyads_top")),
      el("table", {class: "data"}, head(["dyad", "events", "reports_n", "cooperation", "conflict"]),
        el("tbody", {}, top.map((d) => el("tr", {},
          el("td", {}, el("a", {href: dyadHref(d.actor, d.recipient), "data-testid": "dyad-link"},
            countryName(d.actor), arrow(), countryName(d.recipient))),
          el("td", {}, num(d.events)), el("td", {}, num(d.reports)),
          el("td", {}, num(d.cooperation, 1)), el("td", {}, num(d.conflict, 1))))))] : null);
}

// The server's layout packs the busiest countries near the centre. Spread it: each node keeps its
// direction from the centre and its rank by distance, and the ranks fill the disc evenly.
function spread(nodesList) {
  const byRadius = [...nodesList].sort((a, b) => Math.hypot(a.x, a.y) - Math.hypot(b.x, b.y));
  return Object.fromEntries(byRadius.map((n, i) => {
    const angle = Math.atan2(n.y, n.x), r = Math.sqrt((i + 1) / byRadius.length);
    return [n.id, [r * Math.cos(angle), r * Math.sin(angle)]];
  }));
}

async function viewNetwork(params) {
  const range = pick(params, ["since", "until"]);
  const data = await api("/api/network", range);
  if (!data.nodes.length) return el("section", {class: "view-network", "data-testid": "network"}, emptyBox(t("network_none")));
  const W = 900, H = 640, pad = 40;
  const pos = {};
  for (const [id, [x, y]] of Object.entries(spread(data.nodes))) {
    pos[id] = [pad + ((x + 1) / 2) * (W - 2 * pad), pad + ((1 - y) / 2) * (H - 2 * pad)];
  }
  const maxA = Math.max(1, ...data.nodes.map((n) => n.activity));
  const radius = (n) => 3 + 15 * Math.sqrt(n.activity / maxA);
  const colour = (bloc) => BLOC_COLOURS[bloc] || OTHER_BLOC;  // the largest blocs come first
  const edges = data.edges.filter((e) => pos[e.source] && pos[e.target]).sort((a, b) => b.events - a.events).slice(0, 400);
  const maxE = Math.max(1, ...edges.map((e) => e.events));
  const byActivity = [...data.nodes].sort((a, b) => b.activity - a.activity);
  const labelled = new Set(byActivity.slice(0, 30).map((n) => n.id));
  const graph = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "network", role: "img", "aria-label": t("tab_network")},
    svg("g", {class: "edges"}, edges.map((e) => svg("line", {
      class: e.conflict > e.cooperation ? "edge conflict" : "edge coop",
      x1: pos[e.source][0], y1: pos[e.source][1], x2: pos[e.target][0], y2: pos[e.target][1],
      "stroke-width": (0.5 + 5 * Math.sqrt(e.events / maxE)).toFixed(2)},
    svg("title", {}, `${countryName(e.source)}${arrow()}${countryName(e.target)}: ${t("events")} ${e.events} · ${t("cooperation")} ${num(e.cooperation, 1)} · ${t("conflict")} ${num(e.conflict, 1)}`)))),
    svg("g", {class: "nodes"}, byActivity.slice().reverse().map((n) => svg("g", {class: "node", "data-id": n.id,
      onclick: () => go(hrefFor("events", {...range, country: n.id}))},
    svg("circle", {cx: pos[n.id][0], cy: pos[n.id][1], r: radius(n), fill: colour(n.bloc)}),
    labelled.has(n.id) ? svg("text", {x: pos[n.id][0], y: pos[n.id][1] - radius(n) - 3, "text-anchor": "middle"}, countryName(n.id)) : null,
    svg("title", {}, `${countryName(n.id)} (${n.id}) · ${t("activity")} ${num(n.activity)} · ${t("centrality")} ${num(n.centrality, 3)} · ${t("bloc", (n.bloc ?? -1) + 1)}`)))));
  const activity = Object.fromEntries(data.nodes.map((n) => [n.id, n.activity]));
  const blocs = data.blocs || [];
  return el("section", {class: "view-network", "data-testid": "network"},
    el("p", {class: "caption"}, t("network_caption", num(edges.length), num(data.edges.length))),
    graph,
    el("ul", {class: "blocs", "data-testid": "bloc-legend"}, blocs.slice(0, BLOC_COLOURS.length).map((members, i) => {
      const sorted = [...members].sort((a, b) => (activity[b] || 0) - (activity[a] || 0));
      return el("li", {}, el("span", {class: "dot", style: `background:${colour(i)}`}), el("strong", {}, t("bloc", i + 1)), " ",
        sorted.slice(0, 8).map((c) => countryName(c)).join(sep()), sorted.length > 8 ? ` (+${sorted.length - 8})` : "");
    }), blocs.length > BLOC_COLOURS.length ? el("li", {}, el("span", {class: "dot", style: `background:${OTHER_BLOC}`}),
      t("other_blocs", blocs.length - BLOC_COLOURS.length, blocs.slice(BLOC_COLOURS.length).flat().length)) : null));
}

function lineChart(months, values) {
  const f = chartFrame(months);
  const maxV = Math.max(1, ...values) * 1.1;
  const y = (v) => f.top + f.plot - (v / maxV) * f.plot;
  const raw = maxV / 5, unit = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * unit).find((v) => v >= raw);
  const ticks = Array.from({length: Math.floor(maxV / step) + 1}, (_, i) => +(i * step).toFixed(6));
  f.root.append(...nodes([
    ticks.map((v) => [svg("line", {class: "grid", x1: f.left, x2: f.width - f.right, y1: y(v), y2: y(v)}),
      svg("text", {class: "tick", x: f.left - 6, y: y(v) + 4, "text-anchor": "end"}, v)]),
    svg("polyline", {class: "line poles", points: values.map((v, i) => `${f.x(i)},${y(v)}`).join(" ")}),
    values.map((v, i) => svg("circle", {class: "point", cx: f.x(i), cy: y(v), r: 3}, svg("title", {}, `${months[i]}: ${num(v, 2)}`)))]));
  return f.root;
}

async function viewPolarity(params) {
  const data = await api("/api/polarity", pick(params, ["since", "until"]));
  const series = [...data.series].sort((a, b) => a.month.localeCompare(b.month));
  if (!series.length) return el("section", {class: "view-polarity", "data-testid": "polarity"}, emptyBox(t("polarity_none")));
  return el("section", {class: "view-polarity", "data-testid": "polarity"},
    el("p", {class: "caption"}, t("polarity_caption")),
    lineChart(series.map((s) => s.month), series.map((s) => s.poles)),
    el("table", {class: "data"},
      el("thead", {}, el("tr", {}, [t("month"), t("poles"), t("states"), t("top")].map((h) => el("th", {}, h)))),
      el("tbody", {}, series.slice().reverse().map((s) => el("tr", {},
        el("td", {}, s.month), el("td", {}, num(s.poles, 2)), el("td", {}, num(s.states)),
        el("td", {}, (s.top || []).map((p) => `${countryName(p.id)} ${num(100 * p.share)}%`).join(sep())))))));
}

function viewCode() {
  const text = el("textarea", {rows: 8, lang: "ar", dir: "rtl", required: true, "data-testid": "code-text",
    oninput: (e) => { state.draft = e.target.value; }});
  text.value = state.draft;
  const published = el("input", {type: "date", "data-testid": "code-published"});
  const out = el("div", {class: "events", "data-testid": "code-results"});
  const submit = async (e) => {
    e.preventDefault();
    out.replaceChildren(el("p", {class: "loading"}, t("loading")));
    try {
      const body = {text: text.value, ...(published.value ? {published: published.value} : {})};
      const data = await api("/api/code", {}, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
      out.replaceChildren(...(data.items.length ? [highlightLegend(), ...data.items.map((r) => eventCard(r, false))] : [emptyBox(t("code_none"))]));
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  return el("section", {class: "view-code"},
    el("p", {}, t("code_intro")),
    el("form", {class: "code-form", onsubmit: submit}, text,
      el("div", {class: "row"}, el("label", {}, el("span", {}, t("code_published")), published),
        el("button", {type: "submit", "data-testid": "code-run"}, t("code_run")))),
    out);
}

// ---- start -------------------------------------------------------------------------------------------

async function start() {
  setupForm();
  applyLanguage();
  const [countries, health] = await Promise.all([
    api("/api/countries").catch(() => ({})),
    api("/health").catch((err) => err),
  ]);
  state.countries = countries;
  state.health = health;
  applyLanguage();
  window.addEventListener("hashchange", route);
  route();
}

document.addEventListener("DOMContentLoaded", start);
