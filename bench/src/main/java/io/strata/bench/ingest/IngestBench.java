package io.strata.bench.ingest;

import io.minio.MinioClient;
import io.strata.bench.BenchArgs;
import io.strata.bench.dicom.DicomHeaderBench;
import io.strata.demo.DemoDicom;
import io.strata.demo.DemoFleet;
import io.strata.demo.DemoHospitals;
import io.strata.demo.DemoHospitals.Hospital;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * How long the demo's hospitals wait for their studies to be fully placed: the demo fleet (the real
 * controller and agents, embedded ZooKeeper, S3Proxy pools) with {@code --hospitals} hospitals,
 * each sending a study of {@code --instances} real DICOM files to its landing pool every {@code
 * --study-every} seconds (the demo's rate) for {@code --seconds}. Each object's lag runs from the
 * start of its study's upload to the first poll of the locate API that finds every copy its policy
 * wants (polls a second apart). Then the agent's DICOM header reader scans the generated files
 * ({@link DicomHeaderBench#scan}). Prints a line per hospital and one line of figures.
 */
public final class IngestBench {
  static final String USAGE =
      "strata bench ingest [--hospitals N] [--seconds N] [--study-every N] [--instances N]"
          + " [--settle-seconds N] [--dicom-objects N]";

  private IngestBench() {}

  /** What to run. */
  record Options(
      int hospitals,
      int seconds,
      int studyEvery,
      int instances,
      int settleSeconds,
      int dicomObjects) {
    static Options parse(String[] args) {
      BenchArgs opts = BenchArgs.parse(args, USAGE);
      int hospitals = opts.integer("hospitals", DemoHospitals.MAX, 1);
      if (hospitals > DemoHospitals.MAX) {
        throw opts.bad("--hospitals must be at most " + DemoHospitals.MAX + ", got " + hospitals);
      }
      return new Options(
          hospitals,
          opts.integer("seconds", 120, 1),
          opts.integer("study-every", 30, 1),
          opts.integer("instances", 4, 1),
          opts.integer("settle-seconds", 300, 1),
          opts.integer("dicom-objects", 2000, 10));
    }
  }

  /**
   * What a run measured.
   *
   * @param written every object written, by hospital
   * @param lags seconds from landing to placement of each placed object, by hospital
   * @param dicomHeadersPerSecond objects classified by their DICOM headers per second of a scan
   */
  record Result(
      Map<String, Integer> written, Map<String, double[]> lags, double dicomHeadersPerSecond) {
    int objects() {
      return written.values().stream().mapToInt(Integer::intValue).sum();
    }

    int placed() {
      return lags.values().stream().mapToInt(l -> l.length).sum();
    }

    double p99() {
      return percentile(
          lags.values().stream().flatMapToDouble(Arrays::stream).sorted().toArray(), 0.99);
    }

    /** The benchmark's figures, one line. */
    String line() {
      return String.format(
          Locale.ROOT,
          "ingest: hospitals=%d objects=%d lag_p99_s=%.1f dicom_headers_per_s=%.0f",
          written.size(),
          objects(),
          p99(),
          dicomHeadersPerSecond);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Result result = run(options, Files.createTempDirectory("strata-bench-ingest"));
    for (Map.Entry<String, Integer> h : result.written().entrySet()) {
      double[] lags = result.lags().getOrDefault(h.getKey(), new double[0]);
      Arrays.sort(lags);
      System.out.printf(
          Locale.ROOT,
          "  %s: objects=%d placed=%d lag_p50_s=%.1f lag_p99_s=%.1f lag_max_s=%.1f%n",
          h.getKey(),
          h.getValue(),
          lags.length,
          percentile(lags, 0.5),
          percentile(lags, 0.99),
          lags.length == 0 ? Double.NaN : lags[lags.length - 1]);
    }
    int unplaced = result.objects() - result.placed();
    if (unplaced > 0) {
      System.out.printf(
          "ingest: %d of %d objects not fully placed within %d s of the last write%n",
          unplaced, result.objects(), options.settleSeconds());
    }
    System.out.println(result.line());
    if (unplaced > 0) {
      System.exit(1);
    }
  }

  /** Runs the fleet in {@code dir}, writes, waits for placement, then scans the DICOM files. */
  static Result run(Options options, Path dir) throws Exception {
    Map<String, AtomicLong> written = new TreeMap<>();
    List<PlacementWatch.Placed> placed;
    DemoDicom dicom;
    long start = System.nanoTime();
    try (DemoFleet fleet =
        DemoFleet.start(
            dir.resolve("demo"), DemoFleet.Ports.FREE, options.hospitals(), 0, Duration.ZERO)) {
      fleet.awaitHospitals();
      System.out.printf(
          Locale.ROOT,
          "  fleet of %d hospitals started in %.1f s%n",
          options.hospitals(),
          (System.nanoTime() - start) / 1e9);
      dicom = fleet.dicom();
      String password = Files.readString(fleet.security().adminPasswordFile()).trim();
      try (PlacementWatch watch =
          PlacementWatch.login(
              "http://127.0.0.1:" + fleet.controllerPort(),
              fleet.security().adminUser(),
              password)) {
        write(fleet, options, watch, written);
        long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.settleSeconds());
        long next = System.nanoTime();
        while (watch.pending() > 0 && System.nanoTime() < settleBy) {
          watch.poll();
          if (System.nanoTime() >= next) {
            System.out.printf(
                "  settling: %d placed, %d not yet%n", watch.placed().size(), watch.pending());
            next = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          }
          Thread.sleep(1000);
        }
        watch.poll();
        placed = watch.placed();
      }
    }
    DicomHeaderBench.Scans scans =
        DicomHeaderBench.scan(generated(dicom), options.dicomObjects(), 1, dir.resolve("dicom"));
    Map<String, Integer> counts = new TreeMap<>();
    written.forEach((h, n) -> counts.put(h, (int) n.get()));
    Map<String, double[]> lags =
        placed.stream()
            .collect(
                Collectors.groupingBy(
                    PlacementWatch.Placed::hospital,
                    TreeMap::new,
                    Collectors.collectingAndThen(
                        Collectors.toList(),
                        l -> l.stream().mapToDouble(PlacementWatch.Placed::lagSeconds).toArray())));
    return new Result(counts, lags, scans.headersPerSecond());
  }

  /**
   * Each hospital sends a study every {@code studyEvery} seconds, the hospitals' turns spread over
   * the interval, for {@code seconds}; the watch polls in the meantime.
   */
  private static void write(
      DemoFleet fleet, Options options, PlacementWatch watch, Map<String, AtomicLong> written)
      throws InterruptedException {
    ScheduledExecutorService writers = java.util.concurrent.Executors.newScheduledThreadPool(4);
    List<ScheduledFuture<?>> schedules = new ArrayList<>();
    List<Hospital> hospitals = fleet.hospitals();
    long periodMs = options.studyEvery() * 1000L;
    for (int i = 0; i < hospitals.size(); i++) {
      Hospital h = hospitals.get(i);
      written.put(h.id(), new AtomicLong());
      MinioClient pool = fleet.client(fleet.map().pool(h.landingPool()).orElseThrow());
      AtomicLong seq = new AtomicLong();
      Random random = new Random(h.id().hashCode());
      schedules.add(
          writers.scheduleAtFixedRate(
              () -> sendStudy(h, pool, fleet.dicom(), options, seq, random, watch, written),
              i * periodMs / hospitals.size(),
              periodMs,
              TimeUnit.MILLISECONDS));
    }
    long writeUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds());
    while (System.nanoTime() < writeUntil) {
      watch.poll();
      Thread.sleep(1000);
    }
    schedules.forEach(s -> s.cancel(false));
    writers.shutdown();
    writers.awaitTermination(60, TimeUnit.SECONDS);
  }

  private static void sendStudy(
      Hospital h,
      MinioClient pool,
      DemoDicom dicom,
      Options options,
      AtomicLong seq,
      Random random,
      PlacementWatch watch,
      Map<String, AtomicLong> written) {
    long started = System.nanoTime();
    try {
      List<String> keys;
      synchronized (random) {
        keys =
            DemoHospitals.writeStudy(
                h,
                pool,
                dicom,
                DemoHospitals.studyNumber(h, seq.incrementAndGet()),
                options.instances(),
                LocalDate.now(),
                random);
      }
      for (String key : keys) {
        watch.landed(new PlacementWatch.Landed(h.id(), h.dataset(), key, started));
      }
      written.get(h.id()).addAndGet(keys.size());
    } catch (Exception e) {
      System.err.println("ingest: hospital " + h.id() + " could not send a study: " + e);
    }
  }

  /** Instances of every modality of the pool, varied as the hospitals send them. */
  private static List<byte[]> generated(DemoDicom dicom) {
    List<byte[]> out = new ArrayList<>();
    for (int m = 0; m < dicom.modalities().size(); m++) {
      for (int i = 1; i <= 2; i++) {
        out.add(dicom.instance(m, 1_000_000L + m, i, 100 + m, "20261130"));
      }
    }
    return out;
  }

  /** The value below which {@code q} of the sorted values fall (nearest rank); NaN when none. */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
