package io.strata.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.jackson.Jackson;
import io.strata.controller.TestZooKeeper;
import io.strata.fleet.view.AgentState;
import io.strata.protocol.heartbeat.BlockDevice;
import io.strata.protocol.heartbeat.FileSystemUsage;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.runtime.TestClock;
import io.strata.runtime.TestTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two controller replicas' registries on one embedded ZooKeeper: one takes the heartbeats. */
class AgentRegistryTest {
  static final Duration LEASE = Duration.ofSeconds(3);
  static final Duration WAIT = TestTimeouts.TIMEOUT;

  TestZooKeeper zookeeper;

  /** A client of the test's own, to look at what the replicas stored. */
  CuratorFramework reader;

  final List<AgentRegistry> registries = new ArrayList<>();

  /** Both replicas read it. */
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T04:00:00Z"));

  AgentRegistry leader;
  AgentRegistry follower;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    reader = zookeeper.client();
    leader = replica("replica-1");
    follower = replica("replica-2");
  }

  AgentRegistry replica(String id) throws Exception {
    CuratorFramework curator = zookeeper.client();
    AgentRegistry registry =
        new AgentRegistry(curator, Jackson.newObjectMapper(), clock, LEASE, id);
    registry.start();
    registries.add(registry);
    return registry;
  }

  @AfterEach
  void stop() throws Exception {
    for (AgentRegistry r : registries) {
      r.stop();
    }
    zookeeper.close();
  }

  static Heartbeat beat(long sequence, long usedBytes, long poolObjects) {
    Inventory inventory =
        new Inventory(
            "node-1",
            16,
            64L << 30,
            0.5 + sequence,
            List.of(new BlockDevice("sda", 20L << 40, true, "HDD", true)),
            List.of(new FileSystemUsage("/data", 20L << 40, usedBytes, (20L << 40) - usedBytes)));
    return new Heartbeat(
        "agent-1",
        "node-1",
        "0.1.0",
        "http://10.0.0.1:9101/metrics",
        sequence,
        Instant.now(),
        inventory,
        List.of(new PoolReport("pool-1", true, null, 1000, poolObjects)),
        List.of(),
        List.of());
  }

  int recordVersion() throws Exception {
    return reader.checkExists().forPath(ZkPaths.agent("agent-1")).getVersion();
  }

  @Test
  void aHeartbeatThatMovesOnlyCountersLeavesTheStoredRecordAlone() throws Exception {
    leader.heartbeat(beat(1, 100, 5));
    int registered = recordVersion();

    clock.advance(Duration.ofSeconds(1));
    leader.heartbeat(beat(2, 200, 5));
    assertThat(recordVersion()).as("only counters moved").isEqualTo(registered);
    assertThat(leader.get("agent-1").orElseThrow().sequence())
        .as("the replica that took it knows it")
        .isEqualTo(2);

    leader.heartbeat(beat(3, 300, 6));
    assertThat(recordVersion()).as("the pool's census changed").isEqualTo(registered + 1);

    clock.advance(AgentRegistry.RECORD_REFRESH.plusSeconds(1));
    leader.heartbeat(beat(4, 400, 6));
    assertThat(recordVersion()).as("stored record too old").isEqualTo(registered + 2);
  }

  @Test
  void aLargeFleetRefreshesItsRecordsAtABoundedRate() {
    assertThat(AgentRegistry.refreshAfter(1)).isEqualTo(AgentRegistry.RECORD_REFRESH);
    assertThat(AgentRegistry.refreshAfter(5_000)).isEqualTo(AgentRegistry.RECORD_REFRESH);
    Duration large = AgentRegistry.refreshAfter(50_000);
    assertThat(large).isEqualTo(Duration.ofSeconds(2_500));
    assertThat(50_000.0 / large.toSeconds())
        .as("refresh writes a second at 50,000 agents")
        .isLessThanOrEqualTo(AgentRegistry.REFRESHES_PER_SECOND);
  }

  @Test
  void anotherReplicaSeesTheAgentUpFromTheBatchesAndDownOnceTheyStop() throws Exception {
    leader.heartbeat(beat(1, 100, 5));
    clock.advance(LEASE.plusSeconds(1));
    Instant later = clock.instant();
    leader.heartbeat(beat(2, 200, 5));

    await("the follower learns of the second heartbeat from a batch")
        .atMost(WAIT)
        .until(
            () ->
                follower
                    .get("agent-1")
                    .map(a -> a.lastHeartbeat().equals(later) && a.state() == AgentState.UP)
                    .orElse(false));
    assertThat(follower.get("agent-1").orElseThrow().sequence())
        .as("the stored record is the first heartbeat's")
        .isEqualTo(1);

    clock.advance(LEASE.plusMillis(1));
    assertThat(follower.get("agent-1").orElseThrow().state()).isEqualTo(AgentState.DOWN);
    assertThat(leader.get("agent-1").orElseThrow().state()).isEqualTo(AgentState.DOWN);
  }

  @Test
  void aNewLeaderDoesNotWriteAgainWhatIsStored() throws Exception {
    leader.heartbeat(beat(1, 100, 5));
    int registered = recordVersion();
    await("the follower has the record")
        .atMost(WAIT)
        .until(() -> follower.get("agent-1").isPresent());

    clock.advance(Duration.ofSeconds(1));
    follower.heartbeat(beat(2, 200, 5));

    assertThat(recordVersion()).isEqualTo(registered);
    assertThat(follower.get("agent-1").orElseThrow().sequence()).isEqualTo(2);
  }
}
