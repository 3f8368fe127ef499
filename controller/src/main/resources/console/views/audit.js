// The audit trail, for auditors: the records newest first, a page at a time, filtered by time and
// principal, and whether every replica's hash chain holds. The chains are checked when the view
// opens and when asked again (the check reads the whole trail); the page on show is read again on
// every refresh (a 304 while no record came).
import { getJson, getPage } from "../core/api.js";
import { byId, el, tableBody } from "../core/dom.js";
import { Pager } from "../core/pager.js";
import { number, t } from "../i18n.js";

const ROWS = 50;
// The filter in force, as the API's query (without offset and limit), and the page drawn.
let query = "";
let drawn = null;
let verified = false;
const pager = new Pager(byId("audit-pager"),
  () => read(false).catch(e => { byId("audit-error").textContent = e.message; }), ROWS);

/** A datetime-local value (read as UTC) as the API's ISO-8601 instant; "" when empty. */
function instant(id) {
  const value = byId(id).value;
  return value ? value + (value.length === 16 ? ":00Z" : "Z") : "";
}

function path() {
  return "/audit?" + query + "offset=" + pager.from + "&limit=" + ROWS;
}

/** Reads the page on show and draws it if it changed; a refusal is thrown to the caller. */
async function read(background) {
  const page = await getPage(path(), background);
  if (page === drawn) return;
  drawn = page;
  pager.draw(page.items.length, page.total);
  // The API answers a page oldest first; the view lists newest first.
  tableBody("audit-records").replaceChildren(...page.items.slice().reverse().map(r =>
    el("tr", { "data-audit": r.replica + "#" + r.seq },
      el("td", {}, r.time), el("td", {}, r.principal), el("td", {}, r.role), el("td", {}, r.action),
      el("td", {}, r.target), el("td", { class: r.outcome < 400 ? "state-up" : "state-down" }, String(r.outcome)),
      el("td", {}, r.source), el("td", { title: r.hash }, r.replica + " #" + r.seq))));
}

/** Checks every chain and says what was found. */
async function verify(background) {
  const status = byId("audit-chain");
  status.className = "muted";
  status.textContent = t("audit.verifying");
  try {
    const v = await getJson("/audit/verify", background);
    status.className = v.intact ? "state-up" : "refused";
    status.textContent = v.intact
      ? t("audit.intact", { records: number(v.records), chains: number(Object.keys(v.chains).length) })
      : t("audit.broken", { replica: v.broken.replica, seq: v.broken.seq, key: v.broken.key, reason: v.broken.reason });
    status.dataset.intact = String(v.intact);
  } catch (e) {
    status.className = "refused";
    status.textContent = e.message;
    delete status.dataset.intact;
  }
}

byId("audit-verify").addEventListener("click", () => verify(false));

byId("audit-filter").addEventListener("submit", async event => {
  event.preventDefault();
  const error = byId("audit-error");
  error.textContent = "";
  const before = { query, from: pager.from };
  const principal = byId("audit-principal").value.trim();
  query = [["from", instant("audit-from")], ["to", instant("audit-to")], ["principal", principal]]
    .filter(([, v]) => v).map(([k, v]) => k + "=" + encodeURIComponent(v) + "&").join("");
  pager.reset();
  try {
    await read(false);
  } catch (e) {
    // Refused: the records on show stay, and so does the filter they were read with.
    ({ query } = before);
    pager.from = before.from;
    error.textContent = e.message;
  }
});

export async function render() {
  if (!verified) {
    verified = true;
    await verify(true);
  }
  await read(true);
}
