// An article with every fact highlighted at its evidence span, coloured by kind. Selecting a fact
// highlights its span(s); selecting a span lists its facts. Each fact shows who annotated it
// (human, rules, model) and how confident that was.

import { classLabels, get, h, typeBadge } from "../api.js";
import { link } from "../nav.js";
import { empty, entityLink, joined } from "./common.js";

const KINDS = {
  visit: ["visitedSite", "organizer", "leader", "participants", "participantCount", "date", "aboutCampaign"],
  post: ["holdsPost", "postIn", "title"],
  membership: ["partOf", "memberOf", "subOrganizationOf"],
  byline: ["reporter", "correspondent"],
  type: ["type"],
  name: ["name", "alias"],
};
const KIND_OF = new Map(Object.entries(KINDS).flatMap(([k, ps]) => ps.map((p) => [p, k])));
export const KIND_NAMES = { visit: "活动 activity", post: "职务 post", membership: "隶属 membership",
  byline: "署名 byline", type: "类型 type", name: "名称 name", other: "其他 other" };

export function factKind(predicate) { return KIND_OF.get(predicate) || "other"; }

/** The text cut at every evidence boundary: [{start, end, evidence: [indexes]}], in order.
 *  Evidence whose offsets do not match its text is found by its text instead. */
export function segments(text, evidence) {
  const spans = evidence.map((ev) => {
    if (ev.start !== null && ev.end !== null && text.slice(ev.start, ev.end) === ev.text) return [ev.start, ev.end];
    const at = ev.text ? text.indexOf(ev.text) : -1;
    return at >= 0 ? [at, at + ev.text.length] : null;
  });
  const cuts = new Set([0, text.length]);
  for (const s of spans) if (s) { cuts.add(s[0]); cuts.add(s[1]); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = [];
    spans.forEach((s, j) => { if (s && s[0] <= start && end <= s[1]) covering.push(j); });
    out.push({ start, end, evidence: covering });
  }
  return { segments: out, spans };
}

function objectOf(fact, labels) {
  const o = fact.object;
  if (fact.predicate === "type" && o.iri) {
    const name = o.iri.split(/[#/]/).pop();
    return typeBadge(name, labels);
  }
  if (o.id) return entityLink({ id: o.id, name: o.name });
  if (o.iri) return h("span", { class: "iri" }, o.iri);
  return h("span", { class: "value" }, JSON.stringify(o.value));
}

export async function renderArticle(root, id, params) {
  const [a, labels] = await Promise.all([get("articles/" + encodeURIComponent(id)), classLabels()]);
  const text = a.text || "";
  // every evidence of every fact, flat: the text is cut at their boundaries
  const evidence = [];
  a.facts.forEach((f, fi) => f.evidence.forEach((ev) => evidence.push({ ...ev, fact: fi })));
  const { segments: segs, spans } = segments(text, evidence);
  const body = h("div", { class: "article-text", lang: "zh" });
  const marks = [];
  for (const s of segs) {
    const piece = text.slice(s.start, s.end);
    if (!s.evidence.length) { body.append(piece); continue; }
    // coloured by the kind of the narrowest evidence over it (the most specific fact)
    const narrowest = s.evidence.reduce((best, j) =>
      (spans[j][1] - spans[j][0]) < (spans[best][1] - spans[best][0]) ? j : best, s.evidence[0]);
    const facts = [...new Set(s.evidence.map((j) => evidence[j].fact))];
    const mark = h("mark", { class: "k-" + factKind(a.facts[evidence[narrowest].fact].predicate),
      dataset: { facts: facts.join(" "), evidence: s.evidence.join(" "), depth: String(Math.min(s.evidence.length, 4)) } }, piece);
    marks.push(mark);
    body.append(mark);
  }
  const list = h("ol", { class: "facts" });
  const rows = a.facts.map((f, fi) => {
    const kind = factKind(f.predicate);
    const row = h("li", { class: "fact k-" + kind, tabindex: 0, dataset: { fact: f.fact, index: String(fi), predicate: f.predicate } },
      h("span", { class: "kind-dot" }), " ",
      f.subject ? entityLink(f.subject) : "—", " ", h("span", { class: "predicate" }, f.predicate), " ", objectOf(f, labels),
      h("ul", { class: "evidence" }, f.evidence.map((ev) => h("li", {},
        h("q", {}, ev.text || ""), " ",
        h("span", { class: "annotator a-" + (ev.annotated_by || "unknown") }, ev.annotated_by || "unknown"),
        ev.confidence !== null && ev.confidence !== undefined
          ? h("span", { class: "confidence", title: "confidence" }, " " + Number(ev.confidence).toFixed(2)) : null))));
    row.addEventListener("click", (e) => {
      if (e.target.closest("a")) return;
      select(fi, true);
      history.replaceState(null, "", link("article", id, { fact: f.fact }));
    });
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") row.click(); });
    list.append(row);
    return row;
  });

  function select(fi, scroll) {
    for (const m of marks) m.classList.toggle("sel", m.dataset.facts.split(" ").includes(String(fi)));
    rows.forEach((r, i) => r.classList.toggle("sel", i === fi));
    const first = marks.find((m) => m.classList.contains("sel"));
    if (scroll && first) first.scrollIntoView({ block: "center", behavior: "instant" });
    if (scroll && rows[fi]) rows[fi].scrollIntoView({ block: "nearest", behavior: "instant" });
    selected.textContent = marks.filter((m) => m.classList.contains("sel")).map((m) => m.textContent).join("");
  }

  body.addEventListener("click", (e) => {
    const mark = e.target.closest("mark");
    if (!mark) return;
    const facts = mark.dataset.facts.split(" ").map(Number);
    rows.forEach((r, i) => r.classList.toggle("of-span", facts.includes(i)));
    for (const m of marks) m.classList.toggle("sel", m === mark);
    const first = rows[facts[0]];
    if (first) first.scrollIntoView({ block: "nearest", behavior: "instant" });
    selected.textContent = mark.textContent;
  });

  const selected = h("span", { id: "selected-text", class: "selected-text" });
  const kinds = [...new Set(a.facts.map((f) => factKind(f.predicate)))];
  root.append(
    h("h1", {}, a.headline || a.id),
    h("p", { class: "byline" }, a.published ? a.published + " · " : "", a.source ? a.source + " · " : "",
      a.reporters.length ? ["记者 ", joined(a.reporters.map((p) => entityLink(p))), " "] : null,
      a.correspondents.length ? ["通讯员 ", joined(a.correspondents.map((p) => entityLink(p)))] : null),
    h("p", { class: "legend" }, kinds.map((k) => h("span", { class: "fact k-" + k }, h("span", { class: "kind-dot" }), " ", KIND_NAMES[k])),
      " · selected: ", selected),
    h("div", { class: "article-wrap" }, body,
      h("aside", { class: "panel facts-panel" }, h("h2", {}, `事实 Facts (${a.facts.length})`),
        a.facts.length ? list : empty("No facts were extracted from this article."))));
  const wanted = params.get("fact");
  const at = wanted ? a.facts.findIndex((f) => f.fact === wanted) : -1;
  if (at >= 0) select(at, true);
}
