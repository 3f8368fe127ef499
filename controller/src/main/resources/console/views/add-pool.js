// Adding a pool, for admins: the pool as the topology file writes it (id, domain, tier, endpoint,
// capacity, credentials reference). The controller's preview comes first (what would move to the
// new pool, how long it would take), and the pool is added only once confirmed; a refusal (an
// unknown domain or tier, an id that exists) shows the API's reason next to the form.
import { refresh } from "../core/refresh.js";
import { send } from "../core/api.js";
import { byId, el } from "../core/dom.js";
import { hasRole } from "../core/session.js";
import { t } from "../i18n.js";
import { previewFacts } from "./rack.js";

const panel = byId("add-pool");
const form = byId("add-pool-form");
const error = byId("add-pool-error");
const result = byId("add-pool-result");
const FIELDS = ["id", "domain", "tier", "endpoint", "capacity", "credentials"];

export function render() {
  panel.hidden = !hasRole("admin");
}

/** The pool the form describes; a field left empty is left out, so that the API names it. */
function entry() {
  const pool = {};
  for (const f of FIELDS) {
    const value = byId("add-pool-" + f).value.trim();
    if (value !== "") pool[f] = value;
  }
  return pool;
}

form.addEventListener("submit", async event => {
  event.preventDefault();
  error.replaceChildren();
  result.replaceChildren();
  const pool = entry();
  let answer;
  try {
    answer = await send("POST", "/previews", { change: "add-pools", pools: [pool] });
  } catch (e) {
    refuse(e);
    return;
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  const confirm = el("button", { type: "button", class: "confirm" }, t("preview.confirm"));
  const cancel = el("button", { type: "button", class: "dismiss" }, t("preview.cancel"));
  const box = el("div", { class: "preview", role: "dialog", "aria-label": t("preview.title") },
    el("p", {}, t("addPool.preview", { id: pool.id ?? "" })), ...previewFacts(answer).map(l => el("p", {}, l)), confirm, " ", cancel);
  result.replaceChildren(box);
  confirm.focus();
  cancel.addEventListener("click", () => { result.replaceChildren(); submit.disabled = false; });
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    let added;
    try {
      added = await send("POST", "/cluster-map/pools", pool);
    } catch (e) {
      result.replaceChildren();
      submit.disabled = false;
      refuse(e);
      return;
    }
    submit.disabled = false;
    result.replaceChildren(el("p", { role: "status" }, t("addPool.added", { id: added.pools.join(", "), epoch: added.epoch })));
    for (const f of FIELDS) byId("add-pool-" + f).value = "";
    await refresh();
  });
});

/** The API's reason for refusing, with every detail it gave. */
function refuse(e) {
  error.replaceChildren(e.message, ...(e.details ?? []).map(d => el("div", {}, d)));
}
