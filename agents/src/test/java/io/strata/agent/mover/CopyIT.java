package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.minio.RemoveObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.strata.agent.task.FailureKind;
import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyRange;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.KeyTally;
import io.strata.agent.task.Task;
import io.strata.agent.task.TaskHandle;
import io.strata.agent.task.TaskProgress;
import io.strata.agent.task.TaskResult;
import io.strata.agent.task.TaskRunner;
import io.strata.agent.task.TaskState;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyIT {

  @TempDir Path dir;
  Pools pools;
  TaskRunner runner;
  LocalS3Pool a;
  LocalS3Pool b;

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "a", "b");
    a = pools.get("a");
    b = pools.get("b");
    runner = pools.runner(Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    runner.close();
    pools.close();
  }

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
  void rangeOfSeveralListingPagesIsCopiedWholeAndOnlyOnce() throws Exception {
    int count = ShardLister.PAGE_SIZE * 2 + 30;
    for (int i = 0; i < count; i++) {
      a.put(Pools.DATASET, String.format("m/%05d", i), content(16, i));
    }
    a.put(Pools.DATASET, "n/outside", content(16, 1));
    // Some copies already there, spread over the pages: the join must match them across pages.
    for (int i = 0; i < count; i += 97) {
      b.put(Pools.DATASET, String.format("m/%05d", i), content(16, i));
    }
    Task task = Task.copy("c1", Pools.DATASET, new KeyRange("m/", "n/"), "a", "b", 1);

    TaskResult result = runner.run(task, 1);

    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.total()).isEqualTo(count);
    assertThat(result.count(KeyStatus.FAILED)).isZero();
    assertThat(b.read(Pools.DATASET, String.format("m/%05d", count - 1)))
        .isEqualTo(content(16, count - 1));
    assertThatThrownBy(() -> b.head(Pools.DATASET, "n/outside"))
        .isInstanceOf(ErrorResponseException.class);
    TaskResult again = runner.run(task, 1);
    assertThat(again.counts()).containsOnlyKeys(KeyStatus.ALREADY_PRESENT);
    assertThat(again.count(KeyStatus.ALREADY_PRESENT)).isEqualTo(count);
  }

  @Test
  void keysWithCharactersXmlCannotCarryAreListedAndCopiedAsTheyAre() throws Exception {
    // A control character is not allowed in XML 1.0: a listing that is not URL-encoded mangles or
    // breaks on it. Percent signs, plus signs and spaces must come back as themselves.
    List<String> keys =
        List.of("s/a b+c%20d.dcm", "s/ctl\u0001.dcm", "s/zh-\u5f71\u50cf.dcm", "s/z.dcm");
    for (int i = 0; i < keys.size(); i++) {
      a.put(Pools.DATASET, keys.get(i), content(100, i));
    }

    TaskResult result = runner.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.count(KeyStatus.COPIED)).as("%s", result.counts()).isEqualTo(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      assertThat(b.read(Pools.DATASET, keys.get(i))).as(keys.get(i)).isEqualTo(content(100, i));
    }
    TaskResult again = runner.run(Task.copy("c2", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);
    assertThat(again.count(KeyStatus.ALREADY_PRESENT))
        .as("%s %s", again.counts(), again.keysWith(KeyStatus.COPIED))
        .isEqualTo(keys.size());
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
  void aRepairOfAWholeRangeIsRefused() {
    Task copy = Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1);
    Task range =
        new Task(
            copy.id(),
            copy.type(),
            copy.dataset(),
            copy.range(),
            copy.sourcePool(),
            copy.targetPool(),
            List.of(),
            copy.epoch(),
            null,
            false,
            true);

    TaskResult result = runner.run(range, 1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().reason()).contains("only a copy of named keys");
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
        TaskRunner viaProxy = runnerBetween(a.endpointVia(proxy.port()), b.endpoint())) {
      result = viaProxy.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);
    }

    assertThat(reads.get()).as("the object was read twice").isEqualTo(2);
    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.counts()).containsOnlyKeys(KeyStatus.SOURCE_GONE);
  }

  @Test
  void whileARangeIsStillBeingListedItsProgressSaysSoAndGivesNoEta() throws Exception {
    int count = ShardLister.PAGE_SIZE + 10;
    for (int i = 0; i < count; i++) {
      a.put(Pools.DATASET, String.format("m/%05d", i), content(16, i));
    }
    Task task = Task.copy("c-listing", Pools.DATASET, new KeyRange("m/", "n/"), "a", "b", 1);
    try (FaultyProxy sourceHeld = FaultyProxy.holdingListings(a.port(), 1);
        TaskRunner held = runnerBetween(a.endpointVia(sourceHeld.port()), b.endpoint())) {
      TaskHandle handle = held.submit(task, 1);
      // The source's first listing, the range's first page, passes; its second page is held, and
      // the first page's copies run meanwhile.
      await("copies of the first page done, the second page not listed")
          .atMost(Timeouts.base())
          .until(() -> handle.progress().objectsDone() >= 10);
      TaskProgress listing = handle.progress();
      assertThat(listing.listing()).as("%s", listing).isTrue();
      assertThat(listing.objectsTotal())
          .as("%s", listing)
          .isLessThanOrEqualTo(ShardLister.PAGE_SIZE);
      assertThat(listing.eta()).as("%s", listing).isNull();
      assertThat(gauge(MoverMetrics.TASKS_LISTING, "copy")).isEqualTo(1);
      assertThat(gauge(MoverMetrics.TASK_ETA, "copy")).isZero();

      sourceHeld.release();
      TaskResult result = handle.result().join();
      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      TaskProgress done = handle.progress();
      assertThat(done.listing()).isFalse();
      assertThat(done.objectsTotal()).isEqualTo(count);
      assertThat(done.eta()).isEqualTo(Duration.ZERO);
      // Finished, the task has left the runner: no work left, nothing listing.
      assertThat(gauge(MoverMetrics.TASKS_LISTING, "copy")).isZero();
      assertThat(gauge(MoverMetrics.TASK_REMAINING_BYTES, "copy")).isZero();
      assertThat(gauge(MoverMetrics.TASK_REMAINING_OBJECTS, "verify")).isZero();
    }
  }

  /** The value of the runner's gauge {@code name} for task type {@code type}. */
  private double gauge(String name, String type) {
    Double value = MoverMetricsTest.byType(pools.registry, name).get(type);
    assertThat(value).as("%s{type=%s}", name, type).isNotNull();
    return value;
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
      PoolClient target = clients.get("b");

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
  void namedKeysThatLieTogetherArePlannedAndReadBackFromListingsWithoutAHead() throws Exception {
    int count = 300;
    List<String> named = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = String.format("m/%05d", i);
      a.put(Pools.DATASET, key, content(100, i));
      if (i % 6 != 0) {
        named.add(key);
      } else {
        // On the target only: the windows read past it.
        b.put(Pools.DATASET, key + "-other", content(10, i));
      }
    }
    Collections.shuffle(named, new Random(3));
    try (FaultyProxy sourceSeen = FaultyProxy.recording(a.port());
        FaultyProxy targetSeen = FaultyProxy.recording(b.port());
        TaskRunner seen =
            runnerBetween(a.endpointVia(sourceSeen.port()), b.endpointVia(targetSeen.port()))) {

      TaskResult result =
          seen.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1).withKeys(named), 1);

      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(result.counts())
          .containsExactly(
              entry(KeyStatus.COPIED, new KeyTally.Count(named.size(), 100L * named.size())));
      assertThat(sourceSeen.requests())
          .filteredOn(r -> r.startsWith("GET /" + Pools.DATASET + "/m/"))
          .hasSize(named.size());
      assertThat(sourceSeen.requests()).noneMatch(r -> r.startsWith("HEAD "));
      assertThat(targetSeen.requests()).filteredOn(r -> r.startsWith("PUT ")).hasSize(named.size());
      assertThat(targetSeen.requests()).noneMatch(r -> r.startsWith("HEAD "));
      // Every named key starts with "m/00": the windows' listings ask for no more than that.
      assertThat(sourceSeen.requests())
          .filteredOn(r -> r.contains("list-type=2") && r.contains("max-keys=1000"))
          .isNotEmpty()
          .allMatch(r -> r.contains("prefix=m%2F00"));
    }
    for (String key : named) {
      assertThat(b.read(Pools.DATASET, key))
          .isEqualTo(content(100, Integer.parseInt(key.substring(2))));
    }
    assertThatThrownBy(() -> b.head(Pools.DATASET, "m/00000"))
        .isInstanceOf(ErrorResponseException.class);
  }

  @Test
  void namedKeysBeyondTheListingsReachAreReadByHead() throws Exception {
    int count = ShardLister.PAGE_SIZE + 50;
    a.putNumbered(Pools.DATASET, "m/", count);
    String near = "m/00000";
    String far = String.format("m/%05d", count - 1);
    try (FaultyProxy sourceSeen = FaultyProxy.recording(a.port());
        TaskRunner seen = runnerBetween(a.endpointVia(sourceSeen.port()), b.endpoint())) {

      TaskResult result =
          seen.run(
              Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1)
                  .withKeys(List.of(far, near)),
              1);

      assertThat(result.counts())
          .containsExactly(entry(KeyStatus.COPIED, new KeyTally.Count(2, 2)));
      // The listing from the first key reads a page more than the two keys, short of the last.
      assertThat(sourceSeen.requests())
          .filteredOn(r -> r.startsWith("HEAD "))
          .containsExactly("HEAD /" + Pools.DATASET + "/" + far);
    }
    assertThat(b.read(Pools.DATASET, far)).containsExactly((byte) (count - 1));
    assertThat(b.read(Pools.DATASET, near)).containsExactly((byte) 0);
  }

  @Test
  void explicitKeysCopyOnlyThoseKeys() throws Exception {
    a.put(Pools.DATASET, "k1", content(10, 1));
    a.put(Pools.DATASET, "k2", content(10, 2));

    TaskResult result =
        runner.run(
            Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1).withKeys(List.of("k2")), 1);

    assertThat(result.counts()).containsExactly(entry(KeyStatus.COPIED, new KeyTally.Count(1, 10)));
    assertThat(b.read(Pools.DATASET, "k2")).isEqualTo(content(10, 2));
    assertThat(
            b.client()
                .listObjects(io.minio.ListObjectsArgs.builder().bucket(Pools.DATASET).build()))
        .hasSize(1);
  }

  @Test
  void explicitKeyMissingOnTheSourceFailsPermanentlyNamingTheKey() {
    TaskResult result =
        runner.run(
            Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1).withKeys(List.of("ghost")),
            1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().kind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(result.failure().reason()).contains("ghost").contains("does not exist");
  }

  @Test
  void keyOutsideTheShardRangeIsRejectedBeforeAnyWork() throws Exception {
    a.put(Pools.DATASET, "z", content(10, 1));

    TaskResult result =
        runner.run(
            Task.copy("c1", Pools.DATASET, new KeyRange("a", "m"), "a", "b", 1)
                .withKeys(List.of("z")),
            1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().reason()).contains("z").contains("outside the shard");
    assertThat(
            b.client()
                .listObjects(io.minio.ListObjectsArgs.builder().bucket(Pools.DATASET).build()))
        .isEmpty();
  }

  @Test
  void copyOfARangeLeavesKeysOutsideItAlone() throws Exception {
    a.put(Pools.DATASET, "a1", content(10, 1));
    a.put(Pools.DATASET, "m1", content(10, 2));

    TaskResult result =
        runner.run(Task.copy("c1", Pools.DATASET, new KeyRange("a", "m"), "a", "b", 1), 1);

    assertThat(result.counts()).containsExactly(entry(KeyStatus.COPIED, new KeyTally.Count(1, 10)));
    assertThat(b.read(Pools.DATASET, "a1")).isEqualTo(content(10, 1));
    assertThatThrownBy(() -> b.head(Pools.DATASET, "m1"))
        .isInstanceOf(ErrorResponseException.class);
  }

  @Test
  void transientErrorsAreRetriedUntilTheCopySucceeds() throws Exception {
    a.put(Pools.DATASET, "k", content(5000, 1));
    try (FaultyProxy faulty = new FaultyProxy(b.port(), 3);
        TaskRunner flaky = runnerWithTargetBehind(faulty)) {

      TaskResult result = flaky.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(faulty.failedRequests()).isEqualTo(3);
      assertThat(b.read(Pools.DATASET, "k")).isEqualTo(content(5000, 1));
      double retries = counted("strata_agent_transfer_retries", null);
      assertThat(retries).isEqualTo(3.0);
    }
  }

  @Test
  void aCopyTheTargetAcknowledgedButLostFailsItsReadBackAndIsCountedAsFailed() throws Exception {
    a.put(Pools.DATASET, "k", content(5000, 1));
    try (FaultyProxy losing = FaultyProxy.droppingPuts(b.port());
        TaskRunner lossy = runnerWithTargetBehind(losing)) {

      TaskResult result = lossy.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      assertThat(losing.failedRequests()).as("PUTs dropped").isEqualTo(1);
      assertThat(result.keysWith(KeyStatus.FAILED))
          .extracting(KeyOutcome::detail)
          .singleElement()
          .asString()
          .contains("read-back of the copy of " + Pools.DATASET + "/k on pool b");
      assertThat(objectsCounted("copied")).isZero();
      assertThat(objectsCounted("failed")).isEqualTo(1.0);
    }
  }

  @Test
  void sourceWhoseEtagIsHexButNotItsMd5IsCopiedWithTheSha256CheckingTheUpload() throws Exception {
    byte[] study = content(70_000, 1);
    a.put(Pools.DATASET, "s/encrypted.dcm", study);
    try (FaultyProxy misreporting =
            FaultyProxy.misreportingEtags(a.port(), "0123456789abcdef0123456789abcdef", true);
        TaskRunner viaProxy = runnerBetween(a.endpointVia(misreporting.port()), b.endpoint())) {

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
        TaskRunner viaProxy = runnerBetween(a.endpointVia(misreporting.port()), b.endpoint())) {

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

  /** A runner that reaches pool b through {@code proxy}. */
  private TaskRunner runnerWithTargetBehind(FaultyProxy proxy) {
    return runnerBetween(a.endpoint(), b.endpointVia(proxy.port()));
  }

  private TaskRunner runnerBetween(PoolEndpoint source, PoolEndpoint target) {
    return pools.runner(
        PoolRegistry.of(Map.of("a", source, "b", target)), Pools.settings(), Clock.systemUTC());
  }

  /** The agent's count of copied objects with {@code outcome}, from its metrics. */
  private double objectsCounted(String outcome) {
    return counted("strata_agent_task_objects", outcome);
  }

  /** The sum of a counter's data points, those with {@code outcome} only when it is not null. */
  private double counted(String counter, String outcome) {
    return pools.registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(counter))
        .flatMap(m -> m.getDataPoints().stream())
        .filter(p -> outcome == null || outcome.equals(p.getLabels().get("outcome")))
        .mapToDouble(
            p ->
                ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) p)
                    .getValue())
        .sum();
  }

  @Test
  void persistentTransientErrorsFailTheTaskAsTransientAfterBoundedRetries() throws Exception {
    a.put(Pools.DATASET, "k", content(10, 1));
    try (FaultyProxy faulty = new FaultyProxy(b.port(), 1000);
        TaskRunner flaky = runnerWithTargetBehind(faulty)) {

      TaskResult result = flaky.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      assertThat(result.state()).isEqualTo(TaskState.FAILED);
      assertThat(result.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
      assertThat(result.failure().reason()).contains("pool b").contains("gave up after 5 attempts");
      assertThat(faulty.failedRequests()).isEqualTo(5);
    }
  }

  @Test
  void missingBucketFailsPermanentlyWithAClearReason() {
    TaskResult result = runner.run(Task.copy("c1", "no-such-bucket", KeyRange.ALL, "a", "b", 1), 1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().kind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(result.failure().reason()).contains("no-such-bucket").contains("does not exist");
  }

  @Test
  void aBucketMissingOnOneSideFailsTheTaskOnceNamingThatPool() throws Exception {
    a.createBucket("only-on-a");
    a.put("only-on-a", "k1", content(16, 1));
    b.createBucket("only-on-b");
    for (Task task :
        List.of(
            Task.copy("range-to-b", "only-on-a", KeyRange.ALL, "a", "b", 1),
            Task.copy("keys-to-b", "only-on-a", KeyRange.ALL, "a", "b", 1).withKeys(List.of("k1")),
            Task.copy("range-from-a", "only-on-b", KeyRange.ALL, "a", "b", 1),
            Task.copy("keys-from-a", "only-on-b", KeyRange.ALL, "a", "b", 1)
                .withKeys(List.of("k1")))) {
      TaskResult result = runner.run(task, 1);

      String missingOn = task.id().endsWith("to-b") ? "pool b" : "pool a";
      assertThat(result.state()).as(task.id()).isEqualTo(TaskState.FAILED);
      assertThat(result.failure().kind()).as(task.id()).isEqualTo(FailureKind.PERMANENT);
      assertThat(result.failure().reason())
          .as(task.id())
          .contains("bucket " + task.dataset() + " does not exist")
          .contains(missingOn);
      assertThat(result.keys()).as(task.id()).isEmpty();
    }
  }

  @Test
  void badCredentialsFailPermanentlyWithoutLeakingTheSecret() throws Exception {
    PoolEndpoint wrong = b.endpointWithWrongSecret();
    try (TaskRunner denied =
        pools.runner(
            PoolRegistry.of(Map.of("a", a.endpoint(), "b", wrong)),
            Pools.settings(),
            Clock.systemUTC())) {

      TaskResult result = denied.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      assertThat(result.state()).isEqualTo(TaskState.FAILED);
      assertThat(result.failure().kind()).isEqualTo(FailureKind.PERMANENT);
      assertThat(result.failure().reason()).contains("access denied").contains("pool b");
      assertThat(result.toString()).doesNotContain(wrong.secretKey());
      assertThat(wrong.toString())
          .doesNotContain(wrong.secretKey())
          .doesNotContain(wrong.accessKey());
    }
  }

  @Test
  void unknownPoolFailsPermanently() {
    TaskResult result = runner.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "x", 1), 1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().kind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(result.failure().reason()).contains("unknown pool x");
  }

  @Test
  void unreachablePoolFailsAsTransient() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TaskRunner cut =
        pools.runner(
            PoolRegistry.of(Map.of("a", a.endpoint(), "b", b.endpointVia(closedPort))),
            Pools.settings(),
            Clock.systemUTC())) {

      TaskResult result = cut.run(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);

      assertThat(result.state()).isEqualTo(TaskState.FAILED);
      assertThat(result.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
    }
  }
}
