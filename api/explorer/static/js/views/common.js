// Pieces several views share: links to entities and articles, tables, a visit's line.

import { h, kindBadge, showDate, shortId, typeBadge } from "../api.js";
import { link } from "../nav.js";

/** A link to an entity's page from a Ref ({id, iri, name}). */
export function entityLink(ref, labels = null) {
  if (!ref) return "—";
  const id = ref.id || shortId(ref.iri);
  // an activity has no name: say what it is rather than show a hash
  const text = ref.name || (id && id.startsWith("event-") ? "活动 activity " + id.slice(6, 12) : id || ref.iri);
  const a = id ? h("a", { href: link("entity", id), class: "entity", dataset: { id } }, text) : h("span", {}, text);
  return ref.type && labels ? h("span", { class: "ref" }, a, " ", typeBadge(ref.type, labels)) : a;
}

/** A link to an article's page, optionally with one fact selected. */
export function articleLink(article, fact = null, text = null) {
  if (!article) return "—";
  const id = typeof article === "string" ? article : article.id;
  const headline = typeof article === "string" ? null : article.headline;
  return h("a", { href: link("article", id, { fact }), class: "article", dataset: { article: id },
    title: headline || id }, text || headline || id);
}

/** A table from column names and rows of cells (DOM nodes or text). */
export function table(columns, rows, attrs = {}) {
  return h("table", attrs,
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c) => h("td", {}, c))))));
}

/** The sites of a visit in trip order: 1. 柿园吴村 → 2. 寺王村 ... */
export function siteChain(sites, labels) {
  const out = [];
  sites.forEach((s, i) => {
    if (i) out.push(h("span", { class: "arrow" }, " → "));
    out.push(h("span", { class: "site", dataset: { type: s.type || "" } }, entityLink(s), s.type && labels ? [" ", typeBadge(s.type, labels)] : null));
  });
  return h("span", { class: "sites" }, out);
}

/** A date; one without a year (--MM-DD) says so when hovered. */
/** Items separated by 、 (the Chinese enumeration comma). */
export function joined(items) {
  const out = [];
  items.forEach((x, i) => { if (i) out.push("、"); out.push(x); });
  return out;
}

export function dateCell(date) {
  const noYear = date && date.startsWith("--");
  return h("time", { datetime: date || "", class: noYear ? "no-year" : null,
    title: noYear ? "年份不详 the article gives no year" : null }, showDate(date));
}

export { kindBadge };

export function section(title, ...children) {
  return h("section", {}, h("h2", {}, title), ...children);
}

export function empty(text) {
  return h("p", { class: "empty" }, text);
}
