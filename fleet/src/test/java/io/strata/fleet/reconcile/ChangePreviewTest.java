package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangePreviewTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final PlacementRule HOT =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));
  private static final long COPY = 1000;

  private static List<Shard> shards(int n) {
    List<Shard> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Shard("ds:" + i, "ds", KeyRange.ALL));
    }
    return out;
  }

  private static List<String> ids(ClusterMap map, Shard s) {
    return Placement.place(s.placementKey(), HOT, map).stream().map(Pool::id).toList();
  }

  private static ChangePreview.Report preview(
      ClusterMap after, List<Shard> shards, MovementBudgets.Rates rates) {
    ChangePreview preview = new ChangePreview(MAP, after);
    shards.forEach(s -> preview.add(s, HOT, ids(MAP, s), COPY, "imaging"));
    return preview.report(rates);
  }

  private static Pool hotPool() {
    return MAP.pools().values().stream()
        .filter(p -> p.tier().equals("hot-nvme"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void drainingAPoolMovesExactlyTheCopiesItHoldsAndNothingElse() {
    List<Shard> shards = shards(400);
    Pool drained = hotPool();
    ClusterMap after = MAP.withPool(drained.withState(DomainState.DRAINING));
    long onDrained = shards.stream().filter(s -> ids(MAP, s).contains(drained.id())).count();
    long moving = 0;
    for (Shard s : shards) {
      List<String> now = ids(after, s);
      moving += now.stream().filter(p -> !ids(MAP, s).contains(p)).count();
    }

    ChangePreview.Report report = preview(after, shards, MovementBudgets.Rates.NONE);

    assertThat(onDrained).isPositive();
    assertThat(report.copies()).isEqualTo(moving).isEqualTo(onDrained);
    assertThat(report.shardsMoving()).isEqualTo((int) onDrained);
    assertThat(report.bytes()).isEqualTo(onDrained * COPY);
    assertThat(report.byTier()).containsOnlyKeys("hot-nvme");
    assertThat(report.byLink().values().stream().mapToLong(ChangePreview.Move::copies).sum())
        .isEqualTo(onDrained);
    assertThat(report.storedBytes()).isEqualTo(400 * 2 * COPY);
    assertThat(report.peakMisplacedShare()).isEqualTo((double) onDrained / 800);
    assertThat(report.shardsLosingRedundancy()).isZero();
    assertThat(report.etaSeconds()).as("no budget bounds it").isNull();
  }

  @Test
  void aChangeThatMovesNothingPreviewsNothing() {
    ChangePreview.Report report = preview(MAP, shards(100), MovementBudgets.Rates.NONE);

    assertThat(report.shards()).isEqualTo(100);
    assertThat(report.copies()).isZero();
    assertThat(report.byTier()).isEmpty();
    assertThat(report.peakMisplacedShare()).isZero();
  }

  @Test
  void theTimeIsTheBusiestBudgetAndNamesIt() {
    List<Shard> shards = shards(400);
    Pool drained = hotPool();
    ClusterMap after = MAP.withPool(drained.withState(DomainState.DRAINING));
    long bytes = preview(after, shards, MovementBudgets.Rates.NONE).bytes();

    // Every copy leaves the drained pool's rack, so the rack budget bounds the movement.
    ChangePreview.Report byRack =
        preview(after, shards, new MovementBudgets.Rates(100, 0, Map.of()));
    assertThat(byRack.bottleneck())
        .isEqualTo("rack " + MAP.ancestor(drained, DomainLevel.RACK).orElseThrow().id());
    assertThat(byRack.etaSeconds()).isEqualTo((bytes + 99) / 100);

    // A policy's bandwidth slower than that sets the time instead.
    ChangePreview.Report byPolicy =
        preview(after, shards, new MovementBudgets.Rates(100, 0, Map.of("imaging", 10L)));
    assertThat(byPolicy.bottleneck()).isEqualTo("policy imaging");
    assertThat(byPolicy.etaSeconds()).isEqualTo((bytes + 9) / 10);
  }

  @Test
  void losingAPoolMakesItsCopiesAgainFromSurvivorsAsRepairsNoPolicyBandwidthBounds() {
    List<Shard> shards = shards(400);
    Pool lost = hotPool();
    ClusterMap after = MAP.withPool(lost.withState(DomainState.DOWN));
    long onLost = shards.stream().filter(s -> ids(MAP, s).contains(lost.id())).count();
    String lostRack = MAP.ancestor(lost, DomainLevel.RACK).orElseThrow().id();

    ChangePreview.Report report =
        preview(after, shards, new MovementBudgets.Rates(100, 0, Map.of("imaging", 1L)));

    assertThat(onLost).isPositive();
    assertThat(report.copies()).isEqualTo(onLost);
    assertThat(report.bytes()).isEqualTo(onLost * COPY);
    // Read from the surviving copies, not the lost pool's rack, and at the rack budget: a policy
    // bandwidth of one byte a second would take days, but repairs are exempt from it.
    assertThat(report.bottleneck()).startsWith("rack ").isNotEqualTo("rack " + lostRack);
    assertThat(report.etaSeconds()).isLessThan(onLost * COPY);
    // Draining the same pool is voluntary movement: the policy's bandwidth bounds it.
    ChangePreview.Report drain =
        preview(
            MAP.withPool(lost.withState(DomainState.DRAINING)),
            shards,
            new MovementBudgets.Rates(100, 0, Map.of("imaging", 1L)));
    assertThat(drain.bottleneck()).isEqualTo("policy imaging");
    assertThat(drain.etaSeconds()).isEqualTo(onLost * COPY);
  }

  @Test
  void aRuleTheChangedMapCannotPlaceCountsItsShardsAsLosingRedundancy() {
    // Two hot copies spread over rooms: with the hot pools of every room but one drained, one
    // room is left for both.
    Pool hot = hotPool();
    String room = MAP.ancestor(hot, DomainLevel.ROOM).orElseThrow().id();
    ClusterMap after = MAP;
    for (Pool p : MAP.pools().values()) {
      if (!MAP.ancestor(p, DomainLevel.ROOM).orElseThrow().id().equals(room)) {
        after = after.withPool(p.withState(DomainState.DRAINING));
      }
    }

    ChangePreview.Report report = preview(after, shards(50), MovementBudgets.Rates.NONE);

    assertThat(report.shardsLosingRedundancy()).isEqualTo(50);
  }

  private static io.strata.policy.evaluate.PolicySet policies(String phases) {
    String text =
        """
        policy: ds
        description: the test's dataset
        datasets: ["ds"]
        recordClass: none
        phases:
        %s
        retention:
          minimum: 1d
        expiry: never
        """
            .formatted(phases);
    var loaded =
        io.strata.policy.parse.PolicyLoader.load(
            List.of(new io.strata.policy.parse.PolicySource("ds.yaml", text)), MAP);
    assertThat(loaded.errors()).isEmpty();
    return io.strata.policy.evaluate.PolicySet.of(loaded.policies());
  }

  @Test
  void aPolicyChangeMovesTheObjectsWhoseRuleChangesToThePoolsTheyLack() {
    java.time.Instant now = java.time.Instant.parse("2026-12-05T00:00:00Z");
    var was = policies("  0d: 2 x hot-nvme spread room");
    var becomes =
        policies("  0d: 2 x hot-nvme spread room\n  30d: warm-hdd + cold-archive spread site");
    Shard shard = new Shard("ds:0", "ds", KeyRange.ALL);
    List<String> hot = ids(MAP, shard);
    // Two objects on the shard's hot pools: one a year old, whose rule the change moves to warm
    // and cold, one a day old, which stays hot.
    Map<String, io.strata.protocol.task.ListedObject> listed =
        Map.of(
            "old",
            new io.strata.protocol.task.ListedObject(
                "old", 700, now.minus(java.time.Duration.ofDays(365)), "e1", "s1"),
            "new",
            new io.strata.protocol.task.ListedObject(
                "new", 300, now.minus(java.time.Duration.ofDays(1)), "e2", "s2"));
    Map<String, PoolScan> scans = new java.util.HashMap<>();
    for (String pool : hot) {
      scans.put(pool, new PoolScan(pool, 1, now, listed));
    }

    ChangePreview preview = new ChangePreview(MAP, MAP);
    preview.addObjects(shard, scans, was, becomes, now);
    ChangePreview.Report report = preview.report(MovementBudgets.Rates.NONE);

    assertThat(report.copies()).as("the old object's warm and cold copies").isEqualTo(2);
    assertThat(report.bytes()).isEqualTo(1400);
    assertThat(report.byTier()).containsOnlyKeys("warm-hdd", "cold-archive");
    assertThat(report.storedBytes()).isEqualTo(2 * 1000);
    assertThat(report.shardsMoving()).isEqualTo(1);

    ChangePreview same = new ChangePreview(MAP, MAP);
    same.addObjects(shard, scans, was, was, now);
    assertThat(same.report(MovementBudgets.Rates.NONE).copies()).isZero();
  }
}
