package io.strata.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.bench.ZooKeeperTransactions;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A scenario from start to figures: the fleet settles (the controller scans every shard on every
 * pool and finds it in place), warms up, runs steadily for a while (heartbeat figures), then the
 * scenario's change happens and the run watches the controller notice it, queue the work and finish
 * it.
 */
final class ScenarioRun {
  private final FleetSim sim;
  private final FleetOptions o;
  private final FleetFigures figures = new FleetFigures();
  private final double deadlineNanos;

  private final FleetChange change;

  ScenarioRun(FleetSim sim) {
    this.sim = sim;
    this.o = sim.options;
    this.change = new FleetChange(sim);
    // The warm-up and the steady window come out of the limit too, so that the run ends within it.
    this.deadlineNanos =
        System.nanoTime()
            + (o.limitSeconds() - o.warmupSeconds()) * 1e9
            - o.wall(o.steadySeconds()).toNanos();
    figures.racks = o.racks();
    figures.agents = o.agents();
    figures.shards = o.shards();
  }

  FleetFigures run() throws Exception {
    long t0 = System.nanoTime();
    sim.start();
    if (!o.balancer()) {
      // Held before the first plan (it waits for every shard to be planned), so the fleet stays as
      // laid down and the scenario's movement is the change's alone.
      sim.controller.post("operator", "api/v1/movement/pause?dataset=@balancer", "");
    }
    print(
        "started: controller on %s, %d agents beating every %.2f s (wall) after %.1f s",
        sim.controller.base(), o.agents(), o.wall(o.heartbeatSeconds()).toMillis() / 1e3, wall(t0));
    double settled =
        await(
            "every shard scanned on every pool and found in place", sim::controllerSeesAllInPlace);
    print(
        "settled: the controller counts all %d objects in place after %.1f s (wall), %d heartbeats",
        sim.objects(), wall(t0), sim.driver.sent());
    if (Double.isNaN(settled)) {
      // The heartbeats are still worth measuring, under the load of the scans; the change is not.
      print("NOT SETTLED: the heartbeat figures below are taken while the first scans still run");
      steady();
      return figures;
    }
    warmUp();
    steady();
    if (o.scenario() != Scenario.STEADY) {
      change();
    }
    return figures;
  }

  /**
   * The settled fleet runs {@code warmupSeconds} of wall time unmeasured: a controller minutes old
   * is still compiling its request path (at the default size the JIT's threads took 40% of the
   * cores in a window opened at once, bench/README.md), which an operator's controller, up for
   * weeks, is not.
   */
  private void warmUp() throws InterruptedException {
    if (o.warmupSeconds() == 0) {
      return;
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long compiling0 = jit.getTotalCompilationTime();
    long beats0 = sim.driver.sent();
    Thread.sleep((long) (o.warmupSeconds() * 1e3));
    print(
        "warmed up: %.0f s (wall), %d heartbeats; the JIT compiled for %.1f s of it",
        o.warmupSeconds(),
        sim.driver.sent() - beats0,
        (jit.getTotalCompilationTime() - compiling0) / 1e3);
  }

  /** Heartbeat figures over {@code steadySeconds} of steady running. */
  private void steady() throws Exception {
    ControllerCpu cpu = new ControllerCpu();
    sim.driver.takeP99Millis();
    long beats0 = sim.driver.sent();
    long zx0 = sim.controller.zxid();
    double fleet0 = sim.now();
    long wall0 = System.nanoTime();
    double followers0 = sim.followers == null ? 0 : sim.followers.cpuSeconds();
    String metricsToken = sim.layout.tokens.get("metrics");
    long[] relayed0 = sim.followers == null ? null : sim.followers.relayed(metricsToken);
    long compiling0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    cpu.mark();
    sleepFleet(o.steadySeconds());
    double[] used = cpu.since();
    double compiled =
        (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compiling0) / 1e3;
    double followersUsed = sim.followers == null ? 0 : sim.followers.cpuSeconds() - followers0;
    long[] relayed1 = sim.followers == null ? null : sim.followers.relayed(metricsToken);
    long beats = sim.driver.sent() - beats0;
    double fleetSeconds = sim.now() - fleet0;
    double wallSeconds = wall(wall0);
    long writes = ZooKeeperTransactions.between(zx0, sim.controller.zxid());
    figures.hbP99Ms = sim.driver.takeP99Millis();
    System.gc();
    figures.steady(
        beats,
        used[0],
        fleetSeconds,
        writes,
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    print(
        "steady: %d heartbeats in %.1f s wall (%.0f fleet s; %d failed so far); controller threads"
            + " %.2f cpu s, simulator %.2f cpu s, the JIT compiling %.1f s; %d ZooKeeper"
            + " transactions; heap %.0f MB (the simulator's pools and agents included)",
        beats,
        wallSeconds,
        fleetSeconds,
        sim.driver.failed(),
        used[0],
        used[1],
        compiled,
        writes,
        figures.heapMb);
    if (sim.followers != null) {
      // The leader's threads are measured in this process; each follower is a process of its own,
      // measured whole (its compiler and collector threads too).
      long answered = relayed1[0] - relayed0[0];
      long requests = relayed1[2] - relayed0[2];
      print(
          "relay: %d followers took the %d heartbeats and used %.2f cpu s (%.3f cores at the"
              + " fleet's rate): relay_capacity_per_core=%.0f; they relayed %d (%d not answered)"
              + " in %d requests, %.1f a request; the leader took them in %.2f cpu s of its"
              + " threads: hb_capacity_per_core=%.0f; both together %.0f heartbeats per cpu s",
          sim.followers.count(),
          beats,
          followersUsed,
          followersUsed / fleetSeconds,
          beats / followersUsed,
          answered,
          relayed1[1] - relayed0[1],
          requests,
          requests == 0 ? 0.0 : (double) answered / requests,
          used[0],
          beats / used[0],
          beats / (used[0] + followersUsed));
    }
  }

  /** The scenario's change, then the watch until the fleet is whole again. */
  private void change() throws Exception {
    FleetChange.PreviewFigures preview = change.preview();
    sim.tasks.takeTransfers();
    sim.driver.takeCopiesLeased();
    long copiedBefore = sim.tasks.copiedObjects.get();
    long twiceBefore = sim.tasks.copiedTwice.get();
    long zxidBefore = sim.controller.zxid();
    long roundsBefore = sim.controller.reconciler().stats().rounds();
    long roundNanosBefore = sim.controller.reconciler().stats().roundNanos();
    // The misplaced share is sampled on a thread of its own: at a million shards a sample takes
    // seconds, and placing every shard on a new map longer, which would otherwise delay seeing
    // the change detected or the fleet whole. The first sample places the shards before the change.
    List<Double> misplaced = new CopyOnWriteArrayList<>();
    misplaced.add(sim.misplacedShare());
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread sampler =
        AgentDriver.named(AgentDriver.THREAD_PREFIX + "watch")
            .newThread(() -> sampleMisplaced(misplaced, watching));
    ControllerCpu cpu = new ControllerCpu();
    cpu.mark();
    double at = sim.now();
    change.inject();
    sampler.start();
    print("change: %s at fleet second %.0f", o.scenario().flag, at);
    double detected = Double.NaN;
    double actionable = Double.NaN;
    double planned = Double.NaN;
    double recovered = Double.NaN;
    double whole = Double.NaN; // The pools held every copy: the controller then counts them.
    long reported = System.nanoTime();
    while (System.nanoTime() < deadlineNanos) {
      long looked = System.nanoTime();
      double now = sim.now() - at;
      if (System.nanoTime() - reported > 15e9) {
        reported = System.nanoTime();
        print(
            "at fleet second %.0f of the change: %s; %d objects short of copies in the pools",
            now, status(), sim.underReplicated(Set.of()));
        looked = System.nanoTime(); // The status line's count does not space the looks.
      }
      if (Double.isNaN(detected) && change.detected()) {
        detected = now;
        print("detected after %.1f fleet s", detected);
      }
      boolean queued = Double.isNaN(planned) && change.planned();
      if (Double.isNaN(actionable) && !Double.isNaN(detected) && (queued || change.actionable())) {
        actionable = now;
        if (o.scenario().losesCopies()) {
          print(
              "the controller may act after %.1f fleet s (%.1f after detection: the lost pools'"
                  + " grace)",
              actionable, actionable - detected);
        }
      }
      if (queued) {
        planned = now;
        sim.tasks.takeStarted(); // Counted from here: what the change's work took.
        print("work queued after %.1f fleet s", planned);
      }
      if (!Double.isNaN(planned) && Double.isNaN(whole) && change.placed()) {
        whole = now;
        print("the pools hold every copy after %.1f fleet s of queueing", whole - planned);
      }
      if (!Double.isNaN(planned) && change.done()) {
        recovered = sim.now() - at;
        break;
      }
      // The watch's own counting shares the cores with the controller: at most a fifth of one.
      Thread.sleep(Math.max(200, 4 * (System.nanoTime() - looked) / 1_000_000));
    }
    watching.set(false);
    sampler.join();
    double[] used = cpu.since();
    long writes = ZooKeeperTransactions.between(zxidBefore, sim.controller.zxid());
    double span = sim.now() - at;
    print(
        "during the change: %d ZooKeeper transactions (%.1f per fleet s), controller threads %.1f"
            + " cpu s (%.3f cores at the fleet's rate), over %.0f fleet s",
        writes, writes / span, used[0], used[0] / span, span);
    long rounds = sim.controller.reconciler().stats().rounds() - roundsBefore;
    print(
        "during the change: %d reconcile rounds, %.2f s of wall time each on average",
        rounds,
        (sim.controller.reconciler().stats().roundNanos() - roundNanosBefore)
            / 1e9
            / Math.max(1, rounds));
    List<SimTasks.Transfer> transfers = sim.tasks.takeTransfers();
    long moved = transfers.stream().mapToLong(SimTasks.Transfer::bytes).sum();
    print("copy tasks leased by heartbeats: %s", sim.driver.takeCopiesLeased());
    print("tasks started from the first queued to done: %s", sim.tasks.takeStarted());
    if (!transfers.isEmpty() && !Double.isNaN(planned)) {
      // Where the repair's time went: waiting for a lease, or the bytes on their links.
      double queuedAt = at + planned;
      double[] starts =
          transfers.stream().mapToDouble(t -> t.startedAt() - queuedAt).sorted().toArray();
      double[] takes =
          transfers.stream().mapToDouble(t -> t.endedAt() - t.startedAt()).sorted().toArray();
      print(
          "copies started %.1f to %.1f fleet s after queueing (median %.1f) and took %.1f to %.1f"
              + " fleet s each (median %.1f)",
          starts[0],
          starts[starts.length - 1],
          starts[starts.length / 2],
          takes[0],
          takes[takes.length - 1],
          takes[takes.length / 2]);
      SimTasks.Transfer last =
          transfers.stream()
              .max(java.util.Comparator.comparingDouble(SimTasks.Transfer::startedAt))
              .orElseThrow();
      print(
          "the last copy to start: %s to %s, %.1f fleet s after queueing",
          last.source(), last.target(), last.startedAt() - queuedAt);
    }
    List<FleetLayout.PoolSite> racks =
        RepairBound.takingPart(
            sim.sites.values(), change.affectedPools(), o.scenario().losesCopies());
    long bytes = o.scenario() == Scenario.RACKS_ADDED ? moved : change.bytesToMove();
    figures.detectS = detected;
    // From the moment the controller may act: for a lost pool the end of its grace period, which
    // is a setting (reconcile.grace) rather than the controller's speed; see bench/README.md.
    figures.planS = planned - actionable;
    figures.recoverS = recovered - actionable;
    figures.boundS = RepairBound.seconds(o, bytes, racks, transfers, sim.sites);
    figures.misplacedPeak = FleetFigures.peak(misplaced);
    print(
        "moved: %d objects, %.1f TiB, in %d copy tasks (%.1f TiB to move); repair after"
            + " queueing %s fleet s; %d objects copied twice (landed meanwhile by another task);"
            + " deletes %d, refused %d, unsafe %d",
        sim.tasks.copiedObjects.get() - copiedBefore,
        moved / Math.pow(2, 40),
        transfers.size(),
        bytes / Math.pow(2, 40),
        FleetFigures.f(recovered - planned, 1),
        sim.tasks.copiedTwice.get() - twiceBefore,
        sim.tasks.deletedObjects.get(),
        sim.tasks.refusedDeletes.get(),
        sim.tasks.unsafeDeletes.get());
    if (Double.isNaN(recovered)) {
      print(
          "NOT RECOVERED within --limit-s %.0f wall seconds: figures are what it reached",
          o.limitSeconds());
    }
    if (preview != null) {
      double simulated = FleetFigures.simulated(planned, recovered);
      figures.previewError =
          FleetFigures.previewError(preview.etaFleetSeconds(), planned, recovered);
      print(
          "preview: %d copies, %.1f TiB, eta %s fleet s; the run moved %.1f TiB, %s fleet s from"
              + " queueing to done; preview_error=%s",
          preview.copies(),
          preview.bytes() / Math.pow(2, 40),
          FleetFigures.f(preview.etaFleetSeconds(), 1),
          moved / Math.pow(2, 40),
          FleetFigures.f(simulated, 1),
          FleetFigures.f(figures.previewError, 3));
    } else {
      print("preview: none (the preview API has no change equivalent to %s)", o.scenario().flag);
    }
  }

  /**
   * Samples the misplaced share until {@code watching} ends, once a second at most and using at
   * most a tenth of a core: the controller runs on the same cores.
   */
  private void sampleMisplaced(List<Double> misplaced, AtomicBoolean watching) {
    try {
      while (watching.get()) {
        long t0 = System.nanoTime();
        misplaced.add(sim.misplacedShare());
        Thread.sleep(Math.max(1000, 9 * (System.nanoTime() - t0) / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private double await(String what, BooleanSupplier condition) throws Exception {
    long reported = System.nanoTime();
    while (System.nanoTime() < deadlineNanos) {
      if (condition.getAsBoolean()) {
        return sim.now();
      }
      if (System.nanoTime() - reported > 15e9) {
        reported = System.nanoTime();
        print("waiting for %s: %s", what, status());
      }
      Thread.sleep(250);
    }
    print("gave up waiting for %s after --limit-s %.0f wall seconds", what, o.limitSeconds());
    return Double.NaN;
  }

  /** What the controller counts and has queued, for the log of a long wait. */
  private String status() throws Exception {
    java.util.Map<String, Integer> queued = new java.util.TreeMap<>();
    for (JsonNode t : sim.controller.get("viewer", "api/v1/tasks").path("tasks")) {
      queued.merge(
          t.at("/task/type").asText() + "/" + t.path("priority").asText(), 1, Integer::sum);
    }
    return "objects by state "
        + sim.controller.reconciler().stats().objects()
        + ", tasks queued "
        + queued
        + ", heartbeats "
        + sim.driver.sent()
        + " ("
        + sim.driver.failed()
        + " failed, "
        + sim.driver.wakeUps()
        + " sent early on work queued)";
  }

  private void sleepFleet(double fleetSeconds) throws InterruptedException {
    Thread.sleep(o.wall(fleetSeconds).toMillis());
  }

  private static double wall(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void print(String format, Object... args) {
    System.out.println("fleet-sim: " + String.format(Locale.ROOT, format, args));
  }
}
