// The analysts' Cypher console: read-only Cypher with an API key kept in sessionStorage only
// (gone when the tab closes); rows as a table and, when they hold nodes and relationships, as a
// graph.

import { h, loadCytoscape, mainLabel, post, shortId, TYPE_COLOURS, typeClass } from "../api.js";
import { link, problemBox } from "../nav.js";
import { rowsTable } from "./queries.js";

const KEY = "newskg.apiKey";
const EXAMPLE = "MATCH (v:Visit)-[r:visitedSite]->(s:Village)\nRETURN v, r, s LIMIT 25";

function isNode(v) { return v && typeof v === "object" && Array.isArray(v.labels) && v.properties; }
function isRel(v) { return v && typeof v === "object" && typeof v.type === "string" && v.properties && !v.labels; }

/** Nodes and relationships found in rows, as Cytoscape elements. A relationship's ends are not in
 *  the row, so it joins the nearest node columns before and after it (MATCH (a)-[r]->(b) RETURN a, r, b). */
export function rowsToElements(columns, rows) {
  const nodes = new Map();
  const edges = [];
  const nodeId = (n) => shortId(n.properties.iri) || n.properties.iri || JSON.stringify(n.properties);
  rows.forEach((row, ri) => {
    const values = columns.map((c) => row[c]);
    values.forEach((v) => {
      if (isNode(v)) {
        const id = nodeId(v);
        const type = mainLabel(v.labels);
        if (!nodes.has(id)) nodes.set(id, { data: { id, type, family: typeClass(type),
          label: v.properties.name || v.properties.headline || v.properties.title || v.properties.date || id } });
      }
    });
    values.forEach((v, i) => {
      if (!isRel(v)) return;
      const before = values.slice(0, i).reverse().find(isNode);
      const after = values.slice(i + 1).find(isNode);
      if (before && after) edges.push({ data: { id: `r${ri}-${i}`, source: nodeId(before), target: nodeId(after), label: v.type } });
    });
  });
  return { nodes: [...nodes.values()], edges };
}

export async function renderCypher(root, _arg, params) {
  const keyInput = h("input", { type: "password", name: "key", autocomplete: "off", placeholder: "X-API-Key",
    value: sessionStorage.getItem(KEY) || "", "aria-label": "API key" });
  const forget = h("button", { type: "button", class: "small" }, "forget key");
  forget.addEventListener("click", () => { sessionStorage.removeItem(KEY); keyInput.value = ""; });
  const query = h("textarea", { name: "query", rows: 6, spellcheck: "false", "aria-label": "Cypher" },
    params.get("q") || EXAMPLE);
  const out = h("div", { class: "cypher-result" });
  const form = h("form", { class: "cypher-form" },
    h("p", {}, h("label", {}, "API key ", keyInput), " ", forget,
      h("small", {}, " kept in this tab's session only (KG_API_KEYS on the server)")),
    query, h("p", {}, h("button", { type: "submit" }, "运行 Run (read-only)"), " ",
      h("small", {}, "Ctrl+Enter runs; writes are refused.")));
  query.addEventListener("keydown", (e) => { if (e.key === "Enter" && e.ctrlKey) form.requestSubmit(); });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, keyInput.value);
    history.replaceState(null, "", link("cypher", null, { q: query.value }));
    out.replaceChildren(h("p", { class: "hint" }, "running…"));
    try {
      const res = await post("cypher", { query: query.value }, { "X-API-Key": keyInput.value });
      await showRows(out, res);
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
  });
  root.append(h("h1", {}, "Cypher 控制台 console"), form, out);
}

async function showRows(out, res) {
  const elements = rowsToElements(res.columns, res.rows);
  const tableView = h("div", { class: "tab-table" }, rowsTable(res.columns, res.rows));
  const parts = [h("p", { class: "count", dataset: { rows: String(res.rows.length) } },
    `${res.rows.length} rows`, res.truncated ? " (cut at the row cap)" : "")];
  if (elements.nodes.length) {
    const container = h("div", { class: "cy", id: "cypher-graph", dataset: { nodes: String(elements.nodes.length) } });
    parts.push(h("h3", {}, `图 As a graph (${elements.nodes.length} nodes, ${elements.edges.length} relationships)`), container);
    out.replaceChildren(...parts, h("h3", {}, "表 As a table"), tableView);
    const cytoscape = await loadCytoscape();
    const cy = cytoscape({ container, elements, maxZoom: 2.5, layout: { name: elements.nodes.length <= 200 ? "cose" : "concentric", animate: false },
      style: [{ selector: "node", style: { label: "data(label)", "font-size": 10, width: 16, height: 16 } },
        ...Object.entries(TYPE_COLOURS).map(([f, c]) => ({ selector: `node[family = "${f}"]`, style: { "background-color": c } })),
        { selector: "edge", style: { label: "data(label)", "font-size": 8, "curve-style": "bezier",
          "target-arrow-shape": "triangle", width: 1.5 } }] });
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); } // a few nodes are not drawn poster-sized
  } else {
    out.replaceChildren(...parts, tableView);
  }
}
