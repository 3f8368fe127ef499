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
}
