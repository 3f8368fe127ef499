package io.strata.controller.capacity;

import io.dropwizard.lifecycle.Managed;
import io.strata.controller.s3.SystemDataset;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.capacity.CapacitySeries;
import io.strata.runtime.DaemonScheduler;
import io.strata.topology.ClusterMap;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capacity report of each month, kept in the system dataset ({@code
 * reports/capacity/YYYY-MM.pdf} and {@code .xlsx}): the leader writes the month's report (the
 * forecast by site on the trend, with its charts) once the month has begun and the history has two
 * samples, and never rewrites it, so that what planners were shown stays on record. Every replica
 * lists and serves them; each keeps the list in memory, read again at each look, so that asking for
 * it does not list the pools.
 *
 * <p>Thread-safe. Must be started once and eventually stopped.
 */
public final class MonthlyReports implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(MonthlyReports.class);

  static final String PREFIX = "reports/capacity/";

  /** The name of a month's report: {@code 2026-11.pdf} or {@code 2026-11.xlsx}. */
  static final Pattern NAME = Pattern.compile("\\d{4}-\\d{2}\\.(pdf|xlsx)");

  /** How often each replica reads the list again, and the leader looks whether to write. */
  static final Duration LOOK = Duration.ofMinutes(10);

  private final SystemDataset dataset;
  private final CapacityHistory history;
  private final Supplier<ClusterMap> map;
  private final BooleanSupplier leader;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  /** The months whose reports this replica knows are written. */
  private final Set<YearMonth> written = new HashSet<>();

  /** The reports kept, newest first, as the last look found them; null before the first. */
  private volatile List<SystemDataset.Listed> kept;

  public MonthlyReports(
      SystemDataset dataset,
      CapacityHistory history,
      Supplier<ClusterMap> map,
      BooleanSupplier leader,
      Clock clock) {
    this.dataset = dataset;
    this.history = history;
    this.map = map;
    this.leader = leader;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    scheduler = DaemonScheduler.named("capacity-reports");
    long every = Math.min(LOOK.toMillis(), history.interval().toMillis());
    scheduler.scheduleWithFixedDelay(this::look, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  private void look() {
    try {
      if (writeIfDue().isEmpty()) {
        readList();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("capacity report of the month: {}", e.toString());
    }
  }

  /**
   * Writes this month's report, when this replica leads, the history has two samples, and the pools
   * do not hold it yet.
   *
   * @return the names written; empty when there was nothing to write
   */
  public synchronized List<String> writeIfDue() throws IOException {
    YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    List<CapacitySample> samples = history.samples();
    if (!leader.getAsBoolean() || written.contains(month) || samples.size() < 2) {
      return List.of();
    }
    Set<String> there = new HashSet<>();
    dataset.list(PREFIX + month).forEach(o -> there.add(o.key()));
    List<String> names = List.of(month + ".pdf", month + ".xlsx");
    List<String> made = new java.util.ArrayList<>();
    CapacityResource.ForecastView view = null;
    List<CapacitySeries> series = null;
    for (String name : names) {
      if (there.contains(PREFIX + name)) {
        continue;
      }
      if (view == null) {
        ClusterMap current = map.get();
        view =
            CapacityResource.view(
                history, samples, current, clock.instant(), "site", "1", List.of());
        series = CapacitySeries.of(current, samples, history.window());
      }
      byte[] body =
          name.endsWith(".pdf")
              ? CapacityPdf.write(view, series)
              : CapacityWorkbook.write(view, series);
      dataset.put(PREFIX + name, body);
      made.add(name);
    }
    written.add(month);
    if (!made.isEmpty()) {
      LOG.info("capacity report of {} written: {}", month, made);
      readList();
    }
    return made;
  }

  /** The reports kept, newest first, as this replica last read them from the pools. */
  public List<SystemDataset.Listed> list() {
    List<SystemDataset.Listed> known = kept;
    return known != null ? known : readList();
  }

  private List<SystemDataset.Listed> readList() {
    List<SystemDataset.Listed> out = new java.util.ArrayList<>();
    for (SystemDataset.Listed o : dataset.list(PREFIX)) {
      if (NAME.matcher(o.key().substring(PREFIX.length())).matches()) {
        out.add(o);
      }
    }
    out.sort((a, b) -> b.key().compareTo(a.key()));
    kept = List.copyOf(out);
    return kept;
  }

  /** A report's bytes; empty when no reachable pool has it or the name is not a report's. */
  public Optional<byte[]> read(String name) {
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    byte[][] found = {null};
    dataset.readEach(
        PREFIX + name,
        (key, in) -> {
          if (found[0] == null) {
            found[0] = in.readAllBytes();
          }
        });
    return Optional.ofNullable(found[0]);
  }
}
