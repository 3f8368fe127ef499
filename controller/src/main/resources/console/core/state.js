// What the console keeps between refreshes, in one object. Views read it; each part has a single
// writer, named below, so no view changes what another one relies on.
export const state = {
  // Who is logged in, and the token every change must carry (written by core/session.js).
  session: { user: "", roles: [], csrfToken: null },
  // The capacity forecast on show (written by views/capacity.js): the what-if scenario as the
  // forecast's query ("" for the trend), and the history its sparklines draw, which a what-if
  // answer between two refreshes reuses.
  capacity: { query: "", history: { series: [] } },
  // The purchase plan on show (written by views/plan.js): the what-if body it answers (null for the
  // plan in force), and the tier@site groups whose charts are open, kept across redraws.
  plan: { request: null, open: new Set() },
};
