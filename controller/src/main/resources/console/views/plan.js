// The purchase plan, for planners only: when each tier at each site fills (with its 80% and 95%
// intervals), the racks to order and their cost by quarter, the groups not planned, a chart of each
// group's projection opened row by row, a what-if form, and the plan on show as XLSX or PDF.
//
// The plan is a heavy computation (every tier's fit and projection over years), so it is not part of
// the console's refresh: it is read when the panel is first opened and when "Refresh" is pressed.
import { getJson, postForFile, send } from "../core/api.js";
import { byId, el, tableBody } from "../core/dom.js";
import { bytes, dateTime } from "../core/format.js";
import { hasRole } from "../core/session.js";
import { state } from "../core/state.js";
import { number, t } from "../i18n.js";
import { legend, planChart } from "./plan-chart.js";

const panel = byId("plan-panel");
const error = byId("plan-error");
const COLUMNS = 10;

// The answer on show, whose groups an opened row draws its chart from.
let shown = null;
// The policies the choice was filled from, so an unchanged list (the same object) is not redrawn.
let policiesShown = null;

const planner = hasRole("planner");
if (planner) {
  byId("plan-section").hidden = false;
  panel.addEventListener("toggle", () => {
    if (panel.open && shown === null && panel.dataset.loading === undefined) load();
  });
  byId("plan-refresh").addEventListener("click", () => load());
  byId("plan-back").addEventListener("click", () => {
    state.plan.request = null;
    load();
  });
  byId("plan-form").addEventListener("submit", event => {
    event.preventDefault();
    ask(request());
  });
  tableBody("plan-groups").addEventListener("click", event => {
    const button = event.target.closest("button[data-chart-for]");
    if (button) toggleChart(button);
  });
  for (const a of document.querySelectorAll("#plan-panel a[data-report]")) {
    a.addEventListener("click", event => {
      event.preventDefault();
      download(a.dataset.report);
    });
  }
}

/** The refresh only keeps the policy choice current; the plan itself waits for the planner. */
export function render({ policies }) {
  if (!planner || policies === policiesShown) return;
  policiesShown = policies;
  choices(byId("plan-policy"), policies.policies.map(p => p.name));
}

/** Fills a select with {@code values}, keeping the one chosen when it is still among them. */
function choices(select, values) {
  const chosen = select.value;
  select.replaceChildren(...values.map(v => el("option", { value: v }, v)));
  if (values.includes(chosen)) select.value = chosen;
}

/** Reads the plan on show again: the plan in force, or the what-if it answers. */
async function load() {
  panel.dataset.loading = "";
  byId("plan-source").textContent = t("loading");
  try {
    const request = state.plan.request;
    draw(request === null ? await getJson("/capacity/plan", false) : await send("POST", "/capacity/plan", request));
    error.textContent = "";
  } catch (e) {
    byId("plan-source").textContent = "";
    error.textContent = t("plan.unreadable", { message: e.message });
  } finally {
    delete panel.dataset.loading;
  }
}

/**
 * Asks the plan for a what-if. It becomes the plan on show only once the API answers it; a refusal
 * (400, naming the field) is said next to the form and nothing on show changes.
 */
async function ask(body) {
  error.textContent = "";
  try {
    const answer = await send("POST", "/capacity/plan", body);
    state.plan.request = body;
    draw(answer);
  } catch (e) {
    error.textContent = e.message;
  }
}

/** The form as the body of a what-if: only what was filled in, so the rest keeps its default. */
function request() {
  const body = {};
  const value = id => byId(id).value.trim();
  // A number as typed; what is not one is sent as typed, for the API to name its field. Blank: null.
  const numeric = id => value(id) === "" ? null : Number.isFinite(Number(value(id))) ? Number(value(id)) : value(id);
  if (value("plan-horizon") !== "") body.horizonDays = numeric("plan-horizon");
  if (value("plan-confidence") !== "") body.confidence = numeric("plan-confidence");
  if (value("plan-dataset") !== "" || value("plan-per-day") !== "") {
    body.onboard = [{ dataset: value("plan-dataset"), policy: byId("plan-policy").value, perDay: value("plan-per-day") }];
    // The chosen policy with a phase changed, for the hospital onboarded: the file's whole text,
    // which the API checks as it checks policy files.
    if (value("plan-policy-text") !== "") body.policies = { [byId("plan-policy").value]: byId("plan-policy-text").value };
  }
  if (value("plan-racks") !== "") {
    body.addRacks = [{ tier: byId("plan-tier").value, site: byId("plan-site").value, racks: numeric("plan-racks") }];
  }
  // A rack model replaces the configured ones, as the API takes it; what is left blank is sent as
  // null, which the API defaults (power, cost, lead time) or names (name, usable).
  if (value("plan-model-name") !== "" || value("plan-model-usable") !== "") {
    body.rackModels = [{ name: value("plan-model-name"), tier: byId("plan-model-tier").value,
      usable: value("plan-model-usable"), powerKw: numeric("plan-model-power"), cost: numeric("plan-model-cost"),
      leadTimeDays: numeric("plan-model-lead") }];
  }
  return body;
}

function interval(range) {
  if (!range || range[0] == null) return "—";
  return range[0] + " – " + (range[1] ?? t("plan.later"));
}

function stands(g) {
  return t("plan.status." + g.status) + (g.reason ? " (" + g.reason + ")" : "");
}

function key(g) {
  return g.tier + "@" + (g.site ?? "");
}

function groupRow(g) {
  const open = state.plan.open.has(key(g));
  return el("tr", { "data-group": key(g), class: "status-" + g.status },
    el("td", {}, g.points.length < 2 ? "" : el("button", { type: "button", class: "plain chart-toggle",
      "data-chart-for": key(g), "aria-expanded": String(open), title: t("plan.chart.show") }, open ? "▾" : "▸")),
    el("td", {}, g.tier), el("td", {}, g.site ?? ""),
    el("td", {}, bytes(g.usedBytes)), el("td", {}, bytes(g.limitBytes)),
    el("td", {}, stands(g)), el("td", {}, g.fullOn ?? "—"),
    el("td", {}, interval(g.fullOn80)), el("td", {}, interval(g.fullOn95)),
    el("td", {}, g.trendFullOn ?? "—"));
}

/** The row under a group's that holds its chart. */
function chartRow(g) {
  return el("tr", { class: "chart-row", "data-chart-of": key(g) },
    el("td", { colspan: COLUMNS }, planChart(g, shown.today, shown.horizonDays), legend()));
}

function toggleChart(button) {
  const k = button.dataset.chartFor;
  const row = button.closest("tr");
  if (state.plan.open.delete(k)) {
    if (row.nextElementSibling?.matches(".chart-row")) row.nextElementSibling.remove();
  } else {
    state.plan.open.add(k);
    row.after(chartRow(shown.groups.find(g => key(g) === k)));
  }
  button.setAttribute("aria-expanded", String(state.plan.open.has(k)));
  button.textContent = state.plan.open.has(k) ? "▾" : "▸";
}

function orderRow(o) {
  return el("tr", { class: o.late ? "late" : "", "data-order": o.tier + "@" + (o.site ?? "") + "/" + o.orderBy },
    el("td", {}, o.orderBy, ...(o.late ? [" ", el("span", { class: "late-flag" }, t("plan.late"))] : [])),
    el("td", {}, o.neededBy), el("td", {}, o.tier), el("td", {}, o.site ?? ""), el("td", {}, o.model),
    el("td", {}, number(o.racks)), el("td", {}, number(o.cost)), el("td", {}, number(o.powerKw, 1)));
}

/** What a what-if asked, as the answer echoes it. */
function whatIfText(plan, request) {
  const parts = [];
  for (const o of plan.onboard) parts.push(t("plan.whatIf.onboard", { dataset: o.dataset, policy: o.policy, perDay: o.perDay }));
  for (const a of plan.addRacks) parts.push(t("plan.whatIf.addRacks", { racks: number(a.racks), tier: a.tier, site: a.site }));
  for (const name of Object.keys(request.policies ?? {})) parts.push(t("plan.whatIf.policy", { policy: name }));
  for (const m of request.rackModels ?? []) parts.push(t("plan.whatIf.model", { name: m.name, tier: m.tier, usable: m.usable }));
  if (request.horizonDays !== undefined) parts.push(t("plan.whatIf.horizon", { days: number(plan.horizonDays) }));
  if (request.confidence !== undefined) parts.push(t("plan.whatIf.confidence", { confidence: number(plan.confidence, 3) }));
  return parts.join("; ");
}

/** Shows {@code plan}, the answer to the request in the state. */
function draw(plan) {
  shown = plan;
  const request = state.plan.request;
  panel.dataset.plan = request === null ? "in-force" : "what-if";
  panel.classList.toggle("what-if", request !== null);
  byId("plan-whatif").hidden = request === null;
  byId("plan-whatif-text").textContent = request === null ? "" : whatIfText(plan, request);
  byId("plan-source").textContent = t("plan.source", { at: dateTime(plan.at), days: number(plan.historyDays),
    today: plan.today, horizon: number(plan.horizonDays), confidence: number(plan.confidence * 100, 1) })
    + plan.notes.map(n => " " + t("plan.note", { note: n })).join("");
  const tiers = [...new Set(plan.groups.map(g => g.tier))].sort();
  choices(byId("plan-tier"), tiers);
  choices(byId("plan-model-tier"), tiers);
  choices(byId("plan-site"), [...new Set(plan.groups.map(g => g.site).filter(s => s != null))].sort());

  const rows = [];
  for (const g of plan.groups) {
    rows.push(groupRow(g));
    if (state.plan.open.has(key(g)) && g.points.length >= 2) rows.push(chartRow(g));
  }
  tableBody("plan-groups").replaceChildren(...rows);
  const orders = plan.plan.orders;
  tableBody("plan-orders").replaceChildren(...(orders.length > 0 ? orders.map(orderRow)
    : [el("tr", {}, el("td", { colspan: 8, class: "muted" }, t("plan.noOrders")))]));
  const quarters = Object.entries(plan.plan.costByQuarter);
  const total = orders.reduce((sum, o) => sum + o.cost, 0);
  tableBody("plan-quarters").replaceChildren(
    ...quarters.map(([q, cost]) => el("tr", { "data-quarter": q }, el("td", {}, q), el("td", {}, number(cost)))),
    el("tr", { class: "total" }, el("td", {}, t("plan.total")), el("td", {}, number(total))));
  byId("plan-unplanned").replaceChildren(...plan.plan.unplanned.map(u => el("li", { "data-unplanned": u.tier + "@" + (u.site ?? "") },
    t("plan.unplanned", { tier: u.tier, site: u.site ?? "", reason: u.reason }))));
}

/** Downloads the plan on show as a report: the same body as the plan, posted, saved as a file. */
async function download(path) {
  const failed = byId("plan-download-error");
  failed.textContent = "";
  try {
    const file = await postForFile(path, state.plan.request ?? {});
    const url = URL.createObjectURL(file.blob);
    const a = el("a", { href: url, download: file.name, hidden: "" });
    document.body.append(a);
    a.click();
    a.remove();
    // The browser reads the file from the URL after the click's task: it is let go a minute later.
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    failed.textContent = e.message;
  }
}
