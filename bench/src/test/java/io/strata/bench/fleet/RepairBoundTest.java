package io.strata.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@code bound_s}, the physical limit {@code recover_ratio} is taken against, and the link model
 * the simulated copies run on.
 */
class RepairBoundTest {
  private static final long GIB = 1L << 30;

  /** Defaults: pools 4 GiB/s, rack uplinks 6.25e9 B/s, rooms 5e10 B/s; budgets 2 and 20 GiB/s. */
  private static final FleetOptions DEFAULTS = FleetOptions.parse(new String[0]);

  // Two rooms of two racks, one pool each.
  private static final FleetLayout.PoolSite P1 = new FleetLayout.PoolSite("p1", "r1", "m1", "s");
  private static final FleetLayout.PoolSite P2 = new FleetLayout.PoolSite("p2", "r2", "m2", "s");
  private static final FleetLayout.PoolSite P3 = new FleetLayout.PoolSite("p3", "r3", "m1", "s");
  private static final FleetLayout.PoolSite P4 = new FleetLayout.PoolSite("p4", "r4", "m2", "s");
  private static final Map<String, FleetLayout.PoolSite> SITES =
      Map.of("p1", P1, "p2", P2, "p3", P3, "p4", P4);

  private static SimTasks.Transfer copy(String from, String to, long bytes) {
    return new SimTasks.Transfer(from, to, bytes, Set.of("s0"));
  }

  @Test
  void aRacksCapacityIsTheLeastOfItsPoolItsUplinkAndTheBudget() {
    assertThat(RepairBound.rackCapacity(DEFAULTS)).isEqualTo(2.0 * GIB);
    FleetOptions wideBudget = FleetOptions.parse(new String[] {"--rack-budget-gibps", "8"});
    assertThat(RepairBound.rackCapacity(wideBudget)).isEqualTo(4.0 * GIB);
  }

  @Test
  void oneCopyIsBoundByTheBudgetOfTheRacksItCrosses() {
    // Aggregate: 2 x 64 GiB over 4 racks of 2 GiB/s = 16 s. The copy crosses two racks, each
    // budgeted 2 GiB/s: 32 s, the larger.
    double bound =
        RepairBound.seconds(
            DEFAULTS, 64 * GIB, SITES.values(), List.of(copy("p1", "p2", 64 * GIB)), SITES);

    assertThat(bound).isCloseTo(32.0, Offset.offset(1e-9));
  }

  @Test
  void copiesSpreadOverTheRacksAreBoundByTheAggregate() {
    // 16 GiB through racks r1 and r3: 8 s; the aggregate of the 64 GiB to move: 16 s.
    double bound =
        RepairBound.seconds(
            DEFAULTS, 64 * GIB, SITES.values(), List.of(copy("p1", "p3", 16 * GIB)), SITES);

    assertThat(bound).isCloseTo(16.0, Offset.offset(1e-9));
  }

  @Test
  void withoutTheBudgetThePoolIsTheBusiestLink() {
    // Budget 8 GiB/s: racks carry 6.25e9 B/s (64 GiB in 11.0 s), pools 4 GiB/s (16 s);
    // aggregate 2 x 64 GiB over 4 racks of 4 GiB/s = 8 s.
    FleetOptions wideBudget = FleetOptions.parse(new String[] {"--rack-budget-gibps", "8"});
    double bound =
        RepairBound.seconds(
            wideBudget, 64 * GIB, SITES.values(), List.of(copy("p1", "p2", 64 * GIB)), SITES);

    assertThat(bound).isCloseTo(16.0, Offset.offset(1e-9));
  }

  @Test
  void withNoRackToTakePartThereIsNoBound() {
    assertThat(RepairBound.seconds(DEFAULTS, GIB, List.of(), List.of(), SITES)).isInfinite();
  }

  @Test
  void lostRacksTakeNoPartDrainedOnesDo() {
    assertThat(RepairBound.takingPart(SITES.values(), Set.of("p1"), true))
        .containsExactlyInAnyOrder(P2, P3, P4);
    assertThat(RepairBound.takingPart(SITES.values(), Set.of("p1"), false))
        .containsExactlyInAnyOrder(P1, P2, P3, P4);
  }

  @Test
  void copiesThroughOneLinkQueueOneAfterTheOther() {
    LinkModel links = new LinkModel(DEFAULTS);

    // 8 GiB through two pools of 4 GiB/s: 2 s; its racks' uplinks take 1.37 s.
    assertThat(links.book(P1, P3, 8 * GIB, 0)).isCloseTo(2.0, Offset.offset(1e-9));
    // The next through pool p1 waits for it.
    assertThat(links.book(P1, P4, 8 * GIB, 1)).isCloseTo(4.0, Offset.offset(1e-9));
    // One that shares no link starts at once: 4 GiB through two pools, 1 s.
    FleetLayout.PoolSite p6 = new FleetLayout.PoolSite("p6", "r6", "m2", "s");
    assertThat(links.book(P2, p6, 4 * GIB, 1)).isCloseTo(2.0, Offset.offset(1e-9));
  }

  @Test
  void aCopyWithinARackCrossesOnlyItsPools() {
    FleetLayout.PoolSite neighbour = new FleetLayout.PoolSite("p5", "r1", "m1", "s");
    assertThat(new LinkModel(DEFAULTS).path(P1, neighbour))
        .extracting(LinkModel.Link::id)
        .containsExactly("pool:p1", "pool:p5");
    assertThat(new LinkModel(DEFAULTS).path(P1, P2))
        .extracting(LinkModel.Link::id)
        .containsExactly("pool:p1", "pool:p2", "rack:r1", "rack:r2", "room:m1", "room:m2");
  }
}
