// How the console writes sizes and times.

/** Bytes in binary units; a negative count (not reported) as a dash. */
export function bytes(n) {
  if (n < 0) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

/** How long ago a time was: epoch seconds (as heartbeats are) or an ISO-8601 text. */
export function ago(time) {
  const millis = typeof time === "number" ? time * 1000 : Date.parse(time);
  const s = Math.max(0, Math.round((Date.now() - millis) / 1000));
  return s < 60 ? s + " s ago" : Math.round(s / 60) + " min ago";
}

/** A time the API gives (ISO-8601 or epoch milliseconds) in the reader's locale. */
export function dateTime(time) {
  return new Date(time).toLocaleString();
}

/** A duration in seconds as the largest fitting unit (s, min, h, d). */
export function duration(seconds) {
  if (seconds < 120) return Math.round(seconds) + " s";
  if (seconds < 7200) return Math.round(seconds / 60) + " min";
  if (seconds < 172800) return (seconds / 3600).toFixed(1) + " h";
  return (seconds / 86400).toFixed(1) + " d";
}
