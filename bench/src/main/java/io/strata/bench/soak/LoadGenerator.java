package io.strata.bench.soak;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.S3Clients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hospitals of the soak: writes studies of mixed sizes (mostly a few KiB, some hundreds, a few
 * up to 1 MiB) to each dataset's landing pool through the MinIO SDK, and records the SHA-256 of
 * every object a pool acknowledged, in memory and in {@code written.tsv}. A PUT that fails (its
 * pool killed, reset by the proxy) is tried again; one that never succeeds is not counted.
 *
 * <p>Study dates are chosen against the {@link AgeClock} so that objects cross the policy's phases
 * while the soak runs, and none crosses one between {@code quietFrom} and {@code quietUntil}, while
 * the fleet is asked to converge.
 *
 * <p>Thread-safe. Must be closed.
 */
final class LoadGenerator implements AutoCloseable {
  /** One object written and acknowledged. */
  record Written(
      String dataset, String key, long size, String sha256, LocalDate studyDate, Instant at) {}

  private static final String[] MODALITIES = {"CT", "MR", "CR", "DX", "US", "MG"};

  private final SoakFiles files;
  private final AgeClock clock;
  private final Instant quietFrom;
  private final Instant quietUntil;
  private final Random random;
  private final S3Clients s3 = new S3Clients();
  private final ConcurrentLinkedQueue<Written> written = new ConcurrentLinkedQueue<>();
  private final AtomicLong failedPuts = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final Writer ledger;

  LoadGenerator(SoakFiles files, AgeClock clock, Instant quietFrom, Instant quietUntil, long seed)
      throws IOException {
    this.files = files;
    this.clock = clock;
    this.quietFrom = quietFrom;
    this.quietUntil = quietUntil;
    this.random = new Random(seed);
    this.ledger = Files.newBufferedWriter(files.dir.resolve("written.tsv"), StandardCharsets.UTF_8);
  }

  private MinioClient client(String poolId) {
    SoakFiles.PoolSite site = files.pools.get(poolId);
    return s3.client(
        site.pool().endpoint(),
        PoolCredentials.resolve(site.pool().credentialsRef(), files.dir, Map.of()));
  }

  /** Creates each dataset's bucket on its landing pool, unless there. */
  void prepare() throws Exception {
    for (SoakFiles.Hospital h : SoakFiles.HOSPITALS) {
      MinioClient pool = client(h.landingPool());
      if (!pool.bucketExists(BucketExistsArgs.builder().bucket(h.dataset()).build())) {
        pool.makeBucket(MakeBucketArgs.builder().bucket(h.dataset()).build());
      }
    }
  }

  /**
   * Writes {@code count} objects, spread evenly until {@code until} (as fast as it can when that is
   * now or past), round-robin over the hospitals; none once {@code stop} has passed, so that no
   * object is written into the quiet time its study date was chosen for.
   *
   * @return how many were acknowledged
   */
  int write(int count, Instant until, Instant stop) throws InterruptedException {
    int done = 0;
    Instant start = Instant.now();
    for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
      if (until.isAfter(start)) {
        long due = start.toEpochMilli() + (until.toEpochMilli() - start.toEpochMilli()) * i / count;
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
      if (!Instant.now().isBefore(stop)) {
        break;
      }
      if (writeOne()) {
        done++;
      }
    }
    return done;
  }

  /**
   * Writes {@code count} objects with {@code threads} writers, each spreading its share evenly
   * until {@code until} (as fast as it can when that is now), none once {@code stop} has passed.
   */
  int write(int count, int threads, Instant until, Instant stop) throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int share = count / threads + (t < count % threads ? 1 : 0);
      Thread writer =
          new Thread(
              () -> {
                try {
                  done.addAndGet(write(share, until, stop));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "soak-writer-" + t);
      writers.add(writer);
      writer.start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
    return done.get();
  }

  /**
   * Writes one study; tries a failed PUT again a few times. Returns whether it was acknowledged.
   */
  private boolean writeOne() throws InterruptedException {
    long seq = sequence.getAndIncrement();
    SoakFiles.Hospital hospital = SoakFiles.HOSPITALS.get((int) (seq % SoakFiles.HOSPITALS.size()));
    byte[] body;
    String modality;
    long uid;
    Duration ageAtQuiet;
    synchronized (random) {
      body = new byte[size(random)];
      random.nextBytes(body);
      modality = MODALITIES[random.nextInt(MODALITIES.length)];
      uid = Math.abs(random.nextLong() % 1_000_000_000_000L);
      ageAtQuiet = clock.ageAtQuiet(random, Instant.now(), quietFrom, quietUntil);
    }
    Instant now = Instant.now();
    // The age the object has at quietFrom decides its study date, counted back from there.
    LocalDate studyDate = AgeClock.studyDate(clock.at(quietFrom), ageAtQuiet);
    String key =
        "studies/%d/%02d/1.2.156.112605.%d.%d/series-1/instance-0001.dcm"
            .formatted(studyDate.getYear(), studyDate.getMonthValue(), uid, seq);
    String sha = sha256(body);
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        client(hospital.landingPool())
            .putObject(
                PutObjectArgs.builder().bucket(hospital.dataset()).object(key).stream(
                        new ByteArrayInputStream(body), body.length, -1)
                    .contentType("application/dicom")
                    .userMetadata(
                        Map.of(
                            "modality", modality,
                            "study-date", studyDate.toString(),
                            "hospital", hospital.dataset().substring(0, 3)))
                    .build());
        Written w = new Written(hospital.dataset(), key, body.length, sha, studyDate, now);
        record(w);
        return true;
      } catch (Exception e) {
        failedPuts.incrementAndGet();
        Thread.sleep(250L * Math.min(attempt + 1, 8));
      }
    }
    return false;
  }

  private synchronized void record(Written w) {
    written.add(w);
    try {
      ledger.write(
          String.join(
                  "\t",
                  w.dataset(),
                  w.key(),
                  Long.toString(w.size()),
                  w.sha256(),
                  w.studyDate().toString(),
                  w.at().toString())
              + "\n");
    } catch (IOException e) {
      // The ledger file is for people; the verdict reads the list in memory.
    }
  }

  /** Mostly a few KiB, a quarter up to 256 KiB, one in fifty up to 1 MiB. */
  private static int size(Random random) {
    int p = random.nextInt(100);
    if (p < 73) {
      return 1024 + random.nextInt(15 * 1024);
    }
    if (p < 98) {
      return 16 * 1024 + random.nextInt(240 * 1024);
    }
    return 256 * 1024 + random.nextInt(768 * 1024);
  }

  static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** Every object written and acknowledged so far. */
  List<Written> written() {
    return List.copyOf(written);
  }

  long failedPuts() {
    return failedPuts.get();
  }

  @Override
  public synchronized void close() throws IOException {
    ledger.close();
    s3.close();
  }
}
