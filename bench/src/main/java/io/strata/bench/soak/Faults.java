package io.strata.bench.soak;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The soak's faults, on a schedule drawn from its seed: every kind at least once, spread evenly
 * over the run, each logged with its time. A killed process is started again after a pause drawn
 * from the seed (the lost pool excepted); every fault is over before the next begins, and all are
 * over by the end of the run.
 *
 * <p>Run by one thread.
 */
final class Faults {
  /** What can go wrong. */
  enum Kind {
    KILL_LEADER_CONTROLLER,
    KILL_AGENT_COPYING,
    KILL_AGENT_DELETING,
    KILL_ZOOKEEPER_FOLLOWER,
    KILL_ZOOKEEPER_LEADER,
    KILL_POOL,
    PAUSE_LEADER,
    PROXY_RESETS,
    PROXY_DELAYS,
    LOSE_POOL
  }

  /** One fault that happened: when, what, to which process, and what followed. */
  record Event(Instant at, Kind kind, String target, String note) {}

  /**
   * What the lost pool held just before it was lost (by {@code dataset/key}: the copy, and the
   * SHA-256 of its file), and when it was lost.
   */
  record LostPool(
      String pool,
      Map<String, PoolContents.Copy> copies,
      Map<String, String> sha256,
      Instant lostAt) {}

  private final SoakFleet fleet;
  private final PoolContents contents;
  private final Random random;
  private final PrintStream log;
  private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
  private volatile LostPool lost;

  Faults(SoakFleet fleet, PoolContents contents, long seed, PrintStream log) {
    this.fleet = fleet;
    this.contents = contents;
    this.random = new Random(seed);
    this.log = log;
  }

  /**
   * The schedule: every kind once, then more of all but the lost pool, in an order drawn from the
   * seed, {@code count} in all. The pool is lost in the first half, so that its copies are made
   * again while the run goes on.
   */
  List<Kind> schedule(int count) {
    if (count == 0) {
      return List.of();
    }
    List<Kind> kinds = new ArrayList<>();
    for (Kind k : Kind.values()) {
      if (k != Kind.LOSE_POOL) {
        kinds.add(k);
      }
    }
    List<Kind> out = new ArrayList<>(kinds);
    while (out.size() < count - 1) {
      out.add(kinds.get(random.nextInt(kinds.size())));
    }
    Collections.shuffle(out, random);
    out.add(Math.min(out.size(), 1 + random.nextInt(Math.max(1, out.size() / 2))), Kind.LOSE_POOL);
    return out;
  }

  /**
   * Runs the schedule from {@code start} until {@code end}, one fault per slot; a fault that takes
   * longer than its slot delays the next ones.
   */
  void run(List<Kind> schedule, Instant start, Instant end) throws InterruptedException {
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), start).toMillis()));
    if (schedule.isEmpty()) {
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), end).toMillis()));
      return;
    }
    long slot = Math.max(2000, Duration.between(start, end).toMillis() / schedule.size());
    for (int i = 0; i < schedule.size(); i++) {
      Instant due = start.plusMillis(slot * i + slot / 4);
      long wait = Duration.between(Instant.now(), due).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      Kind kind = schedule.get(i);
      try {
        inject(kind, Duration.ofMillis(slot / 2));
      } catch (IOException | RuntimeException e) {
        event(kind, "-", "could not be injected: " + e);
      }
    }
  }

  private void inject(Kind kind, Duration room) throws IOException, InterruptedException {
    switch (kind) {
      case KILL_LEADER_CONTROLLER -> killLeader();
      case KILL_AGENT_COPYING -> killAgentRunning("COPY");
      case KILL_AGENT_DELETING -> killAgentRunning("DELETE_COPY");
      case KILL_ZOOKEEPER_FOLLOWER -> killZookeeper("follower");
      case KILL_ZOOKEEPER_LEADER -> killZookeeper("leader");
      case KILL_POOL -> killPool();
      case PAUSE_LEADER -> pauseLeader();
      case PROXY_RESETS -> proxy(kind, room, true);
      case PROXY_DELAYS -> proxy(kind, room, false);
      case LOSE_POOL -> losePool();
    }
  }

  /** A pause of 1 to 5 s, drawn from the seed. */
  private Duration pause() {
    return Duration.ofMillis(1000 + random.nextInt(4000));
  }

  private void restartAfterPause(ChildProcess process) throws IOException, InterruptedException {
    Thread.sleep(pause().toMillis());
    process.start();
  }

  /** The leading replica, waiting up to a minute for one (a fault before may have ended one). */
  private Optional<SoakFleet.Leader> awaitLeader() {
    try {
      return Optional.of(
          await("a replica leading")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> fleet.leader().orElse(null), l -> l != null));
    } catch (ConditionTimeoutException e) {
      return Optional.empty();
    }
  }

  private void killLeader() throws IOException, InterruptedException {
    Optional<SoakFleet.Leader> leader = awaitLeader();
    if (leader.isEmpty()) {
      event(Kind.KILL_LEADER_CONTROLLER, "-", "no replica led within a minute; none killed");
      return;
    }
    ChildProcess process = fleet.controllers.get(leader.get().replica().id());
    long pid = process.pid();
    process.kill();
    event(
        Instant.now(),
        Kind.KILL_LEADER_CONTROLLER,
        process.name() + " pid " + pid,
        "kill -9 of the leader, epoch " + leader.get().epoch());
    restartAfterPause(process);
  }

  /** Kills the agent holding a lease of a task of {@code type}, once one is seen. */
  private void killAgentRunning(String type) throws IOException, InterruptedException {
    Kind kind = type.equals("COPY") ? Kind.KILL_AGENT_COPYING : Kind.KILL_AGENT_DELETING;
    String agent = null;
    Instant until = Instant.now().plusSeconds(20);
    while (agent == null && Instant.now().isBefore(until)) {
      agent = agentRunning(type);
      if (agent == null) {
        Thread.sleep(100);
      }
    }
    String note = "kill -9 while it held a leased " + type.toLowerCase() + " task";
    if (agent == null) {
      List<String> live =
          fleet.agents.entrySet().stream()
              .filter(e -> e.getValue().isAlive())
              .map(Map.Entry::getKey)
              .toList();
      agent = live.get(random.nextInt(live.size()));
      note = "kill -9; no " + type.toLowerCase() + " task was leased within 20 s";
    }
    ChildProcess process = fleet.agents.get(agent);
    long pid = process.pid();
    process.kill();
    event(Instant.now(), kind, process.name() + " pid " + pid, note);
    restartAfterPause(process);
  }

  /** The pool whose agent holds a lease of a task of {@code type} now, or null. */
  private String agentRunning(String type) {
    Optional<SoakFleet.Leader> leader = fleet.leader();
    if (leader.isEmpty()) {
      return null;
    }
    Optional<JsonNode> queue = fleet.get(leader.get().replica(), "/v1/tasks");
    if (queue.isEmpty()) {
      return null;
    }
    for (JsonNode q : queue.get().path("tasks")) {
      if (type.equals(q.path("task").path("type").asText())
          && !q.path("agent").isNull()
          && !q.path("agent").asText().isEmpty()) {
        String node = q.path("agent").asText();
        for (SoakFiles.PoolSite site : fleet.files.pools.values()) {
          ChildProcess p = fleet.agents.get(site.pool().id());
          if (site.pool().domain().equals(node) && p != null && p.isAlive()) {
            return site.pool().id();
          }
        }
      }
    }
    return null;
  }

  private void killZookeeper(String mode) throws IOException, InterruptedException {
    Kind kind = mode.equals("leader") ? Kind.KILL_ZOOKEEPER_LEADER : Kind.KILL_ZOOKEEPER_FOLLOWER;
    SoakFiles.Member member = null;
    try {
      member =
          await("a ZooKeeper " + mode)
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(300))
              .until(
                  () ->
                      fleet.files.members.stream()
                          .filter(m -> mode.equals(fleet.zookeeperMode(m)))
                          .findFirst()
                          .orElse(null),
                  m -> m != null);
    } catch (ConditionTimeoutException e) {
      event(kind, "-", "no member answered as " + mode + " within 30 s; none killed");
      return;
    }
    ChildProcess process = fleet.zookeeper.get(member.id());
    long pid = process.pid();
    process.kill();
    event(Instant.now(), kind, process.name() + " pid " + pid, "kill -9 of the ensemble's " + mode);
    restartAfterPause(process);
  }

  private void killPool() throws IOException, InterruptedException {
    List<String> pools =
        fleet.pools.keySet().stream()
            .filter(p -> fleet.pools.get(p).isAlive() && !p.equals(SoakFiles.LOST_POOL))
            .toList();
    String pool = pools.get(random.nextInt(pools.size()));
    ChildProcess process = fleet.pools.get(pool);
    long pid = process.pid();
    process.kill();
    Duration pause = pause();
    event(
        Instant.now(),
        Kind.KILL_POOL,
        process.name() + " pid " + pid,
        "kill -9 of the pool's process; started again with its data after "
            + pause.toSeconds()
            + " s");
    Thread.sleep(pause.toMillis());
    process.start();
  }

  /**
   * Pauses the leader (SIGSTOP) for twice its session timeout and more, so that ZooKeeper ends its
   * session and another replica leads; then wakes it (SIGCONT), a deposed leader that believes for
   * a moment it still leads.
   */
  private void pauseLeader() throws IOException, InterruptedException {
    Optional<SoakFleet.Leader> leader = awaitLeader();
    if (leader.isEmpty()) {
      event(Kind.PAUSE_LEADER, "-", "no replica led within a minute; none paused");
      return;
    }
    ChildProcess process = fleet.controllers.get(leader.get().replica().id());
    Duration held = Duration.ofSeconds(2L * SoakFiles.SESSION_TIMEOUT_S + 2);
    process.pause();
    Instant stoppedAt = Instant.now();
    String next = "none within the pause";
    try {
      SoakFleet.Leader successor =
          await("another replica leading")
              .atMost(held)
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> fleet.leader().orElse(null),
                  l -> l != null && !l.replica().equals(leader.get().replica()));
      next = successor.replica().id() + " at epoch " + successor.epoch();
    } catch (ConditionTimeoutException e) {
      // Reported in the event.
    }
    long left = held.toMillis() - Duration.between(stoppedAt, Instant.now()).toMillis();
    if (left > 0) {
      Thread.sleep(left);
    }
    process.resume();
    event(
        stoppedAt,
        Kind.PAUSE_LEADER,
        process.name() + " pid " + process.pid(),
        "SIGSTOP of the leader (epoch "
            + leader.get().epoch()
            + ") for "
            + held.toSeconds()
            + " s, twice its session timeout and more, then SIGCONT; the lead passed to "
            + next);
  }

  private void proxy(Kind kind, Duration room, boolean resets) throws InterruptedException {
    Duration length = Duration.ofMillis(Math.min(room.toMillis(), 8000));
    Instant at = Instant.now();
    if (resets) {
      fleet.proxy.resets();
    } else {
      fleet.proxy.delays(100 + random.nextInt(200));
    }
    long before = fleet.proxy.resetCount();
    Thread.sleep(length.toMillis());
    // Resets need traffic: hold them until a few connections were reset, 15 s more at most.
    Instant until = Instant.now().plusSeconds(15);
    while (resets && fleet.proxy.resetCount() - before < 3 && Instant.now().isBefore(until)) {
      Thread.sleep(200);
    }
    length = Duration.between(at, Instant.now());
    fleet.proxy.heal();
    event(
        at,
        kind,
        "proxy of " + SoakFiles.PROXIED_POOL,
        (resets
                ? "connections reset (" + (fleet.proxy.resetCount() - before) + " resets)"
                : "every chunk delayed")
            + " for "
            + length.toSeconds()
            + " s");
  }

  /**
   * Loses a pool for good: its node (agent) and its process killed, its data deleted. What it held
   * is recorded first, for the deletion audit.
   */
  private void losePool() throws IOException, InterruptedException {
    String pool = SoakFiles.LOST_POOL;
    Map<String, PoolContents.Copy> held = contents.list(pool).orElse(Map.of());
    Path data = fleet.files.pools.get(pool).dataDir();
    Map<String, String> sha = new java.util.HashMap<>();
    for (String id : held.keySet()) {
      // The filesystem backend keeps each object as the file bucket/key under the pool's folder.
      Path file = data.resolve(id);
      if (Files.isRegularFile(file)) {
        sha.put(id, LoadGenerator.sha256(Files.readAllBytes(file)));
      }
    }
    ChildProcess agent = fleet.agents.get(pool);
    ChildProcess process = fleet.pools.get(pool);
    long agentPid = agent.pid();
    long poolPid = process.pid();
    agent.kill();
    process.kill();
    Instant at = Instant.now();
    lost = new LostPool(pool, held, sha, at);
    try (Stream<Path> walk = Files.walk(data)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
    event(
        at,
        Kind.LOSE_POOL,
        "pool-" + pool + " pid " + poolPid + ", " + agent.name() + " pid " + agentPid,
        "kill -9 of the pool and its node's agent, its "
            + held.size()
            + " copies deleted; never"
            + " started again");
  }

  private void event(Kind kind, String target, String note) {
    event(Instant.now(), kind, target, note);
  }

  /** Records a fault that began at {@code at}. */
  private void event(Instant at, Kind kind, String target, String note) {
    Event e = new Event(at, kind, target, note);
    events.add(e);
    log.printf("soak: fault %s %s %s: %s%n", e.at(), kind, target, note);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** The kinds of fault that happened (not those that found nothing to act on). */
  java.util.Set<Kind> injected() {
    java.util.Set<Kind> out = java.util.EnumSet.noneOf(Kind.class);
    for (Event e : events()) {
      if (!e.target().equals("-")) {
        out.add(e.kind());
      }
    }
    return out;
  }

  /** The pool lost for good, once it is; null before. */
  LostPool lost() {
    return lost;
  }
}
