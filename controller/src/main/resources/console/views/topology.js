// The failure-domain tree: sites, their rooms, the racks in each room, and each rack's pools with
// their fill.
import { byId, el } from "../core/dom.js";
import { bytes } from "../core/format.js";
import { t } from "../i18n.js";

function poolRow(p) {
  const pct = p.fill < 0 ? null : Math.min(100, p.fill * 100);
  const bar = el("div", { class: "bar" + (pct !== null && pct > 80 ? " high" : "") }, el("span"));
  // Set through the DOM, not a style attribute: the Content-Security-Policy refuses inline styles.
  bar.firstChild.style.width = (pct ?? 0) + "%";
  return el("div", { class: "pool", "data-pool": p.id },
    el("span", {}, p.id, el("br"), el("span", { class: "tier " + p.tier }, p.tier)),
    el("span", { class: "state-" + p.state }, t("state." + p.state) + (p.reachable === false ? ", " + t("rack.unreachable") : "")),
    bar,
    el("span", { class: "fill" }, pct === null ? t("heatmap.noReport") : t("topology.fill", { fill: pct.toFixed(1), capacity: bytes(p.capacityBytes) })));
}

export function render({ map, pools, racks }) {
  if (map === null) {
    // A large fleet is the heatmap's: a box per rack would be tens of thousands of elements.
    byId("topology").replaceChildren(el("p", { class: "muted" }, t("topology.large", { racks: racks.racks.length })));
    return;
  }
  const children = {};
  for (const d of map.domains) (children[d.parent] ??= []).push(d);
  const poolsByRack = {};
  for (const p of pools) (poolsByRack[p.rack] ??= []).push(p);
  // A room's racks may sit under further levels (rows, say): they are shown flat in the room.
  const racksUnder = id => (children[id] ?? []).flatMap(c => c.level === "rack" ? [c] : racksUnder(c.id));

  const sites = el("div", { class: "sites" });
  for (const site of map.domains.filter(d => d.level === "site")) {
    const rooms = el("div", { class: "rooms" });
    const label = site.labels && site.labels.description ? " — " + site.labels.description : "";
    sites.append(el("div", { class: "site", "data-site": site.id }, el("h3", {}, site.id + label), rooms));
    for (const room of (children[site.id] ?? [])) {
      const roomBox = el("div", { class: "room", "data-room": room.id }, el("h4", {}, t("topology.room", { room: room.id })));
      for (const rack of racksUnder(room.id)) {
        const rackBox = el("div", { class: "rack", "data-rack": rack.id }, el("div", { class: "name" }, t("topology.rack", { rack: rack.id })));
        for (const p of (poolsByRack[rack.id] ?? [])) rackBox.append(poolRow(p));
        roomBox.append(rackBox);
      }
      rooms.append(roomBox);
    }
  }
  byId("topology").replaceChildren(sites);
}
