// Data movement: the leader's queue, highest priority first, where operators may cancel a task.
import { refresh } from "../core/refresh.js";
import { send } from "../core/api.js";
import { byId, el, showError, tableBody } from "../core/dom.js";
import { hasRole } from "../core/session.js";
import { t } from "../i18n.js";


export function render({ queue, movement }) {
  const paused = movement.paused.length === 0 ? "" :
    " " + t("tasks.paused", { what: movement.paused.includes("*") ? t("tasks.allDatasets") : movement.paused.join(", ") });
  byId("movement").textContent = queue.leading
    ? t("tasks.leading", { tasks: queue.total, copied: queue.copiedObjects, deleted: queue.deletedObjects }) + paused
    : t("tasks.follower") + paused;
  tableBody("tasks").replaceChildren(...queue.tasks.map(q => el("tr", { "data-task": q.task.id },
    el("td", {}, q.priority.toLowerCase().replaceAll("_", " ")),
    el("td", {}, q.task.type.toLowerCase().replace("_", "-")),
    el("td", {}, q.task.dataset),
    el("td", {}, q.task.sourcePool ?? ""),
    el("td", {}, q.task.targetPool ?? ""),
    el("td", {}, q.task.keys.length || "all"),
    el("td", {}, q.agent == null ? t("tasks.queued") : q.cancelReason ? q.agent + " (" + t("tasks.stopping") + ")" : q.agent),
    el("td", {}, cancelButton(queue, q)))));
}

// Only the leader's queue can be cancelled from, by operators, and a task being cancelled once.
function cancelButton(queue, q) {
  if (!queue.leading || !hasRole("operator") || q.cancelReason) return "";
  return el("button", { type: "button", class: "cancel", "data-cancel": q.task.id,
    title: t("tasks.cancelTitle") }, t("tasks.cancel"));
}

// One listener for the rows' buttons, which every refresh draws anew.
tableBody("tasks").addEventListener("click", async event => {
  const button = event.target.closest("button[data-cancel]");
  if (!button) return;
  button.disabled = true;
  try {
    await send("DELETE", "/tasks/" + encodeURIComponent(button.dataset.cancel));
  } catch (e) {
    showError(t("tasks.cancelRefused", { message: e.message }));
    return;
  }
  await refresh();
});
