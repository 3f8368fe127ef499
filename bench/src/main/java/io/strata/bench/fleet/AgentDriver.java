package io.strata.bench.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.agent.Agent;
import io.strata.agent.AgentApplication;
import io.strata.protocol.heartbeat.WorkAnswer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Beats for every simulated agent, each at the fleet's heartbeat interval (scaled), the agents
 * spread evenly over it, from threads named {@code sim-*} so that their CPU time can be told from
 * the controller's. Records each heartbeat's round trip.
 *
 * <p>Must be closed.
 */
final class AgentDriver implements AutoCloseable {
  static final String THREAD_PREFIX = "sim-";

  private final FleetOptions options;
  private final List<URI> bases;
  private final Map<String, URI> baseOf = new ConcurrentHashMap<>();
  private final ScheduledExecutorService beats;
  private final HttpClient http;
  private final ObjectMapper json = AgentApplication.json();
  private final long startNanos;
  private final Map<String, SimAgent> agents = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
  // Per agent, the fleet second an early heartbeat is scheduled for.
  private final Map<String, Double> earlyAt = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong wakeUps = new AtomicLong();
  private final Map<Beat, Long> copiesLeased = new ConcurrentHashMap<>();

  /**
   * The most agents waiting for work at once: each wait holds a connection, whose two ends are
   * descriptors of this process, and 8,000 are left for the rest (the heartbeats', the controller's
   * and ZooKeeper's connections, the jars): 6,000 at a limit of 20,000 descriptors, as here. {@code
   * ./strata bench} raises the process's limit to the hard one.
   */
  static final int MAX_WAITS = maxWaits(openFilesLimit());

  static int maxWaits(long openFiles) {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (openFiles - 8_000) / 2));
  }

  private static long openFilesLimit() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : 20_000;
  }

  private final java.util.Set<String> waits = ConcurrentHashMap.newKeySet();
  private long[] latencies = new long[1 << 16];
  private int latencyCount;

  /**
   * @param bases the controller replicas the agents beat to, agent {@code i} (in the order they
   *     start) to base {@code i} modulo their number
   */
  AgentDriver(FleetOptions options, List<URI> bases, long startNanos) {
    this.options = options;
    this.bases = List.copyOf(bases);
    this.startNanos = startNanos;
    // A heartbeat holds its thread for its round trip, and a relayed one waits for its batch (50
    // ms by default) and the leader: enough threads for half a second's heartbeats, so that the
    // rate offered is the fleet's and not the threads' (32 threads capped it near 500 a second).
    double perSecond =
        (double) options.agents() / options.wall(options.heartbeatSeconds()).toNanos() * 1e9;
    int threads = (int) Math.max(4, Math.min(1024, Math.min(options.agents(), perSecond / 2)));
    beats = Executors.newScheduledThreadPool(threads, named("sim-agents"));
    http =
        HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(2, named("sim-http")))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Fleet seconds since the run began. */
  double now() {
    return (System.nanoTime() - startNanos) / 1e9 * options.timeScale();
  }

  /** Starts beating for {@code agents}, spread over one interval. */
  void start(List<SimAgent> more) {
    long period = options.wall(options.heartbeatSeconds()).toNanos();
    for (int i = 0; i < more.size(); i++) {
      SimAgent agent = more.get(i);
      baseOf.put(agent.id(), bases.get(Math.floorMod(agents.size(), bases.size())));
      agents.put(agent.id(), agent);
      long offset = period * i / more.size();
      beats.scheduleAtFixedRate(
          () -> beatOnce(agent, period, Beat.SCHEDULED), offset, period, TimeUnit.NANOSECONDS);
    }
  }

  /** Why a heartbeat is sent: its interval, a task ended, or work was queued for it. */
  enum Beat {
    SCHEDULED,
    TASK_ENDED,
    WOKEN
  }

  private void beatOnce(SimAgent agent, long period, Beat why) {
    boolean early = why != Beat.SCHEDULED;
    long t0 = System.nanoTime();
    boolean ok;
    synchronized (agent) {
      // A fixed-rate schedule that fell behind runs the missed beats back to back; an agent sends
      // one heartbeat per interval, so a beat due less than half an interval after the last is
      // skipped. An early one (a task ended) is not.
      Long last = lastSent.get(agent.id());
      if (!agent.powered() || (!early && last != null && t0 - last < period / 2)) {
        return;
      }
      lastSent.put(agent.id(), t0);
      try {
        ok = agent.beat(http, baseOf.get(agent.id()), json, now());
        if (ok) {
          copiesLeased.merge(why, (long) agent.copiesStarted(), Long::sum);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        ok = false;
      }
      beatWhenATaskEnds(agent, period);
      waitForWork(agent, period);
    }
    long took = System.nanoTime() - t0;
    sent.incrementAndGet();
    if (!ok) {
      failed.incrementAndGet();
    }
    synchronized (this) {
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[latencyCount++] = took;
    }
  }

  /**
   * As the agent does: a heartbeat when its next task ends, {@link Agent#EARLY_GAP} (fleet time)
   * after the last at the soonest, unless one is scheduled as soon.
   */
  private void beatWhenATaskEnds(SimAgent agent, long period) {
    double end = agent.nextEnd();
    if (Double.isNaN(end)) {
      return;
    }
    beatEarlyAt(
        agent, period, Math.max(end, now() + Agent.EARLY_GAP.toNanos() / 1e9), Beat.TASK_ENDED);
  }

  /** A heartbeat at fleet second {@code at}, unless one is scheduled as soon. */
  private void beatEarlyAt(SimAgent agent, long period, double at, Beat why) {
    double now = now();
    Double scheduled = earlyAt.get(agent.id());
    if (scheduled != null && scheduled <= at && scheduled > now) {
      return;
    }
    earlyAt.put(agent.id(), at);
    beats.schedule(
        () -> {
          earlyAt.remove(agent.id(), at);
          beatOnce(agent, period, why);
        },
        (long) ((at - now) / options.timeScale() * 1e9),
        TimeUnit.NANOSECONDS);
  }

  /**
   * As the agent does when idle: waits on its replica for work for its pool, for as long as the
   * agent does ({@link Agent#waitFor}), and beats ({@link Agent#EARLY_GAP} after its last at the
   * soonest) when the answer says work was queued. At most {@link #MAX_WAITS} agents wait at once.
   */
  private void waitForWork(SimAgent agent, long period) {
    long waitMs = Agent.waitFor(Duration.ofNanos(period)).toMillis();
    if (waitMs <= 0 || !agent.powered() || waits.size() >= MAX_WAITS || !waits.add(agent.id())) {
      return;
    }
    java.net.http.HttpRequest request = agent.waitForWork(baseOf.get(agent.id()), waitMs);
    if (request == null) {
      waits.remove(agent.id());
      return;
    }
    long asked = System.nanoTime();
    http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (response, error) -> {
              waits.remove(agent.id());
              if (error != null || response.statusCode() != 200 || !agent.powered()) {
                return;
              }
              try {
                boolean work = json.readValue(response.body(), WorkAnswer.class).work();
                if (!work && System.nanoTime() - asked >= waitMs * 1_000_000 / 2) {
                  // Held its time without work: waits on, as the agent does.
                  beats.execute(
                      () -> {
                        synchronized (agent) {
                          waitForWork(agent, period);
                        }
                      });
                }
                if (work) {
                  wakeUps.incrementAndGet();
                  Long last = lastSent.get(agent.id());
                  double lastAt =
                      last == null ? 0 : (last - startNanos) / 1e9 * options.timeScale();
                  beatEarlyAt(
                      agent,
                      period,
                      Math.max(now(), lastAt + Agent.EARLY_GAP.toNanos() / 1e9),
                      Beat.WOKEN);
                }
              } catch (java.io.IOException unreadable) {
                // Beats on its schedule.
              }
            });
  }

  /** Copy tasks leased so far, by the heartbeat that leased them; resets. */
  Map<Beat, Long> takeCopiesLeased() {
    Map<Beat, Long> out = new java.util.TreeMap<>(copiesLeased);
    copiesLeased.clear();
    return out;
  }

  /** Waits for work answered with work so far. */
  long wakeUps() {
    return wakeUps.get();
  }

  /** The agents of {@code pool}. */
  List<SimAgent> ofPool(String pool) {
    List<SimAgent> out = new ArrayList<>();
    for (SimAgent a : agents.values()) {
      if (a.pool().equals(pool)) {
        out.add(a);
      }
    }
    return out;
  }

  long sent() {
    return sent.get();
  }

  long failed() {
    return failed.get();
  }

  /** The 99th percentile of the round trips since the last call, in milliseconds; resets. */
  synchronized double takeP99Millis() {
    double p99 = p99Millis(latencies, latencyCount);
    latencyCount = 0;
    return p99;
  }

  /**
   * The 99th percentile of the first {@code count} of {@code nanos}, in milliseconds (NaN of none):
   * the nearest rank, the smallest that at least 99% of them do not exceed.
   */
  static double p99Millis(long[] nanos, int count) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
  }

  @Override
  public void close() throws InterruptedException {
    beats.shutdownNow();
    beats.awaitTermination(10, TimeUnit.SECONDS);
  }
}
