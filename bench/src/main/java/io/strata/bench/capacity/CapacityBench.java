package io.strata.bench.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.bench.BenchArgs;
import io.strata.bench.Samples;
import io.strata.bench.placement.BenchFleet;
import io.strata.controller.capacity.CapacityPlanner;
import io.strata.controller.capacity.CapacityPlanner.PlanRequest;
import io.strata.fleet.capacity.AgeProfile;
import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.capacity.CapacitySeries;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code strata bench capacity [--rooms 20] [--racks-per-room 500] [--nodes-per-rack 1] [--samples
 * 720] [--datasets 200] [--rounds 5]}: the capacity planner at fleet scale, in memory. A fleet of
 * one pool per node (10,000 by default), a history of {@code --samples} hourly samples (720: the
 * default 30-day window) of every pool's use, each growing at its own rate, and of every dataset's
 * logical bytes, with their ages (every bucket filled) in the first sample of each day. It times
 * what a replica does: read a sample back (JSON), forecast by site (what every scrape of {@code
 * /metrics} and every API call does), by pool, the history per tier and site for a report, and the
 * policy-aware projection of the plan over three years (the datasets through their policy, the rest
 * on the tier's net growth). Medians of {@code --rounds} after one warm-up round.
 *
 * <p>Last line: {@code capacity: pools=<n> samples=<m> sample_bytes=<b> parse_ms=<ms per sample>
 * forecast_site_ms=<ms> forecast_pool_ms=<ms> history_ms=<ms> heap_mb=<MB held by the samples>
 * rounds=<n>}, then each time's spread over the rounds, {@code parse_ms_spread=<min>-<max>} and
 * alike, then {@code datasets=<n> ages_sample_bytes=<b> plan_ms=<ms> plan_ms_spread=<min>-<max>}.
 */
public final class CapacityBench {
  private CapacityBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs opts =
        BenchArgs.parse(
            args,
            "strata bench capacity [--rooms N] [--racks-per-room N] [--nodes-per-rack N]"
                + " [--samples N] [--datasets N] [--rounds N]");
    int rooms = opts.integer("rooms", 20, 1);
    int racks = opts.integer("racks-per-room", 500, 1);
    int nodes = opts.integer("nodes-per-rack", 1, 1);
    int count = opts.integer("samples", 720, 2);
    int datasets = opts.integer("datasets", 200, 0);
    int rounds = opts.integer("rounds", 5, 1);
    ClusterMap map = BenchFleet.build(rooms, racks, nodes);
    List<String> pools = map.pools().values().stream().map(Pool::id).toList();
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    List<CapacitySample> samples = history(pools, count, datasets);
    System.gc();
    long heap = rt.totalMemory() - rt.freeMemory() - before;
    ObjectMapper json = Jackson.newObjectMapper();
    byte[] one = json.writeValueAsBytes(samples.get(count - 1).withoutAges());
    byte[] withAges = json.writeValueAsBytes(samples.get(count - 1 - (count - 1) % 24));
    Instant now = samples.get(count - 1).at();
    Duration window = Duration.ofHours(count);
    System.out.printf(
        Locale.ROOT,
        "fleet: %d pools and %d datasets, %d hourly samples of each; one sample is %d bytes of"
            + " JSON, %d with the datasets' ages%n",
        pools.size(),
        datasets,
        count,
        one.length,
        withAges.length);
    double[] parse = new double[rounds];
    double[] site = new double[rounds];
    double[] perPool = new double[rounds];
    double[] series = new double[rounds];
    double[] plan = new double[rounds];
    long sink = 0;
    for (int r = -1; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < PARSES; i++) {
        sink += json.readValue(one, CapacitySample.class).used().length;
      }
      long t1 = System.nanoTime();
      sink +=
          CapacityForecast.forecast(
                  map,
                  samples,
                  now,
                  window,
                  CapacityForecast.Grouping.SITE,
                  CapacityForecast.Scenario.TREND)
              .size();
      long t2 = System.nanoTime();
      sink +=
          CapacityForecast.forecast(
                  map,
                  samples,
                  now,
                  window,
                  CapacityForecast.Grouping.POOL,
                  CapacityForecast.Scenario.TREND)
              .size();
      long t3 = System.nanoTime();
      sink += CapacitySeries.of(map, samples, window).size();
      long t4 = System.nanoTime();
      sink +=
          CapacityPlanner.plan(map, POLICIES, samples, window, now, PLAN, PlanRequest.NONE)
              .groups()
              .size();
      long t5 = System.nanoTime();
      if (r >= 0) {
        plan[r] = (t5 - t4) / 1e6;
        parse[r] = (t1 - t0) / (double) PARSES / 1e6;
        site[r] = (t2 - t1) / 1e6;
        perPool[r] = (t3 - t2) / 1e6;
        series[r] = (t4 - t3) / 1e6;
        System.out.printf(
            Locale.ROOT,
            "round %d: parse %.2f ms/sample, forecast by site %.0f ms, by pool %.0f ms, history %.0f"
                + " ms, plan %.0f ms%n",
            r + 1,
            parse[r],
            site[r],
            perPool[r],
            series[r],
            plan[r]);
      }
    }
    if (sink == 42) {
      System.out.println();
    }
    System.out.println(
        lastLine(
                pools.size(),
                count,
                one.length,
                Samples.of(parse),
                Samples.of(site),
                Samples.of(perPool),
                Samples.of(series),
                heap)
            + " "
            + planLine(datasets, withAges.length, Samples.of(plan)));
  }

  /** How far the plan projects: three years. */
  static final int HORIZON_DAYS = 1095;

  /** Every dataset's policy: two copies for 90 days, then one, on the bench's one tier. */
  static final PolicySet POLICIES =
      PolicySet.of(
          PolicyParser.parse(
                  new PolicySource(
                      "imaging.yaml",
                      """
                      policy: imaging
                      datasets: ["*-imaging"]
                      recordClass: none
                      phases:
                        0d: 2 × %s spread room
                        90d: %s spread room
                      retention:
                        minimum: 0d
                      """
                          .formatted(BenchFleet.TIER, BenchFleet.TIER)))
              .orThrow());

  /** The plan's settings: three years, no rack model. */
  static final CapacityPlanner.Settings PLAN =
      new CapacityPlanner.Settings(HORIZON_DAYS, 0.95, List.of());

  /** The figures of the policy-aware projection that follow the last line's others. */
  static String planLine(int datasets, int agesSampleBytes, Samples planMs) {
    return String.format(
        Locale.ROOT,
        "datasets=%d ages_sample_bytes=%d plan_ms=%.0f plan_ms_spread=%.0f-%.0f",
        datasets,
        agesSampleBytes,
        planMs.median(),
        planMs.min(),
        planMs.max());
  }

  /** Times one sample is parsed in a round; the figure is one parse. */
  private static final int PARSES = 20;

  /**
   * The last line: the medians of the rounds' times (ms), the heap the samples take in MB (10^6
   * bytes), the rounds, and each time's least and most over the rounds.
   */
  static String lastLine(
      int pools,
      int samples,
      int sampleBytes,
      Samples parseMs,
      Samples siteMs,
      Samples poolMs,
      Samples historyMs,
      long heapBytes) {
    return String.format(
        Locale.ROOT,
        "capacity: pools=%d samples=%d sample_bytes=%d parse_ms=%.2f forecast_site_ms=%.0f"
            + " forecast_pool_ms=%.0f history_ms=%.0f heap_mb=%.0f rounds=%d parse_ms_spread=%.2f-%.2f"
            + " forecast_site_ms_spread=%.0f-%.0f forecast_pool_ms_spread=%.0f-%.0f"
            + " history_ms_spread=%.0f-%.0f",
        pools,
        samples,
        sampleBytes,
        parseMs.median(),
        siteMs.median(),
        poolMs.median(),
        historyMs.median(),
        heapBytes / 1e6,
        parseMs.runs(),
        parseMs.min(),
        parseMs.max(),
        siteMs.min(),
        siteMs.max(),
        poolMs.min(),
        poolMs.max(),
        historyMs.min(),
        historyMs.max());
  }

  /**
   * Hourly samples of every pool, each growing from its own start at its own rate, with noise; and
   * of every dataset's bytes, each growing at its own rate, with ages in every bucket in the first
   * sample of each day.
   */
  private static List<CapacitySample> history(List<String> pools, int count, int datasets) {
    SplittableRandom random = new SplittableRandom(7);
    long[] start = new long[pools.size()];
    long[] perHour = new long[pools.size()];
    for (int p = 0; p < pools.size(); p++) {
      start[p] = random.nextLong(10L << 40, 60L << 40);
      perHour[p] = random.nextLong(1L << 30, 20L << 30);
    }
    long[] holds = new long[datasets];
    long[] writes = new long[datasets];
    for (int d = 0; d < datasets; d++) {
      holds[d] = random.nextLong(100L << 40, 1000L << 40);
      writes[d] = random.nextLong(1L << 30, 50L << 30);
    }
    List<String> ids = List.copyOf(pools);
    Instant t0 = Instant.parse("2026-10-01T00:00:00Z");
    List<CapacitySample> out = new ArrayList<>(count);
    for (int h = 0; h < count; h++) {
      long[] used = new long[ids.size()];
      for (int p = 0; p < used.length; p++) {
        used[p] = start[p] + perHour[p] * h + random.nextLong(1L << 30);
      }
      List<CapacitySample.DatasetBytes> counted = new ArrayList<>(datasets);
      for (int d = 0; d < datasets; d++) {
        long bytes = holds[d] + writes[d] * h;
        counted.add(
            new CapacitySample.DatasetBytes(
                "h%03d-imaging".formatted(d), "imaging", bytes, h % 24 == 0 ? ages(bytes) : null));
      }
      out.add(new CapacitySample(t0.plus(Duration.ofHours(h)), ids, used, counted));
    }
    return out;
  }

  /** {@code bytes} spread over every age bucket: the largest profile a dataset can have. */
  private static long[] ages(long bytes) {
    long[] ages = new long[AgeProfile.BUCKETS];
    java.util.Arrays.fill(ages, bytes / ages.length);
    ages[0] += bytes - bytes / ages.length * ages.length;
    return ages;
  }
}
