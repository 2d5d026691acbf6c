// URLs of views (deep links) and how errors are shown: shared by the shell and every view.

import { ApiError, h } from "./api.js";

/** "#/entity/org-1?depth=2" -> {view: "entity", arg: "org-1", params: URLSearchParams} */
export function parseHash(hash) {
  const raw = hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?", 2);
  const [view = "", ...rest] = path.split("/");
  return { view, arg: rest.length ? decodeURIComponent(rest.join("/")) : null, params: new URLSearchParams(query) };
}

/** The URL of a view: link("entity", "org-1", {depth: 2}) -> "#/entity/org-1?depth=2" */
export function link(view, arg = null, params = {}) {
  let out = "#/" + view + (arg !== null && arg !== undefined ? "/" + encodeURIComponent(arg) : "");
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
  const qs = q.toString();
  return qs ? out + "?" + qs : out;
}

/** An error as a person reads it: the problem's title and detail (RFC 9457 from the API). */
export function problemBox(err) {
  if (err instanceof ApiError) {
    return h("div", { class: "problem", role: "alert", dataset: { status: String(err.status) } },
      h("strong", {}, `${err.status} ${err.problem.title || "Error"}`), ": ", err.problem.detail || err.message);
  }
  return h("div", { class: "problem", role: "alert" }, String(err && err.message ? err.message : err));
}
