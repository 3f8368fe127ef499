// The console session: who is logged in, keeping it alive while someone uses the page, logging out.
import { getJson, send } from "./api.js";
import { byId } from "./dom.js";
import { state } from "./state.js";

// User activity (a key, a click, moving the mouse) keeps the session alive at most this often;
// the periodic refresh alone does not, so an unattended console is logged off.
const KEEPALIVE_MS = 60000;

// Private to this module: when someone last used the page, and when that last reached the
// controller.
let lastActivity = Date.now();
let lastKeepalive = 0;

for (const type of ["keydown", "mousedown", "mousemove", "wheel", "touchstart"]) {
  document.addEventListener(type, () => { lastActivity = Date.now(); }, { passive: true });
}

byId("logout").addEventListener("click", async () => {
  // To the login page even if the controller did not answer: the session then times out.
  await send("DELETE", "/session").catch(() => {});
  location.replace("/login.html");
});

/** Reads who is logged in, with the CSRF token, into the state, and shows the user. */
export async function loadSession() {
  const session = await getJson("/session", false);
  state.session = { user: session.user, roles: session.roles, csrfToken: session.csrfToken };
  byId("user").textContent = session.user + " (" + session.roles.join(", ") + ")";
}

export function hasRole(role) {
  return state.session.roles.includes(role);
}

/** Restarts the session's idle time if someone used the page since the last keep-alive. */
export async function keepAlive() {
  const now = Date.now();
  if (now - lastActivity < KEEPALIVE_MS && now - lastKeepalive >= KEEPALIVE_MS) {
    lastKeepalive = now;
    await getJson("/session", false);
  }
}
