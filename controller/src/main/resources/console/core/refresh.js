// The refresh loop: reads the fleet from the API every few seconds and has each view draw it.
import { getJson } from "./api.js";
import { hideError, showError } from "./dom.js";
import { keepAlive } from "./session.js";

const REFRESH_MS = 5000;

// The view modules, in drawing order; each exports render(fleet). Set once by startRefresh.
let views = [];

/** Everything the views draw, read at once. */
async function readFleet() {
  const [map, pools, agents, datasets, leader, queue, movement, replicas, policies] =
    await Promise.all([
      getJson("/cluster-map?remaps=false"), getJson("/cluster-map/pools"), getJson("/agents"),
      getJson("/datasets"), getJson("/leader"), getJson("/tasks"), getJson("/movement"),
      getJson("/replicas"), getJson("/policies")]);
  return { map, pools, agents, datasets, leader, queue, movement, replicas, policies };
}

/** Reads the fleet and redraws every view; the first failure stops the round and is shown. */
export async function refresh() {
  try {
    await keepAlive();
    const fleet = await readFleet();
    for (const view of views) await view.render(fleet);
    hideError();
  } catch (e) {
    showError("Cannot read the controller's API: " + e.message);
  }
}

/** Draws now, then again every few seconds with the views given (in drawing order). */
export function startRefresh(viewModules) {
  views = viewModules;
  loop();
}

// The next round is timed from the end of the last, so a slow controller is not sent a new round
// of reads while it still answers the previous one.
async function loop() {
  await refresh();
  setTimeout(loop, REFRESH_MS);
}
