// Search by name or alias, filtered by ontology class (labels in Chinese and English).

import { classLabels, get, h, typeBadge } from "../api.js";
import { link } from "../nav.js";
import { empty, entityLink, table } from "./common.js";

// bookkeeping classes a person does not look for
const HIDDEN = new Set(["Evidence", "Statement", "Resource"]);

export async function renderSearch(root, _arg, params) {
  const q = params.get("q") || "";
  const type = params.get("type") || "";
  const labels = await classLabels();
  const box = h("input", { type: "search", name: "q", value: q, placeholder: "名称或别名 name or alias",
    "aria-label": "name or alias" });
  const select = h("select", { name: "type", "aria-label": "type" }, h("option", { value: "" }, "所有类型 any type"),
    [...labels.entries()].filter(([name, l]) => l.ours && !HIDDEN.has(name))
      .sort((a, b) => a[1].en.localeCompare(b[1].en))
      .map(([name, l]) => h("option", { value: name, selected: name === type }, `${l.zh || ""} ${l.en}`.trim())));
  const form = h("form", { class: "filters", onsubmit: (e) => {
    e.preventDefault();
    location.hash = link("search", null, { q: box.value.trim(), type: select.value });
  } }, box, select, h("button", { type: "submit" }, "搜索 Search"));
  root.append(h("h1", {}, "搜索 Search"), form);
  const results = h("div", { class: "results" });
  root.append(results);
  if (!q && !type) return;
  let cursor = null;
  const more = h("button", { type: "button", class: "more", hidden: true }, "more");
  const body = h("tbody");
  const page = async () => {
    const res = await get("entities", { q, type, limit: 50, cursor });
    for (const e of res.items) {
      body.append(h("tr", {}, h("td", {}, entityLink(e)), h("td", {}, typeBadge(e.type, labels)),
        h("td", {}, e.aliases.join("、"))));
    }
    cursor = res.next_cursor;
    more.hidden = !cursor;
    return res.items.length;
  };
  const n = await page();
  if (!n) { results.append(empty(`没有结果 Nothing found for “${q}”.`)); return; }
  const t = table(["名称 name", "类型 type", "别名 aliases"], []);
  t.querySelector("tbody").replaceWith(body);
  more.addEventListener("click", page);
  results.append(t, more);
}
