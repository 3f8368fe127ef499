package io.strata.system;

import static io.strata.system.ImagingFleet.DATASET;
import static io.strata.system.ImagingFleet.allPools;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Expiry on record, end to end on real DICOM files: studies past their policy's expiry are shown
 * due and deleted only once an admin approves; every copy of what the approval covers goes, a study
 * under legal hold and a study not yet expired stay, and the destruction certificate is kept in the
 * system dataset with its digest in the audit trail. Bad approvals, and approvals retention
 * forbids, are refused with nothing stored; no PatientID shows in clear.
 */
class ExpiryIT extends OnImagingFleet {

  private static final String EXPIRING =
      """
      policy: ct-outpatient
      datasets: ["*-imaging"]
      select: {dicom.modality: CT}
      recordClass: outpatient
      age: {from: dicom}
      phases:
        0d: 2 × hot-nvme spread room
        90d: warm-hdd + cold-archive spread site
      retention: {minimum: 15y}
      expiry: 16y
      """;

  private static final String HELD =
      """
      policy: mr-held
      datasets: ["*-imaging"]
      select: {dicom.modality: MR}
      recordClass: outpatient
      age: {from: dicom}
      phases:
        0d: 2 × hot-nvme spread room
        90d: warm-hdd + cold-archive spread site
      retention: {minimum: 15y, legalHold: true}
      expiry: 16y
      """;

  private static final Set<String> WARM_COLD = Set.of("a2-warm", "b2-cold");
  private static final String HELD_STUDY = "1.2.826.0.1.9.2";

  @Test
  void anApprovedExpiryDestroysWhatItCoversKeepsWhatIsHeldAndLeavesACertificate() throws Exception {
    Path expiring = Files.writeString(dir.resolve("expiring.yaml"), EXPIRING);
    Path held = Files.writeString(dir.resolve("held.yaml"), HELD);
    fleet.reconcileWith("  policyFiles: [" + expiring + ", " + held + "]\n");
    DicomFiles files = new DicomFiles(Files.createDirectories(dir.resolve("dicom")));
    // The test clock stands at 2026-06-01: 1990 studies passed their 16-year expiry in 2006.
    fleet.landingWrite(
        "s1/i1.dcm",
        files.write(
            Instance.ct("MRN-9001", "1.2.826.0.1.9.1", "19900304"), DicomFiles.EXPLICIT_LE));
    fleet.landingWrite(
        "s1/i2.dcm",
        files.write(
            Instance.ct("MRN-9001", "1.2.826.0.1.9.1", "19900304"), DicomFiles.IMPLICIT_LE));
    fleet.landingWrite(
        "s2/i1.dcm",
        files.write(Instance.ct("MRN-9002", HELD_STUDY, "19900611"), DicomFiles.EXPLICIT_LE));
    fleet.landingWrite(
        "s3/i1.dcm",
        files.write(
            Instance.ct("MRN-9003", "1.2.826.0.1.9.3", "20190304"), DicomFiles.EXPLICIT_LE));

    EmbeddedApp<ControllerConfiguration> controller = fleet.startController("replica-1");
    fleet.startAgents(url(controller));
    String api = url(controller) + "/api/v1";
    await("every study on warm and cold, nothing deleted for expiry without an approval")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Set<String>> where = fleet.actual(allPools());
              for (String k : new String[] {"s1/i1.dcm", "s1/i2.dcm", "s2/i1.dcm", "s3/i1.dcm"}) {
                assertThat(where.get(k)).as(k).isEqualTo(WARM_COLD);
              }
              JsonNode due = fleet.viewer().getJson(api + "/expiries").get("due");
              assertThat(due.size()).isEqualTo(1);
              assertThat(due.at("/0/policy").asText()).isEqualTo("ct-outpatient");
              assertThat(due.at("/0/objects").asLong()).isEqualTo(3);
              assertThat(due.at("/0/copies").asLong()).isEqualTo(6);
              assertThat(due.at("/0/basis").asText()).contains("outpatient").contains("16y");
            });

    // A legal hold on one of the expired studies, placed by an operator.
    Http operator = fleet.operator();
    JsonNode hold =
        Http.JSON.readTree(
            fleet.ctl(
                url(controller),
                Roles.OPERATOR,
                "hold",
                "study",
                HELD_STUDY,
                "--reason",
                "case 2026-17"));
    String holdId = hold.get("id").asText();
    assertThat(hold.get("placedBy").asText()).isNotBlank();
    await("the held study counted as held")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(fleet.viewer().getJson(api + "/expiries").at("/due/0/held").asLong())
                    .isEqualTo(1));

    Http admin = fleet.as(Roles.ADMIN);
    refusesBadApprovals(admin, api);

    var approved =
        admin.postJson(
            api + "/expiries",
            "{\"dataset\": \""
                + DATASET
                + "\", \"policy\": \"ct-outpatient\", \"reason\": \"records committee, 2026-05\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    String id = Http.JSON.readTree(approved.body()).get("id").asText();
    assertThat(
            admin
                .postJson(
                    api + "/expiries",
                    "{\"dataset\": \""
                        + DATASET
                        + "\", \"policy\": \"ct-outpatient\", \"reason\": \"x\"}")
                .body())
        .as("one approval of a dataset and policy at a time")
        .contains("still running");

    await("the expired study destroyed everywhere, the held and the recent ones kept")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Set<String>> where = fleet.actual(allPools());
              assertThat(where.get("s1/i1.dcm")).as("destroyed").isNullOrEmpty();
              assertThat(where.get("s1/i2.dcm")).as("destroyed").isNullOrEmpty();
              assertThat(where.get("s2/i1.dcm")).as("held").isEqualTo(WARM_COLD);
              assertThat(where.get("s3/i1.dcm")).as("not expired").isEqualTo(WARM_COLD);
            });
    await("the approval done, its certificate kept")
        .atMost(TestFleet.TIMEOUT.multipliedBy(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode all = fleet.viewer().getJson(api + "/expiries");
              assertThat(all.get("approved").size()).isZero();
              assertThat(all.get("certificates").toString()).contains(id);
            });
    assertThat(fleet.ctl(url(controller), Roles.VIEWER, "expiry", "certificate", id))
        .contains("\"objectsDestroyed\" : 2")
        .contains("\"copiesDestroyed\" : 4");
    var certificate = admin.fetchBytes(api + "/expiries/certificates/" + id);
    assertThat(certificate.statusCode()).isEqualTo(200);
    JsonNode c = Http.JSON.readTree(certificate.body());
    assertThat(c.get("dataset").asText()).isEqualTo(DATASET);
    assertThat(c.get("policy").asText()).isEqualTo("ct-outpatient");
    assertThat(c.get("objectsDestroyed").asLong()).as("the study's two instances").isEqualTo(2);
    assertThat(c.get("copiesDestroyed").asLong()).isEqualTo(4);
    assertThat(c.get("heldObjects").asLong()).isEqualTo(1);
    assertThat(c.get("bytesDestroyed").asLong()).isPositive();
    assertThat(c.at("/byPool/a2-warm/copies").asLong()).isEqualTo(2);
    assertThat(c.at("/byPool/b2-cold/copies").asLong()).isEqualTo(2);
    assertThat(c.get("reason").asText()).isEqualTo("records committee, 2026-05");
    assertThat(c.get("basis").asText()).contains("15 years");
    assertThat(c.get("approvedBy").asText()).isNotBlank().isNotEqualTo("unknown");
    // Planned again without the approval (the next round), the held study is shown due.
    await("the held study still due")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode due = fleet.viewer().getJson(api + "/expiries").at("/due/0");
              assertThat(due.get("objects").asLong()).isEqualTo(1);
              assertThat(due.get("held").asLong()).isEqualTo(1);
            });
    assertThat(
            fleet.viewer().fetch(api + "/expiries/certificates/expiry-000000000000").statusCode())
        .isEqualTo(404);

    // The certificate as stored is the one whose digest the audit trail chained.
    String sha =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.body()));
    JsonNode trail = fleet.as(Roles.AUDITOR).getJson(api + "/audit");
    JsonNode destroy = null;
    for (JsonNode r : trail.has("records") ? trail.get("records") : trail) {
      if (r.get("action").asText().equals("destroy")) {
        destroy = r;
      }
    }
    assertThat(destroy).as(trail.toString()).isNotNull();
    assertThat(destroy.get("parametersSha256").asText()).isEqualTo(sha);
    assertThat(destroy.get("target").asText()).contains(id);

    // Lifting the hold (admins only) makes the held study due again, for a new approval.
    assertThat(operator.send("DELETE", api + "/holds/" + holdId, null).statusCode()).isEqualTo(403);
    assertThat(admin.send("DELETE", api + "/holds/" + holdId, null).statusCode()).isEqualTo(204);
    assertThat(admin.send("DELETE", api + "/holds/" + holdId, null).statusCode()).isEqualTo(404);
    await("the study no longer held")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode due = fleet.viewer().getJson(api + "/expiries").at("/due/0");
              assertThat(due.get("objects").asLong()).isEqualTo(1);
              assertThat(due.get("held").asLong()).isZero();
            });

    ingestLagFollowsAnUploadNotYetPlaced(api, files);

    String log = Files.readString(dir.resolve("fleet.log"));
    String answers = fleet.viewer().getJson(api + "/expiries").toString() + c;
    for (String mrn : new String[] {"MRN-9001", "MRN-9002", "MRN-9003", "MRN-9004"}) {
      assertThat(log).doesNotContain(mrn);
      assertThat(answers).doesNotContain(mrn);
      assertThat(trail.toString()).doesNotContain(mrn);
    }
  }

  /**
   * The ingest lag: 0 while every upload is placed, the age of an upload held back (the dataset's
   * movement paused) until it is placed, then 0 again.
   */
  private void ingestLagFollowsAnUploadNotYetPlaced(String api, DicomFiles files) throws Exception {
    String metric = "strata_ingest_lag_seconds{dataset=\"" + DATASET + "\"}";
    Http metrics = fleet.as(Roles.METRICS);
    assertThat(metrics.fetch(api.replace("/api/v1", "/metrics")).body()).contains(metric + " 0.0");
    Http operator = fleet.operator();
    assertThat(operator.send("POST", api + "/movement/pause?dataset=" + DATASET, null).statusCode())
        .isEqualTo(200);
    fleet.landingWrite(
        "s4/i1.dcm",
        files.write(
            Instance.ct("MRN-9004", "1.2.826.0.1.9.4", "20260301"), DicomFiles.EXPLICIT_LE));
    await("the held upload's lag shown")
        .atMost(TestFleet.TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              String body = metrics.fetch(api.replace("/api/v1", "/metrics")).body();
              String line =
                  body.lines().filter(l -> l.startsWith(metric)).findFirst().orElseThrow();
              assertThat(Double.parseDouble(line.substring(metric.length()).trim()))
                  .isGreaterThan(0);
            });
    assertThat(
            operator.send("POST", api + "/movement/resume?dataset=" + DATASET, null).statusCode())
        .isEqualTo(200);
    await("the upload placed, the lag back to 0")
        .atMost(TestFleet.TIMEOUT.multipliedBy(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(fleet.actual(allPools()).get("s4/i1.dcm")).hasSize(2);
              assertThat(metrics.fetch(api.replace("/api/v1", "/metrics")).body())
                  .contains(metric + " 0.0");
            });
  }

  /** Approvals refused with a status that fits, a message naming the field, nothing stored. */
  private void refusesBadApprovals(Http admin, String api) throws Exception {
    String url = api + "/expiries";
    String ok = "\"reason\": \"r\"";
    assertRefused(
        admin,
        url,
        "{\"dataset\": \"nope\", \"policy\": \"ct-outpatient\", " + ok + "}",
        404,
        "no dataset 'nope'");
    assertRefused(
        admin,
        url,
        "{\"dataset\": \"" + DATASET + "\", \"policy\": \"nope\", " + ok + "}",
        404,
        "no policy 'nope'");
    assertRefused(
        admin,
        url,
        "{\"dataset\": \"" + DATASET + "\", \"policy\": \"mr-held\", " + ok + "}",
        409,
        "retention.legalHold of policy 'mr-held' (" + dir.resolve("held.yaml"));
    assertRefused(
        admin,
        url,
        "{\"dataset\": \""
            + DATASET
            + "\", \"policy\": \"ct-outpatient\", "
            + ok
            + ", \"cutoff\": \"2099-01-01T00:00:00Z\"}",
        422,
        "field 'cutoff'");
    assertRefused(
        admin,
        url,
        "{\"dataset\": \""
            + DATASET
            + "\", \"policy\": \"ct-outpatient\", "
            + ok
            + ", \"cutoff\": \"soon\"}",
        422,
        "field 'cutoff'");
    assertRefused(
        admin,
        url,
        "{\"dataset\": \"" + DATASET + "\", \"policy\": \"ct-outpatient\"}",
        422,
        "field 'reason'");
    assertRefused(admin, url, "{\"datset\": \"x\"}", 422, "unknown field 'datset'");
    assertRefused(admin, url, "{\"dataset\": ", 400, "not JSON");
    assertRefused(
        admin,
        api + "/holds",
        "{\"study\": \"1.2\", \"prefix\": \"s\", \"reason\": \"r\"}",
        422,
        "study and prefix");
    assertRefused(
        admin, api + "/holds", "{\"prefix\": \"s1/\", \"reason\": \"r\"}", 422, "field 'dataset'");
    assertRefused(
        admin, api + "/holds", "{\"dataset\": \"" + DATASET + "\"}", 422, "field 'reason'");
    assertThat(
            fleet
                .operator()
                .postJson(
                    url,
                    "{\"dataset\": \"" + DATASET + "\", \"policy\": \"ct-outpatient\", " + ok + "}")
                .statusCode())
        .as("operators may not approve destruction")
        .isEqualTo(403);
    JsonNode now = fleet.viewer().getJson(url);
    assertThat(now.get("approved").size()).as("nothing approved").isZero();
    assertThat(fleet.viewer().getJson(api + "/holds").size()).as("one hold").isEqualTo(1);
  }

  private static void assertRefused(Http as, String url, String body, int status, String says)
      throws Exception {
    var answer = as.postJson(url, body);
    assertThat(answer.statusCode()).as(body + " -> " + answer.body()).isEqualTo(status);
    assertThat(answer.body()).as(body).contains(says);
  }
}
