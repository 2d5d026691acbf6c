// The named queries, each a form from its typed parameters; the URL holds the values
// (#/query/officials_of?organisation=…), so a filled-in query is a link to share.

import { get, h, shortId } from "../api.js";
import { link } from "../nav.js";
import { articleLink, empty, entityLink, table } from "./common.js";

export async function renderQueries(root) {
  const queries = await get("queries");
  root.append(h("h1", {}, "命名查询 Named queries"),
    h("ul", { class: "query-list" }, queries.map((q) => h("li", {},
      h("a", { href: link("query", q.name), class: "query-name" }, q.name), " — ", q.description))));
}

/** A cell as a person reads it: IRIs of ours become entity links, article ids article links. */
export function cell(column, value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") {
    const id = shortId(value);
    if (id) return entityLink({ id, name: id });
    if (column === "article") return articleLink(value);
    return value;
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) return value.join("、");
  return h("code", {}, JSON.stringify(value));
}

export function rowsTable(columns, rows) {
  return table(columns, rows.map((r) => columns.map((c) => cell(c, r[c]))), { class: "rows" });
}

function field(p, value) {
  const attrs = { name: p.name, id: "param-" + p.name, required: p.required };
  let input;
  if (p.type === "boolean") {
    input = h("select", attrs, ["", "true", "false"].map((v) => h("option", { value: v, selected: v === (value ?? "") }, v || "—")));
  } else {
    input = h("input", { ...attrs, type: p.type === "string" ? "text" : "number",
      step: p.type === "float" ? "any" : p.type === "integer" ? "1" : null,
      value: value ?? "", placeholder: p.default !== null && p.default !== undefined ? `default ${p.default}` : "" });
  }
  return h("div", { class: "param" }, h("label", { for: "param-" + p.name }, p.name, p.required ? " *" : "",
    h("span", { class: "ptype" }, " (" + p.type + ")")), input, h("small", {}, p.description));
}

export async function renderQuery(root, name, params) {
  const q = (await get("queries")).find((x) => x.name === name);
  if (!q) { root.append(empty(`No named query called ${name}.`), h("a", { href: link("queries") }, "all queries")); return; }
  const values = Object.fromEntries(q.parameters.map((p) => [p.name, params.get(p.name)]));
  const form = h("form", { class: "query-form", dataset: { query: q.name } },
    q.parameters.map((p) => field(p, values[p.name])),
    h("button", { type: "submit" }, "运行 Run"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => v !== ""));
    const next = link("query", q.name, { ...data, run: 1 });
    if (location.hash === next) renderAgain(); else location.hash = next;
  });
  const out = h("div", { class: "query-result" });
  root.append(h("h1", {}, q.name), h("p", {}, q.description), form, out);
  const ready = q.parameters.every((p) => !p.required || values[p.name]);
  const renderAgain = async () => {
    out.replaceChildren(h("p", { class: "hint" }, "running…"));
    const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== ""));
    const res = await get("queries/" + encodeURIComponent(q.name), given);
    out.replaceChildren(h("p", { class: "count", dataset: { rows: String(res.rows.length) } },
      `${res.rows.length} rows`, res.truncated ? " (cut at the row cap)" : ""),
    res.rows.length ? rowsTable(res.columns, res.rows) : empty("No rows."));
  };
  if (ready && (params.has("run") || q.parameters.some((p) => values[p.name]))) await renderAgain();
}
