// The agents: their state, last heartbeat and what their nodes have.
import { byId, el, tableBody } from "../core/dom.js";
import { t } from "../i18n.js";
import { ago, bytes } from "../core/format.js";

export function render({ agents: page }) {
  const agents = page.items;
  byId("agents-shown").textContent = page.total > agents.length
    ? t("agents.shown", { shown: agents.length, total: page.total }) : "";
  tableBody("agents").replaceChildren(...agents.map(a => el("tr", { "data-agent": a.id },
    el("td", {}, a.id), el("td", {}, a.node ?? ""),
    el("td", { class: "state-" + a.state }, t("state." + a.state.toLowerCase())),
    el("td", {}, ago(a.lastHeartbeat)),
    el("td", {}, a.inventory ? a.inventory.cpus : ""),
    el("td", {}, a.inventory ? bytes(a.inventory.memoryBytes) : ""),
    el("td", {}, (a.inventory ? a.inventory.fileSystems : []).map(f => bytes(f.usedBytes) + " / " + bytes(f.totalBytes)).join(", ")),
    el("td", {}, a.metricsUrl ? el("a", { href: a.metricsUrl }, t("agents.metrics")) : ""))));
}
