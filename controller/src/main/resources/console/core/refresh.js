// The refresh loop: reads the fleet from the API every few seconds and has each view draw it.
// Every read is conditional (the API answers 304 while nothing changed), and what grows with the
// fleet is read in its compact or paged form: the racks' summaries for the heatmap, a page of
// agents and of tasks; the whole map and every pool only for a small fleet, whose racks are also
// drawn as boxes.
import { getJson, getPage } from "./api.js";
import { hideError, showError } from "./dom.js";
import { keepAlive } from "./session.js";
import { t } from "../i18n.js";

const REFRESH_MS = 5000;

/** Up to this many racks, the page also draws every rack as a box with its pools. */
export const SMALL_FLEET = 100;

/** Agents listed; the table says how many there are in all. */
export const AGENTS_SHOWN = 100;

/** Tasks listed; the movement line says how many there are in all. */
export const TASKS_SHOWN = 12;

// The view modules, in drawing order; each exports render(fleet). Set once by startRefresh, with
// whether the fleet is read at all (an auditor may not read it, and its views read their own).
let views = [];
let readsFleet = true;

/** Everything the views draw, read at once. */
async function readFleet() {
  const racks = await getJson("/racks");
  const small = racks.racks.length <= SMALL_FLEET;
  const [map, pools, agents, agentsUp, datasets, leader, queue, movement, replicas, policies, recalls] =
    await Promise.all([
      small ? getJson("/cluster-map?remaps=false") : null,
      small ? getJson("/cluster-map/pools") : null,
      getPage("/agents?limit=" + AGENTS_SHOWN), getPage("/agents?state=UP&limit=1"),
      getJson("/datasets"), getJson("/leader"), getJson("/tasks?limit=" + TASKS_SHOWN),
      getJson("/movement"), getJson("/replicas"), getJson("/policies"), getJson("/recalls")]);
  return { racks, map, pools, agents, agentsUp: agentsUp.total, datasets, leader, queue, movement, replicas, policies, recalls };
}

/** Reads the fleet and redraws every view; the first failure stops the round and is shown. */
export async function refresh() {
  const started = performance.now();
  try {
    await keepAlive();
    const fleet = readsFleet ? await readFleet() : {};
    for (const view of views) await view.render(fleet);
    hideError();
    // Each round in the browser's timeline: its reads fall inside it (./strata bench console).
    // The last hundred are kept, so a console open for days does not pile them up.
    if (performance.getEntriesByName("strata:refresh").length >= 100) performance.clearMeasures("strata:refresh");
    performance.measure("strata:refresh", { start: started });
  } catch (e) {
    showError(t("error.read", { message: e.message }));
  }
}

/**
 * Draws now, then again every few seconds with the views given (in drawing order); {@code fleet}
 * false when none of them draws the fleet.
 */
export function startRefresh(viewModules, fleet = true) {
  views = viewModules;
  readsFleet = fleet;
  loop();
}

// The next round is timed from the end of the last, so a slow controller is not sent a new round
// of reads while it still answers the previous one.
async function loop() {
  await refresh();
  setTimeout(loop, REFRESH_MS);
}
