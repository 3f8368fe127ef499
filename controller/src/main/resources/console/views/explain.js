// "Explain this object": a dataset and a key give where the object's copies are and should be, and
// why: the policy that governs it (and where it was written), its phase and the next one, the
// pools its phase's rule places it on, and for every pool whether its copy is desired, extra (and
// why) or missing. An unknown dataset or key shows the API's reason next to the form.
import { getJson } from "../core/api.js";
import { byId, el } from "../core/dom.js";
import { bytes, dateTime } from "../core/format.js";
import { t } from "../i18n.js";

const form = byId("explain-form");
const dataset = byId("explain-dataset");
const key = byId("explain-key");
const error = byId("explain-error");
const panel = byId("explain");
let listed = null;

export function render({ datasets }) {
  // The list of datasets rarely changes; a redraw would lose the reader's choice.
  const names = datasets.map(d => d.name).join("\n");
  if (names === listed) return;
  listed = names;
  const chosen = dataset.value;
  dataset.replaceChildren(...datasets.map(d => el("option", { value: d.name }, d.name)));
  if (datasets.some(d => d.name === chosen)) dataset.value = chosen;
}

/** The API path of an object's locations: each segment of the key encoded, its slashes kept. */
function locationsPath(ds, objectKey) {
  return "/datasets/" + encodeURIComponent(ds) + "/objects/"
    + objectKey.split("/").map(encodeURIComponent).join("/") + "/locations";
}

form.addEventListener("submit", async event => {
  event.preventDefault();
  error.textContent = "";
  const wanted = key.value.trim();
  if (!wanted || !dataset.value) return;
  let answer;
  try {
    answer = await getJson(locationsPath(dataset.value, wanted), false);
  } catch (e) {
    error.textContent = e.message;
    panel.hidden = true;
    return;
  }
  draw(answer);
  panel.hidden = false;
});

function draw(a) {
  const parts = [el("h4", {}, t("explain.heading", { key: a.key, dataset: a.dataset }))];
  if (a.factsFrom === "metadata") parts.push(el("p", { "data-explain": "facts" }, t("explain.fromMetadata")));
  if (a.policy) {
    parts.push(el("p", { "data-explain": "policy" }, t("explain.policy", { policy: a.policy.name, position: a.policy.position })));
    parts.push(el("p", { "data-explain": "phase" }, t("explain.phase", {
      phase: a.phase, rule: a.phaseRule, position: a.phasePosition, since: dateTime(a.phaseSince), ageFrom: a.ageFrom })));
    // When the next phase begins outside a movement window, the move waits for the next window.
    const next = !a.nextPhase ? t("explain.last")
      : a.nextMoveAt === a.nextTransition ? t("explain.next", { phase: a.nextPhase, date: dateTime(a.nextTransition) })
        : t("explain.nextWindow", { phase: a.nextPhase, date: dateTime(a.nextTransition), moveAt: dateTime(a.nextMoveAt) });
    parts.push(el("p", { "data-explain": "next" }, next));
    parts.push(el("h4", {}, t("explain.rules")), table(["explain.tier", "explain.count", "explain.spread", "explain.pools"],
      a.rules.map(r => el("tr", { "data-explain-tier": r.tier },
        el("td", {}, r.tier), el("td", {}, r.copies), el("td", {}, r.spread),
        el("td", {}, r.pools.join(", ") || "—")))));
  } else {
    parts.push(el("p", { "data-explain": "policy" }, t("explain.noPolicy")));
  }
  const rows = a.known.map(c => copyRow(c.pool, c.tier, c.site ?? "", bytes(c.size), c.status, c.reason, c.detail, a.phase))
    .concat(a.missing.map(m => copyRow(m.pool, m.tier ?? "", m.site ?? "", "", "missing", "not-copied", m.detail, a.phase)));
  parts.push(el("h4", {}, t("explain.copies")),
    table(["explain.pool", "explain.tier", "explain.site", "explain.size", "explain.status", "explain.why"], rows));
  panel.replaceChildren(...parts);
}

function copyRow(pool, tier, site, size, status, reason, detail, phase) {
  return el("tr", { "data-explain-pool": pool, "data-status": status },
    el("td", {}, pool), el("td", {}, tier), el("td", {}, site), el("td", {}, size),
    el("td", { class: "copy-" + status }, t("explain.status." + status)),
    // The reason in the reader's language; the API's own sentence, with the names it rests on, beside.
    el("td", { title: detail }, t("explain.reason." + reason, { phase: phase ?? "" })));
}

function table(heads, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, ...heads.map(h => el("th", {}, t(h))))), el("tbody", {}, ...rows));
}
