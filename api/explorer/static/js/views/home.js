// The first view: every office with the sites it visited, when, and the article that says so —
// the headline question answered before anyone types anything.

import { classLabels, get, h } from "../api.js";
import { link } from "../nav.js";
import { articleLink, dateCell, empty, entityLink, kindBadge, siteChain } from "./common.js";

const PAGE = 20;
const VISITS = 5; // the first few trips of each office; its page has them all

/** One office's visits as rows: date, kind, sites in trip order, article. */
export function officeVisits(office, labels) {
  if (!office.visits.length) return empty("没有走访记录 No visits recorded.");
  return h("ol", { class: "visits" }, office.visits.map((v) =>
    h("li", { class: "visit", dataset: { visit: v.visit.id } },
      dateCell(v.date), " ", kindBadge(v.kind), " ", siteChain(v.sites, labels), " ",
      v.article ? h("span", { class: "source" }, "据 ", articleLink(v.article)) : null)),
    office.visits_truncated ? h("li", { class: "more-visits" }, h("a", { href: link("entity", office.office.id) },
      `all ${office.visit_count} visits →`)) : null);
}

export async function renderHome(root) {
  root.append(
    h("h1", {}, "机构走访 Offices and the sites they visited"),
    h("p", { class: "lede" }, "Which villages and sites each office visited, when, and the article that reports it. ",
      "Search above, or open an office, a site or an article."));
  const list = h("div", { class: "offices" });
  root.append(list);
  const [labels, first] = await Promise.all([classLabels(), get("offices", { limit: PAGE, visits: VISITS })]);
  const more = h("button", { type: "button", class: "more" }, "more offices");
  let cursor = first.next_cursor;
  const show = (page) => {
    for (const o of page.items) {
      list.append(h("article", { class: "office", dataset: { id: o.office.id } },
        h("h3", {}, entityLink({ ...o.office, type: o.type }, labels), " ",
          h("a", { class: "small", href: link("graph", o.office.id) }, "graph")),
        officeVisits(o, labels)));
    }
    if (!page.items.length && !list.childElementCount) list.append(empty("The graph has no offices yet: load some articles (kg load)."));
    more.hidden = !cursor;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    const page = await get("offices", { limit: PAGE, visits: VISITS, cursor });
    cursor = page.next_cursor;
    show(page);
    more.disabled = false;
  });
  show(first);
  root.append(more);
}
