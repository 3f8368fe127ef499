package io.strata.controller.reconcile;

import io.dropwizard.lifecycle.Managed;
import io.strata.controller.s3.BucketKeeper;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.ExpiryStore;
import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.MovementSwitch;
import io.strata.controller.zookeeper.RecallStore;
import io.strata.controller.zookeeper.ScrubStore;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.controller.zookeeper.TaskQueue;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.expiry.Due;
import io.strata.fleet.expiry.Expiry;
import io.strata.fleet.expiry.ExpiryProgress;
import io.strata.fleet.expiry.LegalHold;
import io.strata.fleet.ledger.DurabilityLedger;
import io.strata.fleet.recall.Recall;
import io.strata.fleet.recall.RecallProgress;
import io.strata.fleet.recall.RecallRates;
import io.strata.fleet.reconcile.Balancing;
import io.strata.fleet.reconcile.ChangePreview;
import io.strata.fleet.reconcile.CopyState;
import io.strata.fleet.reconcile.DrainProgress;
import io.strata.fleet.reconcile.MovementBudgets;
import io.strata.fleet.reconcile.ObjectFacts;
import io.strata.fleet.reconcile.PlacementTable;
import io.strata.fleet.reconcile.PlanContext;
import io.strata.fleet.reconcile.PlanSchedule;
import io.strata.fleet.reconcile.PlannedTask;
import io.strata.fleet.reconcile.PoolAvailability;
import io.strata.fleet.reconcile.PoolScan;
import io.strata.fleet.reconcile.PoolViews;
import io.strata.fleet.reconcile.ReconcileSettings;
import io.strata.fleet.reconcile.ReconcileStats;
import io.strata.fleet.reconcile.RoundQueue;
import io.strata.fleet.reconcile.ScaledClock;
import io.strata.fleet.reconcile.ScrubSchedule;
import io.strata.fleet.reconcile.Scrubs;
import io.strata.fleet.reconcile.Shard;
import io.strata.fleet.reconcile.ShardPlan;
import io.strata.fleet.reconcile.ShardPlanner;
import io.strata.fleet.reconcile.SharedShards;
import io.strata.fleet.reconcile.TaskPriority;
import io.strata.fleet.reconcile.VerificationTimes;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.StoragePolicy;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.Task;
import io.strata.runtime.DaemonScheduler;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.placement.Balancer;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementIndex;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The leader's reconcile loop: it turns the cluster map, the policies and what the pools hold into
 * tasks, and hands them to agents through their heartbeats. Every round is a list of named,
 * idempotent steps; a crash between any two leaves nothing a later round cannot finish, because
 * tasks are derived from scans (the pools are the truth) and their ids from their content.
 *
 * <p>Runs on every replica, acts only while its replica leads. What it learned from scans lives in
 * memory: a new leader scans again before it plans, so it never acts on another leader's view. What
 * scrubs found is kept in ZooKeeper ({@link ScrubStore}): a scan cannot tell a decayed copy; when
 * they last verified each copy, in the system dataset ({@link VerificationTimes}).
 */
public final class Reconciler implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /** The MDC key of a round's id on its log lines. */
  public static final String ROUND_MDC_KEY = "round";

  private final Leadership leadership;
  private final ClusterMapStore maps;
  private final TaskQueue queue;
  private final ShardStore shards;
  private final Supplier<PolicySet> policies;
  private final List<Dataset> datasets;
  private final BucketKeeper buckets;
  private final MovementSwitch movement;
  private final ReconcileSettings settings;
  private final Scrubs scrubs;
  private final Clock clock;
  private final Clock policyClock;
  private final ReconcileStats stats = new ReconcileStats();

  private final PoolViews views = new PoolViews();
  private final Dispatcher dispatcher;
  private final PoolHealth health;
  private final AtomicLong scanSequence = new AtomicLong();
  private final AtomicLong roundSequence = new AtomicLong();
  private final RoundStatus status = new RoundStatus();
  private final PlanSchedule schedule;
  private final Map<String, List<StoragePolicy>> claims = new HashMap<>();
  private final RecallStore recalls;
  private final RecallRates recallRates = new RecallRates();
  private final Map<String, Set<String>> recallsFollowed = new HashMap<>();
  private volatile List<Recall> holding = List.of();
  private final ExpiryStore expiries;
  private final Certifier certifier;
  private final Map<String, Set<String>> expiriesFollowed = new HashMap<>();

  /** Whether each shard of an expiry's dataset was planned with it: it is done only once so. */
  private final ExpiryRounds expiryRounds = new ExpiryRounds();

  /**
   * Per approved expiry, the shards whose covered objects are counted ({@link
   * ExpiryStore#countCovered}), read from ZooKeeper the first time this leader plans with it.
   */
  private final Map<String, Set<String>> coveredCounted = new HashMap<>();

  /** By shard: when {@link #dueScrubs} needs to look at it again. Reconcile thread only. */
  private final Map<String, ScrubCheck> scrubChecks = new HashMap<>();

  private volatile List<LegalHold> standing = List.of();

  /** Each dataset's shard ids, as the last round that read every shard map found them. */
  private volatile Map<String, List<String>> shardIds = Map.of();

  /**
   * The shard lists the last round retained its per-shard records to, by dataset: the same lists
   * (the shard store's cache) mean no shard was split since, and nothing to forget.
   */
  private Map<String, List<Shard>> shardLists = Map.of();

  /** Writes the destruction certificate of an expiry that is done. */
  @FunctionalInterface
  public interface Certifier {
    /**
     * Writes the certificate where it is kept and records it in the audit trail; throws when it
     * could not, so that the expiry stays open and the next round tries again.
     *
     * @param objectsDestroyed the objects it covered, counted shard by shard before any was
     *     deleted, less those legal holds kept
     */
    void certify(
        Expiry expiry, ExpiryStore.Tally tally, long objectsDestroyed, long heldObjects, Instant at)
        throws Exception;
  }

  private PlacementTable table;
  private Instant lastBalance = Instant.MIN;
  private Set<String> available = Set.of();
  private volatile Map<String, Double> tierFill = Map.of();
  private volatile String balancerHeld = "not run yet";
  private volatile boolean leading;
  private final FollowedTerm followed = new FollowedTerm();
  private volatile Instant leadingSince = Instant.MIN;
  private ScheduledExecutorService scheduler;

  private final SoonRounds soon;

  /**
   * @param clock the real clock, for leases and grace periods
   * @param policyClock the clock that ages objects; the demo runs it faster
   * @param nodes the nodes the platform reports down ({@link NodeConditions#NONE} without one)
   * @param recalls the recalls to the hot tier, held until their time on {@code policyClock}
   * @param expiries the approved expiries and the legal holds
   * @param certifier writes the certificate of each expiry done
   * @param verificationTimes where the times of the last verification of each copy are kept
   */
  public Reconciler(
      Leadership leadership,
      ClusterMapStore maps,
      AgentRegistry agents,
      TaskQueue queue,
      ShardStore shards,
      Supplier<PolicySet> policies,
      List<Dataset> datasets,
      BucketKeeper buckets,
      MovementSwitch movement,
      ScrubStore scrubStore,
      ReconcileSettings settings,
      Clock clock,
      Clock policyClock,
      NodeConditions nodes,
      RecallStore recalls,
      ExpiryStore expiries,
      Certifier certifier,
      VerificationTimes.Store verificationTimes) {
    this.recalls = recalls;
    this.expiries = expiries;
    this.certifier = certifier;
    this.leadership = leadership;
    this.maps = maps;
    this.queue = queue;
    this.shards = shards;
    this.policies = policies;
    this.datasets = List.copyOf(datasets);
    this.buckets = buckets;
    this.movement = movement;
    this.settings = settings;
    this.scrubs =
        new Scrubs(settings.scrubInterval(), scrubStore, new VerificationTimes(verificationTimes));
    this.schedule = new PlanSchedule(settings.rescanInterval());
    this.soon = new SoonRounds(settings.interval(), System.nanoTime());
    this.clock = clock;
    this.policyClock = policyClock;
    this.dispatcher =
        new Dispatcher(
            policies,
            queue,
            maps,
            shards,
            views,
            scrubs,
            stats,
            settings,
            clock,
            expiries,
            !(policyClock instanceof ScaledClock scaled && scaled.faster()),
            this::roundSoon);
    this.health =
        new PoolHealth(agents, maps, views, queue, this.datasets, settings.grace(), nodes);
  }

  @Override
  public synchronized void start() {
    scheduler = DaemonScheduler.named("reconciler");
    long ms = settings.interval().toMillis();
    scheduler.scheduleWithFixedDelay(this::round, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * One round; never throws. A failed round is logged, counted and shown in {@link #status()}, and
   * the next one tries again. Every log line of a round carries its id as {@code round} (MDC).
   */
  void round() {
    soon.started();
    long started = System.nanoTime();
    long cpu = threadCpuNanos();
    String id = "r" + roundSequence.incrementAndGet();
    try (MDC.MDCCloseable round = MDC.putCloseable(ROUND_MDC_KEY, id)) {
      if (!followLeadership()) {
        return;
      }
      Instant now = clock.instant();
      status.started(id, now);
      plan(now, started);
      status.succeeded();
    } catch (Exception e) {
      status.failed(id, clock.instant(), e);
      LOG.warn("reconcile round {} failed, the next one retries: {}", id, e.toString());
    } finally {
      long cpuEnded = threadCpuNanos();
      soon.ended(started, System.nanoTime(), cpu < 0 || cpuEnded < 0 ? -1 : cpuEnded - cpu);
    }
  }

  /** The CPU time of the calling thread, in nanoseconds; -1 where the JVM does not measure it. */
  private static long threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
  }

  /**
   * Asks for a round sooner than the interval: copies that restored missing copies have landed, and
   * the shards they completed are counted in place (and what follows them planned) by the next
   * round rather than up to an interval later. Paced by {@link SoonRounds}: at most a fifth of the
   * reconcile thread, and many asks before the round starts ask for one.
   */
  void roundSoon() {
    ScheduledExecutorService thread = scheduler;
    if (thread == null || !leading) {
      return;
    }
    long delay = soon.ask(System.nanoTime());
    if (delay < 0) {
      return;
    }
    try {
      thread.schedule(this::round, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      soon.dropped();
    }
  }

  /** Steps of a round once leadership is settled: what the module's javadoc lists. */
  private void plan(Instant now, long started) throws Exception {
    ClusterMap map = maps.current();
    Map<String, PoolAvailability> availability = health.availability(map, now, leadingSince);
    map = health.applyTo(map, availability);
    buckets.ensure(map, datasets, availability);
    queue.expireLeases(now);
    PlanContext ctx = context(map, availability);
    recalls.forgetEnded(ctx.now());
    RoundQueue round = new RoundQueue(queue.all(), views.storedBytes(), settings.misplacedShare());
    followMap(map, availability, now, round);
    followPolicies(ctx.policies());
    followRecalls(ctx.recalls());
    followExpiries(ctx);
    followAvailability(availability);
    ShardStore.ShardMapException unreadable = null;
    Map<String, List<Shard>> shardsByDataset = new HashMap<>();
    List<ScrubSchedule.Candidate> dueScrubs = new ArrayList<>();
    for (Dataset dataset : datasets) {
      boolean swept = requestSweeps(dataset, map, availability, now, round);
      List<Shard> shardsOf;
      try {
        shardsOf = shards.shards(dataset.name());
      } catch (ShardStore.ShardMapException e) {
        LOG.error("{}", e.getMessage()); // The other datasets go on; the round is failed below.
        unreadable = e;
        continue;
      }
      shardsByDataset.put(dataset.name(), shardsOf);
      for (Shard shard : shardsOf) {
        if (!schedule.due(shard, views.version(shard.id()), now, ctx.now())) {
          dueScrubs(shard, availability, now, round, dueScrubs); // Settled: only scrubs fall due.
          continue;
        }
        if (requestScans(shard, map, availability, now, round) && swept) {
          dueScrubs(shard, availability, now, round, dueScrubs);
          planShard(shard, ctx, now, round);
        }
      }
    }
    requestScrubs(dueScrubs, now, round);
    if (unreadable == null) {
      int count = shardsByDataset.values().stream().mapToInt(List::size).sum();
      if (!shardsByDataset.equals(shardLists)) { // A split, or a new leader: not every round.
        Set<String> seen = new HashSet<>(2 * count);
        shardsByDataset.values().forEach(list -> list.forEach(shard -> seen.add(shard.id())));
        table.retain(seen); // Forgets split shards.
        schedule.retain(seen);
        scrubChecks.keySet().retainAll(seen);
        stats.retain(seen);
        expiryRounds.retain(seen);
        Map<String, List<String>> ids = new HashMap<>();
        shardsByDataset.forEach((d, list) -> ids.put(d, list.stream().map(Shard::id).toList()));
        shardIds = Map.copyOf(ids);
        shardLists = Map.copyOf(shardsByDataset);
      }
      balance(map, ctx, round, count, now);
      finishExpiries(ctx, shardsByDataset);
    }
    if (!ctx.recalls().isEmpty() || !recallsFollowed.isEmpty()) {
      recallRates.sample(stats.recalls(), System.nanoTime());
    }
    stats.roundDone(System.nanoTime() - started, map.epoch());
    stats.sampleDrain(System.nanoTime());
    if (unreadable != null) {
      throw unreadable;
    }
  }

  /**
   * Step: move the placement table to this round's map. The shards whose placement changed are
   * planned again; a copy whose pool went down is queued at once as a copy of its shard's range
   * from a surviving copy, ahead of the scans the object-level plan needs, when the shard waits for
   * scans. A shard that does not is planned later in this round, whose copies name their keys and
   * replace the whole-range copy; one leased meanwhile would run beside them and copy nothing.
   */
  private void followMap(
      ClusterMap map, Map<String, PoolAvailability> availability, Instant now, RoundQueue round)
      throws Exception {
    // The index the round's planning uses too (Placement keeps the last one built).
    PlacementIndex index = Placement.placer(map).index();
    if (table == null) {
      table = new PlacementTable(index);
      return;
    }
    if (table.index().map() == map) {
      return;
    }
    PlacementTable.Changes changes = table.update(index);
    schedule.changed(changes.changed());
    int queued = 0;
    int planned = 0;
    Map<String, Boolean> swept = new HashMap<>();
    for (PlacementTable.Repair repair : changes.repairs()) {
      if (plannableNow(repair.shard(), map, availability, now, swept)) {
        planned++;
        continue;
      }
      PoolScan source = views.of(repair.shard().id()).get(repair.source());
      PlannedTask task = repair.task(map.epoch(), source == null ? 0 : source.bytes());
      if (round.tasksOn(task.executor()) < settings.tasksPerPool() && queue.enqueue(task, now)) {
        round.queued(task.executor(), task.priority(), task.bytes());
        queued++;
      }
    }
    LOG.info(
        "cluster map epoch {}: {} shards placed again, {} changed, {} of {} lost copies queued"
            + " to be made again, {} to be planned this round",
        map.epoch(),
        changes.placedAgain(),
        changes.changed().size(),
        queued,
        changes.repairs().size(),
        planned);
  }

  /**
   * Whether the shard is planned in this round from its views: every available pool swept for its
   * dataset ({@code swept} caches that per dataset) and none of its views of them stale.
   */
  private boolean plannableNow(
      Shard shard,
      ClusterMap map,
      Map<String, PoolAvailability> availability,
      Instant now,
      Map<String, Boolean> swept) {
    for (String pool : views.staleOf(shard.id())) {
      if (availability.get(pool) == PoolAvailability.AVAILABLE) {
        return false;
      }
    }
    return swept.computeIfAbsent(
        shard.dataset(),
        dataset ->
            map.pools().keySet().stream()
                .filter(pool -> availability.get(pool) == PoolAvailability.AVAILABLE)
                .allMatch(
                    pool -> views.sweepCurrent(pool, dataset, now, settings.rescanInterval())));
  }

  /**
   * Step: the live balancer (see {@link Balancing}), at most once per {@code balanceInterval}. Held
   * back, it still measures each tier's fill for {@code /metrics}. Its exceptions go into the
   * cluster map; the next rounds place the shards they name again and move their copies.
   */
  private void balance(ClusterMap map, PlanContext ctx, RoundQueue round, int shards, Instant now)
      throws Exception {
    if (now.isBefore(lastBalance.plus(settings.balanceInterval()))) {
      return;
    }
    lastBalance = now;
    Map<CopyState, Long> objects = stats.objects();
    long missing =
        objects.getOrDefault(CopyState.AT_RISK, 0L)
            + objects.getOrDefault(CopyState.UNDER_REPLICATED, 0L);
    boolean paused =
        ctx.paused().contains(MovementSwitch.ALL) || ctx.paused().contains(MovementSwitch.BALANCER);
    Optional<String> held =
        Balancing.held(map, paused, missing, round, schedule.moving(), shards, table.size());
    int maxChanges = held.isPresent() ? 0 : Math.max(1, (int) (settings.misplacedShare() * shards));
    Balancer.Plan plan =
        Balancing.plan(table, this::objectsOf, settings.balanceTarget(), maxChanges);
    tierFill = plan.tierFill();
    balancerHeld = held.orElse(null);
    if (held.isPresent() || plan.moved() == 0) {
      LOG.info(
          "balancer: {}; fullest pool per tier {}",
          held.map(r -> "held back, " + r).orElse("nothing to move"),
          fills(plan.tierFill()));
      return;
    }
    try {
      maps.update(current -> current.withRemaps(plan.table()));
    } catch (IllegalStateException tooLarge) {
      balancerHeld = "its exceptions would not fit the cluster map: " + tooLarge.getMessage();
      LOG.warn("balancer: {}", balancerHeld);
      return;
    }
    LOG.info(
        "balancer: {} copies to move, fullest pool {} -> {} times its share",
        plan.moved(),
        String.format(Locale.ROOT, "%.3f", plan.fillBefore()),
        String.format(Locale.ROOT, "%.3f", plan.fillAfter()));
  }

  /**
   * What a shard's copies under one rule weigh for the balancer: the most objects a scan found of
   * the shard on the rule's pools, or, while none holds it yet (its copies still on their way), on
   * any pool.
   */
  private double objectsOf(Shard shard, List<String> pools) {
    int onRule = 0;
    int anywhere = 0;
    for (PoolScan scan : views.of(shard.id()).values()) {
      int n = scan.objects().size();
      anywhere = Math.max(anywhere, n);
      if (pools.contains(scan.pool())) {
        onRule = Math.max(onRule, n);
      }
    }
    return onRule > 0 ? onRule : anywhere;
  }

  /** Per tier, the fullest pool's fill over the tier's mean, as the balancer last measured it. */
  public Map<String, Double> tierFill() {
    return tierFill;
  }

  /** Why the balancer last held back; null when it last ran free. */
  public String balancerHeld() {
    return balancerHeld;
  }

  /** Each tier's fill with three decimals, in tier order, for the log. */
  private static String fills(Map<String, Double> byTier) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(byTier)
        .forEach(
            (tier, fill) ->
                out.append(out.length() == 0 ? "" : ", ")
                    .append(tier)
                    .append(String.format(Locale.ROOT, " %.3f", fill)));
    return out.length() == 0 ? "(none placed yet)" : out.toString();
  }

  /**
   * Step: a pool that has become available is planned with again, so every shard is due. A lost
   * pool's sweeps are forgotten, so that one back from down is swept again before any shard is
   * planned (copies were made elsewhere, or lost, while it was away); one back within its grace
   * keeps them: no task ran on it meanwhile, and its copies counted all along.
   */
  private void followAvailability(Map<String, PoolAvailability> availability) {
    Set<String> now = new HashSet<>();
    availability.forEach(
        (pool, a) -> {
          if (a == PoolAvailability.AVAILABLE) {
            now.add(pool);
          } else if (a == PoolAvailability.LOST) {
            views.sweepAgain(pool);
          }
        });
    if (!available.containsAll(now)) {
      schedule.clear();
    }
    available = now;
  }

  /** Step: a dataset whose policies changed has its shards planned again. */
  private void followPolicies(PolicySet policies) {
    for (Dataset dataset : datasets) {
      List<StoragePolicy> now = policies.claiming(dataset.name());
      List<StoragePolicy> before = claims.put(dataset.name(), now);
      if (before != null && !before.equals(now)) {
        schedule.datasetChanged(dataset.name());
      }
    }
  }

  /**
   * Step: a dataset whose recalls changed (one added, one whose hold ended) has its shards planned
   * again, so that recalled copies come back, or go, without waiting for a rescan.
   */
  private void followRecalls(List<Recall> now) {
    Map<String, Set<String>> byDataset = new HashMap<>();
    for (Dataset dataset : datasets) {
      for (Recall recall : now) {
        if (recall.covers(dataset.name())) {
          byDataset.computeIfAbsent(dataset.name(), d -> new HashSet<>()).add(recall.id());
        }
      }
    }
    for (Dataset dataset : datasets) {
      Set<String> ids = byDataset.getOrDefault(dataset.name(), Set.of());
      if (!ids.equals(recallsFollowed.getOrDefault(dataset.name(), Set.of()))) {
        schedule.datasetChanged(dataset.name());
      }
    }
    recallsFollowed.clear();
    recallsFollowed.putAll(byDataset);
  }

  /**
   * Step: a dataset whose approved expiries or legal holds changed has its shards planned again, so
   * that an approval destroys, and a hold keeps, without waiting for a rescan.
   */
  private void followExpiries(PlanContext ctx) {
    Map<String, Set<String>> byDataset = new HashMap<>();
    for (Dataset dataset : datasets) {
      Set<String> ids = new HashSet<>();
      for (Expiry expiry : ctx.expiries()) {
        if (expiry.dataset().equals(dataset.name())) {
          ids.add(expiry.id());
        }
      }
      for (LegalHold hold : ctx.holds()) {
        if (hold.dataset() == null || hold.dataset().equals(dataset.name())) {
          ids.add(hold.id());
        }
      }
      if (!ids.equals(expiriesFollowed.getOrDefault(dataset.name(), Set.of()))) {
        schedule.datasetChanged(dataset.name());
      }
      byDataset.put(dataset.name(), ids);
    }
    expiriesFollowed.clear();
    expiriesFollowed.putAll(byDataset);
    Set<String> approved = new HashSet<>();
    ctx.expiries().forEach(e -> approved.add(e.id()));
    expiryRounds.roundStarts(roundSequence.get(), approved);
    coveredCounted.keySet().retainAll(approved);
  }

  /**
   * Step: an approved expiry is done once every shard of its dataset has been planned with it and
   * the last plans show none of the objects it covers left but those a legal hold keeps: its
   * certificate is written, then it is forgotten. A certificate that cannot be written leaves the
   * expiry open for the next round.
   */
  private void finishExpiries(PlanContext ctx, Map<String, List<Shard>> shardsByDataset)
      throws Exception {
    if (ctx.expiries().isEmpty()) {
      return;
    }
    Map<String, ExpiryProgress> progress = stats.expiries();
    Map<String, Long> oldestPlan = new HashMap<>(); // One pass over a dataset's shards a round.
    for (Expiry expiry : ctx.expiries()) {
      List<Shard> shardsOf = shardsByDataset.get(expiry.dataset());
      if (shardsOf == null
          || !expiryRounds.plannedWithAll(
              expiry.id(),
              oldestPlan.computeIfAbsent(
                  expiry.dataset(), d -> expiryRounds.oldestPlan(shardsOf)))) {
        continue;
      }
      ExpiryProgress p = progress.getOrDefault(expiry.id(), ExpiryProgress.NONE);
      if (p.objects() != p.held()) {
        continue;
      }
      try {
        long covered = expiries.covered(expiry.id()).values().stream().mapToLong(n -> n).sum();
        certifier.certify(
            expiry,
            expiries.tally(expiry.id()),
            Math.max(0, covered - p.held()),
            p.held(),
            clock.instant());
        expiries.done(expiry.id());
        expiryRounds.done(expiry.id());
        coveredCounted.remove(expiry.id());
        LOG.info(
            "expiry {} done: dataset {}, policy {}, {} objects held",
            expiry.id(),
            expiry.dataset(),
            expiry.policy(),
            p.held());
      } catch (Exception e) {
        LOG.error(
            "expiry {} is done but its certificate was not written: {}", expiry.id(), e.toString());
      }
    }
  }

  /**
   * Per approved expiry id, the objects it covers still present, by the last plan of each shard.
   */
  public Map<String, ExpiryProgress> expiryProgress() {
    return leading ? stats.expiries() : Map.of();
  }

  /** Per dataset and policy, objects past expiry no approved expiry covers; empty on followers. */
  public Map<Due, ExpiryProgress> expiryDue() {
    return leading ? stats.due() : Map.of();
  }

  /**
   * Each dataset's logical bytes under each policy and their ages, for the capacity history: the
   * datasets every shard of which this leader has planned; empty on followers. One pass over the
   * shards' last plans.
   */
  public List<io.strata.fleet.capacity.CapacitySample.DatasetBytes> datasetBytes() {
    return leading ? stats.stock(policyClock.instant(), shardIds) : List.of();
  }

  /** How this replica's rounds went: the last one, and the failures. */
  public RoundStatus status() {
    return status;
  }

  /**
   * Step: act only as the leader; a replica that has just won a term loads the queue and rescans,
   * also when it led the round before (see {@link FollowedTerm}).
   */
  private boolean followLeadership() throws Exception {
    Leadership.Term term = leadership.term();
    switch (followed.next(term)) {
      case LOAD -> {
        followed.loaded(null);
        dispatcher.newTerm();
        queue.load();
        scrubs.load();
        views.clear();
        forgetPlans();
        shardIds = Map.of();
        shardLists = Map.of();
        leading = true;
        leadingSince = clock.instant();
        followed.loaded(term);
        LOG.info(
            "reconciler active at epoch {}: {} tasks resumed from the queue",
            term.epoch(),
            queue.all().size());
      }
      case IDLE -> {
        leading = false;
        followed.loaded(null);
        views.clear();
        forgetPlans();
        shardIds = Map.of();
        shardLists = Map.of();
        stats.clearShards();
        LOG.info("reconciler idle: this replica no longer leads");
      }
      case STAY -> {
        // The same term as the last round, or still following.
      }
    }
    return term != null;
  }

  /** A new leader plans every shard afresh, on its own scans. */
  private void forgetPlans() {
    table = null;
    lastBalance = Instant.MIN;
    balancerHeld = "not run yet";
    available = Set.of();
    schedule.forget();
    claims.clear();
    recallsFollowed.clear();
    expiriesFollowed.clear();
    expiryRounds.forget();
    coveredCounted.clear();
    scrubChecks.clear();
  }

  private PlanContext context(ClusterMap map, Map<String, PoolAvailability> availability)
      throws Exception {
    Map<String, Set<String>> landing = new HashMap<>();
    Set<String> keep = new HashSet<>();
    for (Dataset d : datasets) {
      landing.put(d.name(), Set.copyOf(d.landingPools()));
      if (d.keepLandingCopy()) {
        keep.add(d.name());
      }
    }
    Instant now = policyClock.instant();
    holding = recalls.holding(now);
    standing = expiries.holds();
    return new PlanContext(
        map,
        policies.get(),
        availability,
        landing,
        keep,
        movement.paused(),
        now,
        holding,
        expiries.expiries(),
        standing);
  }

  /**
   * Step: have every available pool swept for the dataset (every shard's view of it in one listing,
   * see {@link PoolViews}) once per {@code rescanInterval}, asked for again at half of it so that a
   * sweep still running never leaves the view expired. Returns true when every available pool has a
   * current sweep, so that the dataset's shards may be planned.
   */
  private boolean requestSweeps(
      Dataset dataset,
      ClusterMap map,
      Map<String, PoolAvailability> availability,
      Instant now,
      RoundQueue round)
      throws Exception {
    Duration maxAge = settings.rescanInterval();
    boolean current = true;
    for (Pool pool : map.pools().values()) {
      if (availability.get(pool.id()) != PoolAvailability.AVAILABLE) {
        continue;
      }
      Instant at = views.sweptAt(pool.id(), dataset.name());
      current &= views.sweepCurrent(pool.id(), dataset.name(), now, maxAge);
      if ((at != null && !at.plus(maxAge.dividedBy(2)).isBefore(now))
          || !round.claimScan(dataset.name(), KeyRange.ALL, pool.id())) {
        continue;
      }
      String id =
          "sweep-" + Long.toHexString(now.toEpochMilli()) + "-" + scanSequence.incrementAndGet();
      Task task =
          listing(
              Task.scan(id, dataset.name(), KeyRange.ALL, pool.id(), map.epoch()), dataset.name());
      queue.enqueue(new PlannedTask(task, TaskPriority.SCAN, pool.id(), 0), now);
    }
    return current;
  }

  /**
   * The scan with its listing, and with the DICOM header of each object read when a policy that
   * claims the dataset selects on a DICOM attribute or counts age from the StudyDate: the agents
   * pay a ranged GET per new object only where a policy uses what it reads.
   */
  private Task listing(Task scan, String dataset) {
    boolean dicom =
        policies.get().claiming(dataset).stream().anyMatch(StoragePolicy::usesDicom)
            || holding.stream().anyMatch(r -> r.needsHeaders() && r.covers(dataset))
            || standing.stream()
                .anyMatch(
                    h -> h.needsHeaders() && (h.dataset() == null || h.dataset().equals(dataset)));
    return dicom ? scan.withListing().withDicomHeaders() : scan.withListing();
  }

  /**
   * Step: have every available pool whose view of the shard is stale (a task changed or read the
   * shard there) scan it again. Returns true when none is, so that planning may proceed.
   */
  private boolean requestScans(
      Shard shard,
      ClusterMap map,
      Map<String, PoolAvailability> availability,
      Instant now,
      RoundQueue round)
      throws Exception {
    boolean complete = true;
    for (String pool : views.staleOf(shard.id())) {
      if (availability.get(pool) != PoolAvailability.AVAILABLE) {
        continue;
      }
      complete = false;
      if (!round.claimScan(shard.dataset(), shard.range(), pool)) {
        continue;
      }
      String id =
          "scan-" + Long.toHexString(now.toEpochMilli()) + "-" + scanSequence.incrementAndGet();
      Task task =
          listing(
              Task.scan(id, shard.dataset(), shard.range(), pool, map.epoch()), shard.dataset());
      queue.enqueue(new PlannedTask(task, TaskPriority.SCAN, pool, 0), now);
    }
    return complete;
  }

  /**
   * Adds the shard's copies due for a scrub (a re-read against their checksums, see {@link
   * ScrubSchedule}) to {@code out}: those on available pools, with no scrub pending or queued
   * lately. A shard none of whose copies is due is not looked at again before the first of them
   * falls due, as long as its views and the scrubs' {@link Scrubs#sooner} stay as they were: every
   * round asked this of every copy of every shard, and at 100,000 shards that was two thirds of a
   * round's CPU.
   */
  private void dueScrubs(
      Shard shard,
      Map<String, PoolAvailability> availability,
      Instant now,
      RoundQueue round,
      List<ScrubSchedule.Candidate> out) {
    long version = views.version(shard.id());
    long sooner = scrubs.sooner();
    ScrubCheck checked = scrubChecks.get(shard.id());
    if (checked != null
        && checked.version() == version
        && checked.sooner() == sooner
        && now.isBefore(checked.next())) {
      return;
    }
    Instant next = Instant.MAX;
    for (PoolScan scan : views.of(shard.id()).values()) {
      String pool = scan.pool();
      if (scan.objects().isEmpty()) {
        continue;
      }
      Instant due = scrubs.dueAt(shard.id(), pool, now);
      if (due.isAfter(now)) {
        next = due.isBefore(next) ? due : next;
        continue;
      }
      next = now; // Due: looked at again next round, queued or not.
      if (availability.get(pool) != PoolAvailability.AVAILABLE || round.scrubPending(shard, pool)) {
        continue;
      }
      out.add(new ScrubSchedule.Candidate(shard, scan, scrubs.lastVerified(shard.id(), pool, now)));
    }
    scrubChecks.put(shard.id(), new ScrubCheck(version, sooner, next));
  }

  /**
   * What {@link #dueScrubs} found of a shard: none of its copies due before {@code next}, with the
   * shard's views at {@code version} and the scrubs at {@code sooner}.
   */
  private record ScrubCheck(long version, long sooner, Instant next) {}

  /**
   * Step: queue the scrubs due, those verified longest ago first, within each pool's {@code
   * tasksPerPool}; routine ones take at most a quarter of it, those nearing {@code scrubDeadline}
   * any slot left (see {@link ScrubSchedule}). Each carries its bytes, which the pool's scrub
   * budget ({@code scrubBytesPerSecond}) is charged when it is leased. Then the verification times
   * recorded since the last round are kept.
   */
  private void requestScrubs(List<ScrubSchedule.Candidate> due, Instant now, RoundQueue round)
      throws Exception {
    int routineShare = Math.max(1, settings.tasksPerPool() / 4);
    Map<String, Integer> free = new HashMap<>();
    Map<String, Integer> routine = new HashMap<>();
    for (ScrubSchedule.Candidate c : due) {
      free.computeIfAbsent(c.pool(), p -> settings.tasksPerPool() - round.tasksOn(p));
      routine.computeIfAbsent(c.pool(), p -> routineShare - round.scrubsOn(p));
    }
    for (ScrubSchedule.Scrub scrub :
        ScrubSchedule.pick(due, now, settings.scrubs(), free, routine)) {
      ScrubSchedule.Candidate c = scrub.candidate();
      if (!round.claimScrub(c.shard(), c.pool())) {
        continue;
      }
      String id =
          "verify-" + Long.toHexString(now.toEpochMilli()) + "-" + scanSequence.incrementAndGet();
      Task task =
          Task.verify(id, c.shard().dataset(), c.shard().range(), c.pool(), c.scan().epoch());
      queue.enqueue(new PlannedTask(task, scrub.priority(), c.pool(), c.bytes()), now);
      round.scrubQueued(c.pool(), scrub.priority());
      scrubs.queued(c.shard().id(), c.pool(), now);
    }
    int unwritten = scrubs.flush();
    if (unwritten > 0) {
      LOG.warn("scrubs: {} records of verification times not written, tried again", unwritten);
    }
  }

  /**
   * The facts the planner sees of one object beyond its own metadata: its metadata with its study's
   * StudyDate and Modality ({@link ObjectFacts}), from the DICOM headers this leader's scans of the
   * shard read, as the shard's plan takes them. Of each key, a listed copy whose header was read is
   * preferred. Empty on a follower (its views are not kept) and when no scan lists the key.
   */
  public Optional<Map<String, String>> planningFacts(String shardId, String key) {
    if (!leading) {
      return Optional.empty();
    }
    Map<String, ListedObject> byKey = new HashMap<>();
    for (PoolScan scan : views.of(shardId).values()) {
      for (ListedObject o : scan.objects().values()) {
        byKey.merge(o.key(), o, (kept, other) -> kept.dicom() != null ? kept : other);
      }
    }
    ListedObject self = byKey.get(key);
    if (self == null) {
      return Optional.empty();
    }
    return Optional.of(ObjectFacts.metadata(self, ObjectFacts.studies(byKey.values())));
  }

  /**
   * Per pool, the bytes its copies hold, the days one scrub of them all takes at {@code
   * scrubBytesPerSecond}, whether that fits {@code scrubDeadline}, and the copies past it; empty on
   * followers. One pass over every key of the scans: for a scrape, not for every round.
   */
  public Map<String, ScrubSchedule.PoolFigures> scrubFigures() {
    if (!leading) {
      return Map.of();
    }
    Instant now = clock.instant();
    FiguresAt last = figures;
    if (last != null && last.at().plus(settings.interval()).isAfter(now)) {
      return last.figures(); // The gauges of one scrape share one pass.
    }
    List<ScrubSchedule.Held> held = new ArrayList<>();
    views
        .all()
        .forEach(
            (shardId, scans) ->
                scans.values().stream()
                    .filter(scan -> !scan.objects().isEmpty())
                    .forEach(
                        scan ->
                            held.add(
                                new ScrubSchedule.Held(
                                    scan.pool(),
                                    scan.bytes(),
                                    scrubs.lastVerified(shardId, scan.pool(), now)))));
    Map<String, ScrubSchedule.PoolFigures> out =
        ScrubSchedule.figures(held, now, settings.scrubs());
    figures = new FiguresAt(now, out);
    return out;
  }

  private record FiguresAt(Instant at, Map<String, ScrubSchedule.PoolFigures> figures) {}

  private volatile FiguresAt figures;

  /** Copies that scrubs found not to match their checksum and that are not repaired yet. */
  public long copiesFailingScrub() {
    return scrubs.wrongCopies();
  }

  /** Step: plan the shard and queue what the throttles allow. */
  private void planShard(Shard shard, PlanContext ctx, Instant now, RoundQueue round)
      throws Exception {
    ShardPlan shardPlan =
        ShardPlanner.plan(shard, views.of(shard.id()), scrubs.wrongIn(shard.id()), ctx);
    stats.shardPlanned(shard.id(), shardPlan);
    expiryRounds.planned(shard.id());
    countCovered(shard, shardPlan);
    table.record(shard, shardPlan.placements());
    schedule.planned(shard, shardPlan, views.version(shard.id()), now, ctx.now());
    shardPlan.rescan().forEach(pool -> views.markStale(shard, pool, now));
    List<PlannedTask> plan = shardPlan.tasks();
    for (PlannedTask p : plan) {
      if (queue.get(p.task().id()).isPresent()) {
        continue;
      }
      if (round.tasksOn(p.executor()) >= settings.tasksPerPool()) {
        continue;
      }
      if (p.priority() == TaskPriority.INGEST
          && round.ingestOn(shard.dataset(), p.executor()) >= settings.ingestTasksPerDataset()) {
        continue; // The pool's other slots are for the other hospitals' new studies.
      }
      if (RoundQueue.isVoluntary(p.priority()) && !round.admitsVoluntary(p.bytes())) {
        continue; // The misplaced cap: voluntary movement waits for queued work to finish.
      }
      if (queue.enqueue(p, now)) {
        round.queued(shard.dataset(), p.executor(), p.priority(), p.bytes());
      }
    }
    queue.retainPlanned(shard.dataset(), shard.range().start(), plan);
  }

  /**
   * Counts, for each approved expiry, the objects it covers in the shard the first time the shard
   * is planned with it: before this plan's deletions are queued, so that none of them is gone yet,
   * and kept in ZooKeeper first, so that a crash after the count leaves it counted and a crash
   * before it leaves nothing queued. Its certificate sums them (see {@link #finishExpiries}).
   */
  private void countCovered(Shard shard, ShardPlan plan) throws Exception {
    for (var e : plan.expiries().entrySet()) {
      long objects = e.getValue().objects();
      if (objects == 0) {
        continue;
      }
      Set<String> counted = coveredCounted.get(e.getKey());
      if (counted == null) {
        counted = new HashSet<>(expiries.covered(e.getKey()).keySet());
        coveredCounted.put(e.getKey(), counted);
      }
      if (!counted.contains(shard.id())) {
        expiries.countCovered(e.getKey(), shard.id(), objects);
        counted.add(shard.id());
      }
    }
  }

  /**
   * Handles the task side of a heartbeat (see {@link Dispatcher}). Only the leader answers;
   * followers point the agent to it.
   *
   * @return what to hand the agent; null when this replica does not lead
   */
  public Dispatcher.Dispatch onHeartbeat(Heartbeat beat) throws Exception {
    if (!leading || !followed.isCurrent(leadership.term())) {
      return null;
    }
    return dispatcher.onHeartbeat(beat);
  }

  /**
   * Whether the queue holds a task one of {@code pools}' agent could lease now; false when this
   * replica does not lead. For an agent's wait for work (see {@link
   * io.strata.controller.relay.WorkSignals}).
   */
  public boolean hasWorkFor(Set<String> pools) {
    if (!leading || !followed.isCurrent(leadership.term())) {
      return false;
    }
    return queue.hasLeasable(pools, clock.instant());
  }

  /**
   * The pools whose agents could lease queued work now, and when work held back by time could
   * become leasable (see {@link TaskQueue#leasable}); nothing when this replica does not lead.
   */
  public TaskQueue.Leasable workLeasable() {
    if (!leading || !followed.isCurrent(leadership.term())) {
      return new TaskQueue.Leasable(Set.of(), null);
    }
    return queue.leasable(clock.instant());
  }

  /**
   * Adds the expiry deletions a batch of heartbeats reports to their tallies, one write per expiry
   * for the whole batch, before {@link #onHeartbeat} records each of them (which then counts none
   * of them again). Only the leader counts; followers do nothing.
   */
  public void tallyHeartbeats(List<Heartbeat> beats) throws Exception {
    if (!leading || !followed.isCurrent(leadership.term())) {
      return;
    }
    dispatcher.tally(beats);
  }

  /** Progress of every draining pool; empty on followers. */
  public List<DrainProgress> drains() {
    if (!leading) {
      return List.of();
    }
    ClusterMap map = maps.current();
    List<DrainProgress> out = new ArrayList<>();
    for (Pool pool : map.pools().values()) {
      if (map.effectiveState(pool) != io.strata.topology.DomainState.DRAINING) {
        continue;
      }
      long[] held = views.held(pool.id());
      long objects = held[0];
      long bytes = held[1];
      double rate = stats.drainRate();
      Long eta = null;
      if (bytes == 0) {
        eta = 0L;
      } else if (rate > 0) {
        eta = (long) Math.ceil(bytes / rate);
      }
      out.add(new DrainProgress(pool.id(), objects, bytes, eta));
    }
    return out;
  }

  /** This replica does not lead, so it has no placements to preview a change on. */
  public static final class NotLeadingException extends Exception {
    NotLeadingException() {
      super("this replica does not lead; ask the leader");
    }
  }

  /**
   * What changing the cluster map from {@code before} to {@code after} would move, worked out on
   * the reconcile thread between two rounds from the placements of the last round and the shards'
   * scans; changes nothing.
   *
   * @param rates the movement budgets in force
   * @param wait how long to wait for the round in progress to end
   * @throws NotLeadingException on a follower
   * @throws TimeoutException when the round in progress did not end within {@code wait}
   */
  public ChangePreview.Report preview(
      ClusterMap before, ClusterMap after, MovementBudgets.Rates rates, Duration wait)
      throws NotLeadingException, TimeoutException, InterruptedException, ExecutionException {
    return betweenRounds(
        () -> {
          ChangePreview preview = new ChangePreview(before, after);
          if (table != null) {
            table.forEach(
                (shard, rule, pools) ->
                    preview.add(shard, rule, pools, copyBytes(shard.id(), pools), policyOf(shard)));
          }
          return preview.report(rates);
        },
        wait);
  }

  /**
   * What putting the policy set {@code now} in force would move: every object of every shard the
   * leader has placed whose rule changes, by its scans; worked out as {@link #preview} is.
   */
  public ChangePreview.Report previewPolicies(
      PolicySet now, MovementBudgets.Rates rates, Duration wait)
      throws NotLeadingException, TimeoutException, InterruptedException, ExecutionException {
    return betweenRounds(
        () -> {
          ClusterMap map = maps.current();
          ChangePreview preview = new ChangePreview(map, map);
          if (table != null) {
            Map<String, Shard> placed = new LinkedHashMap<>();
            table.forEach((shard, rule, pools) -> placed.putIfAbsent(shard.id(), shard));
            PolicySet was = policies.get();
            Instant at = policyClock.instant();
            for (Shard shard : placed.values()) {
              preview.addObjects(shard, views.of(shard.id()), was, now, at);
            }
          }
          return preview.report(rates);
        },
        wait);
  }

  /**
   * For each of {@code domains}, the other domains at {@code level} that hold copies of the shards
   * it holds copies of, by the placements of the last round; worked out as {@link #preview} is. One
   * pass over the placements: at a million shards, a second or so.
   */
  public Map<String, Set<String>> sharingCopies(
      Set<String> domains, DomainLevel level, Duration wait)
      throws NotLeadingException, TimeoutException, InterruptedException, ExecutionException {
    return betweenRounds(
        () -> table == null ? Map.of() : SharedShards.of(table, domains, level), wait);
  }

  /** Runs {@code work} on the reconcile thread once the round in progress has ended. */
  private <T> T betweenRounds(Callable<T> work, Duration wait)
      throws NotLeadingException, TimeoutException, InterruptedException, ExecutionException {
    ScheduledExecutorService thread = scheduler;
    if (!leading || thread == null) {
      throw new NotLeadingException();
    }
    Future<T> result = thread.submit(work);
    try {
      return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw e;
    }
  }

  /**
   * What a copy of a shard on {@code pools} holds: the most any of them holds of it, by their scans
   * (a copy still being made holds less); 0 when none was scanned.
   */
  private long copyBytes(String shardId, List<String> pools) {
    Map<String, PoolScan> scans = views.of(shardId);
    long bytes = 0;
    for (String pool : pools) {
      PoolScan scan = scans.get(pool);
      bytes = scan == null ? bytes : Math.max(bytes, scan.bytes());
    }
    return bytes;
  }

  /** The policy that governs the shard's dataset, if one does. */
  private String policyOf(Shard shard) {
    List<StoragePolicy> governing = claims.get(shard.dataset());
    return governing == null || governing.isEmpty() ? null : governing.get(0).name();
  }

  /**
   * Per recall id, the objects it names and those of them on the hot tier, by the last plan of each
   * shard; empty on followers.
   */
  public Map<String, RecallProgress> recallProgress() {
    return leading ? stats.recalls() : Map.of();
  }

  /** Seconds until the recall's remaining bytes are hot at its recent rate; null when unknown. */
  public Long recallEta(String id, RecallProgress progress) {
    return recallRates.etaSeconds(id, progress);
  }

  /**
   * Whether the leader's scans hold an object that {@code recall} names, worked out as {@link
   * #preview} is. A study or a patient is found only in datasets whose scans read DICOM headers
   * (those a policy selects on a DICOM field for, or that a recall by study or patient holds).
   */
  public boolean namesAnObject(Recall recall, Duration wait)
      throws NotLeadingException, TimeoutException, InterruptedException, ExecutionException {
    return betweenRounds(
        () -> {
          for (Dataset dataset : datasets) {
            if (!recall.covers(dataset.name())) {
              continue;
            }
            for (Shard shard : shards.shards(dataset.name())) {
              for (PoolScan scan : views.of(shard.id()).values()) {
                for (var object : scan.objects().values()) {
                  if (recall.names(dataset.name(), object)) {
                    return true;
                  }
                }
              }
            }
          }
          return false;
        },
        wait);
  }

  /**
   * Per dataset, its objects and copies by the leader's last scans, by site and room, and those
   * verified by content within 30 days (see {@link DurabilityLedger}); empty on followers. One pass
   * over the shards' scans, and over every key with {@code countObjects}: for a scrape or a call,
   * not for every round.
   */
  public Map<String, DurabilityLedger.Dataset> ledger(boolean countObjects) {
    if (!leading) {
      return Map.of();
    }
    DurabilityLedger ledger =
        new DurabilityLedger(maps.current(), clock.instant(), scrubs::verifiedAt);
    datasets.forEach(d -> ledger.include(d.name()));
    views
        .all()
        .forEach(
            (shardId, scans) ->
                ledger.add(
                    shardId.substring(0, Math.max(0, shardId.lastIndexOf(':'))),
                    shardId,
                    scans,
                    scrubs.wrongIn(shardId),
                    countObjects));
    return ledger.datasets();
  }

  /**
   * Every copy of every object of study {@code uid} in {@code dataset} by the leader's last scans,
   * with when each was last verified by content; null when the scans hold none, or on followers.
   * One pass over every key of the dataset's scans.
   */
  public DurabilityLedger.Study studyLedger(String dataset, String uid) {
    List<DurabilityLedger.StudyCopy> copies = new ArrayList<>();
    forEachCopy(
        dataset,
        o -> o.dicom() != null && uid.equals(o.dicom().studyInstanceUid()),
        (o, c) -> copies.add(c));
    return copies.isEmpty() ? null : DurabilityLedger.study(dataset, uid, copies, clock.instant());
  }

  /**
   * Every copy of each object of {@code dataset} that {@code which} selects, by the leader's last
   * scans, shard by shard in key order, with when it was last verified by content; nothing on
   * followers. One pass over the dataset's keys, holding nothing but the shard at hand.
   */
  public void forEachCopy(
      String dataset,
      Predicate<ListedObject> which,
      BiConsumer<ListedObject, DurabilityLedger.StudyCopy> out) {
    if (!leading) {
      return;
    }
    ClusterMap map = maps.current();
    new TreeMap<>(views.all())
        .forEach(
            (shardId, scans) -> {
              if (shardId.startsWith(dataset + ":")) {
                DurabilityLedger.copies(
                    map, shardId, scans, scrubs.wrongIn(shardId), which, scrubs::verifiedAt, out);
              }
            });
  }

  /**
   * Per dataset, seconds since its oldest fresh upload not yet placed landed (0 when every upload
   * is placed), by the leader's last plans; empty on followers.
   */
  public Map<String, Double> ingestLagSeconds() {
    if (!leading) {
      return Map.of();
    }
    Instant now = clock.instant();
    Map<String, Instant> landed = stats.landedSince();
    Map<String, Double> out = new TreeMap<>();
    for (Dataset d : datasets) {
      Instant at = landed.get(d.name());
      out.put(
          d.name(), at == null ? 0 : Math.max(0, Duration.between(at, now).toMillis()) / 1000.0);
    }
    return out;
  }

  /** Since when this replica leads. */
  public Instant leadingSince() {
    return leadingSince;
  }

  /** Counters of the reconciler, for metrics and the API. */
  public ReconcileStats stats() {
    return stats;
  }

  /** The leader's last scan of each pool, per shard; empty on followers. */
  public Map<String, Map<String, PoolScan>> scans() {
    return views.all();
  }

  public boolean isLeading() {
    return leading;
  }
}
