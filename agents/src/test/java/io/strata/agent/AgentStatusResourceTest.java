package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's unauthenticated status page shows its leased tasks without their object keys. */
class AgentStatusResourceTest {

  @Test
  void leasedTasksAppearWithoutTheirKeysOrRanges() throws Exception {
    Task named =
        new Task(
            "copy-1",
            TaskType.COPY,
            "h01-imaging",
            new KeyRange("patients/MRN-0040/", "patients/MRN-0050/"),
            "pool-a",
            "pool-b",
            List.of("patients/MRN-0042/study-1.dcm", "patients/MRN-0043/study-7.dcm"),
            12,
            null,
            false,
            false,
            false,
            null,
            null);
    HeartbeatResponse response =
        new HeartbeatResponse(30, 12, null, List.of(named), List.of("done-1"), List.of("copy-0"));

    String json =
        new ObjectMapper().writeValueAsString(AgentStatusResource.LastResponse.of(response));

    assertThat(json)
        .contains("\"id\":\"copy-1\"", "\"type\":\"COPY\"", "\"sourcePool\":\"pool-a\"")
        .contains("\"keys\":2", "\"acknowledged\":1", "\"cancel\":[\"copy-0\"]")
        .doesNotContain("MRN");
    assertThat(AgentStatusResource.LastResponse.of(null)).isNull();
  }
}
