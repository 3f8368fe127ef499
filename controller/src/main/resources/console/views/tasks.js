// Data movement: the leader's queue, highest priority first, where operators may cancel a task.
import { refresh } from "../core/refresh.js";
import { send } from "../core/api.js";
import { byId, el, showError, tableBody } from "../core/dom.js";
import { hasRole } from "../core/session.js";

// The queue can be long; the page shows its head.
const SHOWN = 12;

export function render({ queue, movement }) {
  const paused = movement.paused.length === 0 ? "" :
    " Paused: " + (movement.paused.includes("*") ? "all datasets" : movement.paused.join(", ")) + ".";
  byId("movement").textContent = queue.leading
    ? queue.tasks.length + " tasks queued or running; " + queue.copiedObjects + " copies made and " +
      queue.deletedObjects + " removed since this controller leads." + paused
    : "This replica does not lead; the leader holds the queue." + paused;
  tableBody("tasks").replaceChildren(...queue.tasks.slice(0, SHOWN).map(q => el("tr", { "data-task": q.task.id },
    el("td", {}, q.priority.toLowerCase().replaceAll("_", " ")),
    el("td", {}, q.task.type.toLowerCase().replace("_", "-")),
    el("td", {}, q.task.dataset),
    el("td", {}, q.task.sourcePool ?? ""),
    el("td", {}, q.task.targetPool ?? ""),
    el("td", {}, q.task.keys.length || "all"),
    el("td", {}, q.agent == null ? "queued" : q.cancelReason ? q.agent + " (stopping)" : q.agent),
    el("td", {}, cancelButton(queue, q)))));
}

// Only the leader's queue can be cancelled from, by operators, and a task being cancelled once.
function cancelButton(queue, q) {
  if (!queue.leading || !hasRole("operator") || q.cancelReason) return "";
  return el("button", { type: "button", class: "cancel", "data-cancel": q.task.id,
    title: "Cancel this task; its agent stops it if it runs. What is still needed is planned again." },
    "cancel");
}

// One listener for the rows' buttons, which every refresh draws anew.
tableBody("tasks").addEventListener("click", async event => {
  const button = event.target.closest("button[data-cancel]");
  if (!button) return;
  button.disabled = true;
  try {
    await send("DELETE", "/tasks/" + encodeURIComponent(button.dataset.cancel));
  } catch (e) {
    showError("Cannot cancel the task: " + e.message);
    return;
  }
  await refresh();
});
