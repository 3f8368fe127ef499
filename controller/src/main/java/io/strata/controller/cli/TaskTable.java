package io.strata.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The task queue as {@code GET /api/v1/tasks} answers it, as a table for a terminal: one line a
 * task, highest priority first, under a line that sums the queue up.
 */
final class TaskTable {
  private static final String[] HEADER = {
    "ID", "TYPE", "PRIORITY", "DATASET", "FROM", "TO", "KEYS", "BYTES", "AGENT", "STATE"
  };

  private TaskTable() {}

  /**
   * @param queue the answer of {@code GET /api/v1/tasks}
   * @param leaderUrl where the leader serves, for the answer of a replica that does not lead; null
   *     when unknown
   */
  static String render(JsonNode queue, String leaderUrl) {
    if (!queue.path("leading").asBoolean()) {
      return "This replica does not lead; the leader holds the queue"
          + (leaderUrl == null || leaderUrl.isBlank()
              ? " (no leader is elected now).\n"
              : ": strata ctl --url " + leaderUrl + " tasks\n");
    }
    JsonNode tasks = queue.path("tasks");
    int leased = 0;
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JsonNode queued : tasks) {
      JsonNode task = queued.path("task");
      boolean isLeased = !queued.path("agent").isNull() && queued.has("agent");
      leased += isLeased ? 1 : 0;
      int keys = task.path("keys").size();
      rows.add(
          new String[] {
            task.path("id").asText(),
            task.path("type").asText(),
            queued.path("priority").asText(),
            task.path("dataset").asText(),
            Columns.text(task.path("sourcePool")),
            Columns.text(task.path("targetPool")),
            keys == 0 ? "range" : Integer.toString(keys),
            Long.toString(queued.path("bytes").asLong()),
            Columns.text(queued.path("agent")),
            state(queued, isLeased)
          });
    }
    StringBuilder out = new StringBuilder();
    out.append(tasks.size())
        .append(tasks.size() == 1 ? " task, " : " tasks, ")
        .append(leased)
        .append(" leased; since this replica leads: ")
        .append(queue.path("copiedObjects").asLong())
        .append(" objects copied, ")
        .append(queue.path("deletedObjects").asLong())
        .append(" copies deleted, ")
        .append(queue.path("rounds").asLong())
        .append(" reconcile rounds\n");
    if (tasks.isEmpty()) {
      return out.toString();
    }
    out.append(Columns.align(rows));
    return out.toString();
  }

  private static String state(JsonNode queued, boolean leased) {
    String attempts =
        queued.path("attempts").asInt() > 0
            ? ", attempt " + (queued.path("attempts").asInt() + 1)
            : "";
    if (!queued.path("cancelReason").isNull() && queued.has("cancelReason")) {
      return "stopping: " + queued.path("cancelReason").asText();
    }
    if (leased) {
      return "leased until " + Columns.time(queued.path("leaseUntil")) + attempts;
    }
    if (!queued.path("notBefore").isNull() && queued.has("notBefore")) {
      return "waiting until " + Columns.time(queued.path("notBefore")) + attempts;
    }
    return "waiting" + attempts;
  }
}
