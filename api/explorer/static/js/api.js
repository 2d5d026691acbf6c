// Talking to the query API (/api/v1) and building DOM without innerHTML (text from the graph is
// never parsed as HTML).

export const ID_BASE = "https://w3id.org/newskg/id/";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function parse(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof body === "object" ? body : { detail: body });
  return body;
}

const BUSY_TRIES = 4;

/** GET /api/v1/<path> with query parameters (null and "" left out). A 503 with Retry-After (the
 *  API's slots for graph and query requests are full) is tried again, a few times. */
export async function get(path, params = {}) {
  const url = new URL("/api/v1/" + path, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
  }
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const wait = Number(response.headers.get("Retry-After"));
    if (response.status !== 503 || !wait || attempt === BUSY_TRIES) return parse(response);
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 2) * 1000 * attempt / 2));
  }
}

export async function post(path, body, headers = {}) {
  const response = await fetch("/api/v1/" + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return parse(response);
}

/** The id used in URLs for an IRI of ours (kg.rdf.identity.short_id), or null. */
export function shortId(iri) {
  if (typeof iri !== "string" || !iri.startsWith(ID_BASE)) return null;
  const tail = iri.slice(ID_BASE.length);
  return /^[a-z]+\/[0-9a-f]{8,32}$/.test(tail) ? tail.replace("/", "-") : null;
}

/** h("a", {href: "#/x", class: "y"}, "text", child...) */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  append(node, children);
  return node;
}

/** Append children to a node, skipping null, undefined and false, flattening arrays. */
export function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// ------------------------------------------------------------------ ontology labels
let labelsPromise = null;

/** Class name -> {zh, en, definition} from GET /api/v1/ontology (our namespace wins a name clash). */
export function classLabels() {
  if (!labelsPromise) {
    labelsPromise = get("ontology").then((onto) => {
      const out = new Map();
      const walk = (nodes) => {
        for (const c of nodes) {
          const ours = c.iri.includes("/newskg/");
          if (!out.has(c.name) || (ours && !out.get(c.name).ours)) {
            out.set(c.name, { zh: c.label_zh, en: c.label_en || c.name, definition: c.definition, ours });
          }
          walk(c.children || []);
        }
      };
      walk(onto.classes || []);
      return out;
    }).catch((err) => { labelsPromise = null; throw err; });
  }
  return labelsPromise;
}

/** A type badge: 办事处 Office */
export function typeBadge(type, labels) {
  if (!type) return null;
  const l = labels && labels.get(type);
  return h("span", { class: "type t-" + typeClass(type), title: l && l.definition ? l.definition : type },
    l && l.zh ? h("span", { class: "zh" }, l.zh) : null, " ", l ? l.en : type);
}

// the classes a node is most usefully shown as, most specific first (a node carries all its
// superclasses as labels: Village, AdministrativeUnit, Place, Organization...)
const SPECIFIC = ["Village", "Community", "Office", "District", "ServiceCenter", "Enterprise", "Site", "Branch",
  "PartyCommittee", "PartyOrganization", "Department", "Person", "Post", "Article", "Observation", "Inspection",
  "Visit", "Meeting", "Lecture", "Campaign", "Activity", "Organization", "Place"];

/** The label to show a node by, from all its labels (the API's `type` is better when there is one). */
export function mainLabel(labels) {
  return SPECIFIC.find((l) => labels.includes(l)) || labels.filter((l) => l !== "Resource").sort()[0] || "Resource";
}

/** Colour family of a class, shared by badges and graph nodes. */
export function typeClass(type) {
  const families = {
    Office: "office", District: "place", Village: "village", Community: "village", Place: "place",
    AdministrativeUnit: "place", Person: "person", Post: "post", Article: "article",
    Visit: "activity", Observation: "activity", Inspection: "activity", Meeting: "meeting",
    Lecture: "meeting", Activity: "meeting", Campaign: "campaign", PartyOrganization: "party",
    PartyCommittee: "party", Branch: "party", Enterprise: "site", Site: "site", ServiceCenter: "site",
  };
  return families[type] || "org";
}

export const TYPE_COLOURS = {
  office: "#c0392b", place: "#8e7cc3", village: "#27ae60", person: "#2471a3", post: "#d68910",
  article: "#7f8c8d", activity: "#e67e22", meeting: "#16a085", campaign: "#a04000", org: "#5d6d7e",
  party: "#b03a2e", site: "#117a65",
};

/** A date as the API gives it: YYYY-MM-DD, or --MM-DD with no year. */
export function showDate(date) {
  if (!date) return "—";
  return date.startsWith("--") ? date.slice(2) : date;
}

export const KIND_LABELS = {
  visit: "走访 visit", observation: "观摩 observation", inspection: "调研 inspection",
  meeting: "会议 meeting", lecture: "授课 lecture", activity: "活动 activity",
};

export function kindBadge(kind) {
  return kind ? h("span", { class: "kind k-" + kind }, KIND_LABELS[kind] || kind) : null;
}

// ------------------------------------------------------------------ Cytoscape.js
let cytoscapePromise = null;

/** Cytoscape.js (vendor/), loaded the first time a view draws a graph: 435 kB that the first view
 *  does not need. */
export function loadCytoscape() {
  if (window.cytoscape) return Promise.resolve(window.cytoscape);
  if (!cytoscapePromise) {
    cytoscapePromise = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/explorer/vendor/cytoscape.min.js";
      script.onload = () => resolve(window.cytoscape);
      script.onerror = () => { cytoscapePromise = null; reject(new Error("could not load Cytoscape.js")); };
      document.head.append(script);
    });
  }
  return cytoscapePromise;
}
