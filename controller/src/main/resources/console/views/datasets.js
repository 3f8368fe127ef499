// The datasets, with the policy each is kept by and where new objects land.
import { el, tableBody } from "../core/dom.js";

export function render({ datasets }) {
  tableBody("datasets").replaceChildren(...datasets.map(d => el("tr", { "data-dataset": d.name },
    el("td", {}, d.name), el("td", {}, d.description), el("td", {}, d.policy ?? ""),
    el("td", {}, d.landingPools.join(", ")))));
}
