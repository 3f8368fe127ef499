package io.strata.bench.soak;

import static org.awaitility.Awaitility.await;

import io.strata.controller.audit.AuditCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The chaos soak: starts the fleet as separate processes ({@link SoakFleet}), writes studies while
 * faults are injected on a seeded schedule ({@link Faults}), then lets the fleet converge and
 * judges it: every object present with its SHA-256 on the pools its phase requires, no copy deleted
 * while fewer than the required copies existed elsewhere ({@link DeletionAudit}), no write accepted
 * from a deposed leader ({@link FencingCheck}), the audit chains whole. Every process it started is
 * ended by its pid, whatever happens.
 */
final class Soak {
  /**
   * @param duration how long studies are written and faults injected
   * @param objects studies to write: half at once, the rest spread over the run
   * @param seed draws the fault schedule, the pauses and the objects
   * @param faults how many faults; at least one of each kind
   * @param dir where everything is kept
   */
  record Options(Duration duration, int objects, long seed, int faults, Path dir) {
    /** How long the fleet may take to converge once the faults stop, from what it holds. */
    Duration convergeBound() {
      return Duration.ofSeconds(Math.min(600, 180 + objects / 50));
    }
  }

  /** The verdict. */
  record Verdict(
      int objects,
      int crossedPhases,
      int faults,
      Set<Faults.Kind> injected,
      int lost,
      int corruptCopies,
      int earlyDeletes,
      int deletions,
      int fencedWrites,
      int deposedWrites,
      int leaderTerms,
      boolean converged,
      double convergeSeconds,
      Duration convergeBound,
      List<String> misplaced,
      boolean auditVerified,
      String auditReport,
      int portsLeftBound) {
    /** Whether nothing was lost and every promise held. */
    boolean passed() {
      return lost == 0
          && corruptCopies == 0
          && earlyDeletes == 0
          && deposedWrites == 0
          && converged
          && auditVerified
          && portsLeftBound == 0;
    }

    /** The last line of {@code strata soak}. */
    String line() {
      return "soak: objects=%d faults=%d lost=%d early_deletes=%d fenced_writes=%d converge_s=%.1f"
          .formatted(objects, faults, lost, earlyDeletes, fencedWrites, convergeSeconds);
    }
  }

  /** The age clock's speed: a day of study age every 8.6 s. */
  static final double TIME_SCALE = 10_000;

  private final Options options;
  private final PrintStream out;

  Soak(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  Verdict run() throws Exception {
    Instant origin = Instant.now();
    AgeClock clock = new AgeClock(origin, TIME_SCALE);
    SoakFiles files = new SoakFiles(options.dir(), origin, TIME_SCALE);
    out.printf(
        "soak: seed %d, %d objects over %d s, %d faults, in %s (logs in %s)%n",
        options.seed(),
        options.objects(),
        options.duration().toSeconds(),
        options.faults(),
        files.dir,
        files.logs());
    try (SoakFleet fleet = new SoakFleet(files);
        PoolContents contents = new PoolContents(files)) {
      fleet.start(Duration.ofMinutes(4));
      out.println("soak: started " + fleet.pids());
      Instant end = Instant.now().plus(options.duration());
      Faults faults = new Faults(fleet, contents, options.seed(), out);
      List<LoadGenerator.Written> written = ingestUnderFaults(fleet, faults, clock, end);
      for (ChildProcess p : restartable(fleet, faults)) {
        p.start();
      }
      PlacementCheck check = new PlacementCheck(files.map, clock);
      int crossed = 0;
      for (LoadGenerator.Written w : written) {
        if (!check.rule(w, w.at()).equals(check.rule(w, end))) {
          crossed++;
        }
      }
      out.printf(
          "soak: %d of the studies crossed a phase of their policy during the run%n", crossed);
      Faults.LostPool lost = faults.lost();
      Convergence converged =
          converge(written, contents, check, lost == null ? Set.of() : Set.of(lost.pool()));
      ContentCheck content = checkContent(written, converged.listing(), contents);
      String auditReport =
          verifyAudit(files, lost == null ? Set.of() : Set.of(lost.pool())).strip();
      out.println("soak: audit trail " + auditReport);
      DeletionAudit deletions = new DeletionAudit();
      List<DeletionAudit.EarlyDelete> early =
          earlyDeletes(
              files, deletions, written, converged.listing(), content, contents, lost, check);

      fleet.close();
      List<Integer> bound = stillBound(files);
      out.printf(
          "soak: every process ended by its pid; %d of its %d ports still bound%s%n",
          bound.size(), files.ports().size(), bound.isEmpty() ? "" : " " + bound);
      FencingCheck.Result fencing = fencing(files);
      return new Verdict(
          written.size(),
          crossed,
          faults.events().size(),
          faults.injected(),
          content.lost(),
          content.corrupt(),
          early.size(),
          deletions.records().size(),
          fencing.fencedWrites(),
          fencing.deposedWrites().size(),
          fencing.terms(),
          converged.done(),
          converged.seconds(),
          options.convergeBound(),
          converged.problems(),
          auditReport.startsWith("OK"),
          auditReport,
          bound.size());
    }
  }

  /**
   * Step: writes half the studies, then the rest while the faults run and the admin logs in on
   * every replica in turn, until {@code end}.
   *
   * @return the studies written and acknowledged
   */
  private List<LoadGenerator.Written> ingestUnderFaults(
      SoakFleet fleet, Faults faults, AgeClock clock, Instant end) throws Exception {
    List<Faults.Kind> schedule = faults.schedule(options.faults());
    out.println("soak: fault schedule " + schedule);
    Instant quietUntil = end.plus(options.convergeBound());
    try (LoadGenerator load =
        new LoadGenerator(fleet.files, clock, end, quietUntil, options.seed())) {
      load.prepare();
      // Half the studies at once (an archive migrated in), the rest while the run goes on; the
      // faults begin once the fleet has some data to move, while the archive is still coming.
      int first = options.objects() / 2;
      Thread ingest =
          new Thread(
              () -> {
                try {
                  int wrote = load.write(first, 4, Instant.now(), end);
                  out.printf("soak: %d studies of the archive written%n", wrote);
                  // Four writers, each on time, so a slow PUT (a pool killed) delays none.
                  load.write(options.objects() - first, 4, end, end);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "soak-ingest");
      Thread logins = new Thread(() -> loginsUntil(fleet, end), "soak-logins");
      ingest.start();
      logins.start();
      Instant faultsFrom =
          Instant.now().plus(min(Duration.ofSeconds(30), options.duration().dividedBy(6)));
      faults.run(schedule, faultsFrom, end);
      ingest.join();
      logins.join();
      List<LoadGenerator.Written> written = load.written();
      out.printf(
          "soak: %d studies written and acknowledged (%d PUTs failed and were tried again)%n",
          written.size(), load.failedPuts());
      return written;
    }
  }

  /**
   * How the wait for convergence ended: whether every object was where its phase requires, after
   * how long, what was still wrong, and the last listing of the pools.
   */
  record Convergence(
      boolean done,
      double seconds,
      List<String> problems,
      Map<String, Map<String, PoolContents.Copy>> listing) {}

  /** Step: waits, within the bound, until every object is where its phase requires. */
  private Convergence converge(
      List<LoadGenerator.Written> written,
      PoolContents contents,
      PlacementCheck check,
      Set<String> gone)
      throws InterruptedException {
    out.printf(
        "soak: faults over; waiting at most %d s for every object to be where its phase requires%n",
        options.convergeBound().toSeconds());
    Instant quiet = Instant.now();
    Instant deadline = quiet.plus(options.convergeBound());
    List<String> problems = List.of("not listed yet");
    Map<String, Map<String, PoolContents.Copy>> listing = Map.of();
    boolean done = false;
    // A listing begun before the bound runs to its end: on a busy machine one listing of every
    // pool takes minutes, and cutting it short would judge the soak's reading, not the fleet.
    while (!done && Instant.now().isBefore(deadline)) {
      Instant began = Instant.now();
      Optional<Map<String, Map<String, PoolContents.Copy>>> now = contents.list(gone);
      if (now.isEmpty()) {
        problems = List.of("cannot list " + contents.lastFailure());
      } else {
        listing = now.get();
        problems = misplaced(written, listing, check);
        done = problems.isEmpty();
      }
      out.printf(
          "soak:   at %.0f s: %s (listing took %.1f s)%n",
          Duration.between(quiet, Instant.now()).toMillis() / 1000.0,
          now.isEmpty() ? problems.get(0) : problems.size() + " objects not where required",
          Duration.between(began, Instant.now()).toMillis() / 1000.0);
      if (!done) {
        Thread.sleep(3_000);
      }
    }
    double seconds = Duration.between(quiet, Instant.now()).toMillis() / 1000.0;
    if (listing.isEmpty()) {
      // Never listed whole: the content and deletion checks need one listing of every pool.
      try {
        listing =
            await("a listing of every pool")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(3))
                .until(() -> contents.list(gone).orElse(null), l -> l != null);
      } catch (ConditionTimeoutException e) {
        out.println("soak: the pools could not all be listed: " + contents.lastFailure());
      }
    }
    out.printf(
        "soak: %s after %.1f s%n",
        done ? "converged" : "NOT converged (" + problems.size() + " problems)", seconds);
    problems.stream().limit(10).forEach(p -> out.println("soak:   " + p));
    return new Convergence(done, seconds, problems, listing);
  }

  /** Step: every deletion the agents recorded, checked against the copies that existed then. */
  private List<DeletionAudit.EarlyDelete> earlyDeletes(
      SoakFiles files,
      DeletionAudit deletions,
      List<LoadGenerator.Written> written,
      Map<String, Map<String, PoolContents.Copy>> listing,
      ContentCheck content,
      PoolContents contents,
      Faults.LostPool lost,
      PlacementCheck check)
      throws java.io.IOException {
    deletions.read(files.pools.keySet().stream().map(files::deletionRecords).toList());
    Map<String, LoadGenerator.Written> byId = new HashMap<>();
    written.forEach(w -> byId.put(w.dataset() + "/" + w.key(), w));
    List<DeletionAudit.EarlyDelete> early =
        deletions.earlyDeletes(byId, spans(listing, content, lost, byId), check);
    if (!early.isEmpty()) {
      // Judged from the listing; ask the pools by name for these objects, and judge again.
      Set<String> asked = new HashSet<>();
      for (DeletionAudit.EarlyDelete e : early) {
        LoadGenerator.Written w = byId.get(e.record().bucket() + "/" + e.record().key());
        if (w != null && asked.add(w.dataset() + "/" + w.key())) {
          askByName(w, listing, content.sha256(), contents);
        }
      }
      out.printf(
          "soak: %d deletions looked early from the listing; %d objects asked for by name%n",
          early.size(), asked.size());
      early = deletions.earlyDeletes(byId, spans(listing, content, lost, byId), check);
    }
    out.printf(
        "soak: %d deletions recorded by the agents (%d lines cut short), %d early%n",
        deletions.records().size(), deletions.unreadable(), early.size());
    early.stream().limit(10).forEach(e -> out.println("soak:   early delete " + e));
    return early;
  }

  /** Step: the leaders' fencing, from the ensemble's transaction logs, once it is stopped. */
  private FencingCheck.Result fencing(SoakFiles files) throws java.io.IOException {
    FencingCheck.Result fencing =
        new FencingCheck("strata")
            .check(
                files.members.stream()
                    .map(m -> files.zookeeperData(m).resolve("version-2").toFile())
                    .toList());
    out.printf(
        "soak: ZooKeeper committed %d transactions; %d leader terms; %d writes refused by the"
            + " fence; %d leader-only writes of a term from a later session of its replica; %d"
            + " accepted from a deposed leader%n",
        fencing.transactions(),
        fencing.terms(),
        fencing.fencedWrites(),
        fencing.newSessionWrites(),
        fencing.deposedWrites().size());
    fencing.deposedWrites().stream().limit(10).forEach(d -> out.println("soak:   " + d));
    return fencing;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The fleet's ports that still accept connections a few seconds after every process ended. */
  private static List<Integer> stillBound(SoakFiles files) {
    try {
      return await("every port of the fleet free")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> files.ports().stream().filter(SoakFleet::listening).toList(), List::isEmpty);
    } catch (ConditionTimeoutException e) {
      return files.ports().stream().filter(SoakFleet::listening).toList();
    }
  }

  /** Every process but the lost pool's, so that none stays down after the faults. */
  private static List<ChildProcess> restartable(SoakFleet fleet, Faults faults) {
    List<ChildProcess> out = new ArrayList<>();
    out.addAll(fleet.zookeeper.values());
    fleet.pools.forEach(
        (id, p) -> {
          if (!id.equals(SoakFiles.LOST_POOL) || faults.lost() == null) {
            out.add(p);
          }
        });
    out.addAll(fleet.controllers.values());
    fleet.agents.forEach(
        (id, p) -> {
          if (!id.equals(SoakFiles.LOST_POOL) || faults.lost() == null) {
            out.add(p);
          }
        });
    return out;
  }

  /** Logs in as the admin on each live replica in turn, so every audit chain grows. */
  private static void loginsUntil(SoakFleet fleet, Instant end) {
    int i = 0;
    while (Instant.now().isBefore(end)) {
      SoakFiles.Replica r = fleet.files.replicas.get(i++ % fleet.files.replicas.size());
      if (fleet.controllers.get(r.id()).isAlive()) {
        fleet.login(r);
      }
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** What is wrong, object by object; empty when every one is where its phase requires. */
  static List<String> misplaced(
      List<LoadGenerator.Written> written,
      Map<String, Map<String, PoolContents.Copy>> listing,
      PlacementCheck check) {
    Instant now = Instant.now();
    List<String> problems = new ArrayList<>();
    for (LoadGenerator.Written w : written) {
      String id = w.dataset() + "/" + w.key();
      Set<String> pools = new java.util.TreeSet<>();
      listing.forEach(
          (pool, copies) -> {
            if (copies.containsKey(id)) {
              pools.add(pool);
            }
          });
      String problem = check.problem(w, pools, now);
      if (problem != null) {
        problems.add(id + " " + problem);
      }
    }
    return problems;
  }

  /** The copies read back: their SHA-256 by pool and id; objects with no right copy; wrong ones. */
  record ContentCheck(Map<String, Map<String, String>> sha256, int lost, int corrupt) {}

  private ContentCheck checkContent(
      List<LoadGenerator.Written> written,
      Map<String, Map<String, PoolContents.Copy>> listing,
      PoolContents contents) {
    Map<String, Map<String, String>> sha = new HashMap<>();
    int lost = 0;
    int corrupt = 0;
    int unlisted = 0;
    for (LoadGenerator.Written w : written) {
      String id = w.dataset() + "/" + w.key();
      boolean any = false;
      for (Map.Entry<String, Map<String, PoolContents.Copy>> pool : listing.entrySet()) {
        if (!pool.getValue().containsKey(id)) {
          continue;
        }
        Optional<String> read = contents.sha256(pool.getKey(), w.dataset(), w.key());
        if (read.isPresent()) {
          sha.computeIfAbsent(pool.getKey(), k -> new HashMap<>()).put(id, read.get());
          if (read.get().equals(w.sha256())) {
            any = true;
          } else {
            corrupt++;
            out.println("soak:   wrong content: " + id + " on " + pool.getKey());
          }
        }
      }
      if (!any) {
        int found = askByName(w, listing, sha, contents);
        unlisted += found;
        any = found > 0;
      }
      if (!any) {
        lost++;
        out.println("soak:   LOST: " + id + " (written " + w.at() + ")");
      }
    }
    out.printf(
        "soak: read back every copy: %d objects, %d lost, %d copies with wrong content (%d good"
            + " copies the listing did not show, found by name)%n",
        written.size(), lost, corrupt, unlisted);
    return new ContentCheck(sha, lost, corrupt);
  }

  /**
   * Asks every pool for one object by name, whatever the listing said: a listing of a pool is not a
   * snapshot, and one taken while the fleet moved the object can show it where it has just gone and
   * not where it has just arrived. What the pools have joins {@code listing} and {@code sha}.
   *
   * @return how many copies with the content written were found
   */
  private static int askByName(
      LoadGenerator.Written w,
      Map<String, Map<String, PoolContents.Copy>> listing,
      Map<String, Map<String, String>> sha,
      PoolContents contents) {
    String id = w.dataset() + "/" + w.key();
    int good = 0;
    for (Map.Entry<String, Map<String, PoolContents.Copy>> pool : listing.entrySet()) {
      Optional<PoolContents.Read> read = contents.read(pool.getKey(), w.dataset(), w.key());
      if (read.isEmpty()) {
        pool.getValue().remove(id);
        continue;
      }
      pool.getValue().put(id, read.get().copy());
      sha.computeIfAbsent(pool.getKey(), k -> new HashMap<>()).put(id, read.get().sha256());
      if (read.get().sha256().equals(w.sha256())) {
        good++;
      }
    }
    return good;
  }

  /** The copies known to exist or to have existed, for the deletion audit. */
  private static Map<String, List<DeletionAudit.Span>> spans(
      Map<String, Map<String, PoolContents.Copy>> listing,
      ContentCheck content,
      Faults.LostPool lost,
      Map<String, LoadGenerator.Written> written) {
    Map<String, List<DeletionAudit.Span>> out = new HashMap<>();
    listing.forEach(
        (pool, copies) ->
            copies.forEach(
                (id, copy) -> {
                  LoadGenerator.Written w = written.get(id);
                  String sha = content.sha256().getOrDefault(pool, Map.of()).get(id);
                  out.computeIfAbsent(id, k -> new ArrayList<>())
                      .add(
                          new DeletionAudit.Span(
                              pool,
                              copy.lastModified(),
                              null,
                              w != null && w.sha256().equals(sha)));
                }));
    if (lost != null) {
      lost.copies()
          .forEach(
              (id, copy) -> {
                LoadGenerator.Written w = written.get(id);
                out.computeIfAbsent(id, k -> new ArrayList<>())
                    .add(
                        new DeletionAudit.Span(
                            lost.pool(),
                            copy.lastModified(),
                            lost.lostAt(),
                            w != null && w.sha256().equals(lost.sha256().get(id))));
              });
    }
    return out;
  }

  /** {@code strata audit verify} on the system dataset, where the replicas' chains are kept. */
  private static String verifyAudit(SoakFiles files, Set<String> gone) {
    // A replica writes each record to the first candidate pool that takes it, and the candidates
    // go down in turn during the soak: the chains are read from every pool still in the fleet.
    List<String> args = new ArrayList<>(List.of("verify"));
    files.pools.forEach(
        (id, site) -> {
          if (!gone.contains(id)) {
            args.addAll(
                List.of(
                    "--endpoint",
                    site.pool().endpoint(),
                    "--credentials",
                    site.credentials().toString()));
          }
        });
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(report, true, StandardCharsets.UTF_8);
    AuditCli.run(args.toArray(String[]::new), print, print);
    return report.toString(StandardCharsets.UTF_8);
  }
}
