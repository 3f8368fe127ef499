package io.strata.fleet.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.view.CopyReasons.Reason;
import io.strata.fleet.view.CopyReasons.Status;
import io.strata.fleet.view.CopyReasons.Verdict;
import io.strata.policy.model.Phase;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.TopologyFile;
import io.strata.topology.placement.Placement;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyReasonsTest {
  private static final ClusterMap MAP =
      TopologyFile.parse(
          "test",
          """
          tiers: [{name: hot}, {name: cold}, {name: ingest}]
          domains:
            - {id: r, level: region}
            - {id: s1, level: site, parent: r}
            - {id: room-a, level: room, parent: s1}
            - {id: rack-a, level: rack, parent: room-a}
            - {id: node-a, level: node, parent: rack-a}
            - {id: room-b, level: room, parent: s1}
            - {id: rack-b, level: rack, parent: room-b}
            - {id: node-b, level: node, parent: rack-b}
          pools:
            - {id: hot-a, domain: node-a, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 1GiB}
            - {id: hot-b, domain: node-b, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 1GiB}
            - {id: cold-a, domain: node-a, tier: cold, endpoint: "http://127.0.0.1:1", capacity: 1GiB}
            - {id: landing, domain: node-b, tier: ingest, endpoint: "http://127.0.0.1:1", capacity: 1GiB}
          """);

  private static final StoragePolicy POLICY =
      PolicyParser.parse(
              new PolicySource(
                  "imaging.yaml",
                  """
                  policy: imaging
                  datasets: [h01]
                  recordClass: none
                  phases:
                    0d: 2 × hot spread room
                    90d: 1 × cold spread room
                  retention: {minimum: 0d}
                  """))
          .orThrow()
          .get(0);

  private static final Phase FIRST = POLICY.phases().get(0);
  private static final Phase SECOND = POLICY.phases().get(1);

  private static List<String> placed(Phase phase, ClusterMap map) {
    return Placement.place("h01:0", phase.rule(), map).stream().map(Pool::id).toList();
  }

  @Test
  void aCopyOnThePhasePlacementIsDesiredAndAPlacedPoolWithoutOneIsMissing() {
    List<Verdict> verdicts =
        CopyReasons.explain(
            MAP,
            "h01:0",
            POLICY,
            FIRST,
            placed(FIRST, MAP),
            List.of("hot-a"),
            List.of(),
            null,
            pool -> null);
    assertThat(verdicts)
        .extracting(Verdict::pool, Verdict::status, Verdict::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hot-a", Status.DESIRED, Reason.PLACEMENT),
            org.assertj.core.groups.Tuple.tuple("hot-b", Status.MISSING, Reason.NOT_COPIED));
    assertThat(verdicts.get(0).detail()).contains("phase 0d", "2 × hot spread room");
  }

  @Test
  void aCopyLeftByAnEarlierPhaseIsExtraAndNamesThatPhase() {
    List<Verdict> verdicts =
        CopyReasons.explain(
            MAP,
            "h01:0",
            POLICY,
            SECOND,
            placed(SECOND, MAP),
            List.of("hot-a", "hot-b", "cold-a"),
            List.of("landing"),
            null,
            pool -> null);
    assertThat(verdicts)
        .filteredOn(v -> v.pool().startsWith("hot"))
        .allSatisfy(
            v -> {
              assertThat(v.status()).isEqualTo(Status.EXTRA);
              assertThat(v.reason()).isEqualTo(Reason.OLD_PHASE);
              assertThat(v.detail()).contains("phase 0d placed it here", "now in phase 90d");
            });
  }

  @Test
  void aCopyItsMarkersKeepIsExtraForThemBeforeItsPoolsState() {
    java.time.Instant now = java.time.Instant.parse("2030-06-01T00:00:00Z");
    java.util.Map<String, String> marked =
        java.util.Map.of(io.strata.protocol.object.StrataMetadata.RETAIN_UNTIL, "2030-08-30");
    // The copies that stay carry no date: the draining pool's copy keeps the object's retention.
    Verdict kept =
        onDrainingHotB(
            io.strata.protocol.object.StrataMetadata.keeps(
                marked, List.of(java.util.Map.of(), java.util.Map.of()), 2, now));
    assertThat(kept.status()).isEqualTo(Status.EXTRA);
    assertThat(kept.reason()).isEqualTo(Reason.RETAINED);
    assertThat(kept.detail()).contains("retained until 2030-08-30", "once they pass");

    // Once the copies that stay carry its date, its markers let it go: the pool's state explains.
    Verdict handedOver =
        onDrainingHotB(
            io.strata.protocol.object.StrataMetadata.keeps(
                marked, List.of(marked, marked), 2, now));
    assertThat(handedOver.reason()).isEqualTo(Reason.POOL_STATE);
  }

  /**
   * The verdict on hot-b's copy while hot-b drains, its markers keeping it as {@code kept} says.
   */
  private static Verdict onDrainingHotB(java.util.Optional<String> kept) {
    Pool hotB = MAP.pool("hot-b").orElseThrow();
    ClusterMap draining = MAP.withPool(hotB.withState(DomainState.DRAINING));
    return CopyReasons.explain(
            draining,
            "h01:0",
            POLICY,
            FIRST,
            placed(FIRST, draining),
            List.of("hot-b"),
            List.of(),
            null,
            pool -> kept.orElse(null))
        .get(0);
  }

  @Test
  void aCopyOnADrainingPoolIsExtraBecauseOfItsState() {
    Verdict verdict = onDrainingHotB(java.util.Optional.empty());
    assertThat(verdict.status()).isEqualTo(Status.EXTRA);
    assertThat(verdict.reason()).isEqualTo(Reason.POOL_STATE);
    assertThat(verdict.detail()).contains("the pool is draining");
  }

  @Test
  void aRecalledCopyOnTheHotTierIsExtraForTheRecallAndALandingCopyForTheLanding() {
    List<Verdict> verdicts =
        CopyReasons.explain(
            MAP,
            "h01:0",
            POLICY,
            SECOND,
            placed(SECOND, MAP),
            List.of("hot-a", "landing"),
            List.of("landing"),
            "recall-7",
            pool -> null);
    assertThat(verdicts)
        .extracting(Verdict::pool, Verdict::reason)
        .contains(
            org.assertj.core.groups.Tuple.tuple("hot-a", Reason.RECALL),
            org.assertj.core.groups.Tuple.tuple("landing", Reason.LANDING));
  }

  @Test
  void withoutAPolicyEveryCopyIsKeptAndNoneIsMissing() {
    assertThat(
            CopyReasons.explain(
                MAP,
                "h01:0",
                null,
                null,
                List.of(),
                List.of("hot-a"),
                List.of(),
                null,
                pool -> null))
        .extracting(Verdict::status, Verdict::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Status.KEPT, Reason.NO_POLICY));
  }
}
