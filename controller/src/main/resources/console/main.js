// The fleet page: reads the controller's REST API every few seconds and has each view draw its
// part. Shared code is under core/, one module per part of the page under views/, the texts in
// messages/ (i18n.js).
import { languageSwitch, loadMessages } from "./i18n.js";
import { startRefresh } from "./core/refresh.js";
import { loadSession } from "./core/session.js";
import { byId } from "./core/dom.js";

await loadMessages();
languageSwitch(byId("language"));
try {
  await loadSession();
} catch {
  // A 401 is on its way to the login page. Otherwise the page goes on without the session's
  // roles (views for everyone only) until it is reloaded, and the refresh shows what fails.
}
// The views read the bundle as they load (their listeners' texts), so they load after it.
const views = await Promise.all(["summary", "heatmap", "tasks", "movement", "recalls", "topology", "agents",
  "datasets", "replicas", "policies", "capacity", "header"].map(v => import("./views/" + v + ".js")));
// The header goes last: its "updated" time is that of the last refresh that drew everything.
startRefresh(views);
