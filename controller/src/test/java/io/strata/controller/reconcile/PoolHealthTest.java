package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.strata.controller.OnePoolTopology;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.fleet.reconcile.PoolAvailability;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.runtime.TestClock;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which pools the leader may count on, from the agents' heartbeats and the grace period. */
class PoolHealthTest {
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final ClusterMap MAP = OnePoolTopology.map();

  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T04:00:00Z"));
  private final Instant leadingSince = clock.instant().minus(Duration.ofHours(1));
  private TestZooKeeper zookeeper;
  private AgentRegistry agents;
  private PoolHealth health;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    agents = new AgentRegistry(zookeeper.client(), Jackson.newObjectMapper(), clock, LEASE, "r1");
    agents.start();
    // Availability reads only the agents and the grace period.
    health = new PoolHealth(agents, null, null, null, List.of(), GRACE, NodeConditions.NONE);
  }

  @AfterEach
  void stop() throws Exception {
    agents.stop();
    zookeeper.close();
  }

  private PoolAvailability pool1() {
    return health.availability(MAP, clock.instant(), leadingSince).get("pool-1");
  }

  private Heartbeat beat(long sequence, List<PoolReport> pools) {
    return new Heartbeat(
        "agent-1", "node-1", "0.1.0", null, sequence, clock.instant(), null, pools, null, null);
  }

  @Test
  void aPoolWhoseAgentShutDownKeepsCountingForTheGracePeriod() throws Exception {
    agents.heartbeat(beat(1, List.of(new PoolReport("pool-1", true, null, 1000, 5))));
    assertThat(pool1()).isEqualTo(PoolAvailability.AVAILABLE);

    // An agent that shuts down (an upgrade, a restart) sends a last heartbeat naming no pool.
    clock.advance(Duration.ofSeconds(1));
    agents.heartbeat(beat(2, List.of()));
    clock.advance(Duration.ofSeconds(1));
    assertThat(pool1()).as("just after the agent left").isEqualTo(PoolAvailability.IN_GRACE);

    clock.advance(LEASE.plus(GRACE).minusSeconds(3));
    assertThat(pool1()).as("lease and grace not over").isEqualTo(PoolAvailability.IN_GRACE);
    clock.advance(Duration.ofSeconds(3));
    assertThat(pool1()).as("lease and grace over").isEqualTo(PoolAvailability.LOST);
  }

  @Test
  void aNewLeaderGivesThePoolOfAnAgentThatShutDownTheGracePeriodToo() throws Exception {
    agents.heartbeat(beat(1, List.of(new PoolReport("pool-1", true, null, 1000, 5))));
    clock.advance(Duration.ofSeconds(1));
    agents.heartbeat(beat(2, List.of()));
    clock.advance(Duration.ofSeconds(1));

    // A replica that leads from now on never saw the agent report its pool: the agent's node does.
    PoolHealth newLeader =
        new PoolHealth(agents, null, null, null, List.of(), GRACE, NodeConditions.NONE);
    assertThat(newLeader.availability(MAP, clock.instant(), leadingSince).get("pool-1"))
        .isEqualTo(PoolAvailability.IN_GRACE);
    Instant over = clock.instant().plus(LEASE).plus(GRACE);
    assertThat(newLeader.availability(MAP, over, leadingSince).get("pool-1"))
        .isEqualTo(PoolAvailability.LOST);
  }

  @Test
  void aPoolOnANodeThePlatformReportsDownIsMarkedDownThoughItsAgentStillBeats() throws Exception {
    ClusterMapStore maps = new ClusterMapStore(zookeeper.client(), MAP);
    maps.start();
    try {
      Set<String> down = new java.util.concurrent.CopyOnWriteArraySet<>();
      PoolHealth withNodes =
          new PoolHealth(agents, maps, null, null, List.of(), GRACE, now -> Set.copyOf(down));
      agents.heartbeat(beat(1, List.of(new PoolReport("pool-1", true, null, 1000, 5))));
      ClusterMap map = withNodes.applyTo(maps.current(), availability(withNodes));
      assertThat(map.pools().get("pool-1").state()).isEqualTo(DomainState.UP);

      // Kubernetes reports node-1 NotReady past its grace, well before lease and grace run out.
      down.add("node-1");
      clock.advance(Duration.ofSeconds(1));
      agents.heartbeat(beat(2, List.of(new PoolReport("pool-1", true, null, 1000, 5))));
      Map<String, PoolAvailability> lost = availability(withNodes);
      assertThat(lost.get("pool-1")).isEqualTo(PoolAvailability.LOST);
      map = withNodes.applyTo(maps.current(), lost);
      assertThat(map.pools().get("pool-1").state()).isEqualTo(DomainState.DOWN);
      assertThat(maps.current().pools().get("pool-1").state()).isEqualTo(DomainState.DOWN);

      // Ready again, and its agent beats: up, as after a lease that is renewed.
      down.clear();
      agents.heartbeat(beat(3, List.of(new PoolReport("pool-1", true, null, 1000, 5))));
      map = withNodes.applyTo(maps.current(), availability(withNodes));
      assertThat(map.pools().get("pool-1").state()).isEqualTo(DomainState.UP);
    } finally {
      maps.stop();
    }
  }

  private Map<String, PoolAvailability> availability(PoolHealth health) {
    return health.availability(MAP, clock.instant(), leadingSince);
  }
}
