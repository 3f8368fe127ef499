// Asking before a change, beside the control that asks for it.
import { el } from "./dom.js";
import { t } from "../i18n.js";

/**
 * Asks {@code question} in a box just after {@code button}, which stays disabled while the box is
 * open (a view's refresh leaves a row or panel with an open {@code .preview} alone). Cancel closes
 * the box. Confirm runs {@code act} (async; null for none); if it throws, the box shows its message (the API's
 * reason, or why the session ended) with a close button, and nothing else changes; otherwise the
 * box goes and {@code then} runs.
 *
 * @param label the box's accessible name, when the question alone would not say what it is for
 */
export function confirmBeside(button, question, act, { then = async () => {}, label = null } = {}) {
  const attrs = { class: "preview", role: "dialog" };
  if (label) attrs["aria-label"] = label;
  const box = el("span", attrs, question, " ");
  const yes = el("button", { type: "button", class: "confirm" }, t("preview.confirm"));
  const no = el("button", { type: "button", class: "dismiss" }, t("preview.cancel"));
  const close = () => { box.remove(); button.disabled = false; };
  box.append(yes, " ", no);
  button.after(box);
  button.disabled = true;
  yes.focus();
  no.addEventListener("click", close);
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      if (act) await act();
    } catch (e) {
      const dismiss = el("button", { type: "button", class: "dismiss" }, t("preview.close"));
      dismiss.addEventListener("click", close);
      box.replaceChildren(el("span", { class: "refused", role: "alert" }, e.message), " ", dismiss);
      return;
    }
    close();
    await then();
  });
}
