// An entity's page: labels, aliases, memberships, posts and who holds them, activities on a
// timeline; for an office the sites it visited, for a place who visited it.

import { append, classLabels, get, h, kindBadge, typeBadge } from "../api.js";
import { link, problemBox } from "../nav.js";
import { articleLink, dateCell, empty, entityLink, joined, section, siteChain, table } from "./common.js";
import { officeVisits } from "./home.js";

const MEMBERSHIP = new Set(["partOf", "memberOf", "subOrganizationOf", "hasSubOrganization"]);

function has(entity, label) { return entity.labels.includes(label); }

// the named queries of one page, each asked once (a person's posts and timeline share one)
const asked = new Map();

/** The rows of a named query. */
function named(name, params) {
  const key = name + JSON.stringify(params);
  if (!asked.has(key)) asked.set(key, get("queries/" + encodeURIComponent(name), params).then((r) => r.rows));
  return asked.get(key);
}

async function guarded(target, build) {
  try {
    const node = await build();
    if (node) target.append(node);
  } catch (err) {
    target.append(problemBox(err));
  }
}

function memberships(e, labels) {
  const up = e.links.filter((l) => MEMBERSHIP.has(l.type) && l.direction === "out");
  const down = e.links.filter((l) => MEMBERSHIP.has(l.type) && l.direction === "in");
  if (!up.length && !down.length) return null;
  const list = (links) => h("ul", {}, links.map((l) => h("li", {}, entityLink(l.target, labels), " ",
    h("span", { class: "sources" }, "据 ", joined(l.articles.map((a, i) => articleLink(a, l.fact, `[${i + 1}]`)))))));
  return section("隶属 Memberships",
    up.length ? [h("h3", {}, "属于 part of"), list(up)] : null,
    down.length ? [h("h3", {}, "下属 has parts"), list(down)] : null);
}

async function posts(e) {
  if (has(e, "Person")) {
    const rows = (await named("person_activities", { person: e.iri })).filter((r) => r.role === "post");
    if (!rows.length) return null;
    return section("职务 Posts", table(["职务 title", "机构 organisation", "据 article"],
      rows.map((r) => [r.title || "—", r.organisation || "—", articleLink(r.article)])));
  }
  if (!e.name || !(has(e, "Organization") || has(e, "Office"))) return null;
  const rows = await named("officials_of", { organisation: e.name });
  if (!rows.length) return null;
  return section("职务与任职者 Posts and who holds them", table(["人员 person", "职务 title", "据 article"],
    rows.map((r) => [h("a", { href: link("search", null, { q: r.person, type: "Person" }) }, r.person),
      r.title || "—", articleLink(r.article)])));
}

function timelineItem(date, kind, what, article) {
  return h("li", {}, h("span", { class: "when" }, dateCell(date)), " ", kindBadge(kind), " ", what, " ",
    article ? h("span", { class: "source" }, "据 ", articleLink(article)) : null);
}

async function timeline(e) {
  if (has(e, "Person")) {
    const rows = (await named("person_activities", { person: e.iri })).filter((r) => r.role === "leader");
    if (!rows.length) return null;
    return section("带队的活动 Activities led",
      h("ol", { class: "timeline" }, rows.map((r) => timelineItem(r.date, r.kind,
        [r.organisation ? "组织 " + r.organisation + " " : "", h("a", { href: link("entity", shortIdOf(r.activity)) }, "activity")],
        r.article))));
  }
  if (!e.links.some((l) => l.type === "organizer" && l.direction === "in")) return null;
  const rows = await named("office_timeline", { office: e.iri });
  if (!rows.length) return null;
  return section("活动时间线 Activities", h("ol", { class: "timeline" }, rows.map((r) => timelineItem(r.date, r.kind,
    [h("a", { href: link("entity", shortIdOf(r.activity)) }, r.sites.length ? r.sites.join(" → ") : "activity"),
      r.leaders.length ? " 带队 led by " + r.leaders.join("、") : "",
      r.campaigns.length ? " · " + r.campaigns.join("、") : ""], r.article && { id: r.article, headline: r.headline }))));
}

function shortIdOf(iri) {
  const m = /\/id\/([a-z]+)\/([0-9a-f]+)$/.exec(iri || "");
  return m ? `${m[1]}-${m[2]}` : iri;
}

async function visited(e, labels) {
  if (!has(e, "Office")) return null;
  const page = await get("offices", { office: e.id, limit: 1, visits: 200 });
  const office = page.items[0];
  if (!office) return null;
  return section("走访的地点 Sites visited", h("div", { class: "visited-sites" }, officeVisits(office, labels)),
    h("p", {}, h("a", { href: link("visits", null, { organizer: e.id }) }, "all visits in the table →")));
}

async function visitors(e, labels) {
  if (!(has(e, "Place") || has(e, "Organization"))) return null;
  const res = await get(`sites/${encodeURIComponent(e.id)}/visitors`);
  if (!res.visitors.length) return null;
  return section("来访者 Visited by", table(["机构 office", "日期 date", "第几站 stop", "据 article"],
    res.visitors.map((v) => [entityLink(v.office), dateCell(v.date), v.position ?? "—", articleLink(v.article)])),
    h("p", {}, h("a", { href: link("visits", null, { site: e.id }) }, "these visits in the table →")));
}

function activityPart(e, labels) {
  if (!has(e, "Activity")) return null;
  const by = (type) => e.links.filter((l) => l.type === type && l.direction === "out");
  const sites = by("visitedSite").sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((l) => ({ ...l.target, position: l.position }));
  return section("活动 Activity",
    h("dl", {},
      h("dt", {}, "日期 date"), h("dd", {}, dateCell(e.properties.date)),
      h("dt", {}, "组织 organizer"), h("dd", {}, by("organizer").map((l) => entityLink(l.target, labels))),
      sites.length ? [h("dt", {}, "地点 sites"), h("dd", {}, siteChain(sites, labels))] : null,
      h("dt", {}, "带队 leaders"), h("dd", {}, by("leader").map((l) => entityLink(l.target)) || "—"),
      e.properties.participants ? [h("dt", {}, "参加 participants"), h("dd", {}, e.properties.participants)] : null,
      h("dt", {}, "据 article"), h("dd", {}, by("derivedFrom").map((l) => articleLink(l.target.id ? { id: l.target.id, headline: l.target.name } : null)))));
}

function allLinks(e, labels) {
  if (!e.links.length) return null;
  return section("全部关系 All links" + (e.links_truncated ? " (first 500 each way)" : ""),
    table(["关系 link", "", "对象 other end", "据 articles"], e.links.map((l) => [
      l.type, l.direction === "out" ? "→" : "←", entityLink(l.target, labels),
      h("span", { class: "sources" }, joined(l.articles.map((a) => articleLink(a, l.fact))))])));
}

export async function renderEntity(root, id) {
  const [e, labels] = await Promise.all([get("entities/" + encodeURIComponent(id)), classLabels()]);
  const props = Object.entries(e.properties).filter(([k]) => !["articleId", "text"].includes(k));
  append(root, [
    h("h1", { class: "entity-name" }, e.name || e.id, " ", typeBadge(e.type, labels)),
    h("p", { class: "labels" }, e.labels.filter((l) => l !== "Resource").map((l) => typeBadge(l, labels))),
    e.aliases.length ? h("p", { class: "aliases" }, "别名 aliases: ", e.aliases.join("、")) : null,
    props.length ? h("dl", { class: "props" }, props.map(([k, v]) => [h("dt", {}, k), h("dd", {}, Array.isArray(v) ? v.join(", ") : String(v))])) : null,
    h("p", { class: "actions" }, h("a", { href: link("graph", e.id) }, "关系图 graph"), " · ",
      h("span", { class: "iri" }, e.iri))]);
  const parts = h("div", { class: "parts" });
  root.append(parts);
  const slots = Array.from({ length: 7 }, () => h("div"));
  parts.append(...slots);
  slots[0].append(activityPart(e, labels) || "");
  asked.clear();
  // named queries take the API's few "heavy" slots: one after the other, beside the plain reads
  const heavy = (async () => {
    await guarded(slots[4], () => posts(e));
    await guarded(slots[5], () => timeline(e));
  })();
  await Promise.all([
    guarded(slots[1], () => visited(e, labels)),
    guarded(slots[2], () => visitors(e, labels)),
    guarded(slots[3], async () => memberships(e, labels)),
    heavy,
  ]);
  slots[6].append(allLinks(e, labels) || empty("No links."));
}
