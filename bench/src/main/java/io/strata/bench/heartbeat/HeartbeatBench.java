package io.strata.bench.heartbeat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.bench.BenchArgs;
import io.strata.bench.Samples;
import io.strata.bench.ZooKeeperTransactions;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.fleet.view.AgentRecord;
import io.strata.protocol.heartbeat.BlockDevice;
import io.strata.protocol.heartbeat.FileSystemUsage;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * {@code strata bench heartbeats [--agents 50000] [--interval-s 10] [--threads 32] [--rounds 3]
 * [--drives 24]}: the controller's side of the fleet's heartbeats against a real (embedded)
 * ZooKeeper. One replica's {@link AgentRegistry} takes every agent's heartbeat, as the leader does
 * (agents follow it), from {@code --threads} request threads; a second replica follows the agents
 * with its own registry and ZooKeeper session, as every replica does.
 *
 * <p>Each round sends one heartbeat per agent, as fast as the registry takes them. The figure is
 * heartbeats per second against the rate the fleet sends ({@code agents / interval}), and how long
 * after a round the follower has every agent's heartbeat of that round. Last line: {@code
 * heartbeats: agents=<n> needed=<beats/s> rate=<beats/s> ratio=<r> record_bytes=<b>
 * follower_lag_ms=<ms>}.
 */
public final class HeartbeatBench {
  private static final String MARKER = "/bench-marker";

  private HeartbeatBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs opts =
        BenchArgs.parse(
            args,
            "strata bench heartbeats [--agents N] [--interval-s S] [--threads T] [--rounds R]"
                + " [--drives D]");
    int agents = opts.integer("agents", 50000, 1);
    int intervalS = opts.integer("interval-s", 10, 1);
    int threads = opts.integer("threads", 32, 1);
    int rounds = opts.integer("rounds", 3, 1);
    int drives = opts.integer("drives", 24, 0);
    ObjectMapper json = Jackson.newObjectMapper();
    Path dir = Files.createTempDirectory("strata-bench-zk");
    try (TestingServer zookeeper =
            new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, -1), true);
        CuratorFramework leaderZk = client(zookeeper);
        CuratorFramework followerZk = client(zookeeper)) {
      Duration lease = Duration.ofSeconds(3L * intervalS);
      AgentRegistry leader =
          new AgentRegistry(leaderZk, json, Clock.systemUTC(), lease, "replica-1");
      AgentRegistry follower =
          new AgentRegistry(followerZk, json, Clock.systemUTC(), lease, "replica-2");
      leader.start();
      follower.start();
      leaderZk.create().forPath(MARKER);
      long recordBytes = recordBytes(json, beat(0, 1, drives), Instant.now());
      System.out.printf(
          Locale.ROOT,
          "fleet: %d agents, one heartbeat each every %d s = %d heartbeats/s; %d drives per"
              + " node, %d bytes per stored record%n",
          agents,
          intervalS,
          agents / intervalS,
          drives,
          recordBytes);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      double[] rates = new double[rounds];
      double[] lags = new double[rounds];
      double[] transactions = new double[rounds];
      try {
        for (int round = 1; round <= rounds; round++) {
          long cpu0 = processCpuNanos();
          long zxid0 = ZooKeeperTransactions.read(leaderZk, MARKER);
          // Batches carry milliseconds.
          Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
          long t0 = System.nanoTime();
          AtomicInteger next = new AtomicInteger();
          List<Future<?>> work = new ArrayList<>();
          int seq = round;
          for (int t = 0; t < threads; t++) {
            work.add(
                pool.submit(
                    () -> {
                      for (int a = next.getAndIncrement(); a < agents; a = next.getAndIncrement()) {
                        leader.heartbeat(beat(a, seq, drives));
                      }
                      return null;
                    }));
          }
          for (Future<?> f : work) {
            f.get();
          }
          long t1 = System.nanoTime();
          long cpu1 = processCpuNanos();
          long deadline = t1 + Duration.ofMinutes(2).toNanos();
          while (!caughtUp(follower, agents, started) && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          long t2 = System.nanoTime();
          if (!caughtUp(follower, agents, started)) {
            System.out.println("follower did not catch up within 2 minutes");
          }
          // Counted once the follower has every heartbeat of the round: by then the liveness
          // batches that carried them are written too.
          long writes =
              ZooKeeperTransactions.between(zxid0, ZooKeeperTransactions.read(leaderZk, MARKER));
          int r = round - 1;
          rates[r] = rate(agents, t1 - t0);
          lags[r] = (t2 - t1) / 1e6;
          transactions[r] = writes;
          System.out.println(roundLine(round, agents, t1 - t0, cpu1 - cpu0, writes, lags[r]));
        }
      } finally {
        pool.shutdownNow();
        follower.stop();
        leader.stop();
      }
      System.out.println(
          lastLine(
              agents,
              intervalS,
              Samples.of(rates),
              recordBytes,
              Samples.of(lags),
              Samples.of(transactions)));
    }
  }

  /** Heartbeats per second: {@code beats} taken in {@code nanos} of wall time. */
  static double rate(int beats, long nanos) {
    return beats / (nanos / 1e9);
  }

  /**
   * The bytes of the record the registry stores for {@code beat} heard at {@code at}, the agent's
   * first: what {@link AgentRegistry#heartbeat} writes to the agent's znode.
   */
  static long recordBytes(ObjectMapper json, Heartbeat beat, Instant at)
      throws JsonProcessingException {
    return json.writeValueAsBytes(new AgentRecord(beat.withoutResults(), at, at)).length;
  }

  /**
   * One round's line: {@code agents} heartbeats in {@code nanos}, the JVM's CPU over them ({@code
   * cpuNanos}, ZooKeeper's included, since it runs in this JVM), the ZooKeeper transactions they
   * cost, and how long after them the follower was current.
   */
  static String roundLine(
      int round, int agents, long nanos, long cpuNanos, long transactions, double lagMs) {
    return String.format(
        Locale.ROOT,
        "round %d: %d heartbeats in %.2f s = %.0f/s (cpu %.1f s in this JVM, ZooKeeper"
            + " included; %d ZooKeeper transactions, liveness batches included); follower"
            + " current %.0f ms later",
        round,
        agents,
        nanos / 1e9,
        rate(agents, nanos),
        cpuNanos / 1e9,
        transactions,
        lagMs);
  }

  /**
   * The last line: the rounds' median rate, with their spread, against the rate the fleet sends
   * ({@code agents / intervalS}); the median follower lag and transactions per round.
   */
  static String lastLine(
      int agents,
      int intervalS,
      Samples rate,
      long recordBytes,
      Samples lagMs,
      Samples transactions) {
    double needed = (double) agents / intervalS;
    return String.format(
        Locale.ROOT,
        "heartbeats: agents=%d needed=%.0f rate=%.0f rate_min=%.0f rate_max=%.0f rounds=%d"
            + " ratio=%.2f record_bytes=%d follower_lag_ms=%.0f zk_transactions=%.0f",
        agents,
        needed,
        rate.median(),
        rate.min(),
        rate.max(),
        rate.runs(),
        rate.median() / needed,
        recordBytes,
        lagMs.median(),
        transactions.median());
  }

  /** Whether the follower shows every agent heard at {@code since} or later. */
  private static boolean caughtUp(AgentRegistry follower, int agents, Instant since) {
    for (int a = 0; a < agents; a++) {
      var view = follower.get(agentId(a));
      if (view.isEmpty() || view.get().lastHeartbeat().isBefore(since)) {
        return false;
      }
    }
    return true;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static CuratorFramework client(TestingServer zookeeper) {
    CuratorFramework c =
        CuratorFrameworkFactory.newClient(
            zookeeper.getConnectString(), new ExponentialBackoffRetry(200, 5));
    c.start();
    return c;
  }

  private static String agentId(int a) {
    return String.format(Locale.ROOT, "node-%05d", a);
  }

  /** A storage node's heartbeat: its drives, one data path per drive, one pool. */
  static Heartbeat beat(int agent, long sequence, int drives) {
    String id = agentId(agent);
    List<BlockDevice> devices = new ArrayList<>(drives);
    List<FileSystemUsage> paths = new ArrayList<>(drives);
    for (int d = 0; d < drives; d++) {
      devices.add(
          new BlockDevice("sd" + (char) ('a' + d % 26), 20L << 40, true, "ST20000NM007D", true));
      paths.add(
          new FileSystemUsage(
              "/data/disk" + d, 20L << 40, (10L << 40) + sequence * 4096, 10L << 40));
    }
    Inventory inventory = new Inventory(id, 64, 256L << 30, 3.5, devices, paths);
    return new Heartbeat(
        id,
        id,
        "0.1.0",
        "http://10.0.0.1:9101/metrics",
        sequence,
        Instant.now(),
        inventory,
        // The census runs every minute, the heartbeat every 10 s: a sixth of the beats carry a
        // new count.
        List.of(new PoolReport("pool-" + id, true, null, 400L << 40, (sequence + agent) / 6)),
        List.of(),
        List.of());
  }
}
