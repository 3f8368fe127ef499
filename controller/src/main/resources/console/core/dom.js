// Building and showing the page's parts.

/**
 * A new element with attributes and children. Strings become text nodes, never markup, so what
 * the API returns (names, descriptions, error messages) needs no escaping.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

/** The rows of the table with this id. */
export function tableBody(id) {
  return document.querySelector("#" + id + " tbody");
}

/** The page's alert line, under the views: what could not be read or done. */
export function showError(message) {
  const error = byId("error");
  error.textContent = message;
  error.hidden = false;
}

export function hideError() {
  byId("error").hidden = true;
}
