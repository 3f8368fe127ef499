// A tier's use at a site over the forecast's window, drawn as a small line.
import { bytes, dateTime } from "../core/format.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 120, HEIGHT = 24;

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/**
 * The line from the lowest to the highest use (its title gives both); an empty cell before there
 * are two samples to draw between.
 */
export function sparkline(series) {
  if (!series || series.usedBytes.length < 2) return "";
  const used = series.usedBytes;
  const low = Math.min(...used), high = Math.max(...used);
  const y = u => high === low ? HEIGHT / 2 : HEIGHT - 2 - (u - low) * (HEIGHT - 4) / (high - low);
  const points = used.map((u, i) => (i * WIDTH / (used.length - 1)).toFixed(1) + "," + y(u).toFixed(1));
  const title = svg("title");
  title.textContent = bytes(low) + " to " + bytes(high) + " since " + dateTime(series.at[0]);
  const chart = svg("svg", { width: WIDTH, height: HEIGHT, class: "sparkline" });
  chart.append(title, svg("polyline", { points: points.join(" ") }));
  return chart;
}
