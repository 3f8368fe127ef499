package io.strata.bench.dicom;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.TaskRunner;
import io.strata.agent.dicom.DicomHeaderReader;
import io.strata.agent.dicom.PatientIdKey;
import io.strata.agent.mover.MoverSettings;
import io.strata.agent.mover.PoolEndpoint;
import io.strata.agent.mover.PoolRegistry;
import io.strata.bench.BenchArgs;
import io.strata.demo.EmbeddedS3Pool;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import io.strata.runtime.s3.PoolCredentials;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast an agent classifies new imaging objects by their DICOM headers: a pool of real DICOM
 * files (written by dcmtk, with 512 KiB of pixel data each, as a CT slice has), scanned by the
 * agent's task runner with and without header reads. The scan without headers runs first, so the
 * one with headers finds every HEAD cached and pays the listing and the ranged GETs only: its
 * objects per second are the headers read per second of one scan. Prints one line of figures.
 */
public final class DicomHeaderBench {
  static final String USAGE = "strata bench dicom [--objects N] [--scans N] [--parse-rounds N]";

  private static final String DATASET = "bench-imaging";

  private DicomHeaderBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs opts = BenchArgs.parse(args, USAGE);
    int objects = opts.integer("objects", 2000, 10);
    int scans = opts.integer("scans", 2, 1);
    int parseRounds = opts.integer("parse-rounds", 200_000, 1);
    Path dir = Files.createTempDirectory("strata-bench-dicom");
    List<byte[]> files = templates(dir.resolve("files"));
    Scans figures = scan(files, objects, scans, dir);
    double parsePerSecond = parse(files, parseRounds);
    System.out.printf(
        Locale.ROOT,
        "dicom: objects=%d scans=%d dicom_headers_per_s=%.0f scan_without_headers_per_s=%.0f"
            + " header_parse_per_s=%.0f%n",
        objects,
        scans,
        figures.headersPerSecond(),
        figures.plainPerSecond(),
        parsePerSecond);
  }

  /**
   * The best of {@code scans} scans by the agent's task runner, with and without header reads.
   *
   * @param headersPerSecond objects classified by their DICOM headers per second of one scan
   * @param plainPerSecond objects listed per second by the same scan without headers
   */
  public record Scans(double headersPerSecond, double plainPerSecond) {}

  /**
   * Writes {@code objects} objects, taken in turn from {@code files}, to a pool of its own (S3Proxy
   * under {@code dir}) and scans them with the agent's task runner, with and without reading their
   * DICOM headers (the production {@code DicomHeaderReader}).
   *
   * @throws IllegalStateException when a scan misses an object or does not classify one as DICOM
   */
  public static Scans scan(List<byte[]> files, int objects, int scans, Path dir) throws Exception {
    PoolCredentials keys =
        new PoolCredentials("ak-" + UUID.randomUUID(), "sk-" + UUID.randomUUID());
    try (EmbeddedS3Pool pool = EmbeddedS3Pool.start(dir.resolve("pool"), 0, keys)) {
      load(pool, keys, files, objects);
      PoolRegistry registry =
          PoolRegistry.of(
              Map.of(
                  "bench",
                  new PoolEndpoint("bench", pool.endpoint(), keys.accessKey(), keys.secretKey())));
      double headersPerSecond = 0;
      double plainPerSecond = 0;
      for (int s = 0; s < scans; s++) {
        // A fresh runner per round: nothing is known of the headers yet.
        try (TaskRunner runner =
            new TaskRunner(
                registry,
                MoverSettings.defaults(),
                PatientIdKey.of(UUID.randomUUID().toString()),
                new PrometheusRegistry(),
                Clock.systemUTC())) {
          plainPerSecond = Math.max(plainPerSecond, objects / seconds(runner, false, objects));
          headersPerSecond = Math.max(headersPerSecond, objects / seconds(runner, true, objects));
        }
      }
      return new Scans(headersPerSecond, plainPerSecond);
    }
  }

  /** Eight instances of four modalities in the four transfer syntaxes. */
  private static List<byte[]> templates(Path dir) throws Exception {
    Files.createDirectories(dir);
    DicomFiles files = new DicomFiles(dir);
    String[][] kinds = {
      {"CTImageStorage", "CT"},
      {"MRImageStorage", "MR"},
      {"ComputedRadiographyImageStorage", "CR"},
      {"UltrasoundImageStorage", "US"}
    };
    String[] syntaxes = {
      DicomFiles.EXPLICIT_LE, DicomFiles.IMPLICIT_LE, DicomFiles.EXPLICIT_BE, DicomFiles.DEFLATED
    };
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Instance instance =
          Instance.ct("BENCH-" + i, "1.2.826.0.1.77." + i, "20240" + (1 + i) + "15")
              .withModality(kinds[i % 4][0], kinds[i % 4][1])
              .withPixelBytes(512 * 1024);
      out.add(files.write(instance, syntaxes[(i / 2) % 4]));
    }
    return out;
  }

  private static void load(
      EmbeddedS3Pool pool, PoolCredentials keys, List<byte[]> files, int objects) throws Exception {
    MinioClient client =
        MinioClient.builder()
            .endpoint(pool.endpoint().toString())
            .credentials(keys.accessKey(), keys.secretKey())
            .region("us-east-1")
            .build();
    client.makeBucket(MakeBucketArgs.builder().bucket(DATASET).build());
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < objects; i++) {
        byte[] body = files.get(i % files.size());
        String key = "studies/%06d.dcm".formatted(i);
        done.add(
            writers.submit(
                () -> {
                  client.putObject(
                      PutObjectArgs.builder().bucket(DATASET).object(key).stream(
                              new ByteArrayInputStream(body), body.length, -1)
                          .build());
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdown();
    }
  }

  private static double seconds(TaskRunner runner, boolean headers, int objects) {
    Task scan = Task.scan("bench-" + headers, DATASET, KeyRange.ALL, "bench", 1).withListing();
    long start = System.nanoTime();
    TaskResult result = runner.run(headers ? scan.withDicomHeaders() : scan, 1);
    double took = (System.nanoTime() - start) / 1e9;
    if (result.state() != TaskState.SUCCEEDED || result.scan().listing().size() != objects) {
      throw new IllegalStateException("the scan did not list every object: " + result.failure());
    }
    if (headers
        && result.scan().listing().stream()
            .anyMatch(o -> o.dicom() == null || !o.dicom().isDicom())) {
      throw new IllegalStateException("an object was not classified as DICOM");
    }
    return took;
  }

  /** Headers parsed per second from memory, the first 8 KiB of each file. */
  private static double parse(List<byte[]> files, int rounds) {
    List<byte[]> prefixes = new ArrayList<>();
    for (byte[] f : files) {
      prefixes.add(java.util.Arrays.copyOf(f, Math.min(f.length, 8192)));
    }
    PatientIdKey key = PatientIdKey.of(UUID.randomUUID().toString());
    long sink = 0;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      byte[] p = prefixes.get(i % prefixes.size());
      var r = DicomHeaderReader.read(p, files.get(i % files.size()).length, key::hash);
      sink += r.hashCode();
    }
    double took = (System.nanoTime() - start) / 1e9;
    if (sink == 42) {
      System.out.print("");
    }
    return rounds / took;
  }
}
