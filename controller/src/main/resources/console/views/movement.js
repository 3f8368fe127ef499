// Pausing and resuming data movement, for operators: all of it, or one dataset's (in the datasets
// table). Each asks for confirmation next to its button; a refusal shows the API's reason there.
import { refresh } from "../core/refresh.js";
import { send } from "../core/api.js";
import { byId, el } from "../core/dom.js";
import { confirmBeside } from "../core/confirm.js";
import { hasRole } from "../core/session.js";
import { t } from "../i18n.js";

const controls = byId("movement-controls");

export function render({ movement }) {
  if (!hasRole("operator")) {
    controls.replaceChildren();
    return;
  }
  if (controls.querySelector(".preview")) return; // A confirmation is open: leave it be.
  const all = movement.paused.includes("*");
  controls.replaceChildren(all
    ? el("button", { type: "button", class: "action", "data-movement": "resume" }, t("movement.resumeAll"))
    : el("button", { type: "button", class: "action", "data-movement": "pause" }, t("movement.pauseAll")));
}

/** Asks, next to {@code button}, whether to pause or resume {@code dataset} (null: all). */
export function confirmMovement(button, verb, dataset) {
  confirmBeside(button,
    t(dataset ? "movement.confirmOne" : "movement.confirmAll", { verb: t("movement." + verb), dataset: dataset ?? "" }),
    () => send("POST", "/movement/" + verb + (dataset ? "?dataset=" + encodeURIComponent(dataset) : "")),
    { then: refresh });
}

controls.addEventListener("click", event => {
  const button = event.target.closest("button[data-movement]");
  if (button && !button.disabled) confirmMovement(button, button.dataset.movement, null);
});
