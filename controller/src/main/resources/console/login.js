// The login page: posts the user name and password to /api/v1/session, which sets the session
// cookie (HttpOnly: this script never sees it), then opens the console.
// It imports nothing from core/: without a session only the login page, this script, the
// stylesheet, i18n.js and the message bundles are served (WebSecurityFilter), every other file
// redirects to this page.
import { languageSwitch, loadMessages, t } from "./i18n.js";

await loadMessages();
languageSwitch(document.getElementById("language"));

if (new URLSearchParams(location.search).has("expired")) {
  const notice = document.getElementById("notice");
  notice.textContent = t("login.expired");
  notice.hidden = false;
}

document.getElementById("login").addEventListener("submit", async event => {
  event.preventDefault();
  const error = document.getElementById("error");
  error.hidden = true;
  const response = await fetch("/api/v1/session", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      user: document.getElementById("user").value,
      password: document.getElementById("password").value,
    }),
  });
  if (response.ok) {
    location.replace("/");
    return;
  }
  let message = t("login.failed", { status: response.status });
  try { message = (await response.json()).message; } catch (e) { /* not JSON */ }
  error.textContent = message;
  error.hidden = false;
  document.getElementById("password").value = "";
});
