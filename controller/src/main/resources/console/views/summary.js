// The cards at the top: how many sites, racks, pools and live agents, and how full the pools are.
import { byId, el } from "../core/dom.js";
import { bytes } from "../core/format.js";

const card = (label, value, id) => el("div", { class: "card", id }, el("b", {}, value), label);

export function render({ map, pools, agents }) {
  const up = agents.filter(a => a.state === "UP").length;
  // A pool not reported yet counts -1 bytes used: it adds nothing.
  const used = pools.reduce((s, p) => s + Math.max(0, p.usedBytes), 0);
  const capacity = pools.reduce((s, p) => s + p.capacityBytes, 0);
  byId("summary").replaceChildren(
    card("sites", map.domains.filter(d => d.level === "site").length, "sites-count"),
    card("racks", map.domains.filter(d => d.level === "rack").length, "racks-count"),
    card("pools", pools.length, "pools-count"),
    card("agents up / known", up + " / " + agents.length, "agents-count"),
    card("used of " + bytes(capacity), bytes(used), "used"));
}
