// Reading the library's JSON: the one place that knows the shape of requests, responses and errors.
// Everything else in the page works on the plain objects returned here.

/** Extra request keys the page sends with every schedule request. */
export const SCHEDULE_FLAGS = {};

/** Request keys that ask for every obligation's explanation (sent when one is first opened). */
export const EXPLAIN_FLAGS = { explain: true };

/** Resolves a citation that may be given inline or by reference to a table in the response. */
function citationOf(ref, table) {
  if (ref && typeof ref === "object") return ref;
  if (table && ref !== undefined && ref !== null && table[ref]) return table[ref];
  return { instrument: "", provision: "", status: "U" };
}

/** One obligation, normalised. `index` is its number in the schedule. */
function readObligation(o, index, tables) {
  const citation = citationOf(o.citation, tables.citations);
  return {
    index,
    duty: o.duty,
    role: o.role,
    // Every role the duty's rules name (the binding rule's first): a local procedure may name
    // another role than statute for the same duty.
    roles: [o.role, ...(Array.isArray(o.roles) ? o.roles.filter((r) => r !== o.role) : [])],
    action: o.action || "",
    regime: o.regime || null,
    reviewNumber: o.review_number ?? null,
    earliest: o.earliest || null,
    latest: o.latest || null,
    latestWorkingDay: o.latest_working_day || null,
    basis: o.basis || "statutory",
    citation,
    binding: (o.binding || []).map((c) => ({
      basis: c.basis,
      period: c.period ?? null,
      latest: c.latest || null,
      citation: citationOf(c.citation, tables.citations),
      // A local procedure's rule not yet in force: the day it applies from (it never binds).
      inForceFrom: c.in_force_from || null,
    })),
    triggeredBy: Array.from(o.triggered_by || []),
    projected: !!o.projected,
    provisional: !!o.provisional,
    early: !!o.early,
    done: o.done || null,
    breach: o.breach || null,
    // null: not sent (explanations come on request); see readExplanations.
    explanation: Array.isArray(o.explanation) ? o.explanation : null,
  };
}

function tablesOf(json) {
  return { citations: json.citations || null };
}

/** A schedule response: `{obligations, nextReview, metadata}`. */
export function readSchedule(json) {
  const tables = tablesOf(json);
  const obligations = (json.obligations || []).map((o, i) => readObligation(o, i, tables));
  let nextReview = null;
  if (typeof json.next_review === "number") {
    // An index into the obligations.
    nextReview = obligations[json.next_review] || null;
  } else if (json.next_review) {
    // Find the same obligation in the list, so that it can be opened.
    const n = readObligation(json.next_review, -1, tables);
    nextReview =
      obligations.find(
        (o) =>
          o.duty === n.duty &&
          o.regime === n.regime &&
          o.reviewNumber === n.reviewNumber &&
          o.latest === n.latest &&
          o.early === n.early,
      ) || n;
  }
  return { obligations, nextReview, metadata: json.metadata || {} };
}

/** The explanations of a schedule response asked for with EXPLAIN_FLAGS, by obligation index. */
export function readExplanations(json) {
  return (json.obligations || []).map((o) => (Array.isArray(o.explanation) ? o.explanation : []));
}

/** An audit response: `{asAt, items: [{index, obligation, status, doneByEvent}], breaches, events, totals}`. */
export function readAudit(json) {
  const tables = tablesOf(json);
  const items = (json.obligations || []).map((a) => ({
    index: a.index,
    obligation: readObligation(a.obligation || {}, a.index, tables),
    doneByEvent: a.done_by_event ?? null,
    status: a.status || { kind: "not_applicable", reason: "" },
  }));
  return {
    asAt: json.as_at,
    items,
    breaches: json.breaches || [],
    events: json.events || [],
    totals: (json.aggregates && json.aggregates.total) || null,
    metadata: json.metadata || {},
  };
}

/**
 * An error response, with where it belongs on the page:
 * `{kind, message, target}`, target one of
 * `{type: "event", index, field}`, `{type: "field", name}`, `{type: "profile_file"}`, `{type: "form"}`.
 */
export function readError(json, httpStatus) {
  const e = (json && json.error) || {};
  const message = e.message || `The server answered with status ${httpStatus}.`;
  const kind = e.kind || "unknown";
  let target = { type: "form" };
  if (Number.isInteger(e.event_index)) {
    let field = e.field || "";
    // serde names a missing field inside the reason: point at that field's box.
    const missing = /missing field `([a-z_]+)`/.exec(message);
    if (field === "fields" && missing) field = missing[1];
    const unknownVariant = /unknown variant `([a-z_]+)`/.exec(message);
    if (field === "fields" && unknownVariant) field = "duty";
    target = { type: "event", index: e.event_index, field };
  } else if (e.source === "profile_toml" || e.field === "profile_toml") {
    target = { type: "profile_file" };
  } else if (e.field) {
    target = { type: "field", name: e.field };
  }
  return { kind, message, target };
}

/** `GET /api/profiles`: `[{id, name, kind, jurisdiction, version, source}]`. */
export function readProfiles(json) {
  return Array.isArray(json) ? json : [];
}

/** `GET /api/vocabulary`: `{events, roles, duties, regimes}`. */
export function readVocabulary(json) {
  return {
    events: json.events || [],
    roles: json.roles || [],
    duties: json.duties || [],
    regimes: json.regimes || [],
  };
}

/**
 * Sorts an explanation's steps into labelled parts for display: `[{key, label, text}]`. A step's
 * leading words that say what the label says are dropped ("Deadline: Tue 26 Jan 2027." is shown as
 * "Deadline" / "Tue 26 Jan 2027."); everything else is the library's text as it stands.
 */
export function explanationParts(steps) {
  const rules = [
    ["trigger", /^Triggered by /, "Triggered by", false],
    ["anchor", /^Counted from /, "Counted from", true],
    ["period", /^Rule: /, "Period", true],
    ["counting", /^Counting in /, "How days are counted", true],
    ["skipped", /^Non-working weekdays skipped: /, "Days skipped", true],
    ["deadline", /^Deadline: /, "Deadline", true],
    ["deadline", /^No deadline date/, "Deadline", false],
    ["done", /^Done on /, "Done", true],
    ["binding", /^More than one rule governs/, "Which rule binds", false],
    ["authority", /^Authority: /, "Authority", true],
    ["provisional", /^Provisional: /, "Provisional", false],
    ["versions", /^Rule set /, "Versions", false],
  ];
  return steps.map((step, i) => {
    if (i === 0) return { key: "duty", label: "Who and what", text: step };
    const hit = rules.find(([, re]) => re.test(step));
    if (!hit) return { key: "note", label: "Note", text: step };
    const [key, re, label, strip] = hit;
    let text = strip ? step.replace(re, "") : step;
    text = text.charAt(0).toUpperCase() + text.slice(1);
    return { key, label, text };
  });
}
