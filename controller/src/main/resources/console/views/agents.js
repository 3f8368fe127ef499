// The agents: their state, last heartbeat, what their nodes have and how their drives fare; for
// operators, forgetting an agent whose node is retired (it then no longer shows, nor alerts, as
// down), once confirmed. A refusal (an agent still up) shows the API's reason next to the control.
import { refresh } from "../core/refresh.js";
import { send } from "../core/api.js";
import { byId, el, tableBody } from "../core/dom.js";
import { confirmBeside } from "../core/confirm.js";
import { hasRole } from "../core/session.js";
import { t } from "../i18n.js";
import { ago, bytes } from "../core/format.js";

export function render({ agents: page }) {
  const body = tableBody("agents");
  if (body.querySelector(".preview")) return; // A confirmation is open: leave it be.
  const agents = page.items;
  byId("agents-shown").textContent = page.total > agents.length
    ? t("agents.shown", { shown: agents.length, total: page.total }) : "";
  const operator = hasRole("operator");
  body.replaceChildren(...agents.map(a => el("tr", { "data-agent": a.id },
    el("td", {}, a.id), el("td", {}, a.node ?? ""),
    el("td", { class: "state-" + a.state }, t("state." + a.state.toLowerCase())),
    el("td", {}, ago(a.lastHeartbeat)),
    el("td", {}, a.inventory ? a.inventory.cpus : ""),
    el("td", {}, a.inventory ? bytes(a.inventory.memoryBytes) : ""),
    el("td", {}, (a.inventory ? a.inventory.fileSystems : []).map(f => bytes(f.usedBytes) + " / " + bytes(f.totalBytes)).join(", ")),
    drives(a.inventory ? a.inventory.blockDevices : []),
    el("td", {}, a.metricsUrl ? el("a", { href: a.metricsUrl }, t("agents.metrics")) : ""),
    el("td", {}, operator ? el("button", { type: "button", class: "action", "data-forget": a.id }, t("agents.forget")) : ""))));
}

/** How many drives the node has, and how many of them SMART says are failing. */
function drives(devices) {
  const failing = devices.filter(d => d.smartHealthy === false).length;
  return el("td", { "data-drives": String(devices.length), "data-failing": String(failing) },
    String(devices.length),
    ...(failing > 0 ? [" ", el("span", { class: "refused" }, t("agents.failing", { n: failing }))] : []));
}

/** Asks, next to the button, whether to forget the agent; forgets it once confirmed. */
function confirmForget(button) {
  const id = button.dataset.forget;
  confirmBeside(button, t("agents.forgetConfirm", { agent: id }),
    () => send("DELETE", "/agents/" + encodeURIComponent(id)),
    { then: refresh, label: t("agents.forget") });
}

tableBody("agents").addEventListener("click", event => {
  const button = event.target.closest("button[data-forget]");
  if (button && !button.disabled) confirmForget(button);
});
