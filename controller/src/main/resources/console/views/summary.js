// The cards at the top: how many sites, racks, pools and live agents, and how full the pools are,
// summed from the racks' summaries (the same answer the heatmap draws).
import { byId, el } from "../core/dom.js";
import { bytes } from "../core/format.js";
import { number, t } from "../i18n.js";

const card = (label, value, id) => el("div", { class: "card", id }, el("b", {}, value), label);

export function render({ racks, agents, agentsUp }) {
  const all = racks.racks;
  const sites = new Set(all.map(r => r.site)).size;
  const pools = all.reduce((s, r) => s + r.poolsUp + r.poolsDraining + r.poolsDown, 0);
  byId("summary").replaceChildren(
    card(t("summary.sites"), number(sites), "sites-count"),
    card(t("summary.racks"), number(all.length), "racks-count"),
    card(t("summary.pools"), number(pools), "pools-count"),
    card(t("summary.agents"), number(agentsUp) + " / " + number(agents.total), "agents-count"),
    card(t("summary.used", { capacity: bytes(racks.capacityBytes) }), bytes(racks.usedBytes), "used"));
}
