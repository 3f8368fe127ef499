// The fleet heatmap: every rack of the fleet as one cell of one canvas (no element per rack), laid
// out by site, room and row, coloured by fill, health or movement. Pointing at a cell names the
// rack; clicking it (or searching for a rack, node, pool or agent id) opens the rack's detail.
// It redraws only when the racks' answer changed (an unchanged refresh is the same object).
import { getJson } from "../core/api.js";
import { byId } from "../core/dom.js";
import { number, t } from "../i18n.js";
import * as rack from "./rack.js";

const canvas = byId("heatmap");
const tip = byId("heatmap-tip");
const GAP = 2;

// What is drawn: the racks answer, the mode, and where each rack's cell is (parallel arrays).
let drawn = { racks: null, mode: null, width: 0 };
let cells = { x: new Float32Array(0), y: new Float32Array(0), size: 0, racks: [] };
let selected = null;

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
function layout(sites, width) {
  const labelH = 16;
  for (let size = 14; ; size--) {
    const placed = [];
    let y = 0;
    const step = size + (size >= 6 ? 1 : 0);
    const labels = [];
    for (const [site, rooms] of sites) {
      labels.push({ text: site, x: 0, y: y + 12, bold: true });
      y += labelH;
      let x = 0, bandH = 0;
      for (const [room, rows] of rooms) {
        const cols = Math.max(...[...rows.values()].map(row => row.length));
        // Wide enough for the room's name, however few its racks.
        const w = Math.max(cols * step, 8 + 6.5 * room.length), h = rows.size * step + labelH;
        if (x > 0 && x + w > width) { x = 0; y += bandH + 8; bandH = 0; }
        labels.push({ text: room, x, y: y + 12, bold: false, width: w });
        let ry = y + labelH;
        for (const row of rows.values()) {
          row.forEach((r, i) => placed.push([r, x + i * step, ry]));
          ry += step;
        }
        x += w + 12;
        bandH = Math.max(bandH, h);
      }
      y += bandH + 10;
    }
    if (y <= 900 || size === 2) return { placed, labels, height: y, size };
  }
}

function draw(answer, mode) {
  const width = Math.max(300, canvas.parentElement.clientWidth);
  const { placed, labels, height, size } = layout(group(answer.racks), width);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = width + "px";
  canvas.style.height = height + "px";
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.fillStyle = "#1c2329";
  for (const l of labels) {
    g.font = (l.bold ? "600 13px " : "11px ") + "system-ui, sans-serif";
    g.fillText(l.text, l.x, l.y, l.width);
  }
  cells = { x: new Float32Array(placed.length), y: new Float32Array(placed.length), size, racks: [] };
  placed.forEach(([r, x, y], i) => {
    g.fillStyle = colour(r, mode);
    g.fillRect(x, y, size, size);
    cells.x[i] = x;
    cells.y[i] = y;
    cells.racks.push(r);
  });
  if (selected) outline(selected);
  // What was drawn, for tests and for readers of the page without the picture.
  canvas.dataset.drawn = String(placed.length);
  canvas.dataset.mode = mode;
  const down = answer.racks.filter(r => r.poolsDown > 0).length;
  const risk = answer.racks.filter(r => r.atRisk > 0).length;
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

canvas.addEventListener("mousemove", event => {
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
  const r = rackAt(event);
  if (r) select(r.id);
});
// Keyboard: the canvas takes focus; arrows move the selection along the fleet, Enter opens it.
canvas.addEventListener("keydown", event => {
  const i = cells.racks.findIndex(r => r.id === selected);
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
  const width = canvas.parentElement.clientWidth;
  if (racks === drawn.racks && mode === drawn.mode && width === drawn.width) return;
  draw(racks, mode);
  drawn = { racks, mode, width };
}
