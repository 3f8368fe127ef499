package io.strata.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TaskTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aLeadersQueueIsOneLineATaskUnderItsSummary() throws Exception {
    JsonNode queue =
        JSON.readTree(
            """
            {"leading": true, "rounds": 133, "copiedObjects": 73, "deletedObjects": 37, "tasks": [
              {"task": {"id": "copy-a6c3", "type": "COPY", "dataset": "h03-imaging",
                        "sourcePool": "czzl-b-r02-cold", "targetPool": "lytm-b-r02-warm",
                        "keys": ["studies/1.dcm", "studies/2.dcm"]},
               "priority": "MISSING", "bytes": 1048576, "agent": "lytm-b-r02-n1",
               "leaseUntil": "2026-11-30T12:32:34.096518188Z", "notBefore": null, "attempts": 1,
               "cancelReason": null},
              {"task": {"id": "scan-1a22", "type": "SCAN", "dataset": "h01-imaging",
                        "sourcePool": "lytm-b-r01-cold", "targetPool": null, "keys": []},
               "priority": "SCAN", "bytes": 0, "agent": null, "leaseUntil": null,
               "notBefore": "2026-11-30T12:40:00Z", "attempts": 0, "cancelReason": null},
              {"task": {"id": "copy-77", "type": "COPY", "dataset": "h01-imaging",
                        "sourcePool": "a", "targetPool": "b", "keys": ["k"]},
               "priority": "REBALANCE", "bytes": 5, "agent": "n1", "leaseUntil": "2026-11-30T12:33:00Z",
               "notBefore": null, "attempts": 0, "cancelReason": "movement paused"}
            ]}
            """);

    String[] lines = TaskTable.render(queue, null).split("\n");

    assertThat(lines[0])
        .isEqualTo(
            "3 tasks, 2 leased; since this replica leads: 73 objects copied, 37 copies deleted,"
                + " 133 reconcile rounds");
    assertThat(lines[1]).startsWith("ID         TYPE  PRIORITY   DATASET").endsWith("STATE");
    assertThat(lines[2])
        .startsWith("copy-a6c3  COPY  MISSING    h03-imaging  czzl-b-r02-cold  lytm-b-r02-warm  2")
        .endsWith("lytm-b-r02-n1  leased until 2026-11-30T12:32:34Z, attempt 2");
    assertThat(lines[3])
        .contains("lytm-b-r01-cold  -")
        .contains("range")
        .endsWith("waiting until 2026-11-30T12:40:00Z");
    assertThat(lines[4]).endsWith("stopping: movement paused");
    assertThat(lines).hasSize(5);
  }

  @Test
  void aFollowerSendsTheOperatorToTheLeader() throws Exception {
    JsonNode queue =
        JSON.readTree(
            "{\"leading\": false, \"rounds\": 0, \"copiedObjects\": 0, \"deletedObjects\": 0,"
                + " \"tasks\": []}");

    assertThat(TaskTable.render(queue, "http://ctl-2:8080"))
        .isEqualTo(
            "This replica does not lead; the leader holds the queue:"
                + " strata ctl --url http://ctl-2:8080 tasks\n");
    assertThat(TaskTable.render(queue, null)).contains("no leader is elected now");
  }

  @Test
  void anEmptyQueueIsItsSummaryAlone() throws Exception {
    JsonNode queue =
        JSON.readTree(
            "{\"leading\": true, \"rounds\": 4, \"copiedObjects\": 0, \"deletedObjects\": 0,"
                + " \"tasks\": []}");

    assertThat(TaskTable.render(queue, null))
        .isEqualTo(
            "0 tasks, 0 leased; since this replica leads: 0 objects copied, 0 copies deleted, 4"
                + " reconcile rounds\n");
  }
}
