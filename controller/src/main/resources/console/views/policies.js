// The storage policies this replica plans by, and where they come from.
import { byId, el, tableBody } from "../core/dom.js";
import { dateTime } from "../core/format.js";

export function render({ policies }) {
  byId("policies-source").textContent =
    (policies.files.length === 0 ? "Bundled policies" : "From " + policies.files.join(", "))
    + ", read " + dateTime(policies.readAt) + ".";
  tableBody("policies").replaceChildren(...policies.policies.map(p => el("tr", { "data-policy": p.name },
    el("td", {}, p.name), el("td", {}, p.datasets.join(", ")), el("td", {}, p.phases.join("; ")),
    el("td", {}, p.retentionMinimum + (p.legalHold ? ", legal hold" : "")),
    el("td", {}, p.expiry ?? "never"), el("td", {}, p.file))));
}
