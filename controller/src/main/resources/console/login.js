// The login page: posts the user name and password to /api/v1/session, which sets the session
// cookie (HttpOnly: this script never sees it), then opens the console.
// It imports nothing from core/: without a session only the login page, this script and the
// stylesheet are served (WebSecurityFilter), every other file redirects to this page.

if (new URLSearchParams(location.search).has("expired")) {
  const notice = document.getElementById("notice");
  notice.textContent = "You were logged off after a time without activity. Please log in again.";
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
  let message = "Login failed (" + response.status + ")";
  try { message = (await response.json()).message; } catch (e) { /* not JSON */ }
  error.textContent = message;
  error.hidden = false;
  document.getElementById("password").value = "";
});
