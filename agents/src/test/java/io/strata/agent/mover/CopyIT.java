package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import io.minio.RemoveObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.strata.agent.TaskRunner;
import io.strata.agent.task.CancellationToken;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Copies between two local pools: what a copy writes (content, content type, metadata, markers),
 * through memory or streamed; how the target and the source's own checksums prove the bytes on the
 * way; and what a second run, a repair or a source deleted mid-copy leave behind.
 */
class CopyIT extends TwoPools {

  static byte[] content(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void copyPreservesContentTypeAndMetadataAndStoresSha256() throws Exception {
    byte[] study = content(70_000, 1);
    a.put(Pools.DATASET, "s/1.dcm", study, "application/dicom", Map.of("modality", "CT"));

    TaskResult result = runner.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.counts())
        .containsExactly(entry(KeyStatus.COPIED, new KeyTally.Count(1, study.length)));
    StatObjectResponse copy = b.head(Pools.DATASET, "s/1.dcm");
    assertThat(copy.contentType()).isEqualTo("application/dicom");
    assertThat(copy.userMetadata()).containsEntry("modality", "CT");
    assertThat(copy.userMetadata()).containsEntry(StrataMetadata.SHA256, sha256(study));
    assertThat(b.read(Pools.DATASET, "s/1.dcm")).isEqualTo(study);
  }

  @Test
  void secondRunCopiesNothing() throws Exception {
    for (int i = 0; i < 5; i++) {
      a.put(Pools.DATASET, "k" + i, content(1000 + i, i));
    }
    Task task = Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1);
    assertThat(runner.run(task, 1).count(KeyStatus.COPIED)).isEqualTo(5);

    TaskResult again = runner.run(task, 1);

    assertThat(again.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(again.counts()).containsOnlyKeys(KeyStatus.ALREADY_PRESENT);
    assertThat(again.count(KeyStatus.ALREADY_PRESENT)).isEqualTo(5);
  }

  @Test
  void aRepairOverwritesATargetWhoseContentNoLongerMatchesItsMarkers() throws Exception {
    byte[] study = content(3000, 21);
    a.put(Pools.DATASET, "s/1.dcm", study);
    Task copy =
        Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1).withKeys(List.of("s/1.dcm"));
    assertThat(runner.run(copy, 1).count(KeyStatus.COPIED)).isEqualTo(1);
    // Decay: the bytes change under the markers (a scrub reports MISMATCH); size and markers hold.
    StatObjectResponse good = b.head(Pools.DATASET, "s/1.dcm");
    byte[] decayed = study.clone();
    decayed[100] ^= 0x40;
    b.put(Pools.DATASET, "s/1.dcm", decayed, "application/dicom", good.userMetadata());
    assertThat(runner.run(copy, 1).count(KeyStatus.ALREADY_PRESENT))
        .as("a plain copy trusts the markers")
        .isEqualTo(1);

    TaskResult repaired =
        runner.run(
            Task.copy("c2", Pools.DATASET, KeyRange.ALL, "a", "b", 1)
                .withKeys(List.of("s/1.dcm"))
                .asRepair(),
            1);

    assertThat(repaired.state()).as("%s", repaired.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(repaired.count(KeyStatus.COPIED)).isEqualTo(1);
    assertThat(b.read(Pools.DATASET, "s/1.dcm")).isEqualTo(study);
  }

  @Test
  void aLargeSourceDeletedBetweenItsTwoReadsIsGoneNotFailed() throws Exception {
    // Over the buffer limit and without a marker: read once to hash, once to copy.
    int size = (int) Pools.settings().bufferLimit() + 1000;
    a.put(Pools.DATASET, "s/big.dcm", content(size, 31));
    AtomicInteger reads = new AtomicInteger();
    FaultyProxy.Interceptor deleteBeforeTheSecondRead =
        head -> {
          String line = head.substring(0, head.indexOf('\r'));
          if (line.startsWith("GET ")
              && line.contains("/s/big.dcm")
              && reads.incrementAndGet() == 2) {
            a.client()
                .removeObject(
                    RemoveObjectArgs.builder().bucket(Pools.DATASET).object("s/big.dcm").build());
          }
          return null;
        };
    TaskResult result;
    try (FaultyProxy proxy = FaultyProxy.intercepting(a.port(), deleteBeforeTheSecondRead);
        TaskRunner viaProxy = pools.runnerBetween(a.endpointVia(proxy.port()), b.endpoint())) {
      result = viaProxy.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);
    }

    assertThat(reads.get()).as("the object was read twice").isEqualTo(2);
    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.counts()).containsOnlyKeys(KeyStatus.SOURCE_GONE);
  }

  @Test
  void copyReplacesATargetObjectWithDifferentContent() throws Exception {
    a.put(Pools.DATASET, "k", content(2000, 1));
    b.put(Pools.DATASET, "k", content(2000, 2));

    TaskResult result = runner.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

    assertThat(result.count(KeyStatus.COPIED)).isEqualTo(1);
    assertThat(b.read(Pools.DATASET, "k")).isEqualTo(content(2000, 1));
  }

  @Test
  void sourceWhoseContentContradictsItsMarkerIsNotCopied() throws Exception {
    byte[] study = content(70_000, 1);
    a.put(
        Pools.DATASET,
        "s/1.dcm",
        study,
        "application/dicom",
        Map.of(StrataMetadata.SHA256, sha256(content(70_000, 2))));

    TaskResult result = runner.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

    assertThat(result.keysWith(KeyStatus.FAILED))
        .extracting(KeyOutcome::detail)
        .singleElement()
        .asString()
        .contains("content has SHA-256 " + sha256(study));
    assertThatThrownBy(() -> b.head(Pools.DATASET, "s/1.dcm"))
        .isInstanceOf(ErrorResponseException.class);
  }

  @Test
  void uploadWhoseBodyDoesNotHashToItsSha256IsRefusedAndNotStored() throws Exception {
    byte[] sent = content(70_000, 1);
    byte[] corrupted = sent.clone();
    corrupted[69_999] ^= 1;

    refusedThenStored(sent, corrupted, PoolClient.BodyCheck.sha256(sha256(sent)));

    assertThat(b.head(Pools.DATASET, "s/1.dcm").userMetadata())
        .containsEntry(StrataMetadata.SHA256, sha256(sent));
  }

  @Test
  void uploadWhoseBodyDoesNotHaveItsContentMd5IsRefusedAndNotStored() throws Exception {
    byte[] sent = content(70_000, 1);
    byte[] corrupted = sent.clone();
    corrupted[35_000] ^= 1;
    String md5 =
        java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(sent));

    ErrorResponseException refusal =
        refusedThenStored(sent, corrupted, PoolClient.BodyCheck.md5(md5));

    assertThat(refusal.errorResponse().code()).isEqualTo("BadDigest");
  }

  /**
   * Pool b refuses {@code corrupted} under {@code check} and stores nothing, then stores {@code
   * sent} under the same check; returns the refusal.
   */
  private ErrorResponseException refusedThenStored(
      byte[] sent, byte[] corrupted, PoolClient.BodyCheck check) throws Exception {
    try (PoolClients clients = new PoolClients(pools.registry(), Pools.settings())) {
      PoolClient target = clients.get("b", new CancellationToken());

      Throwable refusal = catchThrowable(() -> putStudy(target, corrupted, check, sent));

      assertThat(refusal).isInstanceOf(ErrorResponseException.class);
      assertThat(target.head(Pools.DATASET, "s/1.dcm")).isNull();
      putStudy(target, sent, check, sent);
      assertThat(b.read(Pools.DATASET, "s/1.dcm")).isEqualTo(sent);
      return (ErrorResponseException) refusal;
    }
  }

  /** Writes {@code body} as study s/1.dcm through {@code target}, marked as {@code marked}. */
  static void putStudy(PoolClient target, byte[] body, PoolClient.BodyCheck check, byte[] marked)
      throws Exception {
    target.put(
        Pools.DATASET,
        "s/1.dcm",
        body,
        check,
        "application/dicom",
        Map.of(StrataMetadata.SHA256, sha256(marked)));
  }

  @Test
  void sourceWhoseEtagIsNotAnMd5IsCopiedWithTheSha256CheckingTheUpload() throws Exception {
    // Uploaded in two parts, so its ETag is "<md5 of the parts' md5s>-2", not an MD5 of it; still
    // under the buffer limit of these settings, so it goes through memory in one PUT.
    byte[] study = content(6 * 1024 * 1024, 9);
    a.put(Pools.DATASET, "s/multipart.dcm", study);
    assertThat(a.head(Pools.DATASET, "s/multipart.dcm").etag()).contains("-");
    MoverSettings settings = MoverSettings.defaults().withConcurrentTransfers(4);
    assertThat(settings.bufferLimit()).isGreaterThan(study.length);

    try (TaskRunner buffered = pools.runner(pools.registry(), settings, Clock.systemUTC())) {
      TaskResult result =
          buffered.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      assertThat(result.counts())
          .containsExactly(entry(KeyStatus.COPIED, new KeyTally.Count(1, study.length)));
    }
    assertThat(b.read(Pools.DATASET, "s/multipart.dcm")).isEqualTo(study);
    assertThat(b.head(Pools.DATASET, "s/multipart.dcm").userMetadata())
        .containsEntry(StrataMetadata.SHA256, sha256(study));
  }

  @Test
  void objectsUpToTheBufferLimitAreCopiedWithAnEmptyOneAmongThem() throws Exception {
    a.put(Pools.DATASET, "empty", new byte[0]);
    a.put(Pools.DATASET, "full", content((int) Pools.settings().bufferLimit(), 4));

    TaskResult result = runner.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

    assertThat(result.count(KeyStatus.COPIED)).isEqualTo(2);
    assertThat(b.read(Pools.DATASET, "empty")).isEmpty();
    assertThat(b.head(Pools.DATASET, "empty").userMetadata())
        .containsEntry(StrataMetadata.SHA256, sha256(new byte[0]));
    assertThat(b.read(Pools.DATASET, "full"))
        .isEqualTo(content((int) Pools.settings().bufferLimit(), 4));
  }

  @Test
  void largeObjectsGoMultipartAndAreVerified() throws Exception {
    byte[] large = content(11 * 1024 * 1024 + 17, 3);
    a.put(Pools.DATASET, "big", large);

    TaskResult result = runner.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

    assertThat(result.count(KeyStatus.COPIED)).isEqualTo(1);
    assertThat(b.head(Pools.DATASET, "big").userMetadata())
        .containsEntry(StrataMetadata.SHA256, sha256(large));
    assertThat(b.read(Pools.DATASET, "big")).isEqualTo(large);
    assertThat(b.incompleteUploads(Pools.DATASET)).isEmpty();
  }

  @Test
  void sourceWhoseEtagIsHexButNotItsMd5IsCopiedWithTheSha256CheckingTheUpload() throws Exception {
    byte[] study = content(70_000, 1);
    a.put(Pools.DATASET, "s/encrypted.dcm", study);
    try (FaultyProxy misreporting =
            FaultyProxy.misreportingEtags(a.port(), "0123456789abcdef0123456789abcdef", true);
        TaskRunner viaProxy =
            pools.runnerBetween(a.endpointVia(misreporting.port()), b.endpoint())) {

      TaskResult result =
          viaProxy.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      assertThat(misreporting.failedRequests()).as("ETags misreported").isPositive();
      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(result.count(KeyStatus.COPIED)).isEqualTo(1);
    }
    assertThat(b.read(Pools.DATASET, "s/encrypted.dcm")).isEqualTo(study);
    assertThat(b.head(Pools.DATASET, "s/encrypted.dcm").userMetadata())
        .containsEntry(StrataMetadata.SHA256, sha256(study));
  }

  @Test
  void sourceWhoseContentIsNotWhatItsEtagSaysIsNotCopied() throws Exception {
    // Not encrypted, no marker: the ETag is the only word on the content, and what was read
    // contradicts it (decay on a backend that does not check on read, or a damaged transfer).
    a.put(Pools.DATASET, "s/decayed.dcm", content(70_000, 2));
    try (FaultyProxy misreporting =
            FaultyProxy.misreportingEtags(a.port(), "0123456789abcdef0123456789abcdef", false);
        TaskRunner viaProxy =
            pools.runnerBetween(a.endpointVia(misreporting.port()), b.endpoint())) {

      TaskResult result =
          viaProxy.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      // Read again on each attempt, as a damaged transfer would heal; then the task fails.
      assertThat(result.state()).isEqualTo(TaskState.FAILED);
      assertThat(result.failure().reason())
          .contains("does not have the MD5 its ETag 0123456789abcdef0123456789abcdef names")
          .contains("gave up after");
    }
    assertThatThrownBy(() -> b.head(Pools.DATASET, "s/decayed.dcm"))
        .as("nothing written to the target")
        .isInstanceOf(ErrorResponseException.class);
  }
}
