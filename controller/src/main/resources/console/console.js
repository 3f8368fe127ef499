// The fleet page: reads the controller's REST API every few seconds and renders the
// failure-domain tree with each pool's fill, the agents and the datasets.
"use strict";

const API = "/api/v1";
const REFRESH_MS = 5000;
// User activity (a key, a click, moving the mouse) keeps the session alive at most this often;
// the periodic refresh alone does not, so an unattended console is logged off.
const KEEPALIVE_MS = 60000;

let csrfToken = null;
let roles = [];
let lastActivity = Date.now();
let lastKeepalive = 0;

// A 401 means the session ended (idle timeout, logout elsewhere, controller restart).
function loggedOff() {
  location.replace("/login.html?expired");
  throw new Error("logged off");
}

// Reads JSON; background reads are marked so that they do not count as user activity.
async function getJson(path, background = true) {
  const headers = { Accept: "application/json" };
  if (background) headers["X-Strata-Background"] = "1";
  const response = await fetch(API + path, { headers });
  if (response.status === 401) loggedOff();
  if (!response.ok) throw new Error(path + " answered " + response.status);
  return response.json();
}

// Every change sends the session's CSRF token; the controller refuses changes without it.
async function send(method, path, body) {
  const response = await fetch(API + path, {
    method,
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken ?? "" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) loggedOff();
  return response;
}

async function loadSession() {
  const session = await getJson("/session", false);
  csrfToken = session.csrfToken;
  roles = session.roles;
  document.getElementById("user").textContent = session.user + " (" + session.roles.join(", ") + ")";
}

for (const type of ["keydown", "mousedown", "mousemove", "wheel", "touchstart"]) {
  document.addEventListener(type, () => { lastActivity = Date.now(); }, { passive: true });
}

async function keepAlive() {
  const now = Date.now();
  if (now - lastActivity < KEEPALIVE_MS && now - lastKeepalive >= KEEPALIVE_MS) {
    lastKeepalive = now;
    await getJson("/session", false);
  }
}

document.getElementById("logout").addEventListener("click", async () => {
  await send("DELETE", "/session");
  location.replace("/login.html");
});

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function bytes(n) {
  if (n < 0) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

function ago(time) {
  const millis = typeof time === "number" ? time * 1000 : Date.parse(time);
  const s = Math.max(0, Math.round((Date.now() - millis) / 1000));
  return s < 60 ? s + " s ago" : Math.round(s / 60) + " min ago";
}

function poolRow(p) {
  const pct = p.fill < 0 ? null : Math.min(100, p.fill * 100);
  const bar = el("div", { class: "bar" + (pct !== null && pct > 80 ? " high" : "") }, el("span"));
  bar.firstChild.style.width = (pct ?? 0) + "%";
  return el("div", { class: "pool", "data-pool": p.id },
    el("span", {}, p.id, el("br"), el("span", { class: "tier " + p.tier }, p.tier)),
    el("span", { class: "state-" + p.state }, p.state + (p.reachable === false ? ", unreachable" : "")),
    bar,
    el("span", { class: "fill" }, pct === null ? "no report" : pct.toFixed(1) + "% of " + bytes(p.capacityBytes)));
}

function renderTopology(map, pools) {
  const domains = map.domains;
  const children = {};
  for (const d of domains) (children[d.parent] ??= []).push(d);
  const poolsByRack = {};
  for (const p of pools) (poolsByRack[p.rack] ??= []).push(p);
  const sites = el("div", { class: "sites" });
  for (const site of domains.filter(d => d.level === "site")) {
    const rooms = el("div", { class: "rooms" });
    const label = site.labels && site.labels.description ? " — " + site.labels.description : "";
    const siteBox = el("div", { class: "site", "data-site": site.id }, el("h3", {}, site.id + label), rooms);
    for (const room of (children[site.id] ?? [])) {
      const roomBox = el("div", { class: "room", "data-room": room.id }, el("h4", {}, "room " + room.id));
      const racks = [];
      const walk = id => { for (const c of (children[id] ?? [])) { if (c.level === "rack") racks.push(c); else walk(c.id); } };
      walk(room.id);
      for (const rack of racks) {
        const rackBox = el("div", { class: "rack", "data-rack": rack.id }, el("div", { class: "name" }, "rack " + rack.id));
        for (const p of (poolsByRack[rack.id] ?? [])) rackBox.append(poolRow(p));
        roomBox.append(rackBox);
      }
      rooms.append(roomBox);
    }
    sites.append(siteBox);
  }
  document.getElementById("topology").replaceChildren(sites);
}

function renderAgents(agents) {
  const body = document.querySelector("#agents tbody");
  body.replaceChildren(...agents.map(a => el("tr", { "data-agent": a.id },
    el("td", {}, a.id), el("td", {}, a.node ?? ""),
    el("td", { class: "state-" + a.state }, a.state.toLowerCase()),
    el("td", {}, ago(a.lastHeartbeat)),
    el("td", {}, a.inventory ? a.inventory.cpus : ""),
    el("td", {}, a.inventory ? bytes(a.inventory.memoryBytes) : ""),
    el("td", {}, (a.inventory ? a.inventory.fileSystems : []).map(f => bytes(f.usedBytes) + " / " + bytes(f.totalBytes)).join(", ")),
    el("td", {}, a.metricsUrl ? el("a", { href: a.metricsUrl }, "metrics") : ""))));
}

function renderDatasets(datasets) {
  const body = document.querySelector("#datasets tbody");
  body.replaceChildren(...datasets.map(d => el("tr", { "data-dataset": d.name },
    el("td", {}, d.name), el("td", {}, d.description), el("td", {}, d.policy ?? ""),
    el("td", {}, d.landingPools.join(", ")))));
}

/** The policies this replica plans by, and where they come from. */
function renderPolicies(policies) {
  document.getElementById("policies-source").textContent =
    (policies.files.length === 0 ? "Bundled policies" : "From " + policies.files.join(", "))
    + ", read " + new Date(policies.readAt).toLocaleString() + ".";
  const body = document.querySelector("#policies tbody");
  body.replaceChildren(...policies.policies.map(p => el("tr", { "data-policy": p.name },
    el("td", {}, p.name), el("td", {}, p.datasets.join(", ")), el("td", {}, p.phases.join("; ")),
    el("td", {}, p.retentionMinimum + (p.legalHold ? ", legal hold" : "")),
    el("td", {}, p.expiry ?? "never"), el("td", {}, p.file))));
}

function renderSummary(map, pools, agents) {
  const up = agents.filter(a => a.state === "UP").length;
  const used = pools.reduce((s, p) => s + Math.max(0, p.usedBytes), 0);
  const capacity = pools.reduce((s, p) => s + p.capacityBytes, 0);
  const card = (label, value, id) => el("div", { class: "card", id }, el("b", {}, value), label);
  document.getElementById("summary").replaceChildren(
    card("sites", map.domains.filter(d => d.level === "site").length, "sites-count"),
    card("racks", map.domains.filter(d => d.level === "rack").length, "racks-count"),
    card("pools", pools.length, "pools-count"),
    card("agents up / known", up + " / " + agents.length, "agents-count"),
    card("used of " + bytes(capacity), bytes(used), "used"));
}

/** The leader's queue: what moves now, highest priority first (the first 12). */
function renderTasks(queue, movement) {
  const paused = movement.paused.length === 0 ? "" :
    " Paused: " + (movement.paused.includes("*") ? "all datasets" : movement.paused.join(", ")) + ".";
  document.getElementById("movement").textContent = queue.leading
    ? queue.tasks.length + " tasks queued or running; " + queue.copiedObjects + " copies made and " +
      queue.deletedObjects + " removed since this controller leads." + paused
    : "This replica does not lead; the leader holds the queue." + paused;
  const body = document.querySelector("#tasks tbody");
  body.replaceChildren(...queue.tasks.slice(0, 12).map(q => el("tr", { "data-task": q.task.id },
    el("td", {}, q.priority.toLowerCase().replaceAll("_", " ")),
    el("td", {}, q.task.type.toLowerCase().replace("_", "-")),
    el("td", {}, q.task.dataset),
    el("td", {}, q.task.sourcePool ?? ""),
    el("td", {}, q.task.targetPool ?? ""),
    el("td", {}, q.task.keys.length || "all"),
    el("td", {}, q.agent == null ? "queued" : q.cancelReason ? q.agent + " (stopping)" : q.agent),
    el("td", {}, cancelButton(queue, q)))));
}

// Operators may cancel a task of the leader's queue; what is still needed is planned again.
function cancelButton(queue, q) {
  if (!queue.leading || !roles.includes("operator") || q.cancelReason) return "";
  return el("button", { type: "button", class: "cancel", "data-cancel": q.task.id,
    title: "Cancel this task; its agent stops it if it runs. What is still needed is planned again." },
    "cancel");
}

document.querySelector("#tasks tbody").addEventListener("click", async event => {
  const button = event.target.closest("button[data-cancel]");
  if (!button) return;
  button.disabled = true;
  const response = await send("DELETE", "/tasks/" + encodeURIComponent(button.dataset.cancel));
  if (!response.ok) {
    const error = document.getElementById("error");
    const body = await response.json().catch(() => ({}));
    error.textContent = "Cannot cancel the task: " + (body.message ?? response.status);
    error.hidden = false;
    return;
  }
  await refresh();
});

/**
 * Replicas that run by other files than this one: other users and tokens (a revoked token may
 * still open them), or other policies (whichever leads plans by its own); and policy files this
 * replica cannot use (it plans by those it read before).
 */
function renderReplicas(replicas, policies) {
  const note = document.getElementById("identities");
  const lines = [];
  if (policies.refused) {
    const problems = policies.refused.problems;
    lines.push("This replica's policy files changed in a way it cannot use; it plans by the"
      + " policies read at " + new Date(policies.readAt).toLocaleString() + ". " + problems[0]
      + (problems.length > 1 ? " (and " + (problems.length - 1) + " more problems)" : "") + ".");
  }
  if (!replicas.identityFilesAgree) {
    lines.push("The users and tokens files of " + replicas.identityFilesDiffering.join(", ")
      + " grant other users, roles or tokens than this replica's: a token revoked on one replica"
      + " may still open another. Make the files the same on every replica.");
  }
  if (!replicas.policiesAgree) {
    lines.push("Replica(s) " + replicas.policiesDiffering.join(", ") + " run by other storage"
      + " policies, datasets or reconcile settings than this replica: whichever leads plans by"
      + " its own. Make them the same on every replica.");
  }
  note.textContent = lines.join(" ");
  note.hidden = lines.length === 0;
}

// The what-if scenario the planner asked for, as the forecast's query ("" for the trend).
let capacityQuery = "";

/** The forecast for the scenario asked; a 400 says what in the scenario cannot be used. */
async function loadForecast(query) {
  const response = await fetch(API + "/capacity/forecast" + query,
    { headers: { Accept: "application/json", "X-Strata-Background": "1" } });
  if (response.status === 401) loggedOff();
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? "/capacity/forecast answered " + response.status);
  return body;
}

/** Fills the what-if form's tier and site choices from the map, once. */
function fillWhatIf(map) {
  const tiers = document.getElementById("what-if-tier");
  if (tiers.options.length > 0) return;
  tiers.replaceChildren(...map.tiers.map(t => el("option", { value: t.name }, t.name)));
  document.getElementById("what-if-site").replaceChildren(...map.domains
    .filter(d => d.level === "site").map(d => el("option", { value: d.id }, d.id)));
}

function whatIfQuery() {
  const params = new URLSearchParams();
  const growth = document.getElementById("what-if-growth").value.trim();
  if (growth !== "" && growth !== "1") params.set("growth", growth);
  const size = document.getElementById("what-if-size").value.trim();
  if (size !== "") {
    params.append("add", document.getElementById("what-if-tier").value + "@"
      + document.getElementById("what-if-site").value + "=" + size);
  }
  const text = params.toString();
  return text === "" ? "" : "?" + text;
}

/** Points the exports at the scenario on show. */
function exportLinks(query) {
  const extra = query === "" ? "" : "&" + query.substring(1);
  for (const [id, path] of [["capacity-pdf", "/capacity/report.pdf"], ["capacity-xlsx", "/capacity/report.xlsx"],
    ["capacity-csv", "/capacity/forecast.csv"]]) {
    document.getElementById(id).href = API + path + (query === "" ? "" : "?" + query.substring(1));
  }
  document.querySelectorAll("a[data-by]").forEach(a => {
    a.href = API + "/capacity/forecast.csv?by=" + a.dataset.by + extra;
  });
}

document.getElementById("what-if").addEventListener("submit", async event => {
  event.preventDefault();
  const query = whatIfQuery();
  const error = document.getElementById("what-if-error");
  try {
    const forecast = await loadForecast(query);
    capacityQuery = query;
    error.textContent = "";
    renderCapacity(forecast);
  } catch (e) {
    error.textContent = e.message;
  }
});

document.getElementById("what-if-reset").addEventListener("click", async () => {
  document.getElementById("what-if-growth").value = "1";
  document.getElementById("what-if-size").value = "";
  document.getElementById("what-if-error").textContent = "";
  capacityQuery = "";
  renderCapacity(await loadForecast(""));
});

function whatIfText(scenario) {
  const parts = [];
  if (scenario.growth !== 1) parts.push("growth ×" + scenario.growth);
  for (const a of scenario.additions) parts.push("+" + bytes(a.bytes) + " of " + a.tier + " at " + a.site);
  return parts.length === 0 ? "" : " What if: " + parts.join(", ") + ".";
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * A tier's use at a site over the window, as a small line from its lowest to its highest use (the
 * title gives both); an empty cell before there are two samples.
 */
function sparkline(series) {
  if (!series || series.usedBytes.length < 2) return "";
  const used = series.usedBytes;
  const low = Math.min(...used), high = Math.max(...used);
  const w = 120, h = 24;
  const points = used.map((u, i) => (i * w / (used.length - 1)).toFixed(1) + ","
    + (high === low ? h / 2 : h - 2 - (u - low) * (h - 4) / (high - low)).toFixed(1)).join(" ");
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", w);
  svg.setAttribute("height", h);
  svg.setAttribute("class", "sparkline");
  const title = document.createElementNS(SVG, "title");
  title.textContent = bytes(low) + " to " + bytes(high) + " since " + new Date(series.at[0]).toLocaleString();
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", points);
  svg.append(title, line);
  return svg;
}

let capacityHistory = { series: [] };

/** The monthly reports kept in the system dataset, as download links, newest month first. */
function renderKeptReports(kept) {
  const p = document.getElementById("capacity-kept");
  if (kept.length === 0) {
    p.textContent = "No monthly report kept yet: the leader writes one each month once it has two samples.";
    return;
  }
  p.replaceChildren("Monthly reports kept: ", ...kept.flatMap((r, i) => [
    i === 0 ? "" : " · ",
    el("a", { href: API + "/capacity/reports/" + encodeURIComponent(r.name), download: "",
      "data-kept": r.name }, r.name)]));
}

/** When each tier at each site fills (planners only): soonest first. */
function renderCapacity(forecast) {
  document.getElementById("capacity-section").hidden = false;
  exportLinks(capacityQuery);
  document.getElementById("capacity-source").textContent = (forecast.samples === 0
    ? "No capacity sample yet: the leader takes one every " + forecast.sampleInterval
      + ", once agents have counted their pools."
    : "From " + forecast.samples + (forecast.samples === 1 ? " sample, " : " samples, ")
      + new Date(forecast.from).toLocaleString() + " to " + new Date(forecast.to).toLocaleString()
      + "; trend over the last " + forecast.window + ".")
    + (forecast.historyError ? " The history could not be read or written: " + forecast.historyError : "")
    + whatIfText(forecast.scenario);
  const body = document.querySelector("#capacity tbody");
  body.replaceChildren(...forecast.rows.map(r => el("tr", { "data-tier-site": r.tier + "@" + r.site },
    el("td", {}, r.tier), el("td", {}, r.site ?? ""), el("td", {}, r.poolsCounted + " / " + r.pools),
    el("td", {}, bytes(r.usedBytes)), el("td", {}, bytes(r.limitBytes)),
    el("td", {}, r.fill < 0 ? "—" : (r.fill * 100).toFixed(1) + "%"),
    el("td", {}, sparkline(capacityHistory.series.find(s => s.tier === r.tier && s.site === r.site))),
    el("td", {}, r.growthBytesPerDay == null ? "no trend yet"
      : (r.growthBytesPerDay < 0 ? "−" : "") + bytes(Math.abs(r.growthBytesPerDay))),
    el("td", { class: r.daysUntilFull != null && r.daysUntilFull < 90 ? "soon" : "" },
      r.daysUntilFull != null ? r.daysUntilFull.toFixed(1) + " days"
        : r.growthBytesPerDay == null ? "—" : "not growing"),
    el("td", {}, r.fullOn ?? ""))));
}

async function refresh() {
  const error = document.getElementById("error");
  try {
    await keepAlive();
    const [map, pools, agents, datasets, leader, queue, movement, replicas, policies] =
      await Promise.all([
        getJson("/cluster-map"), getJson("/cluster-map/pools"), getJson("/agents"),
        getJson("/datasets"), getJson("/leader"), getJson("/tasks"), getJson("/movement"),
        getJson("/replicas"), getJson("/policies")]);
    renderSummary(map, pools, agents);
    renderTasks(queue, movement);
    renderTopology(map, pools);
    renderAgents(agents);
    renderDatasets(datasets);
    renderReplicas(replicas, policies);
    renderPolicies(policies);
    if (roles.includes("planner")) {
      fillWhatIf(map);
      capacityHistory = await getJson("/capacity/history?points=120");
      renderKeptReports(await getJson("/capacity/reports"));
      renderCapacity(await loadForecast(capacityQuery));
    }
    document.getElementById("epoch").textContent = "map epoch " + map.epoch;
    document.getElementById("leader").textContent = "leader: " + (leader.currentLeader ?? "none");
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
    error.hidden = true;
  } catch (e) {
    error.textContent = "Cannot read the controller's API: " + e.message;
    error.hidden = false;
  }
}

loadSession().then(refresh).catch(() => {});
setInterval(refresh, REFRESH_MS);
