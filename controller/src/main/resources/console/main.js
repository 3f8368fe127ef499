// The fleet page: reads the controller's REST API every few seconds and has each view draw its
// part. Shared code is under core/, one module per part of the page under views/.
import { startRefresh } from "./core/refresh.js";
import { loadSession } from "./core/session.js";
import * as agents from "./views/agents.js";
import * as capacity from "./views/capacity.js";
import * as datasets from "./views/datasets.js";
import * as header from "./views/header.js";
import * as policies from "./views/policies.js";
import * as replicas from "./views/replicas.js";
import * as summary from "./views/summary.js";
import * as tasks from "./views/tasks.js";
import * as topology from "./views/topology.js";

try {
  await loadSession();
} catch {
  // A 401 is on its way to the login page. Otherwise the page goes on without the session's
  // roles (views for everyone only) until it is reloaded, and the refresh shows what fails.
}
// The header goes last: its "updated" time is that of the last refresh that drew everything.
startRefresh([summary, tasks, topology, agents, datasets, replicas, policies, capacity, header]);
