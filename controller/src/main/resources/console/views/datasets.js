// The datasets, with the policy each is kept by and where new objects land; operators may pause
// or resume one dataset's movement.
import { el, tableBody } from "../core/dom.js";
import { hasRole } from "../core/session.js";
import { t } from "../i18n.js";
import { confirmMovement } from "./movement.js";

export function render({ datasets, movement }) {
  const body = tableBody("datasets");
  if (body.querySelector(".preview")) return; // A confirmation is open: leave it be.
  body.replaceChildren(...datasets.map(d => el("tr", { "data-dataset": d.name },
    el("td", {}, d.name), el("td", {}, d.description), el("td", {}, d.policy ?? ""),
    el("td", {}, d.landingPools.join(", ")),
    el("td", {}, hasRole("operator") ? pauseButton(d.name, movement.paused.includes(d.name)) : ""))));
}

function pauseButton(dataset, paused) {
  const verb = paused ? "resume" : "pause";
  return el("button", { type: "button", class: "action", "data-dataset-movement": verb, "data-name": dataset },
    t("movement." + verb));
}

tableBody("datasets").addEventListener("click", event => {
  const button = event.target.closest("button[data-dataset-movement]");
  if (button && !button.disabled) confirmMovement(button, button.dataset.datasetMovement, button.dataset.name);
});
