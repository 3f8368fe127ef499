// The console: reads the controller's REST API every few seconds and has each view draw its part.
// Shared code is under core/, one module per part of the page under views/, the texts in
// messages/ (i18n.js). The page has up to three parts, shown one at a time from the header's
// links, each only to the roles the API lets read it: the fleet (viewer, operator, planner,
// admin), the audit trail (auditor), users and access (admin).
import { languageSwitch, loadMessages } from "./i18n.js";
import { startRefresh } from "./core/refresh.js";
import { hasRole, loadSession } from "./core/session.js";
import { byId } from "./core/dom.js";

await loadMessages();
languageSwitch(byId("language"));
let known = true;
try {
  await loadSession();
} catch {
  // A 401 is on its way to the login page. Otherwise the page goes on without the session's
  // roles (the fleet's views only) until it is reloaded, and the refresh shows what fails.
  known = false;
}
const READERS = ["viewer", "operator", "planner", "admin"];
const pages = {
  fleet: !known || READERS.some(hasRole),
  audit: known && hasRole("auditor"),
  access: known && hasRole("admin"),
};
const allowed = Object.keys(pages).filter(p => pages[p]);

/** Shows the part the address names, or the first one this session may see. */
function show() {
  const wanted = location.hash.slice(1);
  const page = allowed.includes(wanted) ? wanted : allowed[0];
  for (const p of Object.keys(pages)) {
    byId("page-" + p).hidden = p !== page;
    document.querySelector("#pages a[data-page=" + p + "]").classList.toggle("current", p === page);
  }
  document.body.dataset.page = page ?? "";
  // The heatmap sizes itself to the width it is given, which a hidden part does not have.
  window.dispatchEvent(new Event("resize"));
}
for (const p of allowed) document.querySelector("#pages a[data-page=" + p + "]").hidden = false;
byId("pages").hidden = allowed.length < 2;
window.addEventListener("hashchange", show);
show();

// The views read the bundle as they load (their listeners' texts), so they load after it.
const names = [...(pages.fleet ? ["summary", "heatmap", "tasks", "movement", "recalls", "topology", "agents",
  "datasets", "explain", "add-pool", "replicas", "policies", "capacity", "plan"] : []),
...(pages.audit ? ["audit"] : []), ...(pages.access ? ["access"] : []),
...(pages.fleet ? ["header"] : [])];
const views = await Promise.all(names.map(v => import("./views/" + v + ".js")));
// The header goes last: its "updated" time is that of the last refresh that drew everything.
startRefresh(views, pages.fleet);
