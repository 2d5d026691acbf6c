// An entity's neighbourhood (depth 1-3) drawn with Cytoscape.js: nodes coloured by type, a tap on
// a node expands it, a tap on an edge lists the articles (and sentences) that support it.

import { classLabels, get, h, loadCytoscape, TYPE_COLOURS, typeBadge, typeClass } from "../api.js";
import { link, problemBox } from "../nav.js";
import { articleLink, empty, entityLink } from "./common.js";

// above this many nodes the force-directed layout is too slow to feel interactive
const COSE_MAX = 200;

export function layoutFor(n) {
  return n <= COSE_MAX
    ? { name: "cose", animate: false, nodeDimensionsIncludeLabels: true, randomize: false, numIter: 600 }
    : { name: "concentric", animate: false, minNodeSpacing: 6,
        concentric: (node) => node.degree(), levelWidth: () => 2 };
}

function styles(big) {
  const byFamily = Object.entries(TYPE_COLOURS).map(([family, colour]) => ({
    selector: `node[family = "${family}"]`, style: { "background-color": colour } }));
  return [
    { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom",
      "text-margin-y": 2, width: 18, height: 18, "font-family": getComputedStyle(document.body).fontFamily,
      // ellipsis measures every label again and again: a big graph gets labels cut in withFamily
      "text-max-width": 90, "text-wrap": big ? "none" : "ellipsis", "background-color": "#5d6d7e",
      "min-zoomed-font-size": 7 } }, // labels too small to read are not drawn
    ...byFamily,
    { selector: "node.centre", style: { width: 28, height: 28, "border-width": 3, "border-color": "#222" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#f1c40f" } },
    { selector: "edge", style: { width: 1.5, "line-color": "#b3b6b7", "target-arrow-color": "#b3b6b7",
      "target-arrow-shape": "triangle", "curve-style": big ? "haystack" : "bezier",
      label: big ? "" : "data(label)", "font-size": 8, color: "#7b7d7d", "text-rotation": "autorotate",
      "min-zoomed-font-size": 7 } },
    { selector: "edge:selected", style: { width: 3, "line-color": "#f1c40f", "target-arrow-color": "#f1c40f" } },
  ];
}

function withFamily(elements, big = false) {
  for (const n of elements.nodes) {
    n.data.family = typeClass(n.data.type);
    if (big && n.data.label && n.data.label.length > 8) n.data.label = n.data.label.slice(0, 7) + "…";
  }
  return elements;
}

async function factPanel(panel, edge, labels) {
  const d = edge.data();
  panel.replaceChildren(h("h3", {}, d.label), h("p", {},
    entityLink({ id: d.source, name: edge.source().data("label") }), " → ",
    entityLink({ id: d.target, name: edge.target().data("label") })));
  if (!d.fact) { panel.append(empty("A structural link: no fact key, so no evidence span.")); return; }
  const rows = (await get("queries/fact_provenance", { fact: d.fact })).rows;
  if (!rows.length) { panel.append(empty("No evidence recorded for this fact.")); return; }
  panel.append(h("ul", { class: "evidence" }, rows.map((r) => h("li", {},
    articleLink({ id: r.article, headline: r.headline }, d.fact), ": ",
    h("q", {}, r.text || ""), " ", h("span", { class: "annotator" }, r.annotated_by || "?",
      r.confidence !== null && r.confidence !== undefined ? " · " + Number(r.confidence).toFixed(2) : "")))));
}

function nodePanel(panel, node, labels) {
  const d = node.data();
  panel.replaceChildren(h("h3", {}, d.label, " ", typeBadge(d.type, labels)),
    h("p", {}, d.article_id ? articleLink({ id: d.article_id, headline: d.label }, null, "open the article")
      : h("a", { href: link("entity", d.id) }, "open the page"), " · ",
      h("a", { href: link("graph", d.id) }, "centre the graph here")),
    h("p", { class: "hint" }, "Tapped nodes expand by one link."));
}

export async function renderGraph(root, id, params) {
  const depth = Math.min(3, Math.max(1, Number(params.get("depth")) || 1));
  const limit = Math.min(1000, Math.max(1, Number(params.get("limit")) || 100));
  const depthSelect = h("select", { name: "depth", "aria-label": "depth" },
    [1, 2, 3].map((d) => h("option", { value: d, selected: d === depth }, `深度 depth ${d}`)));
  const limitInput = h("input", { name: "limit", type: "number", min: 1, max: 1000, value: limit, "aria-label": "node limit" });
  const form = h("form", { class: "filters" }, depthSelect, h("label", {}, "最多节点 at most ", limitInput, " nodes"),
    h("button", { type: "submit" }, "Draw"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = link("graph", id, { depth: depthSelect.value, limit: limitInput.value });
  });
  const count = h("span", { id: "graph-count", class: "count" });
  const container = h("div", { id: "cy", class: "cy" });
  const panel = h("aside", { class: "panel" }, h("p", { class: "hint" },
    "Tap a node to expand it, an edge to see the articles behind it."));
  const [labels, res, cytoscape] = await Promise.all([classLabels(), get("graph", { id, depth, limit }), loadCytoscape()]);
  const centre = res.elements.nodes.find((n) => n.data.id === id);
  root.append(h("h1", {}, "关系图 Graph: ", centre ? entityLink({ id, name: centre.data.label }) : id),
    form, h("p", {}, count, res.truncated ? " (cut at the node limit)" : ""),
    h("div", { class: "graph-wrap" }, container, panel), legend(labels));
  const started = performance.now();
  const big = res.elements.nodes.length > COSE_MAX;
  // a big graph: straight edges without labels, and a bitmap of it while panning and zooming
  const cy = cytoscape({ container, elements: withFamily(res.elements, big), style: styles(big),
    layout: layoutFor(res.elements.nodes.length), maxZoom: 2.5,
    ...(big ? { textureOnViewport: true, hideEdgesOnViewport: true } : {}) });
  if (cy.zoom() > 1.5) { cy.zoom(1.5); cy.center(); }
  cy.$id(id).addClass("centre");
  const showCount = () => {
    count.textContent = `${cy.nodes().length} nodes · ${cy.edges().length} edges`;
    count.dataset.nodes = String(cy.nodes().length);
    count.dataset.edges = String(cy.edges().length);
  };
  showCount();
  container.dataset.layoutMs = String(Math.round(performance.now() - started));
  window.explorerGraph = cy; // for the browser tests and the bench
  const expanded = new Set([id]);
  cy.on("tap", "node", async (evt) => {
    const node = evt.target;
    nodePanel(panel, node, labels);
    if (expanded.has(node.id())) return;
    expanded.add(node.id());
    container.dataset.expanding = node.id();
    try {
      const more = withFamily((await get("graph", { id: node.id(), depth: 1, limit: 100 })).elements);
      const added = cy.add([...more.nodes.filter((n) => cy.$id(n.data.id).empty()),
        ...more.edges.filter((e) => cy.$id(e.data.id).empty())]);
      if (added.nonempty()) {
        const around = node.position();
        added.nodes().forEach((n, i, all) => {
          const angle = (2 * Math.PI * i) / all.length;
          n.position({ x: around.x + 120 * Math.cos(angle), y: around.y + 120 * Math.sin(angle) });
        });
        cy.fit(undefined, 30);
      }
      showCount();
    } catch (err) {
      panel.append(problemBox(err));
    } finally {
      delete container.dataset.expanding;
    }
  });
  cy.on("tap", "edge", (evt) => factPanel(panel, evt.target, labels).catch((err) => panel.append(problemBox(err))));
}

function legend(labels) {
  const shown = ["Office", "Village", "District", "Person", "Post", "Observation", "Meeting", "Article", "Enterprise", "PartyOrganization"];
  return h("p", { class: "legend" }, shown.map((t) => h("span", {},
    h("i", { style: `background:${TYPE_COLOURS[typeClass(t)]}` }), " ", typeBadge(t, labels))));
}
