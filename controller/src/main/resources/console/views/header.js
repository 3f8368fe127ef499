// The header's status: the map's epoch, the leader, and when the page last read everything.
// Drawn last, so "updated" tells when a refresh last went through.
import { byId } from "../core/dom.js";

export function render({ map, leader }) {
  byId("epoch").textContent = "map epoch " + map.epoch;
  byId("leader").textContent = "leader: " + (leader.currentLeader ?? "none");
  byId("updated").textContent = "updated " + new Date().toLocaleTimeString();
}
