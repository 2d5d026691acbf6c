// The explorer's shell: a hash router (every view is a URL to share: #/entity/<id>,
// #/article/<id>?fact=<key>, #/query/<name>?<param>=<value>...), the header search box, and one
// view at a time in <main>.

import { h } from "./api.js";
import { link, parseHash, problemBox } from "./nav.js";
import { renderHome } from "./views/home.js";
import { renderSearch } from "./views/search.js";
import { renderEntity } from "./views/entity.js";
import { renderVisits, renderMatrix } from "./views/visits.js";
import { renderGraph } from "./views/graph.js";
import { renderArticle } from "./views/article.js";
import { renderQueries, renderQuery } from "./views/queries.js";
import { renderCypher } from "./views/cypher.js";

const ROUTES = {
  "": renderHome,
  search: renderSearch,
  entity: renderEntity,
  article: renderArticle,
  visits: renderVisits,
  matrix: renderMatrix,
  graph: renderGraph,
  queries: renderQueries,
  query: renderQuery,
  cypher: renderCypher,
};

let generation = 0;

async function route() {
  const { view, arg, params } = parseHash(location.hash);
  const render = ROUTES[view];
  const main = document.getElementById("view");
  const mine = ++generation;
  const started = performance.now();
  document.body.dataset.view = view || "home";
  delete document.body.dataset.ready;
  for (const a of document.querySelectorAll("nav a[data-view]")) {
    a.classList.toggle("active", a.dataset.view === (view || "home"));
  }
  const root = h("div", { class: "view view-" + (view || "home") });
  main.replaceChildren(root);
  if (!render) {
    root.append(h("p", { class: "problem" }, "No such page: " + location.hash));
    return;
  }
  try {
    // a view renders into its own root; a stale one (the user moved on) is dropped with it
    await render(root, arg, params, { isCurrent: () => mine === generation });
  } catch (err) {
    if (mine !== generation) return;
    root.append(problemBox(err));
  }
  if (mine === generation) {
    // when the view became usable, in ms since the page's navigation (bench/bench_explorer.py reads it)
    window.explorerReady = { view: view || "home", started, finished: performance.now() };
    document.body.dataset.ready = view || "home";
  }
}

function setUpSearchBox() {
  const form = document.getElementById("search-form");
  const box = document.getElementById("search-box");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = link("search", null, { q: box.value.trim() });
  });
}

window.addEventListener("hashchange", route);
setUpSearchBox();
route();
