// The console's languages: every text the pages show comes from a message bundle under messages/
// (English and Chinese), chosen by the reader and remembered in this browser. Shared by the login
// page, which may load only this script, the bundles and the stylesheet before a session exists.

export const LANGUAGES = { en: "English", zh: "中文" };
const KEY = "strata.language";

let messages = {};
export let language = "en";

/** The language chosen before in this browser, else the browser's own when it is one we have. */
function chosen() {
  const kept = localStorage.getItem(KEY);
  if (kept in LANGUAGES) return kept;
  return (navigator.language ?? "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** Loads the bundle of the chosen language and translates the page's marked elements. */
export async function loadMessages() {
  language = chosen();
  const response = await fetch("messages/" + language + ".json", { cache: "no-cache" });
  messages = await response.json();
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  translate(document);
}

/** Remembers {@code code} as this browser's language and shows the page in it. */
export function setLanguage(code) {
  localStorage.setItem(KEY, code);
  location.reload();
}

/**
 * The text of {@code key} with {name} placeholders filled from {@code values}; the key itself when
 * the bundle lacks it, so a missing text shows rather than vanishes.
 */
export function t(key, values = {}) {
  let text = messages[key] ?? key;
  for (const [name, value] of Object.entries(values)) text = text.replaceAll("{" + name + "}", String(value));
  return text;
}

/**
 * Translates the elements under {@code root} marked data-i18n (their text) and
 * data-i18n-placeholder, -title, -aria-label (those attributes).
 */
export function translate(root) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const attr of ["placeholder", "title", "aria-label"]) {
    const data = "i18n" + attr.split("-").map(w => w[0].toUpperCase() + w.slice(1)).join("");
    for (const node of root.querySelectorAll("[data-i18n-" + attr + "]")) node.setAttribute(attr, t(node.dataset[data]));
  }
}

/** A number in the reader's language. */
export function number(n, digits = 0) {
  return new Intl.NumberFormat(language === "zh" ? "zh-CN" : "en", {
    minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A language switch: a select of every language, the current one chosen. */
export function languageSwitch(select) {
  select.replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) => {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = name;
    option.selected = code === language;
    return option;
  }));
  select.addEventListener("change", () => setLanguage(select.value));
}
