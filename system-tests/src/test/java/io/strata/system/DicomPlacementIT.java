package io.strata.system;

import static io.strata.system.ImagingFleet.allPools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.ControllerConfiguration;
import io.strata.demo.EmbeddedApp;
import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Imaging placed by its DICOM headers alone, end to end: real DICOM files written by dcmtk land
 * with no metadata, the controller's policy selects on the header's Modality and counts age from
 * its StudyDate, the agents read the headers in their scans, and each study reaches its phase's
 * pools; objects that are no DICOM, cut short, or of a modality no policy takes stay where they
 * landed.
 */
class DicomPlacementIT extends OnImagingFleet {

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

  @Test
  void studiesArePlacedByTheModalityAndStudyDateOfTheirHeaders() throws Exception {
    Path policy = Files.writeString(dir.resolve("dicom-imaging.yaml"), POLICY);
    fleet.reconcileWith("  policyFiles: [" + policy + "]\n");
    DicomFiles files = new DicomFiles(Files.createDirectories(dir.resolve("dicom")));
    // The test clock stands at 2026-06-01.
    Instance ct = Instance.ct("MRN-2001", "1.2.826.0.1.9.1", "20260520");
    fleet.landingWrite("s/ct-recent.dcm", files.write(ct, DicomFiles.EXPLICIT_LE));
    fleet.landingWrite(
        "s/ct-2019.dcm",
        files.write(
            Instance.ct("MRN-2002", "1.2.826.0.1.9.2", "20190304"), DicomFiles.IMPLICIT_LE));
    fleet.landingWrite(
        "s/mr-undated.dcm",
        files.write(
            Instance.ct("MRN-2003", "1.2.826.0.1.9.3", null).withModality("MRImageStorage", "MR"),
            DicomFiles.EXPLICIT_LE));
    fleet.landingWrite(
        "s/us-2019.dcm",
        files.write(
            Instance.ct("MRN-2004", "1.2.826.0.1.9.4", "20190304")
                .withModality("UltrasoundImageStorage", "US"),
            DicomFiles.EXPLICIT_LE));
    byte[] whole = files.write(ct, DicomFiles.EXPLICIT_LE);
    fleet.landingWrite("s/cut.dcm", Arrays.copyOf(whole, whole.length / 2));
    fleet.landingWrite("s/report.pdf", "%PDF-1.7 a referral letter".getBytes());

    EmbeddedApp<ControllerConfiguration> controller = fleet.startController("replica-1");
    fleet.startAgents(ImagingFleet.url(controller));

    Set<String> hot = Set.of("a1-hot", "b1-hot", "b2-hot");
    await("studies on the pools of their phase by their DICOM headers")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Set<String>> where = fleet.actual(allPools());
              // 2 × hot-nvme spread room: the landing pool's room and another.
              assertThat(where.get("s/ct-recent.dcm")).hasSize(2).contains("a1-hot");
              assertThat(hot).containsAll(where.get("s/ct-recent.dcm"));
              // No StudyDate: its age counts from LastModified, so it is recent too.
              assertThat(where.get("s/mr-undated.dcm")).hasSize(2).contains("a1-hot");
              assertThat(hot).containsAll(where.get("s/mr-undated.dcm"));
              // warm-hdd + cold-archive spread site, the landing copy gone.
              assertThat(where.get("s/ct-2019.dcm"))
                  .containsExactlyInAnyOrder("a2-warm", "b2-cold");
            });

    Map<String, Set<String>> where = fleet.actual(allPools());
    for (String stays : new String[] {"s/us-2019.dcm", "s/cut.dcm", "s/report.pdf"}) {
      assertThat(where.get(stays)).as(stays + ": no policy governs it").containsExactly("a1-hot");
    }
    // Asked where a copy is and why, the leader answers by the header its scans read, as it
    // plans: the policy that selects on Modality, the phase by the StudyDate.
    var explained =
        fleet
            .viewer()
            .getJson(
                ImagingFleet.url(controller)
                    + "/api/v1/datasets/h01-imaging/objects/s/ct-2019.dcm/locations");
    assertThat(explained.path("factsFrom").asText()).isEqualTo("scans");
    assertThat(explained.at("/policy/name").asText()).isEqualTo("imaging-archive");
    assertThat(explained.path("phase").asText()).isEqualTo("90d");
    assertThat(explained.path("ageFrom").asText()).contains("20190304");
    assertThat(explained.path("desired").toString()).contains("a2-warm").contains("b2-cold");
    String tasks =
        fleet.viewer().getJson(ImagingFleet.url(controller) + "/api/v1/tasks").toString();
    String log = Files.readString(dir.resolve("fleet.log"));
    assertThat(log).as("the controller's and agents' log").contains("io.strata");
    for (String patient : new String[] {"MRN-2001", "MRN-2002", "MRN-2003", "MRN-2004"}) {
      assertThat(tasks).doesNotContain(patient);
      assertThat(log).doesNotContain(patient);
      try (var audit = Files.walk(dir.resolve("audit-spool-replica-1"))) {
        for (Path f : audit.filter(Files::isRegularFile).toList()) {
          assertThat(Files.readString(f)).as("%s", f).doesNotContain(patient);
        }
      }
    }
  }
}
