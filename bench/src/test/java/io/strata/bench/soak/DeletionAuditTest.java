package io.strata.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.mover.DeletionRecord;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.TopologyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's check of each deletion against the copies that existed elsewhere at its moment. */
class DeletionAuditTest {
  static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  static final String ID = "h01-imaging/studies/a.dcm";
  static final String SHA = "ab".repeat(32);

  @TempDir Path dir;

  final ClusterMap map = TopologyFile.parse("demo", DemoTopology.text());
  final PlacementCheck check = new PlacementCheck(map, new AgeClock(T0, 1));

  // A study of yesterday: its phase wants 2 hot copies.
  final LoadGenerator.Written written =
      new LoadGenerator.Written(
          "h01-imaging", "studies/a.dcm", 100, SHA, LocalDate.parse("2026-12-05"), T0);

  private String record(String pool, Instant at, Instant lastModified, String sha) {
    return new DeletionRecord(
            at, pool, "h01-imaging", "studies/a.dcm", 100, sha, lastModified, List.of())
        .line();
  }

  private List<DeletionAudit.EarlyDelete> audit(
      List<String> lines, Map<String, List<DeletionAudit.Span>> spans) throws Exception {
    Path file = dir.resolve("deletions.log");
    Files.write(file, lines);
    DeletionAudit audit = new DeletionAudit();
    audit.read(List.of(file));
    return audit.earlyDeletes(Map.of(ID, written), spans, check);
  }

  @Test
  void aLandingCopyDeletedAfterBothPlacedCopiesWereWrittenIsNotEarly() throws Exception {
    Map<String, List<DeletionAudit.Span>> spans =
        Map.of(
            ID,
            List.of(
                new DeletionAudit.Span("czzl-b-r01-hot", T0.plusSeconds(5), null, true),
                new DeletionAudit.Span("lytm-a-r01-hot", T0.plusSeconds(6), null, true)));

    assertThat(audit(List.of(record("czzl-a-r01-hot", T0.plusSeconds(9), T0, null)), spans))
        .isEmpty();
  }

  @Test
  void aCopyDeletedBeforeTheSecondPlacedCopyWasWrittenIsEarly() throws Exception {
    Map<String, List<DeletionAudit.Span>> spans =
        Map.of(
            ID,
            List.of(
                new DeletionAudit.Span("czzl-b-r01-hot", T0.plusSeconds(5), null, true),
                new DeletionAudit.Span("lytm-a-r01-hot", T0.plusSeconds(12), null, true)));

    List<DeletionAudit.EarlyDelete> early =
        audit(List.of(record("czzl-a-r01-hot", T0.plusSeconds(9), T0, null)), spans);

    assertThat(early).hasSize(1);
    assertThat(early.get(0).required()).isEqualTo(2);
    assertThat(early.get(0).others()).containsExactly("czzl-b-r01-hot");
  }

  @Test
  void aCopyWithOtherContentDoesNotCount() throws Exception {
    Map<String, List<DeletionAudit.Span>> spans =
        Map.of(
            ID,
            List.of(
                new DeletionAudit.Span("czzl-b-r01-hot", T0.plusSeconds(5), null, true),
                new DeletionAudit.Span("lytm-a-r01-hot", T0.plusSeconds(6), null, false)));

    assertThat(audit(List.of(record("czzl-a-r01-hot", T0.plusSeconds(9), T0, null)), spans))
        .hasSize(1);
  }

  @Test
  void aCopyDeletedLaterCountsForTheDeletionsBeforeItsOwn() throws Exception {
    // Transition: the hot copies go once warm and cold exist; the second hot copy, deleted last,
    // counted for the first one's deletion, and its own deletion counts warm and cold.
    Map<String, List<DeletionAudit.Span>> spans =
        Map.of(
            ID,
            List.of(
                new DeletionAudit.Span("czzl-a-r02-warm", T0.plusSeconds(20), null, true),
                new DeletionAudit.Span("lytm-b-r01-cold", T0.plusSeconds(21), null, true)));

    assertThat(
            audit(
                List.of(
                    record("czzl-b-r01-hot", T0.plusSeconds(30), T0.plusSeconds(5), SHA),
                    record("lytm-a-r01-hot", T0.plusSeconds(31), T0.plusSeconds(6), SHA)),
                spans))
        .isEmpty();
    assertThat(
            audit(
                List.of(
                    record("czzl-b-r01-hot", T0.plusSeconds(30), T0.plusSeconds(5), SHA),
                    record("lytm-a-r01-hot", T0.plusSeconds(29), T0.plusSeconds(6), SHA)),
                Map.of(
                    ID,
                    List.of(
                        new DeletionAudit.Span(
                            "czzl-a-r02-warm", T0.plusSeconds(20), null, true)))))
        .as("only warm was left beside it when the last hot copy went")
        .singleElement()
        .satisfies(e -> assertThat(e.record().pool()).isEqualTo("czzl-b-r01-hot"));
  }

  @Test
  void aLineCutShortByAKillIsCountedNotTrusted() throws Exception {
    Path file = dir.resolve("deletions.log");
    Files.writeString(file, record("czzl-a-r01-hot", T0, T0, null) + "\ndelete\t2026-12-");
    DeletionAudit audit = new DeletionAudit();
    audit.read(List.of(file));

    assertThat(audit.records()).hasSize(1);
    assertThat(audit.unreadable()).isEqualTo(1);
  }
}
