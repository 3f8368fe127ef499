package io.strata.bench.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.bench.Samples;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ZkPaths;
import io.strata.protocol.heartbeat.Heartbeat;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat benchmark's figures: rate, its spread and ratio, the record's bytes, CPU. */
class HeartbeatBenchTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theRateIsHeartbeatsOverTheRoundsWallTime() {
    assertThat(HeartbeatBench.rate(50_000, 2 * SECOND + SECOND / 2)).isEqualTo(20_000.0);
    assertThat(HeartbeatBench.rate(3, SECOND / 4)).isEqualTo(12.0);
  }

  @Test
  void aRoundsLineGivesItsRateTheJvmsCpuAndItsTransactions() {
    assertThat(
            HeartbeatBench.roundLine(
                2, 50_000, 2 * SECOND + SECOND / 2, 3_200_000_000L, 8340, 528.4))
        .isEqualTo(
            "round 2: 50000 heartbeats in 2.50 s = 20000/s (cpu 3.2 s in this JVM, ZooKeeper"
                + " included; 8340 ZooKeeper transactions, liveness batches included); follower"
                + " current 528 ms later");
  }

  @Test
  void theLastLineGivesTheMedianRateItsSpreadAndItsRatioToTheFleetsRate() {
    // The rounds of the run recorded in bench/README.md on 2026-12-06: round 1 registers every
    // agent, hence its low rate and its transactions.
    String line =
        HeartbeatBench.lastLine(
            50_000,
            10,
            Samples.of(1199, 10718, 13396),
            5640,
            Samples.of(3176, 528, 400),
            Samples.of(100_000, 8340, 8333));

    assertThat(line)
        .isEqualTo(
            "heartbeats: agents=50000 needed=5000 rate=10718 rate_min=1199 rate_max=13396"
                + " rounds=3 ratio=2.14 record_bytes=5640 follower_lag_ms=528"
                + " zk_transactions=8340");
  }

  @Test
  void twoRoundsGiveTheMeanOfBothAsMedian() {
    // 1,000 agents every 4 s need 250 a second; rounds at 400 and 600 make 500, twice that.
    assertThat(
            HeartbeatBench.lastLine(
                1000, 4, Samples.of(600, 400), 100, Samples.of(10, 30), Samples.of(7, 8)))
        .isEqualTo(
            "heartbeats: agents=1000 needed=250 rate=500 rate_min=400 rate_max=600 rounds=2"
                + " ratio=2.00 record_bytes=100 follower_lag_ms=20 zk_transactions=8");
  }

  /** {@code record_bytes} is the size of what the registry writes to the agent's znode. */
  @Test
  void recordBytesIsTheSizeOfTheZnodeTheRegistryWrites(@TempDir Path dir) throws Exception {
    ObjectMapper json = Jackson.newObjectMapper();
    Instant at = Instant.parse("2026-12-06T10:00:00.123456Z");
    try (TestingServer server =
            new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, -1), true);
        CuratorFramework zk =
            CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      zk.start();
      AgentRegistry registry =
          new AgentRegistry(
              zk, json, Clock.fixed(at, ZoneOffset.UTC), Duration.ofSeconds(30), "replica-1");
      registry.start();
      try {
        for (int drives : new int[] {0, 24}) {
          Heartbeat beat = HeartbeatBench.beat(drives, 1, drives);
          registry.heartbeat(beat);

          byte[] stored = zk.getData().forPath(ZkPaths.agent(beat.agentId()));

          assertThat(HeartbeatBench.recordBytes(json, beat, at))
              .as("record_bytes with %d drives", drives)
              .isEqualTo(stored.length);
        }
      } finally {
        registry.stop();
      }
    }
  }
}
