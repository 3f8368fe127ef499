// The datasets, with the policy each is kept by and where new objects land, a page at a time (the
// API answers a page and the total); operators may pause or resume one dataset's movement.
import { getPage } from "../core/api.js";
import { byId, el, tableBody } from "../core/dom.js";
import { Pager, PAGE_ROWS } from "../core/pager.js";
import { hasRole } from "../core/session.js";
import { t } from "../i18n.js";
import { confirmMovement } from "./movement.js";

const bar = byId("datasets-pager");
const pager = new Pager(bar, () => draw(false));
// The movement switches of the last refresh, for a page turned between two refreshes.
let paused = [];

export async function render({ movement }) {
  paused = movement.paused;
  await draw(true);
}

/** Reads the page on show and draws it; a read of the refresh is a background one. */
async function draw(background) {
  const body = tableBody("datasets");
  if (body.querySelector(".preview")) return; // A confirmation is open: leave it be.
  let page = await getPage("/datasets?offset=" + pager.from + "&limit=" + PAGE_ROWS, background);
  if (page.items.length === 0 && pager.from > 0) {
    // The list shrank under the page on show: back to its last page.
    pager.from = Math.max(0, Math.floor((page.total - 1) / PAGE_ROWS) * PAGE_ROWS);
    page = await getPage("/datasets?offset=" + pager.from + "&limit=" + PAGE_ROWS, background);
  }
  pager.draw(page.items.length, page.total);
  bar.hidden = page.total <= PAGE_ROWS;
  body.replaceChildren(...page.items.map(d => el("tr", { "data-dataset": d.name },
    el("td", {}, d.name), el("td", {}, d.description), el("td", {}, d.policy ?? ""),
    el("td", {}, d.landingPools.join(", ")),
    el("td", {}, hasRole("operator") ? pauseButton(d.name, paused.includes(d.name)) : ""))));
}

function pauseButton(dataset, isPaused) {
  const verb = isPaused ? "resume" : "pause";
  return el("button", { type: "button", class: "action", "data-dataset-movement": verb, "data-name": dataset },
    t("movement." + verb));
}

tableBody("datasets").addEventListener("click", event => {
  const button = event.target.closest("button[data-dataset-movement]");
  if (button && !button.disabled) confirmMovement(button, button.dataset.datasetMovement, button.dataset.name);
});
