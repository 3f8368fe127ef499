// The what-if form above the capacity forecast: a growth factor on the trend, and capacity added
// to a tier at a site. It turns the form into the forecast's query; the forecast view shows it.
import { byId, el } from "../core/dom.js";
import { bytes } from "../core/format.js";

const growth = byId("what-if-growth");
const size = byId("what-if-size");
const tier = byId("what-if-tier");
const site = byId("what-if-site");
const error = byId("what-if-error");

/** Fills the tier and site choices from the map, once: later refreshes leave a choice made. */
export function fillChoices(map) {
  if (tier.options.length > 0) return;
  tier.replaceChildren(...map.tiers.map(t => el("option", { value: t.name }, t.name)));
  site.replaceChildren(...map.domains
    .filter(d => d.level === "site").map(d => el("option", { value: d.id }, d.id)));
}

/** The scenario asked, as the forecast's query: "" for the trend, else "?growth=…&add=…". */
function query() {
  const params = new URLSearchParams();
  const factor = growth.value.trim();
  if (factor !== "" && factor !== "1") params.set("growth", factor);
  const added = size.value.trim();
  if (added !== "") params.append("add", tier.value + "@" + site.value + "=" + added);
  const text = params.toString();
  return text === "" ? "" : "?" + text;
}

/** The scenario a forecast answers, as a sentence after its source ("" for the trend). */
export function scenarioText(scenario) {
  const parts = [];
  if (scenario.growth !== 1) parts.push("growth ×" + scenario.growth);
  for (const a of scenario.additions) parts.push("+" + bytes(a.bytes) + " of " + a.tier + " at " + a.site);
  return parts.length === 0 ? "" : " What if: " + parts.join(", ") + ".";
}

/**
 * Has the form ask show(query) for a forecast. A scenario the API refuses is said next to the
 * form, and the forecast on show stays.
 */
export function onScenario(show) {
  const ask = async q => {
    try {
      await show(q);
      error.textContent = "";
    } catch (e) {
      error.textContent = e.message;
    }
  };
  byId("what-if").addEventListener("submit", event => {
    event.preventDefault();
    ask(query());
  });
  byId("what-if-reset").addEventListener("click", () => {
    growth.value = "1";
    size.value = "";
    ask("");
  });
}
