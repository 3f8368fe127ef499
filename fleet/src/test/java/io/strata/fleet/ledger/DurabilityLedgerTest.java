package io.strata.fleet.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.reconcile.PoolScan;
import io.strata.protocol.task.ListedObject;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DurabilityLedgerTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final List<Pool> POOLS = List.copyOf(MAP.pools().values()).subList(0, 3);

  private static PoolScan scan(Pool pool, String... keys) {
    Map<String, ListedObject> objects = new HashMap<>();
    for (String k : keys) {
      objects.put(k, new ListedObject(k, 10, NOW, "e", "sha", Map.of()));
    }
    return new PoolScan(pool.id(), MAP.epoch(), NOW, objects);
  }

  private static String site(Pool pool) {
    return MAP.ancestor(pool, DomainLevel.SITE).orElseThrow().id();
  }

  @Test
  void copiesCountAsVerifiedOnlyWithin30DaysOfTheirLastScrubAndNeverWhenFoundWrong() {
    Pool a = POOLS.get(0);
    Pool b = POOLS.get(1);
    Pool c = POOLS.get(2);
    Map<String, Instant> scrubbed =
        Map.of(
            "ds:0|" + a.id(), NOW.minus(Duration.ofDays(29)),
            "ds:0|" + b.id(), NOW.minus(Duration.ofDays(31)),
            "ds:1|" + a.id(), NOW.minus(Duration.ofDays(1)));
    DurabilityLedger ledger =
        new DurabilityLedger(MAP, NOW, (shard, pool) -> scrubbed.get(shard + "|" + pool));
    ledger.include("empty");
    ledger.add(
        "ds",
        "ds:0",
        Map.of(a.id(), scan(a, "k1", "k2"), b.id(), scan(b, "k1", "k2"), c.id(), scan(c, "k1")),
        Map.of(),
        true);
    ledger.add(
        "ds",
        "ds:1",
        Map.of(a.id(), scan(a, "m1", "m2", "m3")),
        Map.of(a.id(), Set.of("m2")),
        true);

    DurabilityLedger.Dataset ds = ledger.datasets().get("ds");
    assertThat(ds.objects()).isEqualTo(5);
    assertThat(ds.copies()).isEqualTo(8);
    // ds:0 on a (2, scrubbed 29 days ago) and ds:1 on a (3, one found wrong).
    assertThat(ds.verifiedWithin30d()).isEqualTo(4);
    assertThat(ds.wrong()).isEqualTo(1);
    assertThat(ds.verifiedRatio()).isEqualTo(0.5);
    Map<String, Long> bySite = new HashMap<>();
    bySite.merge(site(a), 5L, Long::sum);
    bySite.merge(site(b), 2L, Long::sum);
    bySite.merge(site(c), 1L, Long::sum);
    assertThat(ds.copiesBySite()).isEqualTo(bySite);
    assertThat(ds.copiesByRoom().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(8);
    assertThat(ledger.datasets().get("empty").verifiedRatio()).isEqualTo(1.0);
  }

  @Test
  void aStudysLedgerListsEveryCopyOfItsInstancesWithItsLastVerification() {
    Pool a = POOLS.get(0);
    Pool b = POOLS.get(1);
    io.strata.protocol.object.DicomHeader header =
        new io.strata.protocol.object.DicomHeader(
            io.strata.protocol.object.DicomHeader.Kind.DICOM,
            "1.2.3",
            "1.2.3.1",
            "20190304",
            "CT",
            null,
            null);
    ListedObject instance = new ListedObject("s/i1", 10, NOW, "e", "sha", Map.of(), header);
    ListedObject other = new ListedObject("s/x", 10, NOW, "e", "sha", Map.of());
    Map<String, PoolScan> scans =
        Map.of(
            a.id(), new PoolScan(a.id(), 1, NOW, Map.of("s/i1", instance, "s/x", other)),
            b.id(), new PoolScan(b.id(), 1, NOW, Map.of("s/i1", instance)));
    java.util.List<DurabilityLedger.StudyCopy> copies = new java.util.ArrayList<>();
    Instant scrubbed = NOW.minus(Duration.ofDays(3));
    DurabilityLedger.studyCopies(
        MAP,
        "ds:0",
        scans,
        Map.of(),
        "1.2.3",
        (shard, pool) -> pool.equals(a.id()) ? scrubbed : null,
        copies);

    DurabilityLedger.Study study = DurabilityLedger.study("ds", "1.2.3", copies, NOW);
    assertThat(study.objects()).isEqualTo(1);
    assertThat(study.copies()).isEqualTo(2);
    assertThat(study.verifiedWithin30d()).isEqualTo(1);
    assertThat(study.copiesOf())
        .extracting(DurabilityLedger.StudyCopy::pool, DurabilityLedger.StudyCopy::verifiedAt)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(a.id(), scrubbed),
            org.assertj.core.groups.Tuple.tuple(b.id(), null));
  }
}
