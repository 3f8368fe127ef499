package io.strata.controller.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.controller.audit.AuditChain;
import io.strata.controller.s3.SystemDataset;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.runtime.DaemonScheduler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capacity history: at every interval the leader writes a {@link CapacitySample} of the fleet
 * (each pool's use, each dataset's logical bytes, and once a day their ages) to the system dataset
 * ({@code capacity/YYYY/MM/DD/<millis>-<replica>.json}), and every replica reads the samples of the
 * window back from there, so that whichever replica a planner asks forecasts from the same history,
 * and a new leader goes on with it. Samples older than the window are dropped from memory, not from
 * the pools.
 *
 * <p>Each replica looks every {@link #TICK} (or every interval, when shorter): the leader samples
 * once the newest sample of the history is an interval old, so a new leader keeps the cadence and a
 * sample that could not be taken (no agent had counted yet, no pool took it) is taken at the next
 * look, not an interval later. A replica reads the whole window at its first look, then, once the
 * next sample is due, the days from its newest sample on.
 *
 * <p>Thread-safe. Must be started once and eventually stopped.
 */
public final class CapacityHistory implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(CapacityHistory.class);

  static final String PREFIX = "capacity/";

  /** How often each replica looks, at most. */
  static final Duration TICK = Duration.ofSeconds(10);

  private final SystemDataset dataset;
  private final Supplier<CapacitySample> fleet;
  private final BooleanSupplier leader;
  private final String replica;
  private final Clock clock;
  private final Duration interval;
  private final Duration window;
  private final Duration keep;
  private final ObjectMapper json;

  /** By key: keys sort by time. */
  private final TreeMap<String, CapacitySample> samples = new TreeMap<>();

  /**
   * The pools of the newest sample kept; a sample of the same pools shares this list, so that a
   * window of samples holds each pool id once, not once per sample (720 samples of 10,000 pools
   * would otherwise hold seven million strings).
   */
  private List<String> sharedPools = List.of();

  /** When the leader last deleted samples older than {@code keep}; null before the first time. */
  private Instant lastPruned;

  private ScheduledExecutorService scheduler;
  private volatile String lastError;

  /**
   * @param fleet takes a sample of the fleet as it is now
   * @param leader whether this replica leads: only the leader writes samples
   * @param interval between samples, and between reads of the history
   * @param window how much history is kept in memory and fitted
   * @param keep how long the leader keeps samples on the pools; at least {@code window}
   */
  public CapacityHistory(
      SystemDataset dataset,
      Supplier<CapacitySample> fleet,
      BooleanSupplier leader,
      String replica,
      Clock clock,
      Duration interval,
      Duration window,
      Duration keep,
      ObjectMapper json) {
    if (keep.compareTo(window) < 0) {
      throw new IllegalArgumentException(
          "capacity.keep (" + keep + ") must be at least capacity.window (" + window + ")");
    }
    this.dataset = dataset;
    this.fleet = fleet;
    this.leader = leader;
    this.replica = replica;
    this.clock = clock;
    this.interval = interval;
    this.window = window;
    this.keep = keep;
    this.json = json;
  }

  @Override
  public synchronized void start() {
    if (scheduler != null) {
      throw new IllegalStateException("capacity history already started");
    }
    scheduler = DaemonScheduler.named("capacity-history");
    long every = Math.min(interval.toMillis(), TICK.toMillis());
    scheduler.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /**
   * One look: once a sample is due (the newest is an interval old), every replica reads what is new
   * on the pools, and the leader samples if it is still due. Between samples no replica lists the
   * pools.
   */
  public void tick() {
    try {
      if (due()) {
        refresh();
      }
      if (leader.getAsBoolean() && due()) {
        CapacitySample sample = fleet.get();
        // Before any agent has counted a pool there is nothing to keep.
        if (!sample.pools().isEmpty()) {
          record(agesRecorded(sample) ? sample.withoutAges() : sample);
        }
      }
      if (leader.getAsBoolean()) {
        prune();
      }
      lastError = null;
    } catch (IOException | RuntimeException e) {
      lastError = e.getMessage();
      LOG.warn("capacity history: {}", e.toString());
    }
  }

  /** Writes {@code sample} to the system dataset, and keeps it. */
  public void record(CapacitySample sample) throws IOException {
    String key = key(sample.at(), replica);
    dataset.put(key, json.writeValueAsBytes(sample));
    keep(key, sample);
  }

  /**
   * Whether a sample of the same UTC day as {@code sample} already carries the datasets' ages: the
   * first of each day does, so that a day adds one age profile per dataset to the history, not one
   * per sample (200 datasets' profiles are about 500 KB).
   */
  boolean agesRecorded(CapacitySample sample) {
    LocalDate day = sample.at().atZone(ZoneOffset.UTC).toLocalDate();
    synchronized (samples) {
      for (CapacitySample s :
          samples.tailMap(key(day.atStartOfDay(ZoneOffset.UTC).toInstant(), "")).values()) {
        if (s.hasAges() && s.at().atZone(ZoneOffset.UTC).toLocalDate().equals(day)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Deletes the samples older than {@code keep} from the pools, at most once a day: at the leader's
   * first look, then a day after the last time it did.
   */
  void prune() throws IOException {
    Instant now = clock.instant();
    if (lastPruned != null && now.isBefore(lastPruned.plus(Duration.ofDays(1)))) {
      return;
    }
    int deleted = dataset.deleteBefore(PREFIX, key(now.minus(keep), ""));
    lastPruned = now;
    if (deleted > 0) {
      LOG.info("capacity history: deleted {} samples older than {}", deleted, keep);
    }
  }

  /** Whether the newest sample is an interval old, or there is none. */
  private boolean due() {
    synchronized (samples) {
      return samples.isEmpty()
          || !clock.instant().isBefore(samples.lastEntry().getValue().at().plus(interval));
    }
  }

  /**
   * Reads the samples not read yet (of the whole window when none is known, else from the day of
   * the newest known one), and forgets those before the window.
   */
  public void refresh() throws IOException {
    Instant now = clock.instant();
    Instant from = now.minus(window);
    Instant readFrom;
    synchronized (samples) {
      samples.headMap(key(from, "")).clear();
      readFrom = samples.isEmpty() ? from : samples.lastEntry().getValue().at();
    }
    LocalDate last = now.atZone(ZoneOffset.UTC).toLocalDate();
    String firstKey = key(from, "");
    for (LocalDate d = readFrom.atZone(ZoneOffset.UTC).toLocalDate();
        !d.isAfter(last);
        d = d.plusDays(1)) {
      dataset.readAll(
          PREFIX + day(d),
          key -> key.endsWith(".json") && key.compareTo(firstKey) >= 0 && !known(key),
          (key, in) -> keep(key, json.readValue(in, CapacitySample.class)),
          false);
    }
  }

  private void keep(String key, CapacitySample sample) {
    synchronized (samples) {
      if (sample.pools().equals(sharedPools)) {
        sample = new CapacitySample(sample.at(), sharedPools, sample.used(), sample.datasets());
      } else {
        sharedPools = sample.pools();
      }
      samples.put(key, sample);
    }
  }

  private boolean known(String key) {
    synchronized (samples) {
      return samples.containsKey(key);
    }
  }

  /** The samples of the window, oldest first. */
  public List<CapacitySample> samples() {
    synchronized (samples) {
      return new ArrayList<>(samples.values());
    }
  }

  /** Why the last round failed; empty when it did not. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  public Duration interval() {
    return interval;
  }

  public Duration window() {
    return window;
  }

  public static String key(Instant at, String replica) {
    LocalDate d = at.atZone(ZoneOffset.UTC).toLocalDate();
    return PREFIX
        + day(d)
        + "%013d".formatted(at.toEpochMilli())
        + (replica.isEmpty() ? "" : "-" + AuditChain.safe(replica) + ".json");
  }

  private static String day(LocalDate d) {
    return "%04d/%02d/%02d/".formatted(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }
}
