// The controller's REST API, as the console calls it.
import { state } from "./state.js";
import { t } from "../i18n.js";

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

// A change refused because the session ended: the control that asked shows why, and nothing was
// changed; the next refresh, a read, leaves for the login page.
function sessionEnded() {
  return Object.assign(new Error(t("session.endedMidAction")), { status: 401, details: [] });
}

// What each GET last answered, by path: its ETag, body and total (X-Total-Count). A read sends the
// tag back in If-None-Match; the controller answers 304 while nothing changed, and the read hands
// back the very same object, so views can tell "unchanged" by identity and skip redrawing.
const answers = new Map();

// How many reads the controller answered 304 since the page loaded, shown on <body> for tests
// and for whoever wonders what an idle console costs.
let notModified = 0;

/**
 * Calls the API and returns its JSON (null when it answers 204). A refusal throws an Error with
 * the API's own message when it sent one (the API answers errors as {code, message, details}).
 */
async function call(method, path, headers, body) {
  const kept = method === "GET" ? answers.get(path) : undefined;
  const response = await fetch(API + path, {
    method,
    // The console keeps answers itself: the browser's cache would hide whether a 304 came.
    cache: "no-store",
    headers: { Accept: "application/json", ...(kept ? { "If-None-Match": kept.etag } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    if (method !== "GET") throw sessionEnded();
    loggedOff();
  }
  if (response.status === 304 && kept) {
    document.body.dataset.notModified = String(++notModified);
    return kept;
  }
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    throw Object.assign(new Error(error.message ?? path + " answered " + response.status),
      { status: response.status, details: error.details ?? [] });
  }
  if (response.status === 204) return null;
  const answer = { body: await response.json(), total: Number(response.headers.get("X-Total-Count") ?? NaN) };
  const etag = response.headers.get("ETag");
  // A change's answer is its own, never the kept answer of a read of the same path (a new token's
  // POST to the path that lists the tokens).
  if (method !== "GET" || !etag) return answer;
  answers.set(path, { ...answer, etag });
  return answers.get(path);
}

/**
 * Reads JSON. Reads are background ones unless said otherwise: the periodic refresh must not
 * count as user activity, or an unattended console would never be logged off. An unchanged
 * answer is the same object as the last one.
 */
export async function getJson(path, background = true) {
  return (await call("GET", path, background ? { "X-Strata-Background": "1" } : {})).body;
}

/** Reads a page of a list: {items, total}, total being how many match over all pages. */
export async function getPage(path, background = true) {
  const answer = await call("GET", path, background ? { "X-Strata-Background": "1" } : {});
  return { items: answer.body, total: Number.isNaN(answer.total) ? answer.body.length : answer.total };
}

/**
 * A change: it carries the session's CSRF token, without which the controller refuses it. A
 * refusal throws an Error with the API's message, its status and details.
 */
export async function send(method, path, body) {
  const answer = await call(method, path,
    { "Content-Type": "application/json", "X-CSRF-Token": state.session.csrfToken ?? "" }, body);
  return answer === null ? null : answer.body;
}

/**
 * A report the API makes from a body (POST): the file's bytes and the name the controller gives it,
 * carrying the session's CSRF token as a change does. A refusal throws an Error with the API's
 * message.
 */
export async function postForFile(path, body) {
  const response = await fetch(API + path, {
    method: "POST",
    cache: "no-store",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": state.session.csrfToken ?? "" },
    body: JSON.stringify(body),
  });
  if (response.status === 401) throw sessionEnded();
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    throw Object.assign(new Error(error.message ?? path + " answered " + response.status),
      { status: response.status });
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
  return { blob: await response.blob(), name: named ? named[1] : path.split("/").pop() };
}
