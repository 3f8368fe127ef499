// Paged lists: a list shows one page of rows at a time (the DOM stays small however long the list
// is), with Previous and Next and which rows are on show.
import { el } from "./dom.js";
import { number, t } from "../i18n.js";

/** Rows on one page. */
export const PAGE_ROWS = 20;

/**
 * One list's page: the first row on show ({@code from}, counted from 0). {@code onChange} is
 * called after Previous or Next moved it.
 */
export class Pager {
  constructor(bar, onChange, rows = PAGE_ROWS) {
    this.bar = bar;
    this.rows = rows;
    this.from = 0;
    bar.addEventListener("click", event => {
      const button = event.target.closest("button[data-step]");
      if (!button) return;
      this.from = Math.max(0, this.from + Number(button.dataset.step) * this.rows);
      onChange();
    });
  }

  /** Back to the first page (after the filter changed). */
  reset() {
    this.from = 0;
  }

  /** The rows of {@code items} on show, the bar drawn for them (for a list read whole). */
  slice(items) {
    if (this.from >= items.length) this.from = Math.max(0, Math.floor((items.length - 1) / this.rows) * this.rows);
    const shown = items.slice(this.from, this.from + this.rows);
    this.draw(shown.length, items.length);
    return shown;
  }

  /** Draws the bar for {@code shown} rows from {@link #from} of {@code total} (a list read by page). */
  draw(shown, total) {
    const previous = el("button", { type: "button", class: "plain", "data-step": "-1" }, t("pager.previous"));
    const next = el("button", { type: "button", class: "plain", "data-step": "1" }, t("pager.next"));
    previous.disabled = this.from === 0;
    next.disabled = this.from + shown >= total;
    const range = total === 0 ? t("pager.none")
      : t("pager.range", { first: number(this.from + 1), last: number(this.from + shown), total: number(total) });
    this.bar.replaceChildren(previous, " ", el("span", { class: "muted", "data-total": String(total) }, range), " ", next);
  }
}
