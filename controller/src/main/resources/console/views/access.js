// Users, API tokens and console sessions, for admins: list them a page at a time, add or change a
// user (password, roles, disabled), make a token (its text shown this once), disable, enable or
// remove either, end a session. Removing and ending ask for confirmation next to their button; a
// refusal shows the API's reason next to the control and changes nothing. The lists are read again
// on every refresh (a 304 while nothing changed).
import { getJson, send } from "../core/api.js";
import { byId, el, tableBody } from "../core/dom.js";
import { confirmBeside } from "../core/confirm.js";
import { dateTime } from "../core/format.js";
import { Pager } from "../core/pager.js";
import { t } from "../i18n.js";

// Each list: where it reads, its table, its pager, the answer drawn, and how a row is drawn.
const lists = {
  users: { path: "/identities/users", row: userRow },
  tokens: { path: "/identities/tokens", row: tokenRow },
  sessions: { path: "/sessions", row: sessionRow },
};
for (const [name, list] of Object.entries(lists)) {
  list.drawn = null;
  list.pager = new Pager(byId(name + "-pager"), () => draw(name));
}

/** A comma-separated list of roles as the API takes it; null when empty (unchanged). */
function roles(id) {
  const text = byId(id).value.trim();
  return text === "" ? null : text.split(/[\s,]+/).filter(Boolean);
}

function stateCell(disabled) {
  return el("td", { class: disabled ? "state-down" : "state-up" }, t(disabled ? "access.disabled" : "access.enabled"));
}

function button(action, id, label) {
  return el("button", { type: "button", class: "action", "data-action": action, "data-id": id }, label);
}

function userRow(u) {
  return el("tr", { "data-user": u.name }, el("td", {}, u.name), el("td", {}, u.roles.join(", ")),
    stateCell(u.disabled), el("td", {}, u.source),
    el("td", {}, button(u.disabled ? "enable-user" : "disable-user", u.name, t(u.disabled ? "access.enable" : "access.disable")),
      " ", button("remove-user", u.name, t("access.remove"))));
}

function tokenRow(k) {
  return el("tr", { "data-token": k.name }, el("td", {}, k.name), el("td", {}, k.roles.join(", ")),
    el("td", {}, k.agentId ?? ""), stateCell(k.disabled), el("td", {}, k.source),
    el("td", {}, button(k.disabled ? "enable-token" : "disable-token", k.name, t(k.disabled ? "access.enable" : "access.disable")),
      " ", button("remove-token", k.name, t("access.remove"))));
}

function sessionRow(s) {
  return el("tr", { "data-session": s.sessionHash }, el("td", {}, s.user), el("td", {}, dateTime(s.lastSeen)),
    el("td", { title: s.sessionHash }, s.sessionHash.slice(0, 16) + "…"),
    el("td", {}, button("end-session", s.sessionHash, t("access.end"))));
}

/** Draws the page on show of list {@code name}. */
function draw(name) {
  const list = lists[name];
  if (list.drawn === null) return;
  tableBody(name).replaceChildren(...list.pager.slice(list.drawn).map(list.row));
}

/** Reads list {@code name} and draws it if it changed and no confirmation is open in it. */
async function read(name, background = true) {
  const list = lists[name];
  const answer = await getJson(list.path, background);
  if (answer === list.drawn || byId(name).querySelector(".preview")) return;
  list.drawn = answer;
  draw(name);
}

/** Reads list {@code name} and turns to the page that shows the entry named {@code entry}. */
async function reveal(name, entry) {
  await read(name, false);
  const list = lists[name];
  const i = list.drawn.findIndex(e => e.name === entry);
  if (i >= 0) list.pager.from = Math.floor(i / list.pager.rows) * list.pager.rows;
  draw(name);
}

// What each row button does: the change it sends, and whether it asks first.
const actions = {
  "disable-user": id => send("PUT", "/identities/users/" + encodeURIComponent(id), { disabled: true }),
  "enable-user": id => send("PUT", "/identities/users/" + encodeURIComponent(id), { disabled: false }),
  "remove-user": id => send("DELETE", "/identities/users/" + encodeURIComponent(id)),
  "disable-token": id => send("PUT", "/identities/tokens/" + encodeURIComponent(id), { disabled: true }),
  "enable-token": id => send("PUT", "/identities/tokens/" + encodeURIComponent(id), { disabled: false }),
  "remove-token": id => send("DELETE", "/identities/tokens/" + encodeURIComponent(id)),
  "end-session": id => send("DELETE", "/sessions/" + id),
};
const ASKS = new Set(["remove-user", "remove-token", "end-session"]);

/** Runs a row's action; a refusal shows next to its button, and the list is read again. */
async function act(button, name) {
  button.parentElement.querySelector(".refused")?.remove();
  try {
    await actions[button.dataset.action](button.dataset.id);
  } catch (e) {
    button.parentElement.append(el("span", { class: "refused", role: "alert" }, " " + e.message));
    return;
  }
  await read(name, false);
}

for (const name of Object.keys(lists)) {
  byId(name).addEventListener("click", async event => {
    const button = event.target.closest("button[data-action]");
    if (!button || button.disabled) return;
    if (!ASKS.has(button.dataset.action)) {
      await act(button, name);
      return;
    }
    // The action runs once the box is gone: its list is not redrawn while a question is open.
    confirmBeside(button, t("access.confirm." + button.dataset.action, { id: button.dataset.id }),
      null, { then: () => act(button, name) });
  });
}

byId("user-form").addEventListener("submit", async event => {
  event.preventDefault();
  const error = byId("user-error");
  error.textContent = "";
  const name = byId("user-name").value.trim();
  const password = byId("user-password").value;
  try {
    await send("PUT", "/identities/users/" + encodeURIComponent(name),
      { password: password === "" ? null : password, roles: roles("user-roles"), disabled: null });
  } catch (e) {
    error.replaceChildren(e.message, ...(e.details ?? []).map(d => el("div", {}, d)));
    return;
  }
  byId("user-password").value = "";
  await reveal("users", name);
});

byId("token-form").addEventListener("submit", async event => {
  event.preventDefault();
  const error = byId("token-error");
  const made = byId("token-made");
  error.textContent = "";
  made.hidden = true;
  const agentId = byId("token-agent").value.trim();
  let token;
  try {
    token = await send("POST", "/identities/tokens",
      { name: byId("token-name").value.trim(), roles: roles("token-roles") ?? [], agentId: agentId === "" ? null : agentId });
  } catch (e) {
    error.replaceChildren(e.message, ...(e.details ?? []).map(d => el("div", {}, d)));
    return;
  }
  made.replaceChildren(t("access.tokenMade", { name: token.name }), " ", el("code", { id: "token-text" }, token.token));
  made.hidden = false;
  await reveal("tokens", token.name);
});

export async function render() {
  await Promise.all(Object.keys(lists).map(name => read(name)));
}
