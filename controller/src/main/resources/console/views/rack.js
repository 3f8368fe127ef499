// One rack in detail, under the heatmap: its pools, nodes with their agents (and, when asked, an
// agent's drives with their SMART health), and tasks; for
// operators, drain and undrain of the rack or of one pool, and a pool's weight. Every change shows the controller's
// preview first (what would move, how long it would take, which policies would break) and is made
// only once confirmed; a refusal shows the API's reason next to the control and changes nothing.
import { getJson, send } from "../core/api.js";
import { byId, el } from "../core/dom.js";
import { bytes, duration } from "../core/format.js";
import { hasRole } from "../core/session.js";
import { number, t } from "../i18n.js";

const panel = byId("rack");
let shown = null;
// The detail on show: a read answered 304 hands back this very object.
let drawn = null;

/** Shows rack {@code id}. */
export async function open(id) {
  if (id !== shown) drivesOpen.clear();
  shown = id;
  drawn = null;
  await refresh(false);
  panel.hidden = false;
}

/**
 * Reads the rack on show again and redraws it if it changed. The periodic refresh's reads are
 * background ones (not user activity, or an unattended console would never be logged off).
 */
export async function refresh(background = true) {
  if (shown === null) return;
  let detail;
  try {
    detail = await getJson("/racks/" + encodeURIComponent(shown), background);
  } catch (e) {
    panel.replaceChildren(el("p", { class: "refused", role: "alert" }, e.message));
    return;
  }
  // Unchanged, or a preview is open (redrawing would close it): leave the panel, and its focus, be.
  if (detail === drawn || panel.querySelector(".preview")) return;
  drawn = detail;
  draw(detail);
  for (const id of drivesOpen.keys()) readDrives(id, background);
}

function draw({ rack, pools, nodes, tasks, taskCount }) {
  const operator = hasRole("operator");
  const anyUp = pools.some(p => p.state === "up");
  const anyDrained = pools.some(p => p.state === "draining" || p.state === "out");
  const heading = el("h3", {}, t("rack.title", { rack: rack.id }),
    el("span", { class: "muted" }, " " + [rack.site, rack.room, rack.row].filter(Boolean).join(" › ")));
  const actions = el("div", { class: "actions" });
  if (operator) {
    if (anyUp) actions.append(actionButton("drain", "domain", rack.id, t("rack.drain")));
    if (anyDrained) actions.append(actionButton("undrain", "domain", rack.id, t("rack.undrain")));
  }
  const poolTable = el("table", { class: "rack-pools" },
    el("thead", {}, el("tr", {}, ...["rack.pool", "rack.tier", "rack.state", "rack.fill", ""].map(k => el("th", {}, k ? t(k) : "")))),
    el("tbody", {}, ...pools.map(p => el("tr", { "data-rack-pool": p.id },
      el("td", {}, p.id), el("td", {}, p.tier),
      el("td", { class: "state-" + p.state }, t("state." + p.state) + (p.reachable === false ? ", " + t("rack.unreachable") : "")),
      el("td", {}, p.fill < 0 ? t("heatmap.noReport") : number(p.fill * 100, 1) + "% / " + bytes(p.capacityBytes)),
      el("td", {}, ...(!operator ? [] : [
        p.state === "up" ? actionButton("drain", "pool", p.id, t("rack.drain"))
          : actionButton("undrain", "pool", p.id, t("rack.undrain")),
        " ", el("input", { class: "weight", size: "5", "data-weight-of": p.id, "aria-label": t("rack.weightOf", { pool: p.id }),
          placeholder: t("rack.weight") }),
        " ", actionButton("weight", "pool", p.id, t("rack.setWeight"))]))))));
  const nodeList = el("ul", { class: "rack-nodes" }, ...nodes.map(n => el("li", { "data-rack-node": n.id },
    n.id + " — " + (n.agents.length === 0 ? t("rack.noAgent")
      : n.agents.map(a => a.id + " (" + t("state." + a.state) + ")").join(", ")),
    ...n.agents.flatMap(a => [" ", el("button", { type: "button", class: "plain", "data-drives-of": a.id,
      "aria-expanded": String(drivesOpen.has(a.id)) }, t("rack.showDrives") + " · " + a.id)]),
    ...n.agents.filter(a => drivesOpen.has(a.id)).map(a => drivesBlock(a.id, drivesOpen.get(a.id))))));
  const taskList = el("ul", { class: "rack-tasks" }, ...tasks.map(q => el("li", { "data-rack-task": q.task.id },
    q.task.type.toLowerCase() + " " + q.task.dataset + " " + (q.task.sourcePool ?? "") + " → " + (q.task.targetPool ?? "")
    + (q.agent ? " · " + q.agent : " · " + t("tasks.queued")))));
  panel.replaceChildren(heading, actions, poolTable,
    el("h4", {}, t("rack.nodes", { n: nodes.length })), nodeList,
    el("h4", {}, t("rack.tasks", { n: taskCount, shown: tasks.length })), taskList);
}

function actionButton(change, kind, id, label) {
  return el("button", { type: "button", class: "action", "data-change": change, "data-kind": kind, "data-id": id }, label);
}

panel.addEventListener("click", async event => {
  const drives = event.target.closest("button[data-drives-of]");
  if (drives) await toggleDrives(drives);
  const button = event.target.closest("button.action");
  if (button) await preview(button);
});

// The agents whose drives are open in the panel, with their last answer (null while it is read).
// Drives are read one agent at a time, when asked: a rack's panel never reads the whole fleet's.
const drivesOpen = new Map();

async function toggleDrives(button) {
  const id = button.dataset.drivesOf;
  if (drivesOpen.has(id)) {
    drivesOpen.delete(id);
    panel.querySelector("[data-drives-for=\"" + CSS.escape(id) + "\"]")?.remove();
    button.setAttribute("aria-expanded", "false");
    return;
  }
  drivesOpen.set(id, null);
  button.setAttribute("aria-expanded", "true");
  button.closest("li").append(drivesBlock(id, null));
  await readDrives(id, false);
}

/** Reads an agent's drives and redraws their block; a refusal shows there. */
async function readDrives(id, background) {
  let agent;
  try {
    agent = await getJson("/agents/" + encodeURIComponent(id), background);
  } catch (e) {
    agent = { error: e.message };
  }
  if (!drivesOpen.has(id)) return;
  drivesOpen.set(id, agent);
  panel.querySelector("[data-drives-for=\"" + CSS.escape(id) + "\"]")?.replaceWith(drivesBlock(id, agent));
}

/** An agent's drives: name, size, media, model, SMART health (a failed drive stands out). */
function drivesBlock(id, agent) {
  const box = el("div", { class: "drives", "data-drives-for": id });
  if (agent === null) return box;
  if (agent.error) {
    box.append(el("p", { class: "refused", role: "alert" }, agent.error));
    return box;
  }
  const devices = agent.inventory ? agent.inventory.blockDevices : [];
  box.append(el("h5", {}, t("rack.drives", { agent: id })));
  if (devices.length === 0) {
    box.append(el("p", { class: "muted" }, t("rack.noDrives")));
    return box;
  }
  box.append(el("table", {},
    el("thead", {}, el("tr", {}, ...["rack.drive", "rack.size", "rack.media", "rack.model", "rack.smart"].map(k => el("th", {}, t(k))))),
    el("tbody", {}, ...devices.map(d => el("tr", { "data-drive": d.name, class: d.smartHealthy === false ? "smart-failed" : "" },
      el("td", {}, d.name), el("td", {}, bytes(d.sizeBytes)),
      el("td", {}, t(d.rotational ? "rack.rotational" : "rack.solid")), el("td", {}, d.model ?? ""),
      el("td", {}, t(d.smartHealthy === true ? "rack.smartOk" : d.smartHealthy === false ? "rack.smartFailed" : "rack.smartUnknown")))))));
  return box;
}

/** Asks the controller what the change would do, and shows it with Confirm and Cancel. */
async function preview(button) {
  const { change, kind, id } = button.dataset;
  const box = el("div", { class: "preview", role: "dialog", "aria-label": t("preview.title") });
  button.after(box);
  button.disabled = true;
  // A weight goes as typed when it is no number, so that the API's refusal names it.
  const typed = change === "weight" ? panel.querySelector("input[data-weight-of=\"" + CSS.escape(id) + "\"]").value.trim() : null;
  const weight = typed === null ? undefined : typed !== "" && Number.isFinite(Number(typed)) ? Number(typed) : typed;
  let answer;
  try {
    answer = await send("POST", "/previews", change === "weight" ? { change, pool: id, weight } : { change, [kind]: id });
  } catch (e) {
    box.append(refusal(e), closeButton(box, button));
    button.disabled = false;
    return;
  }
  const lines = [change === "weight" ? t("preview.weight", { id, weight }) : t("preview.change", { change: t("change." + change), id }),
    ...previewFacts(answer)];
  const confirm = el("button", { type: "button", class: "confirm" }, t("preview.confirm"));
  const cancel = el("button", { type: "button", class: "dismiss" }, t("preview.cancel"));
  box.append(...lines.map(l => el("p", {}, l)), confirm, " ", cancel);
  confirm.focus();
  cancel.addEventListener("click", () => { box.remove(); button.disabled = false; });
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      if (change === "weight") {
        await send("PUT", "/cluster-map/pools/" + encodeURIComponent(id) + "/weight", { weight });
      } else {
        await send("POST", "/cluster-map/" + (kind === "pool" ? "pools/" : "domains/") + encodeURIComponent(id) + "/" + change);
      }
    } catch (e) {
      box.replaceChildren(refusal(e), closeButton(box, button));
      button.disabled = false;
      return;
    }
    box.remove();
    drawn = null;
    await refresh(false);
  });
}

/** What a preview answer says the change would do, one line each: pools, copies, time, broken policies. */
export function previewFacts(answer) {
  const m = answer.movement;
  const lines = [t("preview.pools", { pools: answer.pools.join(", ") || "—" })];
  if (m) {
    lines.push(t("preview.moves", { copies: number(m.copies), bytes: bytes(m.bytes) }));
    lines.push(m.etaSeconds == null ? t("preview.noEta") : t("preview.eta", { eta: duration(m.etaSeconds), bottleneck: m.bottleneck ?? "" }));
  }
  if (answer.brokenPolicies.length > 0) lines.push(t("preview.broken", { policies: answer.brokenPolicies.join("; ") }));
  return lines;
}

/** Closes a preview box (and lets the panel redraw again). */
function closeButton(box, button) {
  const close = el("button", { type: "button", class: "dismiss" }, t("preview.close"));
  close.addEventListener("click", () => { box.remove(); button.disabled = false; });
  return close;
}

/** The API's reason for refusing, with every detail it gave. */
function refusal(e) {
  return el("div", { class: "refused", role: "alert" }, e.message,
    ...(e.details ?? []).map(d => el("div", {}, d)));
}
