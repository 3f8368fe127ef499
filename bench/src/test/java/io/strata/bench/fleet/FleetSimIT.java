package io.strata.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.runtime.TestTimeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet simulator against the real controller, scaled down: what the controller has the
 * simulated agents do must leave every object with the copies its policy requires, where the policy
 * allows them, and delete nothing the controller had not seen verified elsewhere. Correctness only:
 * no figure of time is checked.
 */
class FleetSimIT {
  private static final Duration WAIT = TestTimeouts.TIMEOUT.multipliedBy(3);

  @TempDir Path dir;

  @Test
  void copiesOfALostRackAreMadeAgainOnPoolsThePolicyAllows() throws Exception {
    FleetOptions options =
        FleetOptions.parse(
            new String[] {
              "--scenario", "rack-lost", "--rooms", "2", "--racks-per-room", "3",
              "--nodes-per-rack", "2", "--shards", "40", "--objects-per-shard", "4",
              "--grace-s", "60"
            });
    try (FleetSim sim = new FleetSim(options, dir)) {
      FleetChange change = settled(sim);
      FleetChange.PreviewFigures preview = change.preview();
      sim.tasks.takeTransfers();
      change.inject();
      String lost = change.affectedPools().iterator().next();
      Map<String, SimPools.SimObject> held = Map.copyOf(sim.pools.contents(lost));
      assertThat(held).isNotEmpty();

      await("every copy of the lost rack made again, and the controller counting it")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(change::done);

      for (String key : held.keySet()) {
        Set<String> rooms = new HashSet<>();
        int copies = 0;
        for (String pool : sim.pools.ids()) {
          if (!pool.equals(lost) && sim.pools.get(pool, key) != null) {
            copies++;
            rooms.add(sim.sites.get(pool).room());
            assertThat(sim.pools.get(pool, key).sha256()).isEqualTo(held.get(key).sha256());
          }
        }
        assertThat(copies)
            .as("copies of %s on pools that answer", key)
            .isEqualTo(FleetLayout.COPIES);
        assertThat(rooms).as("rooms of %s's copies (spread room)", key).hasSize(FleetLayout.COPIES);
      }
      List<SimTasks.Transfer> transfers = sim.tasks.takeTransfers();
      assertThat(transfers)
          .as("copies made")
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t.target()).isNotEqualTo(lost));
      Set<String> shardCopiesMade = new HashSet<>();
      transfers.forEach(t -> t.shards().forEach(s -> shardCopiesMade.add(t.target() + "|" + s)));
      assertThat(preview.copies())
          .as("shard copies the preview said losing the rack makes again, against the run's")
          .isEqualTo(shardCopiesMade.size());
      assertThat(preview.bytes())
          .as("bytes the preview said losing the rack copies")
          .isEqualTo(transfers.stream().mapToLong(SimTasks.Transfer::bytes).sum());
      assertNothingDeletedUnverified(sim);
    }
  }

  @Test
  void drainingARoomMovesWhatThePreviewSaidAndDeletesOnlyVerifiedCopies() throws Exception {
    FleetOptions options =
        FleetOptions.parse(
            new String[] {
              "--scenario", "room-drained", "--rooms", "3", "--racks-per-room", "2",
              "--nodes-per-rack", "1", "--shards", "30", "--objects-per-shard", "4"
            });
    try (FleetSim sim = new FleetSim(options, dir)) {
      FleetChange change = settled(sim);
      FleetChange.PreviewFigures preview = change.preview();
      sim.tasks.takeTransfers();
      long copiedBefore = sim.tasks.copiedObjects.get();
      change.inject();
      long held = 0;
      long heldBytes = 0;
      Set<String> heldShardCopies = new HashSet<>();
      for (String pool : change.affectedPools()) {
        for (var e : sim.pools.contents(pool).entrySet()) {
          held++;
          heldBytes += e.getValue().size();
          heldShardCopies.add(pool + "|" + e.getKey().substring(0, e.getKey().indexOf('/')));
        }
      }
      assertThat(held).isPositive();

      await("the drained room emptied, its copies elsewhere, and the controller counting them")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(change::done);

      List<SimTasks.Transfer> transfers = sim.tasks.takeTransfers();
      long moved = transfers.stream().mapToLong(SimTasks.Transfer::bytes).sum();
      Set<String> shardCopiesMade = new HashSet<>();
      transfers.forEach(t -> t.shards().forEach(s -> shardCopiesMade.add(t.target() + "|" + s)));
      assertThat(sim.tasks.copiedObjects.get() - copiedBefore)
          .as("objects copied out of the room")
          .isEqualTo(held);
      assertThat(moved).as("bytes copied out of the room").isEqualTo(heldBytes);
      assertThat(preview.copies())
          .as("shard copies the preview said a drain moves, against those the run made")
          .isEqualTo(heldShardCopies.size())
          .isEqualTo(shardCopiesMade.size());
      assertThat(preview.bytes()).as("bytes the preview said a drain moves").isEqualTo(moved);
      assertThat(sim.tasks.deletedObjects.get()).as("copies deleted from the room").isEqualTo(held);
      assertNothingDeletedUnverified(sim);
    }
  }

  /** The fleet has settled: the controller counts every object in place; the balancer held. */
  private static FleetChange settled(FleetSim sim) throws Exception {
    FleetChange change = new FleetChange(sim);
    sim.start();
    sim.controller.post("operator", "api/v1/movement/pause?dataset=@balancer", "");
    await("every shard scanned on every pool and found in place")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(sim::controllerSeesAllInPlace);
    return change;
  }

  private static void assertNothingDeletedUnverified(FleetSim sim) {
    assertThat(sim.tasks.unverifiedDeletes.get())
        .as("deletes whose proof named a copy no scan had listed")
        .isZero();
    assertThat(sim.tasks.unsafeDeletes.get())
        .as("deletes that left fewer copies than the policy requires")
        .isZero();
  }
}
