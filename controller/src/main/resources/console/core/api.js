// The controller's REST API, as the console calls it.
import { state } from "./state.js";

const API = "/api/v1";

/** Where a path of the API is, for links (exports, reports) rather than calls. */
export function apiUrl(path) {
  return API + path;
}

// A 401 means the session ended (idle timeout, logout elsewhere, controller restart). Throwing
// stops whatever called while the browser leaves for the login page.
function loggedOff() {
  location.replace("/login.html?expired");
  throw new Error("logged off");
}

/**
 * Calls the API and returns its JSON (null when it answers 204). A refusal throws an Error with
 * the API's own message when it sent one (the API answers errors as {code, message, details}).
 */
async function call(method, path, headers, body) {
  const response = await fetch(API + path, {
    method,
    headers: { Accept: "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) loggedOff();
  if (!response.ok) {
    const message = await response.json().then(error => error.message, () => undefined);
    throw new Error(message ?? path + " answered " + response.status);
  }
  return response.status === 204 ? null : response.json();
}

/**
 * Reads JSON. Reads are background ones unless said otherwise: the periodic refresh must not
 * count as user activity, or an unattended console would never be logged off.
 */
export function getJson(path, background = true) {
  return call("GET", path, background ? { "X-Strata-Background": "1" } : {});
}

/** A change: it carries the session's CSRF token, without which the controller refuses it. */
export function send(method, path, body) {
  return call(method, path,
    { "Content-Type": "application/json", "X-CSRF-Token": state.session.csrfToken ?? "" }, body);
}
