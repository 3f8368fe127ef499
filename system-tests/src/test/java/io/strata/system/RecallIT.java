package io.strata.system;

import static io.strata.system.ImagingFleet.DATASET;
import static io.strata.system.ImagingFleet.allPools;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.agent.dicom.PatientIdKey;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Recall, end to end on real DICOM files: a 2019 CT study placed on warm and cold storage is
 * recalled, comes back to a hot pool beside its phase's copies with its progress shown, is still
 * held after the leader changes, and returns to its phase once the hold has ended; bad recalls are
 * refused with nothing stored, and no PatientID shows in clear.
 */
class RecallIT extends OnImagingFleet {

  private static final String POLICY =
      """
      policy: imaging-archive
      datasets: ["*-imaging"]
      select: {dicom.modality: [CT, MR]}
      recordClass: inpatient
      age: {from: dicom}
      phases:
        0d: 2 × hot-nvme spread room
        90d: warm-hdd + cold-archive spread site
      retention: {minimum: 30y}
      """;

  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final Set<String> HOT = Set.of("a1-hot", "b1-hot", "b2-hot");
  private static final Set<String> WARM_COLD = Set.of("a2-warm", "b2-cold");
  private static final String STUDY = "1.2.826.0.1.9.7";

  @Test
  void aRecalledStudyComesBackHotSurvivesALeaderChangeAndReturnsAfterTheHold() throws Exception {
    Path policy = Files.writeString(dir.resolve("dicom-imaging.yaml"), POLICY);
    fleet.reconcileWith(
        "  policyFiles: [" + policy + "]\n  recallHold: 14d\n  scrubInterval: 5s\n");
    Path key = Files.writeString(dir.resolve("patient-id.key"), KEY);
    fleet.agentYaml = "patientIdKey: \"file:" + key + "\"";
    DicomFiles files = new DicomFiles(Files.createDirectories(dir.resolve("dicom")));
    // The test clock stands at 2026-06-01: 2019 studies are in their warm and cold phase.
    fleet.landingWrite(
        "s7/i1.dcm",
        files.write(Instance.ct("MRN-7001", STUDY, "20190304"), DicomFiles.EXPLICIT_LE));
    fleet.landingWrite(
        "s7/i2.dcm",
        files.write(Instance.ct("MRN-7001", STUDY, "20190304"), DicomFiles.IMPLICIT_LE));
    fleet.landingWrite(
        "s8/i1.dcm",
        files.write(
            Instance.ct("MRN-7002", "1.2.826.0.1.9.8", "20190304"), DicomFiles.EXPLICIT_LE));

    EmbeddedApp<ControllerConfiguration> first = fleet.startController("replica-1");
    EmbeddedApp<ControllerConfiguration> second = fleet.startController("replica-2");
    fleet.startAgents(url(first) + "," + url(second));
    await("the 2019 studies on warm and cold, their landing copies gone")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Set<String>> where = fleet.actual(allPools());
              for (String k : new String[] {"s7/i1.dcm", "s7/i2.dcm", "s8/i1.dcm"}) {
                assertThat(where.get(k)).as(k).isEqualTo(WARM_COLD);
              }
            });
    String leader = leaderOf(first, second);
    String api = leader + "/api/v1/recalls";

    // The durability ledger: three objects, each on warm (site-a) and cold (site-b), every copy
    // verified by a scrub since.
    await("every copy verified by content, in the ledger and its metric")
        .atMost(TestFleet.TIMEOUT.multipliedBy(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode ledger =
                  Http.JSON.readTree(fleet.ctl(leader, Roles.OPERATOR, "ledger", DATASET));
              JsonNode d = ledger.get("dataset");
              assertThat(d.get("objects").asLong()).isEqualTo(3);
              assertThat(d.get("copies").asLong()).isEqualTo(6);
              assertThat(d.at("/copiesBySite/site-a").asLong()).isEqualTo(3);
              assertThat(d.at("/copiesBySite/site-b").asLong()).isEqualTo(3);
              assertThat(d.get("verifiedWithin30d").asLong()).isEqualTo(6);
              assertThat(d.get("verifiedRatio").asDouble()).isEqualTo(1.0);
              JsonNode study =
                  fleet
                      .viewer()
                      .getJson(leader + "/api/v1/ledger/" + DATASET + "/studies/" + STUDY)
                      .get("study");
              assertThat(study.get("objects").asLong()).isEqualTo(2);
              assertThat(study.get("copies").asLong()).isEqualTo(4);
              assertThat(study.get("verifiedWithin30d").asLong()).isEqualTo(4);
              study
                  .get("copiesOf")
                  .forEach(
                      c -> {
                        assertThat(WARM_COLD).contains(c.get("pool").asText());
                        assertThat(c.get("verifiedAt").isNull()).isFalse();
                      });
              assertThat(fleet.as(Roles.METRICS).fetch(leader + "/metrics").body())
                  .contains("strata_verified_within_30d_ratio{dataset=\"" + DATASET + "\"} 1.0");
            });
    ledgerReports(leader);
    Http operator = fleet.operator();
    Instant now = fleet.clock.instant();

    assertThat(
            fleet
                .viewer()
                .fetch(leader + "/api/v1/ledger/" + DATASET + "/studies/1.2.3.404")
                .statusCode())
        .isEqualTo(404);
    refusesBadRecalls(operator, api, now);

    var created =
        operator.postJson(
            api,
            "{\"study\": \"%s\", \"deadline\": \"%s\"}"
                .formatted(STUDY, now.plus(Duration.ofHours(6))));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String id = Http.JSON.readTree(created.body()).get("id").asText();

    await("the recalled study on a hot pool beside its warm and cold copies")
        .atMost(TestFleet.TIMEOUT.multipliedBy(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Set<String>> where = fleet.actual(allPools());
              for (String k : new String[] {"s7/i1.dcm", "s7/i2.dcm"}) {
                assertThat(where.get(k)).as(k).containsAll(WARM_COLD).hasSize(3);
                assertThat(where.get(k)).as(k).containsAnyElementsOf(HOT);
              }
              assertThat(where.get("s8/i1.dcm")).as("not recalled").isEqualTo(WARM_COLD);
            });
    await("the recall shown hot, with its progress, from the leader and the CLI")
        .atMost(TestFleet.TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode recall =
                  Http.JSON.readTree(fleet.ctl(leader, Roles.OPERATOR, "recall", "status", id));
              assertThat(recall.get("state").asText()).isEqualTo("hot");
              assertThat(recall.at("/progress/objects").asLong()).isEqualTo(2);
              assertThat(recall.at("/progress/hotObjects").asLong()).isEqualTo(2);
              assertThat(recall.at("/progress/percent").asDouble()).isEqualTo(100.0);
              assertThat(recall.at("/progress/etaSeconds").asLong()).isZero();
              assertThat(recall.at("/progress/late").asBoolean()).isFalse();
            });

    // A recall by patient, through the CLI: the hash the agents compute, never the ID.
    String patient = PatientIdKey.of(KEY).hash("MRN-7002".getBytes(StandardCharsets.US_ASCII));
    JsonNode byPatient =
        Http.JSON.readTree(
            fleet.ctl(
                leader,
                Roles.OPERATOR,
                "recall",
                "patient",
                patient,
                "--by",
                now.plus(Duration.ofDays(1)).toString()));
    assertThat(byPatient.get("patient").asText()).isEqualTo(patient);

    // The leader goes; the other replica carries the recalls on from ZooKeeper.
    EmbeddedApp<ControllerConfiguration> survivor = leader.equals(url(first)) ? second : first;
    fleet.stopController(leader.equals(url(first)) ? first : second);
    await("the new leader holds both studies hot")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Set<String>> where = fleet.actual(allPools());
              for (String k : new String[] {"s7/i1.dcm", "s7/i2.dcm", "s8/i1.dcm"}) {
                assertThat(where.get(k)).as(k).containsAll(WARM_COLD).hasSize(3);
              }
              JsonNode all = fleet.viewer().getJson(url(survivor) + "/api/v1/recalls");
              assertThat(all.size()).isEqualTo(2);
              all.forEach(r -> assertThat(r.get("state").asText()).isEqualTo("hot"));
            });

    fleet.clock.advance(Duration.ofDays(14).plusHours(12));
    await("once the hold has ended, the studies back in their phase alone")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Set<String>> where = fleet.actual(allPools());
              for (String k : new String[] {"s7/i1.dcm", "s7/i2.dcm", "s8/i1.dcm"}) {
                assertThat(where.get(k)).as(k).isEqualTo(WARM_COLD);
              }
              JsonNode recall = fleet.viewer().getJson(url(survivor) + "/api/v1/recalls/" + id);
              assertThat(recall.get("state").asText()).isEqualTo("returned");
            });

    String[] trail = new String[1];
    await("the recalls in the audit trail")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              trail[0] =
                  fleet.as(Roles.AUDITOR).getJson(url(survivor) + "/api/v1/audit").toString();
              assertThat(trail[0]).contains("POST /v1/recalls");
            });
    String log = Files.readString(dir.resolve("fleet.log"));
    String answers = fleet.viewer().getJson(url(survivor) + "/api/v1/recalls").toString();
    for (String mrn : new String[] {"MRN-7001", "MRN-7002"}) {
      assertThat(log).doesNotContain(mrn);
      assertThat(answers).doesNotContain(mrn);
      assertThat(trail[0]).as("the audit trail").doesNotContain(mrn);
    }
  }

  /**
   * The ledger as a hospital is given it: a CSV line per copy, every one verified, with its study;
   * a PDF with the figures and no copy left unverified; no PatientID in either.
   */
  private void ledgerReports(String leader) throws Exception {
    Path csv = dir.resolve("ledger.csv");
    assertThat(fleet.ctl(leader, Roles.VIEWER, "ledger", "report", DATASET, csv.toString()))
        .contains("wrote " + csv);
    java.util.List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0))
        .isEqualTo(
            "key,study,pool,site,room,size_bytes,sha256,verified_at,verified_within_30d,wrong");
    assertThat(lines).hasSize(7);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertThat(WARM_COLD).as(line).contains(f[2]);
      assertThat(f[8]).as(line).isEqualTo("true");
      assertThat(f[9]).as(line).isEqualTo("false");
      assertThat(f[1]).as(line).isEqualTo(f[0].startsWith("s7/") ? STUDY : "1.2.826.0.1.9.8");
    }
    var pdf = fleet.viewer().fetchBytes(leader + "/api/v1/ledger/" + DATASET + "/report.pdf");
    assertThat(pdf.statusCode()).isEqualTo(200);
    String text;
    try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
      text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
    }
    assertThat(text)
        .contains("Strata durability ledger: " + DATASET)
        .contains("copies verified by content within 30 days 6")
        .contains("Copies not verified by content within 30 days: 0")
        .contains("site-a 3");
    assertThat(fleet.viewer().fetch(leader + "/api/v1/ledger/nope/report.csv").statusCode())
        .isEqualTo(404);
    for (String mrn : new String[] {"MRN-7001", "MRN-7002"}) {
      assertThat(String.join("\n", lines)).doesNotContain(mrn);
      assertThat(text).doesNotContain(mrn);
    }
  }

  /** Bad recalls: each refused with a status that fits and a message naming the field. */
  private void refusesBadRecalls(Http operator, String api, Instant now) throws Exception {
    String soon = now.plus(Duration.ofHours(1)).toString();
    assertRefused(
        operator,
        api,
        "{\"study\": \"1.2.3.404\", \"deadline\": \"" + soon + "\"}",
        404,
        "1.2.3.404");
    assertRefused(
        operator,
        api,
        "{\"patient\": \"" + "0f".repeat(16) + "\", \"deadline\": \"" + soon + "\"}",
        404,
        "no object of patient");
    assertRefused(
        operator,
        api,
        "{\"study\": \"" + STUDY + "\", \"deadline\": \"" + now.minusSeconds(60) + "\"}",
        422,
        "in the past");
    assertRefused(
        operator,
        api,
        "{\"study\": \"" + STUDY + "\", \"deadline\": \"" + now.plus(Duration.ofDays(30)) + "\"}",
        422,
        "after the hold period");
    assertRefused(
        operator,
        api,
        "{\"study\": \"" + STUDY + "\", \"deadline\": \"tomorrow\"}",
        422,
        "'deadline'");
    assertRefused(operator, api, "{\"study\": \"" + STUDY + "\"", 400, "not JSON");
    assertRefused(
        operator,
        api,
        "{\"study\": \"" + STUDY + "\", \"prefix\": \"s7/\", \"deadline\": \"" + soon + "\"}",
        422,
        "study and prefix");
    assertRefused(
        operator,
        api,
        "{\"studdy\": \"" + STUDY + "\", \"deadline\": \"" + soon + "\"}",
        422,
        "unknown field 'studdy'");
    assertRefused(
        operator,
        api,
        "{\"patient\": \"MRN-7001\", \"deadline\": \"" + soon + "\"}",
        422,
        "field 'patient'");
    assertRefused(
        operator,
        api,
        "{\"dataset\": \"nope\", \"prefix\": \"s7/\", \"deadline\": \"" + soon + "\"}",
        404,
        "no dataset 'nope'");
    assertThat(
            fleet
                .viewer()
                .postJson(api, "{\"study\": \"" + STUDY + "\", \"deadline\": \"" + soon + "\"}")
                .statusCode())
        .as("viewers may not recall")
        .isEqualTo(403);
    assertThat(fleet.viewer().getJson(api).size()).as("nothing stored").isZero();
  }

  private static void assertRefused(Http operator, String api, String body, int status, String says)
      throws Exception {
    var answer = operator.postJson(api, body);
    assertThat(answer.statusCode()).as(body + " -> " + answer.body()).isEqualTo(status);
    assertThat(answer.body()).as(body).contains(says);
  }

  /** The URL of whichever of the two replicas leads, once one does. */
  private String leaderOf(
      EmbeddedApp<ControllerConfiguration> first, EmbeddedApp<ControllerConfiguration> second) {
    String[] leader = new String[1];
    await("a leader")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              for (EmbeddedApp<ControllerConfiguration> c : java.util.List.of(first, second)) {
                if (fleet.viewer().getJson(url(c) + "/api/v1/leader").get("leader").asBoolean()) {
                  leader[0] = url(c);
                  return true;
                }
              }
              return false;
            });
    return leader[0];
  }
}
