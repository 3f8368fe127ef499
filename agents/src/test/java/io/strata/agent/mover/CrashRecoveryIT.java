package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.agent.TaskRunner;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryIT {

  static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  Pools pools;
  Process child;

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "a", "b");
  }

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor();
    }
    pools.close();
  }

  @Test
  void copyKilledMidMultipartUploadCompletesOnRerunWithoutStaleUploads() throws Exception {
    LocalS3Pool a = pools.get("a");
    LocalS3Pool b = pools.get("b");
    byte[] large = CopyIT.content(16 * MIB + 5, 11);
    a.put(
        Pools.DATASET,
        "big.dcm",
        large,
        "application/dicom",
        Map.of(StrataMetadata.SHA256, CopyIT.sha256(large)));
    a.put(Pools.DATASET, "small.dcm", CopyIT.content(1000, 12));

    AtomicLong childBytes = new AtomicLong();
    child = startChild(a, b, 4 * MIB, childBytes);
    await("child copy past its first part")
        .atMost(Timeouts.base())
        .until(() -> childBytes.get() > 6L * MIB || !child.isAlive());
    assertThat(child.isAlive()).as("child still copying when killed").isTrue();
    child.destroyForcibly().waitFor();
    assertThat(b.incompleteUploads(Pools.DATASET))
        .as("the kill left an upload behind")
        .isNotEmpty();

    TaskResult rerun;
    try (TaskRunner runner = pools.runner(Clock.systemUTC())) {
      rerun = runner.run(Task.copy("crash", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);
    }

    assertThat(rerun.state()).as("%s", rerun.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(rerun.total()).isEqualTo(2);
    // The large object is copied now; the small one may have been copied before the kill.
    assertThat(rerun.bytes(KeyStatus.COPIED)).isIn((long) large.length, large.length + 1000L);
    assertThat(b.incompleteUploads(Pools.DATASET)).isEmpty();
    try (TaskRunner runner = pools.runner(Clock.systemUTC())) {
      TaskResult verify = runner.run(Task.verify("v", Pools.DATASET, KeyRange.ALL, "b", 1), 1);
      assertThat(verify.counts()).containsOnlyKeys(KeyStatus.VERIFIED);
      assertThat(verify.count(KeyStatus.VERIFIED)).isEqualTo(2);
    }
    assertThat(b.read(Pools.DATASET, "big.dcm")).isEqualTo(large);
  }

  private Process startChild(LocalS3Pool a, LocalS3Pool b, long bytesPerSecond, AtomicLong bytes)
      throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                CopyChildMain.class.getName(),
                Pools.DATASET,
                Long.toString(bytesPerSecond)));
    for (LocalS3Pool pool : List.of(a, b)) {
      String prefix = "STRATA_POOL_" + pool.id().toUpperCase(java.util.Locale.ROOT) + "_";
      builder.environment().put(prefix + "ENDPOINT", pool.endpoint().endpoint().toString());
      builder.environment().put(prefix + "ACCESS_KEY", pool.endpoint().accessKey());
      builder.environment().put(prefix + "SECRET_KEY", pool.endpoint().secretKey());
    }
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  if (line.startsWith("bytes ")) {
                    bytes.set(Long.parseLong(line.substring(6)));
                  }
                }
              } catch (java.io.IOException e) {
                // the child was killed
              }
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  @Test
  void aStaleUploadIsAbortedOnAPoolThatListsUploadsOnlyPerObject() throws Exception {
    LocalS3Pool a = pools.get("a");
    LocalS3Pool b = pools.get("b");
    byte[] large = CopyIT.content(6 * MIB + 5, 13);
    a.put(Pools.DATASET, "big.dcm", large);
    String stale = b.startUpload(Pools.DATASET, "big.dcm");
    String empty =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult"
            + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>"
            + Pools.DATASET
            + "</Bucket><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>"
            + "</ListMultipartUploadsResult>";
    // As MinIO does: a listing of uploads without a prefix lists nothing.
    List<String> uploadListings = new java.util.concurrent.CopyOnWriteArrayList<>();
    FaultyProxy.Interceptor minioLike =
        head -> {
          String line = head.substring(0, head.indexOf('\r'));
          if (line.startsWith("GET ") && line.contains("uploads")) {
            uploadListings.add(line);
          }
          return line.startsWith("GET ") && line.contains("uploads") && !line.contains("prefix=")
              ? "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: "
                  + empty.length()
                  + "\r\nConnection: close\r\n\r\n"
                  + empty
              : null;
        };
    MoverSettings multipart = Pools.settings();
    assertThat(multipart.partSize()).as("a multipart copy").isLessThan(large.length);
    TaskResult result;
    try (FaultyProxy proxy = FaultyProxy.intercepting(b.port(), minioLike);
        TaskRunner runner =
            pools.runner(
                PoolRegistry.of(Map.of("a", a.endpoint(), "b", b.endpointVia(proxy.port()))),
                multipart,
                Clock.systemUTC())) {
      result = runner.run(Task.copy("c", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);
      assertThat(uploadListings)
          .as("the key's own uploads listed, the only listing MinIO answers")
          .anyMatch(line -> line.contains("prefix=big.dcm"));
    }

    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.count(KeyStatus.COPIED)).isEqualTo(1);
    assertThat(b.incompleteUploads(Pools.DATASET))
        .extracting(io.minio.messages.Upload::uploadId)
        .doesNotContain(stale)
        .isEmpty();
    assertThat(b.read(Pools.DATASET, "big.dcm")).isEqualTo(large);
  }
}
