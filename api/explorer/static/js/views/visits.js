// Visits as a filterable, paged table (cursor paging: the cursor is in the URL, so a page is a
// link too) and a matrix of offices x sites visited.

import { classLabels, get, h, KIND_LABELS } from "../api.js";
import { link } from "../nav.js";
import { articleLink, dateCell, empty, entityLink, kindBadge, siteChain, table } from "./common.js";

const FILTERS = ["organizer", "site", "from", "to", "kind", "limit"];

export async function renderVisits(root, _arg, params) {
  const values = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || ""]));
  const input = (name, label, attrs = {}) => h("label", {}, label, " ",
    h("input", { name, value: values[name], ...attrs }));
  const kind = h("select", { name: "kind" }, h("option", { value: "" }, "所有 any kind"),
    ["visit", "observation", "inspection"].map((k) => h("option", { value: k, selected: values.kind === k }, KIND_LABELS[k])));
  const form = h("form", { class: "filters" },
    input("organizer", "组织 organizer", { placeholder: "name or id" }),
    input("site", "地点 site", { placeholder: "name or id" }),
    input("from", "从 from", { placeholder: "YYYY-MM-DD or --MM-DD", size: 12 }),
    input("to", "到 to", { placeholder: "YYYY-MM-DD or --MM-DD", size: 12 }),
    h("label", {}, "类型 kind ", kind),
    h("button", { type: "submit" }, "筛选 Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    location.hash = link("visits", null, { ...data, limit: values.limit });
  });
  root.append(h("h1", {}, "走访 Visits"), h("p", {}, h("a", { href: link("matrix") }, "offices × sites matrix →")), form);
  const limit = Number(values.limit) || 50;
  const cursor = params.get("cursor");
  const [labels, page] = await Promise.all([classLabels(), get("visits", {
    organizer: values.organizer, site: values.site, from: values.from, to: values.to, kind: values.kind,
    limit, cursor })]);
  if (!page.items.length) { root.append(empty("No visits match.")); return; }
  root.append(table(["日期 date", "类型 kind", "组织 organizer", "地点 sites (in order)", "带队 leaders", "参加 participants", "据 article"],
    page.items.map((v) => [dateCell(v.date), kindBadge(v.kind), v.organizers.map((o) => entityLink(o)),
      siteChain(v.sites, labels), v.leaders.map((p) => entityLink(p)), v.participants || "—",
      v.articles.map((a) => articleLink(a))]), { class: "visits-table" }));
  const filters = Object.fromEntries(FILTERS.map((f) => [f, values[f]]));
  root.append(h("p", { class: "pager" },
    cursor ? h("a", { href: link("visits", null, filters), class: "first" }, "⟲ first page") : null, " ",
    cursor ? h("a", { href: "javascript:history.back()", class: "prev" }, "← previous") : null, " ",
    page.next_cursor ? h("a", { href: link("visits", null, { ...filters, cursor: page.next_cursor }), class: "next" }, "next →") : null));
}

/** Offices (rows) x sites (columns); a cell counts the visits and links to them. */
export async function renderMatrix(root) {
  root.append(h("h1", {}, "机构 × 地点 Offices × sites visited"));
  const page = await get("offices", { limit: 100, visits: 200 });
  const offices = page.items.filter((o) => o.visits.length);
  if (!offices.length) { root.append(empty("No visits in the graph yet.")); return; }
  const sites = new Map();
  const cells = new Map();
  for (const o of offices) {
    for (const v of o.visits) {
      for (const s of v.sites) {
        sites.set(s.id, s);
        const key = o.office.id + "|" + s.id;
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push(v.date);
      }
    }
  }
  const columns = [...sites.values()].sort((a, b) => (a.name || "").localeCompare(b.name || "", "zh"));
  const head = h("tr", {}, h("th", {}, "机构 office \\ 地点 site"),
    columns.map((s) => h("th", { class: "site-col" }, h("a", { href: link("entity", s.id) }, s.name))));
  const rows = offices.map((o) => h("tr", {}, h("th", {}, entityLink(o.office)), columns.map((s) => {
    const dates = cells.get(o.office.id + "|" + s.id);
    return h("td", { class: dates ? "hit" : "" }, dates ? h("a", {
      href: link("visits", null, { organizer: o.office.id, site: s.id }),
      title: dates.map((d) => d || "no date").join(", ") }, String(dates.length)) : "");
  })));
  root.append(h("div", { class: "matrix-wrap" }, h("table", { class: "matrix" }, h("thead", {}, head), h("tbody", {}, rows))));
  if (page.next_cursor) root.append(h("p", {}, "The first 100 offices are shown."));
}
