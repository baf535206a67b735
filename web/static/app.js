// The page: the form, the timeline, explanations, downloads and the audit.
// Library responses are read only through ./response.js.
import {
  EXPLAIN_FLAGS,
  SCHEDULE_FLAGS,
  explanationParts,
  readAudit,
  readError,
  readExplanations,
  readProfiles,
  readSchedule,
  readVocabulary,
} from "./response.js";

const UPLOAD = "__upload__";
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const STATUS_TEXT = {
  V: "checked against the text of the law or procedure",
  G: "statutory guidance or a consistent secondary source",
  U: "not verified against the text",
};

const state = {
  vocab: { events: [], roles: [], duties: [], regimes: [] },
  profiles: [],
  profileToml: null,
  profileFileName: "",
  lastRequest: null,
  lastResponseText: "",
  schedule: null,
  rowSeq: 0,
};

// ---------------------------------------------------------------- small helpers

const $ = (id) => document.getElementById(id);

/** Creates an element: h("p", {class: "x"}, "text", child...). Text is never parsed as HTML. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function parseIso(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
}

/** "Tue 26 Jan 2027" */
function longDate(iso) {
  const d = parseIso(iso);
  if (!d) return iso || "";
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Sun 24 Jan" */
function shortDate(iso) {
  const d = parseIso(iso);
  if (!d) return iso || "";
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

function todayIso() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function addDaysIso(iso, n) {
  const d = parseIso(iso);
  if (!d) return iso;
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const label = (list, id) => (list.find((x) => x.id === id) || { label: id }).label;
const roleLabel = (id) => label(state.vocab.roles, id);
const regimeLabel = (id) => label(state.vocab.regimes, id);
const eventInfo = (name) => state.vocab.events.find((e) => e.event === name);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function badge(status, long) {
  const s = ["V", "G", "U"].includes(status) ? status : "U";
  const el = h("span", { class: `badge badge-${s.toLowerCase()}`, title: `${s}: ${STATUS_TEXT[s]}` }, s);
  if (long) return h("span", { class: "badge-wrap" }, el, " ", h("span", { class: "badge-text" }, STATUS_TEXT[s]));
  return h("span", { class: "badge-wrap" }, el, h("span", { class: "visually-hidden" }, ` (${STATUS_TEXT[s]})`));
}

function basisText(basis) {
  if (!basis || basis === "statutory") return "Law";
  return basis.startsWith("local:") ? `Local procedure (${basis.slice(6)})` : basis;
}

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`${url}: status ${res.status}`);
  return res.json();
}

// ---------------------------------------------------------------- the form

function jurisdiction() {
  const checked = document.querySelector('input[name="jurisdiction"]:checked');
  return checked ? checked.value : "england";
}

function fillProfiles() {
  const select = $("profile");
  const previous = select.value;
  const j = jurisdiction();
  select.replaceChildren();
  const mine = state.profiles.filter((p) => p.jurisdiction === j);
  for (const p of mine.filter((p) => p.kind === "statutory")) {
    select.append(h("option", { value: p.id }, `${j === "wales" ? "Wales" : "England"}: the law only (${p.name})`));
  }
  for (const p of mine.filter((p) => p.kind !== "statutory")) {
    select.append(h("option", { value: p.id }, `${p.name} (local procedure, on top of the law)`));
  }
  select.append(h("option", { value: UPLOAD }, "Our council's own rule file (upload)"));
  if ([...select.options].some((o) => o.value === previous)) select.value = previous;
  showUpload();
}

function showUpload() {
  $("upload-field").hidden = $("profile").value !== UPLOAD;
}

function fieldControl(rowId, f) {
  const id = `ev-${rowId}-${f.name}`;
  const errId = `${id}-error`;
  const err = h("p", { class: "field-error", id: errId, hidden: true });
  let control;
  switch (f.type) {
    case "date":
      control = h("input", { type: "date", id, min: "1971-01-01", max: "2199-12-31", "aria-describedby": errId });
      break;
    case "text":
      control = h("input", { type: "text", id, "aria-describedby": errId, autocomplete: "off" });
      break;
    case "number":
      control = h("input", { type: "number", id, min: "1", step: "1", inputmode: "numeric", "aria-describedby": errId });
      break;
    case "boolean": {
      control = h("input", { type: "checkbox", id, checked: !!f.default, "aria-describedby": errId });
      return h("div", { class: "field check", "data-field": f.name, "data-type": f.type, "data-default": String(!!f.default) }, control, " ",
        h("label", { for: id }, f.label), err);
    }
    case "duty":
      control = h("select", { id, "aria-describedby": errId },
        state.vocab.duties.map((d) => h("option", { value: d.id }, d.label)));
      break;
    case "regimes": {
      const boxes = state.vocab.regimes.map((r) =>
        h("label", { class: "check" }, h("input", { type: "checkbox", value: r.id, name: id }), " ", r.label));
      // Rarely needed: folded away, opened with the keyboard or a click (and opened on an error).
      return h("details", { class: "regimes-more" }, h("summary", {}, "Only some review clocks?"),
        h("fieldset", { class: "field regimes", "data-field": f.name, "data-type": f.type, id, "aria-describedby": errId },
          h("legend", {}, f.label), boxes, err));
    }
    default:
      control = h("input", { type: "text", id, "aria-describedby": errId });
  }
  return h("div", { class: "field", "data-field": f.name, "data-type": f.type }, h("label", { for: id }, f.label), control, err);
}

function renderRowFields(li) {
  const rowId = li.dataset.row;
  const kind = $(`ev-${rowId}-kind`).value;
  const info = eventInfo(kind);
  const box = li.querySelector(".event-fields");
  box.replaceChildren(...(info ? info.fields.map((f) => fieldControl(rowId, f)) : []));
}

function renumber() {
  const rows = [...$("events").children];
  rows.forEach((li, i) => {
    const n = i + 1;
    li.querySelector(".num").textContent = `${n}.`;
    li.querySelector(".remove").setAttribute("aria-label", `Remove event ${n}`);
    li.setAttribute("aria-label", `Event ${n}`);
  });
}

function addEventRow(kind, date, fields) {
  const rowId = ++state.rowSeq;
  const kindId = `ev-${rowId}-kind`;
  const dateId = `ev-${rowId}-date`;
  const select = h("select", { id: kindId, "aria-describedby": `${kindId}-error` },
    state.vocab.events.map((e) => h("option", { value: e.event }, e.label)));
  select.value = kind || "review_held";
  const dateInput = h("input", { type: "date", id: dateId, min: "1971-01-01", max: "2199-12-31", "aria-describedby": `${dateId}-error` });
  if (date) dateInput.value = date;
  const li = h("li", { class: "event", "data-row": rowId },
    h("div", { class: "event-head" },
      h("span", { class: "num", "aria-hidden": "true" }),
      h("div", { class: "field kind" }, h("label", { for: kindId }, "What happened"), select,
        h("p", { class: "field-error", id: `${kindId}-error`, hidden: true })),
      h("div", { class: "field" }, h("label", { for: dateId }, "Date"), dateInput,
        h("p", { class: "field-error", id: `${dateId}-error`, hidden: true })),
      h("button", { type: "button", class: "remove secondary" }, "Remove")),
    h("div", { class: "event-fields" }),
    h("p", { class: "field-error row-error", id: `ev-${rowId}-row-error`, hidden: true }));
  select.addEventListener("change", () => renderRowFields(li));
  li.querySelector(".remove").addEventListener("click", () => {
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    renumber();
    markStale();
    (next ? next.querySelector("select") : $("add-event")).focus();
  });
  $("events").append(li);
  renderRowFields(li);
  for (const [name, value] of Object.entries(fields || {})) {
    const el = $(`ev-${rowId}-${name}`);
    if (el && el.type === "checkbox") el.checked = !!value;
    else if (el) el.value = value;
  }
  renumber();
  return li;
}

function readEventRow(li) {
  const rowId = li.dataset.row;
  const ev = { event: $(`ev-${rowId}-kind`).value };
  const date = $(`ev-${rowId}-date`).value;
  if (date) ev.date = date;
  for (const box of li.querySelectorAll(".event-fields [data-field]")) {
    const name = box.dataset.field;
    const type = box.dataset.type;
    const el = $(`ev-${rowId}-${name}`);
    if (type === "boolean") {
      // Sent only when it differs from the library's default.
      if (el.checked !== (box.dataset.default === "true")) ev[name] = el.checked;
    } else if (type === "regimes") {
      const ticked = [...box.querySelectorAll("input:checked")].map((c) => c.value);
      if (ticked.length) ev[name] = ticked;
    } else if (type === "number") {
      if (el.value !== "") ev[name] = Number(el.value);
    } else if (el.value !== "") {
      ev[name] = el.value;
    }
  }
  return ev;
}

/** The library's request from the form; `null` (with an error shown) when the form is incomplete. */
function buildRequest() {
  const req = { jurisdiction: jurisdiction(), events: [...$("events").children].map(readEventRow) };
  const profile = $("profile").value;
  if (profile === UPLOAD) {
    if (state.profileToml === null) {
      showError({ kind: "form", message: "Choose your council's rule file (a .toml file), or pick a built-in rule set.",
        target: { type: "profile_file" } });
      return null;
    }
    req.profile_toml = state.profileToml;
  } else if (profile) {
    req.profile = profile;
  }
  const dob = $("dob").value;
  if (dob) req.child = { date_of_birth: dob };
  const horizon = $("horizon").value;
  if (horizon !== "") req.horizon_months = Number(horizon);
  const asAt = $("as-at").value;
  if (asAt) {
    req.as_at = asAt;
  } else {
    const latest = req.events.map((e) => e.date || "").sort().pop() || "";
    const today = todayIso();
    if (today >= latest) req.as_at = today;
  }
  return { ...req, ...SCHEDULE_FLAGS };
}

// ---------------------------------------------------------------- errors

function clearErrors() {
  for (const el of document.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of document.querySelectorAll(".has-error")) el.classList.remove("has-error");
  $("form-error").hidden = true;
  $("form-error").replaceChildren();
}

const FIELD_IDS = {
  "child.date_of_birth": "dob",
  child: "dob",
  as_at: "as-at",
  horizon_months: "horizon",
  profile: "profile",
  events: "events",
};

/** Where an error goes: `{control, errorEl, what}`. */
function locate(target, audit) {
  if (target.type === "event") {
    const li = $("events").children[target.index];
    if (!li) return null;
    const rowId = li.dataset.row;
    const n = target.index + 1;
    if (target.field === "date") return { control: $(`ev-${rowId}-date`), errorEl: $(`ev-${rowId}-date-error`), what: `the date of event ${n}` };
    if (target.field === "event") return { control: $(`ev-${rowId}-kind`), errorEl: $(`ev-${rowId}-kind-error`), what: `what happened in event ${n}` };
    const el = $(`ev-${rowId}-${target.field}`);
    if (el) return { control: el.tagName === "FIELDSET" ? el.querySelector("input") : el, box: el, errorEl: $(`ev-${rowId}-${target.field}-error`), what: `event ${n}` };
    return { control: $(`ev-${rowId}-kind`), errorEl: $(`ev-${rowId}-row-error`), what: `event ${n}` };
  }
  if (target.type === "profile_file") {
    return { control: $("profile-file"), errorEl: $("profile-file-error"), what: "the rule file" };
  }
  if (target.type === "field") {
    if (audit && target.name === "as_at") return { control: $("audit-date"), errorEl: $("audit-date-error"), what: "the audit date" };
    const id = FIELD_IDS[target.name];
    if (id === "events") return { control: $("add-event"), errorEl: $("events-error"), what: "the events" };
    if (id) return { control: $(id), errorEl: $(`${id}-error`), what: $(id).labels?.[0]?.textContent?.trim() || target.name };
  }
  return null;
}

function showError(err, audit) {
  clearErrors();
  let place = locate(err.target, audit);
  if (!place && audit) place = { control: $("audit-date"), errorEl: $("audit-date-error"), what: "the audit" };
  const summary = $("form-error");
  const items = [h("h2", {}, "There is a problem")];
  if (place && place.errorEl) {
    place.errorEl.textContent = err.message;
    place.errorEl.hidden = false;
    place.control.setAttribute("aria-invalid", "true");
    (place.box || place.control).classList.add("has-error");
    const folded = place.control.closest("details");
    if (folded) folded.open = true;
    const link = h("a", { href: `#${place.control.id}` }, err.message);
    link.addEventListener("click", (e) => {
      e.preventDefault();
      place.control.focus();
    });
    items.push(h("p", {}, link));
    if (audit) {
      place.control.focus();
      return;
    }
  } else {
    items.push(h("p", {}, err.message));
  }
  summary.replaceChildren(...items);
  summary.hidden = false;
  summary.focus();
}

// ---------------------------------------------------------------- calling the server

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.ok) return { ok: true, text, res };
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { ok: false, error: readError(json, res.status) };
}

async function calculate(event) {
  if (event) event.preventDefault();
  const req = buildRequest();
  if (!req) return;
  $("calculate").disabled = true;
  try {
    const out = await post("/api/schedule", req);
    if (!out.ok) {
      showError(out.error);
      return;
    }
    clearErrors();
    state.lastRequest = req;
    state.lastResponseText = out.text;
    state.schedule = readSchedule(JSON.parse(out.text));
    renderResults();
    $("results").hidden = false;
    $("audit").hidden = false;
    if (!$("audit-date").value) $("audit-date").value = state.schedule.metadata.as_at || req.as_at || "";
    $("audit-result").replaceChildren();
    $("timeline-heading").focus();
  } catch (e) {
    showError({ kind: "network", message: `The calculation could not be reached: ${e.message}`, target: { type: "form" } });
  } finally {
    $("calculate").disabled = false;
  }
}

function markStale() {
  if ($("results").hidden) return;
  if (!$("stale")) {
    $("attention").before(h("p", { id: "stale", class: "stale", role: "status" },
      "You have changed the details: select \u201cShow the timeline\u201d to update the dates below."));
  }
}

// ---------------------------------------------------------------- the timeline

function groupsOf(obligations) {
  const groups = new Map();
  for (const o of obligations) {
    const key = o.regime && o.reviewNumber !== null ? `${o.regime}#${o.reviewNumber}` : "case";
    if (!groups.has(key)) groups.set(key, { key, regime: key === "case" ? null : o.regime, number: key === "case" ? null : o.reviewNumber, items: [] });
    groups.get(key).items.push(o);
  }
  const regimeOrder = state.vocab.regimes.map((r) => r.id);
  return [...groups.values()].sort((a, b) => {
    if (a.key === "case") return -1;
    if (b.key === "case") return 1;
    return regimeOrder.indexOf(a.regime) - regimeOrder.indexOf(b.regime) || a.number - b.number;
  });
}

/** What an obligation's number counts: " (review 2)" for a review's duties, " (visit 2)" for the
 * social worker's visits, " (no. 2)" for another repeating duty (the library's `review_number` is
 * the repetition number when the obligation has no review regime); "" when it has none. */
function numberText(o) {
  if (!o || !o.reviewNumber) return "";
  // The action may name the review already ("Authorise moving review 2 from ..."): not twice.
  if (o.regime && o.action.includes(`review ${o.reviewNumber} `)) return "";
  if (o.regime) return ` (review ${o.reviewNumber})`;
  if (o.duty === "visit_child") return ` (visit ${o.reviewNumber})`;
  return ` (no. ${o.reviewNumber})`;
}

function dueText(o) {
  if (!o.latestWorkingDay) return "No date fixed";
  return longDate(o.latestWorkingDay);
}

function flagsOf(o, asAt) {
  const flags = [];
  if (o.early) flags.push(["early", "Early review"]);
  if (o.done) flags.push(["done", `Done ${shortDate(o.done)}`]);
  if (o.breach) flags.push(["breach", breachText(o.breach, o)]);
  else if (!o.done && o.duty === "hold_review" && o.latest && asAt && o.latest < asAt) flags.push(["breach", "Overdue"]);
  if (o.projected) flags.push(["projected", "Projected"]);
  if (o.provisional) flags.push(["provisional", "Provisional"]);
  return flags;
}

/** What went wrong, in words; `o` is the obligation it belongs to, when known. */
function breachText(b, o) {
  if (b.kind === "rearranged_past_deadline") return movedText(b, o);
  const local = b.basis && b.basis.startsWith("local:")
    ? ` (against the local procedure's deadline, ${b.basis.slice(6)}; the legal deadline was met)` : "";
  return breachWords(b) + local;
}

/** A review moved past its deadline: one deadline, named as the law's or the local procedure's.
 * On the authorisation (its action already says which review moved, from when to when) only
 * whose deadline the new date passes; on the review itself, the move too. */
function movedText(b, o) {
  const local = b.basis && b.basis.startsWith("local:");
  const whose = local
    ? `after the local procedure's deadline (${b.basis.slice(6)}: ${longDate(b.deadline)}): a breach of that procedure, not of the regulations`
    : `after the legal deadline (${longDate(b.deadline)})`;
  if (o && o.duty !== "hold_review") return `The new date is ${whose}`;
  return `Moved from ${longDate(b.from)} to ${longDate(b.to)}, ${whose}`;
}

/** An obligation's action, with any ISO date in it (a rearrangement's action names the case's
 * dates) written as on the rest of the page, "Wed 29 Apr 2026". */
function actionText(o) {
  return o.action.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => longDate(iso));
}

function breachWords(b) {
  switch (b.kind) {
    case "late_review":
      return `Held late: ${plural(b.working_days_late, "working day", "working days")} after the deadline`;
    case "not_held":
      return "Overdue: not held by the deadline";
    case "second_adjournment":
      return "Adjourned a second time (only one is allowed)";
    case "adjourned_review_completed_late":
      return `Completed ${plural(b.working_days_late, "working day", "working days")} late`;
    case "late_duty":
      return `Done late: ${plural(b.working_days_late, "working day", "working days")} after the deadline`;
    case "not_done":
      return "Overdue: not done by the deadline";
    default:
      return String(b.kind || "breach").replace(/_/g, " ");
  }
}

/** Events that record an obligation done on their date (the library's `records_done`). */
const DONE_EVENTS = new Set(["review_held", "review_adjourned", "secure_review_held", "social_worker_visit"]);

function explanationPanel(o) {
  // The library numbers events from 0; the page numbers its rows from 1, so triggers are shown
  // from the request, by row. The authority and competing rules get their own blocks below.
  const skip = new Set(["trigger", "authority", "duty"]);
  if (o.binding.length > 1) skip.add("binding");
  const list = h("dl", { class: "explain-list" });
  // The event that records it done (the review's meeting, the visit) is under "Done", as the
  // library's explanation says it, not among its triggers.
  const events = (state.lastRequest && state.lastRequest.events) || [];
  const triggers = o.triggeredBy.filter((i) => !(o.done && events[i] && events[i].date === o.done
    && DONE_EVENTS.has(events[i].event)));
  if (triggers.length) {
    list.append(h("dt", {}, "Triggered by"), h("dd", {}, triggers.map((i) => {
      const ev = state.lastRequest && state.lastRequest.events[i];
      const what = ev ? (eventInfo(ev.event) || { label: ev.event }).label : "";
      return `event ${i + 1}: ${what}, ${longDate(ev && ev.date)}`;
    }).join("; ")));
  }
  for (const p of explanationParts(o.explanation || [])) {
    if (skip.has(p.key)) continue;
    // "Done on ... (event 3: review_held)": the page numbers its rows from 1, as its triggers.
    const text = p.key === "done"
      ? p.text.replace(/\(event (\d+): [a-z_]+/, (_, i) => `(event ${Number(i) + 1}`)
      : p.text;
    list.append(h("dt", {}, p.label), h("dd", {}, text));
  }
  const c = o.citation;
  const authority = h("div", { class: "authority" },
    h("h4", {}, "Authority"),
    h("p", {}, badge(c.status, true)),
    h("p", { class: "citation" }, `${c.instrument}, ${c.provision}`),
    c.note ? h("p", { class: "note" }, c.note) : null,
    h("p", { class: "basis" }, `Basis: ${basisText(o.basis)}`));
  let binding = null;
  if (o.binding.length > 1) {
    binding = h("div", { class: "binding" },
      h("h4", {}, "Rules considered (the earliest deadline binds)"),
      h("table", {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Rule"), h("th", { scope: "col" }, "Period"),
          h("th", { scope: "col" }, "Deadline it gives"), h("th", { scope: "col" }, "Authority"))),
        h("tbody", {}, o.binding.map((r, i) =>
          h("tr", { class: i === 0 ? "binds" : "" },
            h("td", {}, basisText(r.basis), i === 0 ? " (binds)" : "",
              r.inForceFrom ? ` (not applied: in force only from ${longDate(r.inForceFrom)})` : ""),
            h("td", {}, r.period === null ? "no day fixed" : String(r.period)),
            h("td", {}, r.latest ? longDate(r.latest) : "no date"),
            h("td", {}, badge(r.citation.status), " ", `${r.citation.instrument}, ${r.citation.provision}`))))));
  }
  return [h("h4", {}, "How this date was worked out"), list, binding, authority];
}

function obligationItem(o, asAt) {
  const exId = `ex-${o.index}`;
  const deadline = o.latest && o.latestWorkingDay && o.latest !== o.latestWorkingDay
    ? h("span", { class: "ob-deadline" }, `legal deadline ${shortDate(o.latest)}, not a working day`)
    : null;
  const flags = flagsOf(o, asAt);
  const button = h("button", { type: "button", class: "ob-toggle", "aria-expanded": "false", "aria-controls": exId, id: `ob-${o.index}` },
    h("span", { class: "ob-date" }, dueText(o), deadline),
    h("span", { class: "ob-who" }, roleLabel(o.role),
      o.roles.length > 1 ? h("span", { class: "ob-also" }, `also named: ${o.roles.slice(1).map(roleLabel).join(", ")}`) : null),
    h("span", { class: "ob-what" }, actionText(o),
      flags.length ? h("span", { class: "flags" }, flags.map(([cls, text]) => h("span", { class: `flag flag-${cls}` }, text))) : null),
    h("span", { class: "ob-authority" }, badge(o.citation.status), " ", o.basis === "statutory" ? "Law" : "Local"));
  const panel = h("div", { class: "explain", id: exId, hidden: true, role: "region", "aria-label": `How the date for \u201c${actionText(o)}\u201d was worked out` });
  button.addEventListener("click", () => toggle(button, panel, o));
  const classes = ["ob"];
  if (o.done) classes.push("is-done");
  if (flags.some(([c]) => c === "breach")) classes.push("is-breach");
  if (o.projected) classes.push("is-projected");
  return h("li", { class: classes.join(" "), "data-roles": o.roles.join(" ") }, button, panel);
}

/** Fetches every obligation's explanation once per timeline (the schedule comes without them). */
function loadExplanations() {
  const s = state.schedule;
  if (!s.explanations) {
    s.explanations = post("/api/schedule", { ...state.lastRequest, ...EXPLAIN_FLAGS }).then((out) => {
      if (!out.ok) throw new Error(out.error.message);
      readExplanations(JSON.parse(out.text)).forEach((steps, i) => {
        if (s.obligations[i]) s.obligations[i].explanation = steps;
      });
    });
    s.explanations.catch(() => {
      s.explanations = null;
    });
  }
  return s.explanations;
}

async function toggle(button, panel, o) {
  const open = button.getAttribute("aria-expanded") === "true";
  if (!open && !panel.childElementCount) {
    if (o.explanation === null) {
      panel.replaceChildren(h("p", { role: "status" }, "Working out the explanation\u2026"));
      panel.hidden = false;
      try {
        await loadExplanations();
      } catch (e) {
        panel.replaceChildren(h("p", { class: "field-error" }, `The explanation could not be fetched: ${e.message}`));
        return;
      }
      panel.replaceChildren();
    }
    panel.append(...explanationPanel(o).filter(Boolean));
  }
  button.setAttribute("aria-expanded", open ? "false" : "true");
  panel.hidden = open;
}

function openObligation(index) {
  const button = $(`ob-${index}`);
  if (!button) return;
  const li = button.closest("li");
  if (li.hidden) {
    $("role-filter").value = "";
    applyFilter();
  }
  if (button.getAttribute("aria-expanded") !== "true") button.click();
  button.focus();
  button.scrollIntoView({ block: "center" });
}

function groupHeading(g) {
  if (g.key === "case") return "For the whole period of care";
  const review = g.items.find((o) => o.duty === "hold_review" && !o.early) || g.items.find((o) => o.duty === "hold_review");
  let status = "";
  if (review && review.done) status = `held ${longDate(review.done)}`;
  else if (review && review.projected) status = `projected, due by ${dueText(review)}`;
  else if (review) status = `not yet held, due by ${dueText(review)}`;
  // An adjourned review: say so, and when it was (or must be) completed.
  const completion = g.items.find((o) => o.duty === "complete_adjourned_review");
  if (completion && completion.done) status += `, adjourned and completed ${longDate(completion.done)}`;
  else if (completion) status += `, adjourned: to be completed by ${dueText(completion)}`;
  return `Review ${g.number}${status ? ` \u2014 ${status}` : ""}`;
}

function renderTimeline() {
  const s = state.schedule;
  const asAt = s.metadata.as_at;
  const root = $("timeline");
  root.replaceChildren();
  const groups = groupsOf(s.obligations);
  let currentRegime;
  let clock = null;
  for (const g of groups) {
    if (g.key === "case") {
      root.append(h("section", { class: "group", "aria-label": "Whole period of care" },
        h("h3", {}, groupHeading(g)), h("ol", { class: "obligations" }, g.items.map((o) => obligationItem(o, asAt)))));
      continue;
    }
    if (g.regime !== currentRegime) {
      currentRegime = g.regime;
      const name = regimeLabel(g.regime);
      clock = h("section", { class: "clock", "aria-label": `Clock: ${name}s` }, h("h3", {}, `${name[0].toUpperCase()}${name.slice(1)}s`));
      root.append(clock);
    }
    clock.append(h("section", { class: "group" }, h("h4", {}, groupHeading(g)),
      h("ol", { class: "obligations" }, g.items.map((o) => obligationItem(o, asAt)))));
  }
  if (!s.obligations.length) root.append(h("p", {}, "No duties follow from these events."));
  applyFilter();
}

function applyFilter() {
  const role = $("role-filter").value;
  let shown = 0;
  let total = 0;
  for (const li of document.querySelectorAll("#timeline li.ob")) {
    total += 1;
    li.hidden = !!role && !li.dataset.roles.split(" ").includes(role);
    if (!li.hidden) shown += 1;
  }
  for (const g of document.querySelectorAll("#timeline .group")) {
    g.hidden = ![...g.querySelectorAll("li.ob")].some((li) => !li.hidden);
  }
  for (const c of document.querySelectorAll("#timeline .clock")) {
    c.hidden = ![...c.querySelectorAll(".group")].some((g) => !g.hidden);
  }
  let note = $("filter-note");
  if (!note) {
    note = h("p", { id: "filter-note", class: "filter-note", role: "status" });
    $("timeline").before(note);
  }
  note.textContent = role
    ? `Showing ${shown} of ${total} duties: those the rules give the ${roleLabel(role)}.`
    : `${plural(total, "duty", "duties")}.`;
}

function renderSummary() {
  const s = state.schedule;
  const m = s.metadata;
  const req = state.lastRequest;
  const profile = state.profiles.find((p) => p.id === m.profile);
  const items = [
    ["Law", m.jurisdiction === "wales" ? "Wales" : "England"],
    ["Rule set", profile ? `${profile.name} (${m.profile} ${m.profile_version})` : `${m.profile} ${m.profile_version} (uploaded${state.profileFileName ? `: ${state.profileFileName}` : ""})`],
    ["Date of birth", req.child ? longDate(req.child.date_of_birth) : "not given"],
    ["As at", m.as_at ? longDate(m.as_at) : "the last event"],
    ["Planning to", m.horizon_end ? longDate(m.horizon_end) : "the next review only"],
  ];
  const events = h("ol", { class: "event-summary" }, req.events.map((e) => {
    const info = eventInfo(e.event);
    const extra = [];
    if (e.from || e.to) extra.push(`from ${longDate(e.from)} to ${longDate(e.to)}`);
    if (e.meeting === false) extra.push("without a meeting");
    if (e.intended_to_last_until_18) extra.push("intended to last until 18");
    if (e.emergency) extra.push("emergency");
    if (e.with_parent) extra.push("with a parent");
    if (e.regimes) extra.push(`for ${e.regimes.map(regimeLabel).join(", ")}`);
    if (e.duty) extra.push(label(state.vocab.duties, e.duty));
    if (e.review_number) extra.push(`review ${e.review_number}`);
    if (e.note) extra.push(`\u201c${e.note}\u201d`);
    return h("li", {}, `${longDate(e.date)}: ${info ? info.label : e.event}${extra.length ? ` (${extra.join("; ")})` : ""}`);
  }));
  $("case-summary").replaceChildren(
    h("dl", { class: "facts" }, items.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("h3", { class: "events-heading" }, "Events entered"), events);
}

/** The "Overdue and breaches" line after the action: what went wrong and the one date to act by.
 * A move past the deadline names the deadline it passes; its authorisation says by when to
 * authorise (the day of the move), not "deadline" a second time. */
function problemText(o) {
  if (!o.breach) return `Overdue; deadline ${o.latest ? longDate(o.latest) : "none fixed"}`;
  if (o.breach.kind === "rearranged_past_deadline") {
    const moved = breachText(o.breach, o);
    if (o.duty === "hold_review") return moved;
    const when = o.latest ? `, by ${longDate(o.latest)}, the day the move was made` : "";
    const who = roleLabel(o.role).replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
    return `${moved}; the ${who}'s authority is needed${when}`;
  }
  return `${breachText(o.breach, o)}; deadline ${o.latest ? longDate(o.latest) : "none fixed"}`;
}

function renderAttention() {
  const s = state.schedule;
  const asAt = s.metadata.as_at;
  const box = $("attention");
  box.replaceChildren();
  const next = s.nextReview;
  const card = h("div", { class: "next-review", id: "next-review" });
  if (next) {
    const overdue = next.latest && asAt && next.latest < asAt;
    card.append(...[
      h("h3", {}, overdue ? "Next review: OVERDUE" : "Next review"),
      h("p", { class: "big" }, `Review ${next.reviewNumber ?? ""} (${regimeLabel(next.regime)})${next.early ? ", early" : ""}: hold by `,
        h("strong", {}, dueText(next))),
      next.latest && next.latest !== next.latestWorkingDay ? h("p", {}, `The legal deadline is ${longDate(next.latest)}, which is not a working day.`) : null,
      next.index >= 0 ? h("button", { type: "button", class: "secondary", onclick: () => openObligation(next.index) }, "How this date was worked out") : null,
    ].filter(Boolean));
  } else {
    card.append(h("h3", {}, "Next review"), h("p", {}, "No review is due from these events."));
  }
  box.append(card);
  const problems = s.obligations.filter((o) => o.breach || (!o.done && o.duty === "hold_review" && o.latest && asAt && o.latest < asAt));
  if (problems.length) {
    box.append(h("div", { class: "problems" }, h("h3", {}, "Overdue and breaches"),
      h("ul", {}, problems.map((o) => h("li", {},
        h("a", { href: `#ob-${o.index}`, onclick: (e) => { e.preventDefault(); openObligation(o.index); } },
          `${actionText(o)}${numberText(o)}`),
        `: ${problemText(o)}.`)))));
  }
  if (asAt) {
    const end = addDaysIso(asAt, 28);
    const soon = s.obligations.filter((o) => !o.done && o.latestWorkingDay && o.latestWorkingDay >= asAt && o.latestWorkingDay <= end);
    if (soon.length) {
      box.append(h("div", { class: "soon" }, h("h3", {}, `Due in the next four weeks (to ${longDate(end)})`),
        h("ul", {}, soon.map((o) => h("li", {}, h("strong", {}, shortDate(o.latestWorkingDay)), ` ${roleLabel(o.role)}: `,
          h("a", { href: `#ob-${o.index}`, onclick: (e) => { e.preventDefault(); openObligation(o.index); } }, actionText(o)))))));
    }
  }
}

function renderResults() {
  $("stale")?.remove();
  renderSummary();
  renderAttention();
  renderTimeline();
  const m = state.schedule.metadata;
  const cal = m.calendar || {};
  $("rules-used").textContent = `Worked out with rule set ${m.profile} ${m.profile_version} (law: ${m.statutory_profile} ${m.statutory_profile_version}), `
    + `calendar ${cal.table_version || ""} verified to ${longDate(cal.verified_through)}, lac-timescales ${m.library_version || ""}. `
    + "Dates are the last working day to act by.";
}

// ---------------------------------------------------------------- downloads

function saveFile(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, class: "visually-hidden" }, name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function download(kind) {
  if (!state.lastRequest) return;
  if (kind === "json") {
    saveFile("schedule.json", "application/json", state.lastResponseText);
    return;
  }
  const url = kind === "csv" ? "/api/schedule.csv" : `/api/schedule.ics?case_id=${encodeURIComponent($("case-id").value)}`;
  const out = await post(url, state.lastRequest);
  if (!out.ok) {
    showError(out.error);
    return;
  }
  saveFile(kind === "csv" ? "schedule.csv" : "schedule.ics", kind === "csv" ? "text/csv" : "text/calendar", out.text);
}

// ---------------------------------------------------------------- the audit

function statusText(st) {
  switch (st.kind) {
    case "met":
      return ["Met", `done ${longDate(st.done)}, ${plural(st.margin_working_days, "working day", "working days")} (${plural(st.margin_calendar_days, "day", "days")}) to spare`];
    case "late":
      return ["Late", `done ${longDate(st.done)}, ${plural(st.late_working_days, "working day", "working days")} (${plural(st.late_calendar_days, "day", "days")}) late`];
    case "overdue":
      return ["Overdue", `by ${plural(st.overdue_working_days, "working day", "working days")} (${plural(st.overdue_calendar_days, "day", "days")})`];
    case "pending":
      return ["To come", `${plural(st.working_days_left, "working day", "working days")} (${plural(st.calendar_days_left, "day", "days")}) left`];
    default:
      return ["Not applicable", st.reason || ""];
  }
}

async function runAudit(event) {
  event.preventDefault();
  if (!state.lastRequest) return;
  const req = { ...state.lastRequest };
  delete req.horizon_months;
  const date = $("audit-date").value;
  if (date) req.as_at = date;
  else delete req.as_at;
  for (const k of Object.keys(SCHEDULE_FLAGS)) delete req[k];
  const out = await post("/api/audit", req);
  if (!out.ok) {
    showError(out.error, true);
    return;
  }
  clearErrors();
  const a = readAudit(JSON.parse(out.text));
  const t = a.totals;
  const rows = a.items.map((it) => {
    const o = it.obligation;
    const [word, detail] = statusText(it.status);
    return h("tr", { class: `st-${it.status.kind}` },
      h("td", {}, o.latest ? longDate(o.latest) : "none fixed"),
      h("td", {}, roleLabel(o.role)),
      h("td", {}, actionText(o), numberText(o)),
      h("td", {}, h("strong", {}, word)),
      h("td", {}, detail));
  });
  const parts = [h("h3", {}, `As at ${longDate(a.asAt)}`)];
  if (t) {
    const pct = t.on_time_percent === null || t.on_time_percent === undefined ? "\u2014" : `${t.on_time_percent.toFixed(1)}%`;
    parts.push(h("p", { class: "totals" }, `${t.met} met, ${t.late} late, ${t.overdue} overdue, ${t.pending} to come, ${t.not_applicable} not applicable. `,
      h("strong", {}, `On time: ${pct}`), " (met \u00f7 (met + late + overdue))."));
  }
  parts.push(h("table", { class: "audit-table" },
    h("caption", { class: "visually-hidden" }, `Audit as at ${longDate(a.asAt)}`),
    h("thead", {}, h("tr", {}, ["Legal deadline", "Who", "What", "Status", "Detail"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows)));
  if (a.breaches.length) {
    parts.push(h("h4", {}, "Breaches"), h("ul", {}, a.breaches.map((b) => {
      const o = a.items.find((it) => it.index === b.obligation);
      const number = o ? numberText(o.obligation) : b.review_number ? ` (no. ${b.review_number})` : "";
      return h("li", {}, `${o ? actionText(o.obligation) : b.duty}${number}: ${breachText(b.breach, o && o.obligation)}`);
    })));
  }
  const unmatched = a.events.filter((e) => e.unmatched);
  if (unmatched.length) {
    parts.push(h("h4", {}, "Events that matched no duty"), h("ul", {}, unmatched.map((e) =>
      h("li", {}, `Event ${e.index + 1} (${(eventInfo(e.event) || { label: e.event }).label}, ${longDate(e.date)}): ${e.unmatched}`))));
  }
  $("audit-result").replaceChildren(...parts);
}

// ---------------------------------------------------------------- start

async function start() {
  try {
    const [vocab, profiles] = await Promise.all([getJson("/api/vocabulary"), getJson("/api/profiles")]);
    state.vocab = readVocabulary(vocab);
    state.profiles = readProfiles(profiles);
  } catch (e) {
    showError({ kind: "network", message: `The page could not load its lists from the server: ${e.message}`, target: { type: "form" } });
    return;
  }
  fillProfiles();
  for (const r of state.vocab.roles) $("role-filter").append(h("option", { value: r.id }, r.label));
  addEventRow("became_looked_after", "");
  for (const radio of document.querySelectorAll('input[name="jurisdiction"]')) {
    radio.addEventListener("change", () => {
      fillProfiles();
      markStale();
    });
  }
  $("profile").addEventListener("change", showUpload);
  $("profile-file").addEventListener("change", async () => {
    const file = $("profile-file").files[0];
    state.profileToml = file ? await file.text() : null;
    state.profileFileName = file ? file.name : "";
    markStale();
  });
  $("add-event").addEventListener("click", () => {
    const li = addEventRow("review_held", "");
    li.querySelector("select").focus();
    markStale();
  });
  $("case-form").addEventListener("submit", calculate);
  $("case-form").addEventListener("change", markStale);
  $("role-filter").addEventListener("change", applyFilter);
  $("download-csv").addEventListener("click", () => download("csv"));
  $("download-ics").addEventListener("click", () => download("ics"));
  $("download-json").addEventListener("click", () => download("json"));
  $("print").addEventListener("click", () => window.print());
  $("audit-form").addEventListener("submit", runAudit);
  document.body.dataset.ready = "true";
}

start();
