// One tier at one site over the plan's horizon, as an inline SVG: the 95% and 80% prediction bands,
// the projection, the plain trend (dashed) and the limit stepping up as planned racks arrive, each
// cut at the plot's frame. Drawn only for the groups a planner opens: a plan of hundreds of groups
// keeps one chart per open row in the page, not one per group.
import { t } from "../i18n.js";
import { bytes } from "../core/format.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640, HEIGHT = 220;
const LEFT = 64, RIGHT = 12, TOP = 10, BOTTOM = 24;
const DAY_MS = 86400000;

// Each chart's clip path needs an id no other chart in the page has.
let charts = 0;

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function days(from, to) {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/**
 * The chart of {@code group} (a group of the plan, with its weekly points), day 0 being the plan's
 * {@code today} and the last day its horizon. The vertical scale runs from 0 to a little above the
 * highest projection, trend or today's limit: the bands widen and the racks bought for their upper
 * bound pile up over years, and a scale that held them would flatten the projection to a line at
 * the bottom. What passes the top is cut at the frame.
 */
export function planChart(group, today, horizonDays) {
  const points = group.points;
  const top = 1.15 * Math.max(1, points[0].limit, ...points.map(p => Math.max(p.mean, p.trend)));
  const x = day => LEFT + day * (WIDTH - LEFT - RIGHT) / horizonDays;
  const y = b => TOP + (HEIGHT - TOP - BOTTOM) * (1 - Math.max(0, b) / top);
  const at = points.map(p => x(days(today, p.day)));
  const xy = (i, b) => at[i].toFixed(1) + "," + y(b).toFixed(1);
  const line = pick => points.map((p, i) => xy(i, pick(p))).join(" ");
  const band = (low, high) => points.map((p, i) => xy(i, high(p)))
    .concat(points.map((p, i) => xy(i, low(p))).reverse()).join(" ");
  // The limit holds until the week racks arrive, then steps up.
  const steps = [];
  points.forEach((p, i) => {
    if (i > 0 && p.limit !== points[i - 1].limit) steps.push(xy(i, points[i - 1].limit));
    steps.push(xy(i, p.limit));
  });

  const id = "plan-clip-" + (++charts);
  const chart = svg("svg", { width: WIDTH, height: HEIGHT, viewBox: "0 0 " + WIDTH + " " + HEIGHT,
    class: "plan-chart", role: "img", "data-chart": group.tier + "@" + (group.site ?? "") });
  chart.append(svg("title", {}, t("plan.chart.title", { tier: group.tier, site: group.site ?? "" })));
  const clip = svg("clipPath", { id });
  clip.append(svg("rect", { x: LEFT, y: TOP, width: WIDTH - LEFT - RIGHT, height: HEIGHT - TOP - BOTTOM }));
  const defs = svg("defs");
  defs.append(clip);
  chart.append(defs);
  const plot = svg("g", { "clip-path": "url(#" + id + ")" });
  plot.append(
    svg("polygon", { class: "band95", points: band(p => p.lower95, p => p.upper95) }),
    svg("polygon", { class: "band80", points: band(p => p.lower80, p => p.upper80) }),
    svg("polyline", { class: "trend", points: line(p => p.trend) }),
    svg("polyline", { class: "limit", points: steps.join(" ") }),
    svg("polyline", { class: "mean", points: line(p => p.mean) }));
  if (group.fullOn) {
    const d = x(days(today, group.fullOn)).toFixed(1);
    plot.append(svg("line", { class: "full-on", x1: d, x2: d, y1: TOP, y2: HEIGHT - BOTTOM }));
  }
  const middle = y(top / 2).toFixed(1);
  chart.append(svg("line", { class: "grid", x1: LEFT, x2: WIDTH - RIGHT, y1: middle, y2: middle }), plot,
    svg("rect", { class: "frame", x: LEFT, y: TOP, width: WIDTH - LEFT - RIGHT, height: HEIGHT - TOP - BOTTOM }),
    svg("text", { x: LEFT - 4, y: TOP + 10, "text-anchor": "end" }, bytes(top)),
    svg("text", { x: LEFT - 4, y: Number(middle) + 4, "text-anchor": "end" }, bytes(top / 2)),
    svg("text", { x: LEFT - 4, y: HEIGHT - BOTTOM, "text-anchor": "end" }, "0"),
    svg("text", { x: LEFT, y: HEIGHT - 6 }, today),
    svg("text", { x: WIDTH - RIGHT, y: HEIGHT - 6, "text-anchor": "end" }, points[points.length - 1].day));
  return chart;
}

/** What the chart's lines and bands are, as a line under it. */
export function legend() {
  const span = document.createElement("p");
  span.className = "plan-legend muted";
  for (const [cls, key] of [["band95", "plan.chart.band95"], ["band80", "plan.chart.band80"],
    ["mean", "plan.chart.mean"], ["trend", "plan.chart.trend"], ["limit", "plan.chart.limit"],
    ["full-on", "plan.chart.fullOn"]]) {
    const swatch = document.createElement("i");
    swatch.className = "swatch " + cls;
    span.append(swatch, t(key), " ");
  }
  return span;
}
