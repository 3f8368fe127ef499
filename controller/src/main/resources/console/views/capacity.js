// The capacity forecast, for planners only: when each tier at each site fills (soonest first),
// with a what-if scenario, exports of what is on show and the monthly reports kept.
import { apiUrl, getJson } from "../core/api.js";
import { byId, el, tableBody } from "../core/dom.js";
import { bytes, dateTime } from "../core/format.js";
import { hasRole } from "../core/session.js";
import { state } from "../core/state.js";
import { sparkline } from "./sparkline.js";
import { fillChoices, onScenario, scenarioText } from "./what-if.js";

// A viewer's console neither shows nor asks the forecast: the section stays hidden.
export async function render({ map }) {
  if (!hasRole("planner")) return;
  fillChoices(map);
  state.capacity.history = await getJson("/capacity/history?points=120");
  renderKeptReports(await getJson("/capacity/reports"));
  renderForecast(await getJson("/capacity/forecast" + state.capacity.query));
}

// The form's scenario becomes the one on show (and refreshed) only once the API accepts it.
onScenario(async query => {
  const forecast = await getJson("/capacity/forecast" + query);
  state.capacity.query = query;
  renderForecast(forecast);
});

/** Points the exports at the scenario on show. */
function exportLinks(query) {
  const params = query.substring(1);
  for (const [id, path] of [["capacity-pdf", "/capacity/report.pdf"], ["capacity-xlsx", "/capacity/report.xlsx"],
    ["capacity-csv", "/capacity/forecast.csv"]]) {
    byId(id).href = apiUrl(path + (params === "" ? "" : "?" + params));
  }
  for (const a of document.querySelectorAll("a[data-by]")) {
    a.href = apiUrl("/capacity/forecast.csv?by=" + a.dataset.by + (params === "" ? "" : "&" + params));
  }
}

/** The monthly reports kept in the system dataset, as download links, newest month first. */
function renderKeptReports(kept) {
  const p = byId("capacity-kept");
  if (kept.length === 0) {
    p.textContent = "No monthly report kept yet: the leader writes one each month once it has two samples.";
    return;
  }
  p.replaceChildren("Monthly reports kept: ", ...kept.flatMap((r, i) => [
    i === 0 ? "" : " · ",
    el("a", { href: apiUrl("/capacity/reports/" + encodeURIComponent(r.name)), download: "",
      "data-kept": r.name }, r.name)]));
}

function source(forecast) {
  const samples = forecast.samples === 0
    ? "No capacity sample yet: the leader takes one every " + forecast.sampleInterval
      + ", once agents have counted their pools."
    : "From " + forecast.samples + (forecast.samples === 1 ? " sample, " : " samples, ")
      + dateTime(forecast.from) + " to " + dateTime(forecast.to)
      + "; trend over the last " + forecast.window + ".";
  return samples
    + (forecast.historyError ? " The history could not be read or written: " + forecast.historyError : "")
    + scenarioText(forecast.scenario);
}

function row(r) {
  const series = state.capacity.history.series.find(s => s.tier === r.tier && s.site === r.site);
  return el("tr", { "data-tier-site": r.tier + "@" + r.site },
    el("td", {}, r.tier), el("td", {}, r.site ?? ""), el("td", {}, r.poolsCounted + " / " + r.pools),
    el("td", {}, bytes(r.usedBytes)), el("td", {}, bytes(r.limitBytes)),
    el("td", {}, r.fill < 0 ? "—" : (r.fill * 100).toFixed(1) + "%"),
    el("td", {}, sparkline(series)),
    el("td", {}, r.growthBytesPerDay == null ? "no trend yet"
      : (r.growthBytesPerDay < 0 ? "−" : "") + bytes(Math.abs(r.growthBytesPerDay))),
    el("td", { class: r.daysUntilFull != null && r.daysUntilFull < 90 ? "soon" : "" },
      r.noCapacity != null ? "no usable capacity (" + r.noCapacity + ")"
        : r.daysUntilFull != null ? r.daysUntilFull.toFixed(1) + " days"
        : r.growthBytesPerDay == null ? "—" : r.growthBytesPerDay < 0 ? "shrinking" : "not growing"),
    el("td", {}, r.fullOn ?? ""));
}

function renderForecast(forecast) {
  byId("capacity-section").hidden = false;
  exportLinks(state.capacity.query);
  byId("capacity-source").textContent = source(forecast);
  tableBody("capacity").replaceChildren(...forecast.rows.map(row));
}
