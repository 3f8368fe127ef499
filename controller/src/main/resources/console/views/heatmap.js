// The fleet heatmap: every rack of the fleet as one cell of one canvas (no element per rack), laid
// out by site, room and row, coloured by fill, health or movement. Pointing at a cell names the
// rack; clicking it (or searching for a rack, node, pool or agent id) opens the rack's detail, with
// its nodes. The map zooms from the fleet into a site, a room or a row (clicking a site's, room's
// or row's name, or choosing it above the canvas); the cells grow as fewer racks share the canvas,
// and a row's racks are named. It redraws only when the racks' answer changed (an unchanged
// refresh is the same object), the mode, the width or the zoom.
import { getJson } from "../core/api.js";
import { byId, el } from "../core/dom.js";
import { number, t } from "../i18n.js";
import * as rack from "./rack.js";

const canvas = byId("heatmap");
const tip = byId("heatmap-tip");
const GAP = 2;

// What is drawn: the racks answer, the mode, and where each rack's cell is (parallel arrays).
let drawn = { racks: null, mode: null, width: 0 };
let cells = { x: new Float32Array(0), y: new Float32Array(0), size: 0, racks: [] };
let selected = null;
// Where the map is zoomed: the site, room and row it shows, null for all of them.
let zoom = { site: null, room: null, row: null };
// The names drawn on the canvas that zoom in when clicked: {level, site, room, row, x, y, w, h}.
let targets = [];
// The largest cell at each depth of zoom (fleet, site, room, row), in pixels.
const MAX_CELL = [14, 20, 28, 48];

/** The colour of a rack in {@code mode}. */
function colour(r, mode) {
  const empty = r.poolsUp + r.poolsDraining + r.poolsDown === 0;
  if (mode === "health") {
    if (r.atRisk > 0) return "#7a0010";
    if (r.poolsDown > 0) return "#c62828";
    if (r.agentsDown > 0) return "#ef6c00";
    if (r.poolsDraining > 0) return "#f2b705";
    return empty ? "#c9d1d9" : "#2e7d32";
  }
  if (mode === "movement") {
    if (r.tasks === 0) return empty ? "#c9d1d9" : "#e3edf7";
    const k = Math.min(1, Math.log10(1 + r.tasks) / 2);
    return "rgb(" + Math.round(160 - 140 * k) + "," + Math.round(200 - 140 * k) + "," + Math.round(240 - 60 * k) + ")";
  }
  if (r.fill < 0) return "#c9d1d9";
  // Green through yellow to red as the rack fills.
  const f = Math.min(1, r.fill);
  const hue = 120 - 120 * f;
  return "hsl(" + hue + ",70%," + (45 - 10 * f) + "%)";
}

/** Sites, their rooms, the rooms' rows, each row's racks, in the answer's (map) order. */
function group(racks) {
  const sites = new Map();
  for (const r of racks) {
    const site = sites.get(r.site ?? "") ?? sites.set(r.site ?? "", new Map()).get(r.site ?? "");
    const room = site.get(r.room ?? "") ?? site.set(r.room ?? "", new Map()).get(r.room ?? "");
    const row = room.get(r.row ?? "") ?? room.set(r.row ?? "", []).get(r.row ?? "");
    row.push(r);
  }
  return sites;
}

/**
 * Places every rack: each site is a band, its rooms side by side (wrapping), a room's rows one
 * above the other. The cell shrinks until the whole fleet fits a screen's height.
 */
function layout(sites, width, depth) {
  const labelH = 16;
  // Zoomed into a room or a row, each row is named on its left; in a row, each rack under its cell.
  const gutter = depth >= 2 ? 150 : 0;
  const named = depth === 3 ? 14 : 0;
  for (let size = MAX_CELL[depth]; ; size--) {
    const placed = [];
    let y = 0;
    const step = size + (size >= 6 ? 1 : 0);
    const labels = [];
    let right = 0;
    for (const [site, rooms] of sites) {
      labels.push({ text: site, x: 0, y: y + 12, bold: true, level: "site", site, width: Math.min(width, 12 + 8 * site.length) });
      y += labelH;
      let x = 0, bandH = 0;
      for (const [room, rows] of rooms) {
        const cols = Math.max(...[...rows.values()].map(row => row.length));
        // Wide enough for the room's name, however few its racks.
        const w = gutter + Math.max(cols * step, 8 + 6.5 * room.length), h = rows.size * (step + named) + labelH;
        if (x > 0 && x + w > width) { x = 0; y += bandH + 8; bandH = 0; }
        labels.push({ text: room, x, y: y + 12, bold: false, width: w, level: "room", site, room });
        let ry = y + labelH;
        for (const [rowId, row] of rows) {
          if (gutter > 0 && rowId !== "") labels.push({ text: rowId, x, y: ry + Math.round(size / 2) + 4, bold: false, width: gutter - 8, level: "row", site, room, row: rowId });
          row.forEach((r, i) => placed.push([r, x + gutter + i * step, ry]));
          ry += step + named;
        }
        right = Math.max(right, x + w);
        x += w + 12;
        bandH = Math.max(bandH, h);
      }
      y += bandH + 10;
    }
    // The cells shrink until the view fits a screen's height and every room the canvas's width.
    if ((y <= 900 && right <= width) || size === 2) return { placed, labels, height: y, size };
  }
}

/** How deep the zoom is: 0 the fleet, 1 a site, 2 a room, 3 a row. */
function depth() {
  return zoom.row !== null ? 3 : zoom.room !== null ? 2 : zoom.site !== null ? 1 : 0;
}

function inZoom(r) {
  return (zoom.site === null || r.site === zoom.site) && (zoom.room === null || r.room === zoom.room)
    && (zoom.row === null || r.row === zoom.row);
}

/** Shows {@code to} (site, room and row, null for all) and draws it. */
function zoomTo(to) {
  zoom = { site: to.site ?? null, room: to.room ?? null, row: to.row ?? null };
  if (drawn.racks) draw(drawn.racks, drawn.mode);
}

/**
 * Above the canvas: the way back out (the fleet, the site, the room) and a list of what the view on
 * show holds (its sites, rooms or rows) to zoom into. At most a few dozen elements, whatever the
 * fleet.
 */
function drawZoomBar(racks) {
  const bar = byId("heatmap-zoom");
  const crumbs = [{ label: t("heatmap.zoom.fleet"), to: {} }];
  if (zoom.site !== null) crumbs.push({ label: zoom.site, to: { site: zoom.site } });
  if (zoom.room !== null) crumbs.push({ label: zoom.room, to: { site: zoom.site, room: zoom.room } });
  if (zoom.row !== null) crumbs.push({ label: zoom.row, to: zoom });
  const parts = [];
  crumbs.forEach((c, i) => {
    if (i > 0) parts.push(" › ");
    parts.push(i === crumbs.length - 1 ? el("b", { "data-zoom-current": "" }, c.label)
      : el("button", { type: "button", class: "plain", "data-zoom": JSON.stringify(c.to) }, c.label));
  });
  const level = ["site", "room", "row"][depth()];
  let inside = [];
  if (level) {
    // Racks straight under a room (no rows) have nothing to zoom into below it.
    inside = [...new Set(racks.map(r => r[level] ?? ""))].filter(id => id !== "");
  }
  if (level && inside.length > 0) {
    const pick = el("select", { id: "heatmap-zoom-into", "aria-label": t("heatmap.zoom.into." + level) },
      el("option", { value: "" }, t("heatmap.zoom.into." + level)),
      ...inside.map(id => el("option", { value: id }, id)));
    parts.push(" ", pick);
  }
  bar.replaceChildren(...parts);
}

byId("heatmap-zoom").addEventListener("click", event => {
  const button = event.target.closest("button[data-zoom]");
  if (button) zoomTo(JSON.parse(button.dataset.zoom));
});
byId("heatmap-zoom").addEventListener("change", event => {
  if (event.target.id !== "heatmap-zoom-into" || event.target.value === "") return;
  const level = ["site", "room", "row"][depth()];
  const one = drawn.racks.racks.find(r => inZoom(r) && r[level] === event.target.value);
  if (one) zoomTo({ site: one.site, room: level === "site" ? null : one.room, row: level === "row" ? one.row : null });
});

/** The width the canvas may take: its box's, inside the box's padding. */
function available() {
  const box = canvas.parentElement;
  const style = getComputedStyle(box);
  return box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

function draw(answer, mode) {
  const width = Math.max(300, available());
  let racks = depth() === 0 ? answer.racks : answer.racks.filter(inZoom);
  // What the view was zoomed into is gone from the map: back to the whole fleet.
  if (racks.length === 0 && depth() > 0) {
    zoom = { site: null, room: null, row: null };
    racks = answer.racks;
  }
  const { placed, labels, height, size } = layout(group(racks), width, depth());
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = width + "px";
  canvas.style.height = height + "px";
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.fillStyle = "#1c2329";
  targets = [];
  for (const l of labels) {
    g.font = (l.bold ? "600 13px " : "11px ") + "system-ui, sans-serif";
    g.fillText(l.text, l.x, l.y, l.width);
    // A name zooms in when clicked, unless the view is already that deep.
    const deeper = { site: 1, room: 2, row: 3 }[l.level] > depth();
    if (deeper) targets.push({ ...l, top: l.y - 12, w: Math.min(l.width ?? width, g.measureText(l.text).width + 4), h: 16 });
  }
  cells = { x: new Float32Array(placed.length), y: new Float32Array(placed.length), size, racks: [] };
  placed.forEach(([r, x, y], i) => {
    g.fillStyle = colour(r, mode);
    g.fillRect(x, y, size, size);
    cells.x[i] = x;
    cells.y[i] = y;
    cells.racks.push(r);
  });
  if (depth() === 3 && placed.length > 0) {
    // A row's racks are named under their cells: every one when the names fit, else every k-th.
    g.fillStyle = "#1c2329";
    g.font = "10px system-ui, sans-serif";
    const step = placed.length > 1 ? placed[1][1] - placed[0][1] : size + 1;
    const widest = Math.max(...placed.map(([r]) => g.measureText(r.id).width));
    const every = Math.max(1, Math.ceil((widest + 4) / step));
    placed.forEach(([r, x, y], i) => { if (i % every === 0) g.fillText(r.id, x, y + size + 11); });
  }
  if (selected) outline(selected);
  // What was drawn, for tests and for readers of the page without the picture.
  canvas.dataset.drawn = String(placed.length);
  canvas.dataset.mode = mode;
  canvas.dataset.zoom = [zoom.site, zoom.room, zoom.row].filter(z => z !== null).join(" › ");
  drawZoomBar(racks);
  const down = racks.filter(r => r.poolsDown > 0).length;
  const risk = racks.filter(r => r.atRisk > 0).length;
  canvas.setAttribute("aria-label", t("heatmap.alt", { racks: number(placed.length), down: number(down), risk: number(risk) }));
  byId("heatmap-legend").textContent = t("heatmap.legend." + mode);
  // When the page first showed the fleet, in the browser's own timeline (./strata bench console).
  if (performance.getEntriesByName("strata:heatmap-drawn").length === 0) performance.mark("strata:heatmap-drawn");
}

function outline(id) {
  const i = cells.racks.findIndex(r => r.id === id);
  if (i < 0) return;
  const g = canvas.getContext("2d");
  g.strokeStyle = "#000";
  g.lineWidth = 2;
  g.strokeRect(cells.x[i] - 1.5, cells.y[i] - 1.5, cells.size + 3, cells.size + 3);
  canvas.dataset.selected = id;
}

/** The rack under a point of the canvas, or null. */
function rackAt(event) {
  const box = canvas.getBoundingClientRect();
  const px = event.clientX - box.left, py = event.clientY - box.top;
  for (let i = 0; i < cells.racks.length; i++) {
    if (px >= cells.x[i] && px < cells.x[i] + cells.size && py >= cells.y[i] && py < cells.y[i] + cells.size) return cells.racks[i];
  }
  return null;
}

function describe(r) {
  return t("heatmap.tip", {
    rack: r.id, room: r.room ?? "—", row: r.row ?? "—",
    fill: r.fill < 0 ? t("heatmap.noReport") : number(r.fill * 100, 1) + "%",
    poolsUp: r.poolsUp, poolsDraining: r.poolsDraining, poolsDown: r.poolsDown,
    agentsUp: r.agentsUp, agentsDown: r.agentsDown, atRisk: r.atRisk, tasks: r.tasks });
}

/** The name of a site, room or row under a point of the canvas, or null. */
function targetAt(event) {
  const box = canvas.getBoundingClientRect();
  const px = event.clientX - box.left, py = event.clientY - box.top;
  return targets.find(l => px >= l.x && px < l.x + l.w && py >= l.top && py < l.top + l.h) ?? null;
}

canvas.addEventListener("mousemove", event => {
  canvas.style.cursor = targetAt(event) ? "zoom-in" : "";
  const r = rackAt(event);
  tip.hidden = r === null;
  if (r) {
    tip.textContent = describe(r);
    tip.style.left = (event.offsetX + 14) + "px";
    tip.style.top = (event.offsetY + 14) + "px";
  }
});
canvas.addEventListener("mouseleave", () => { tip.hidden = true; });
canvas.addEventListener("click", event => {
  const target = targetAt(event);
  if (target) {
    zoomTo(target);
    return;
  }
  const r = rackAt(event);
  if (r) select(r.id);
});
// Keyboard: the canvas takes focus; arrows move the selection along the fleet, Enter opens it.
canvas.addEventListener("keydown", event => {
  const i = cells.racks.findIndex(r => r.id === selected);
  if (event.key === "Escape" && depth() > 0) {
    // One level out: a row to its room, a room to its site, a site to the fleet.
    event.preventDefault();
    zoomTo({ site: depth() > 1 ? zoom.site : null, room: depth() > 2 ? zoom.room : null });
    return;
  }
  const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 10, ArrowUp: -10 };
  if (event.key in moves && cells.racks.length > 0) {
    event.preventDefault();
    const next = Math.max(0, Math.min(cells.racks.length - 1, (i < 0 ? 0 : i + moves[event.key])));
    select(cells.racks[next].id);
  }
});

/** Opens a rack's detail and outlines its cell. */
export async function select(id) {
  selected = id;
  // A rack outside the view on show (found by a search): back to the fleet, where it is.
  const shown = drawn.racks ? drawn.racks.racks.find(r => r.id === id) : null;
  if (shown && !inZoom(shown)) zoom = { site: null, room: null, row: null };
  if (drawn.racks) draw(drawn.racks, drawn.mode);
  await rack.open(id);
}

byId("heatmap-mode").addEventListener("change", () => {
  if (drawn.racks) draw(drawn.racks, byId("heatmap-mode").value);
  drawn.mode = byId("heatmap-mode").value;
});

byId("heatmap-search").addEventListener("submit", async event => {
  event.preventDefault();
  const error = byId("heatmap-search-error");
  error.textContent = "";
  const id = byId("heatmap-id").value.trim();
  if (!id) return;
  try {
    const found = await getJson("/racks/search?id=" + encodeURIComponent(id), false);
    await select(found.rack);
  } catch (e) {
    error.textContent = e.message;
  }
});

window.addEventListener("resize", () => { if (drawn.racks) draw(drawn.racks, drawn.mode); });

export function render({ racks }) {
  // The rack on show is read again each round (a 304 while it did not change): a pool going from
  // draining to out changes no count of the heatmap.
  if (selected) rack.refresh();
  const mode = byId("heatmap-mode").value;
  const width = available();
  if (racks === drawn.racks && mode === drawn.mode && width === drawn.width) return;
  draw(racks, mode);
  drawn = { racks, mode, width };
}
