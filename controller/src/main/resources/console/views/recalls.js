// Recalls to the hot tier: every recall with its progress and ETA (from the leader), and for
// operators a form that recalls a study, a patient's studies (by the hashed id) or a key prefix
// by a deadline. A refusal shows the API's reason next to the form.
import { refresh } from "../core/refresh.js";
import { send } from "../core/api.js";
import { byId, el, tableBody } from "../core/dom.js";
import { dateTime, duration } from "../core/format.js";
import { hasRole } from "../core/session.js";
import { t } from "../i18n.js";

const form = byId("recall-form");
const kind = byId("recall-kind");
const value = byId("recall-value");
const dataset = byId("recall-dataset");
const deadline = byId("recall-deadline");
const error = byId("recall-error");

export function render({ recalls, datasets }) {
  form.hidden = !hasRole("operator");
  if (dataset.options.length === 0) {
    dataset.replaceChildren(el("option", { value: "" }, t("recalls.anyDataset")),
      ...datasets.map(d => el("option", { value: d.name }, d.name)));
  }
  const body = tableBody("recalls");
  if (recalls.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: "7", class: "muted" }, t("recalls.none"))));
    return;
  }
  body.replaceChildren(...recalls.map(r => el("tr", { "data-recall": r.id },
    el("td", {}, r.id),
    el("td", {}, names(r)),
    el("td", {}, dateTime(r.deadline)),
    el("td", {}, dateTime(r.holdUntil)),
    el("td", {}, r.state),
    el("td", {}, r.progress ? r.progress.percent + "% (" + r.progress.hotObjects + "/" + r.progress.objects + ")" : ""),
    el("td", {}, eta(r.progress)))));
}

function names(r) {
  const what = r.study ? "study " + r.study : r.patient ? "patient " + r.patient : "prefix " + r.prefix;
  return what + (r.dataset ? " in " + r.dataset : "");
}

function eta(progress) {
  if (!progress || progress.etaSeconds === null || progress.etaSeconds === undefined) return "";
  return duration(progress.etaSeconds) + (progress.late ? " (" + t("recalls.late") + ")" : "");
}

form.addEventListener("submit", async event => {
  event.preventDefault();
  const body = { [kind.value]: value.value.trim(), deadline: new Date(deadline.value + "Z").toISOString() };
  if (dataset.value !== "") body.dataset = dataset.value;
  try {
    await send("POST", "/recalls", body);
  } catch (e) {
    error.textContent = e.message;
    return;
  }
  error.textContent = "";
  value.value = "";
  await refresh();
});
