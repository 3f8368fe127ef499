// The header's status: the map's epoch, the leader, and when the page last read everything.
// Drawn last, so "updated" tells when a refresh last went through.
import { byId } from "../core/dom.js";
import { dateTime } from "../core/format.js";
import { t } from "../i18n.js";

export function render({ racks, leader }) {
  byId("epoch").textContent = t("header.epoch", { epoch: racks.epoch });
  byId("leader").textContent = t("header.leader", { leader: leader.currentLeader ?? t("header.none") });
  byId("updated").textContent = t("header.updated", { time: new Date().toLocaleTimeString(document.documentElement.lang) });
}
