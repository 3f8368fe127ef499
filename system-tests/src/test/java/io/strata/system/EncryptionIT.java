package io.strata.system;

import static io.strata.system.ImagingFleet.allPools;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A policy that asks server-side encryption, end to end, on S3Proxy pools, which store copies as
 * they are sent and report no encryption: the copy is made and kept, and the pool it went to is
 * reported as not meeting the policy in its API answer and in {@code strata_pool_encryption_unmet}.
 */
class EncryptionIT extends OnImagingFleet {

  private static final String POLICY =
      """
      policy: imaging-archive
      datasets: ["*-imaging"]
      recordClass: inpatient
      phases:
        0d: 2 × hot-nvme spread room
      retention: {minimum: 30y}
      encryption: {type: sse-s3}
      """;

  @Test
  void aPoolThatDoesNotReportTheEncryptionAskedKeepsTheCopyAndIsFlagged() throws Exception {
    Path policy = Files.writeString(dir.resolve("encrypted-imaging.yaml"), POLICY);
    fleet.reconcileWith("  policyFiles: [" + policy + "]\n");
    fleet.landingWrite("s/study-1.dcm", "a study".getBytes());
    EmbeddedApp<ControllerConfiguration> controller = fleet.startController("replica-1");
    fleet.startAgents(url(controller));

    Set<String> written = new HashSet<>();
    await("the copy made, kept and its pool flagged")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Set<String> where = fleet.actual(allPools()).get("s/study-1.dcm");
              assertThat(where).hasSize(2).contains("a1-hot");
              written.clear();
              written.addAll(where);
              written.remove("a1-hot");
              String target = written.iterator().next();
              JsonNode pool =
                  fleet.viewer().getJson(url(controller) + "/api/v1/cluster-map/pools/" + target);
              assertThat(pool.get("encryptionUnmet").asText())
                  .contains(
                      "s/study-1.dcm on pool " + target + " was asked sse-s3",
                      "the server reported no server-side encryption; the copy is kept");
              assertThat(fleet.as(Roles.METRICS).fetch(url(controller) + "/metrics").body())
                  .containsPattern(
                      "strata_pool_encryption_unmet\\{pool=\\\"" + target + "\\\"[^}]*\\} 1.0");
            });
    JsonNode landing = fleet.viewer().getJson(url(controller) + "/api/v1/cluster-map/pools/a1-hot");
    assertThat(landing.get("encryptionUnmet").isNull()).as("no copy was written there").isTrue();
    assertThat(fleet.actual(allPools()).get("s/study-1.dcm")).as("never deleted for it").hasSize(2);
  }
}
