package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.TaskRunner;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.VerifiedCopy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeleteCopyIT {

  static final long EPOCH = 42;
  static final Clock NOW = Clock.fixed(Instant.parse("2030-06-01T12:00:00Z"), ZoneOffset.UTC);
  static final byte[] CONTENT = CopyIT.content(3000, 9);

  @TempDir Path dir;
  Pools pools;
  TaskRunner runner;
  String sha;

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "landing", "warm", "cold");
    runner = pools.runner(NOW);
    sha = CopyIT.sha256(CONTENT);
  }

  @AfterEach
  void stop() throws Exception {
    runner.close();
    pools.close();
  }

  /** Puts the object on landing with the given metadata and copies it to warm and cold. */
  void placeEverywhere(String key, Map<String, String> metadata) throws Exception {
    pools.get("landing").put(Pools.DATASET, key, CONTENT, "application/dicom", metadata);
    for (String target : List.of("warm", "cold")) {
      TaskResult copy =
          runner.run(
              Task.copy("c-" + target, Pools.DATASET, KeyRange.ALL, "landing", target, EPOCH),
              EPOCH);
      assertThat(copy.state()).as("%s", copy.failure()).isEqualTo(TaskState.SUCCEEDED);
    }
  }

  DeleteProof proof(long epoch, String key) {
    return new DeleteProof(
        epoch,
        2,
        Map.of(
            key,
            List.of(
                new VerifiedCopy("warm", CONTENT.length, sha),
                new VerifiedCopy("cold", CONTENT.length, sha))));
  }

  TaskResult delete(String key, DeleteProof proof) {
    return runner.run(
        Task.deleteCopy("d", Pools.DATASET, KeyRange.ALL, "landing", EPOCH, proof)
            .withKeys(List.of(key)),
        EPOCH);
  }

  boolean onLanding(String key) throws Exception {
    return pools
        .get("landing")
        .client()
        .listObjects(io.minio.ListObjectsArgs.builder().bucket(Pools.DATASET).build())
        .iterator()
        .hasNext();
  }

  /** A destruction of {@code key}'s copy on {@code pool} under an approved expiry. */
  TaskResult expire(String pool, String key, long size, String sha256) {
    DeleteProof proof =
        new DeleteProof(
            EPOCH, 0, Map.of(key, List.of(new VerifiedCopy(pool, size, sha256))), "expiry-1");
    return runner.run(
        Task.deleteCopy("x-" + pool, Pools.DATASET, KeyRange.ALL, pool, EPOCH, proof)
            .withKeys(List.of(key)),
        EPOCH);
  }

  @Test
  void anExpiryDestroysEachCopyItNamesWithNoCopyLeftElsewhere() throws Exception {
    placeEverywhere("k", Map.of());

    for (String pool : List.of("warm", "cold")) {
      TaskResult result = expire(pool, "k", CONTENT.length, sha);
      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(result.count(KeyStatus.DELETED)).isEqualTo(1);
    }
    TaskResult landing = expire("landing", "k", CONTENT.length, sha);
    assertThat(landing.count(KeyStatus.DELETED)).isEqualTo(1);
    for (String pool : List.of("landing", "warm", "cold")) {
      assertThat(pools.get(pool).has(Pools.DATASET, "k")).as(pool).isFalse();
    }
    // Run again (a lost result): nothing left, nothing refused.
    assertThat(expire("warm", "k", CONTENT.length, sha).count(KeyStatus.ALREADY_ABSENT))
        .isEqualTo(1);
  }

  @Test
  void anExpiryKeepsAnObjectUnderLegalHoldOrRetentionOrRewritten() throws Exception {
    placeEverywhere("held", Map.of(StrataMetadata.LEGAL_HOLD, "on"));
    placeEverywhere("kept", Map.of(StrataMetadata.RETAIN_UNTIL, "2031-01-01"));
    placeEverywhere("new", Map.of());
    pools.get("warm").put(Pools.DATASET, "new", CopyIT.content(3000, 10));

    assertThat(expire("warm", "held", CONTENT.length, sha).failure().reason())
        .contains("legal hold");
    assertThat(expire("warm", "kept", CONTENT.length, sha).failure().reason())
        .contains("retained until 2031-01-01");
    assertThat(expire("warm", "new", CONTENT.length, sha).failure().reason())
        .contains("not the version expiry expiry-1 covers");
    for (String key : List.of("held", "kept", "new")) {
      assertThat(pools.get("warm").has(Pools.DATASET, key)).as(key).isTrue();
    }
  }

  @Test
  void deleteWithAValidProofRemovesOnlyTheLocalCopy() throws Exception {
    placeEverywhere("k", Map.of());

    TaskResult result = delete("k", proof(EPOCH, "k"));

    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.count(KeyStatus.DELETED)).isEqualTo(1);
    assertThat(onLanding("k")).isFalse();
    assertThat(pools.get("warm").read(Pools.DATASET, "k")).isEqualTo(CONTENT);
    assertThat(pools.get("cold").read(Pools.DATASET, "k")).isEqualTo(CONTENT);

    assertThat(delete("k", proof(EPOCH, "k")).count(KeyStatus.ALREADY_ABSENT)).isEqualTo(1);
  }

  @Test
  void deleteWithoutProofIsRefused() throws Exception {
    placeEverywhere("k", Map.of());

    TaskResult result = delete("k", null);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().kind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(result.failure().reason()).contains("no proof");
    assertThat(onLanding("k")).isTrue();
  }

  @Test
  void deleteWithAProofFromAnOlderEpochIsRefused() throws Exception {
    placeEverywhere("k", Map.of());

    TaskResult result = delete("k", proof(EPOCH - 1, "k"));

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().reason()).contains("epoch 41").contains("epoch 42");
    assertThat(onLanding("k")).isTrue();
  }

  @Test
  void deleteIsRefusedWhileRetentionRunsAndTheCopiesThatStayAreNotRetainedAsLong()
      throws Exception {
    placeEverywhere("k", Map.of());
    // The same content retained on landing alone, as a hospital's tool might mark its upload.
    pools
        .get("landing")
        .put(
            Pools.DATASET,
            "k",
            CONTENT,
            "application/dicom",
            Map.of(StrataMetadata.RETAIN_UNTIL, "2030-06-01"));

    TaskResult result = delete("k", proof(EPOCH, "k"));

    assertThat(result.keysWith(KeyStatus.REFUSED)).hasSize(1);
    assertThat(result.failure().reason())
        .contains("retained until 2030-06-01")
        .contains("only 0 of the 2 copies that must stay are retained as long");
    assertThat(onLanding("k")).isTrue();
  }

  @Test
  void deleteIsAllowedWhileRetentionRunsWhenTheCopiesThatStayAreRetainedAsLong() throws Exception {
    // The copies carry the source's marker: the retention passes on to them.
    placeEverywhere("k", Map.of(StrataMetadata.RETAIN_UNTIL, "2030-06-01"));

    assertThat(delete("k", proof(EPOCH, "k")).count(KeyStatus.DELETED)).isEqualTo(1);
  }

  @Test
  void deleteIsAllowedOnceRetentionHasEnded() throws Exception {
    placeEverywhere("k", Map.of(StrataMetadata.RETAIN_UNTIL, "2030-05-31"));

    assertThat(delete("k", proof(EPOCH, "k")).count(KeyStatus.DELETED)).isEqualTo(1);
  }

  @Test
  void deleteIsRefusedUnderLegalHold() throws Exception {
    placeEverywhere("k", Map.of(StrataMetadata.LEGAL_HOLD, "true"));

    TaskResult result = delete("k", proof(EPOCH, "k"));

    assertThat(result.keysWith(KeyStatus.REFUSED)).hasSize(1);
    assertThat(result.failure().reason()).contains("legal hold");
    assertThat(onLanding("k")).isTrue();
  }

  @Test
  void deleteIsRefusedWhenACopyListedInTheProofIsGone() throws Exception {
    placeEverywhere("k", Map.of());
    pools
        .get("cold")
        .client()
        .removeObject(
            io.minio.RemoveObjectArgs.builder().bucket(Pools.DATASET).object("k").build());

    TaskResult result = delete("k", proof(EPOCH, "k"));

    assertThat(result.keysWith(KeyStatus.REFUSED)).hasSize(1);
    assertThat(result.failure().reason()).contains("1 of 2").contains("pool cold has no copy");
    assertThat(onLanding("k")).isTrue();
  }

  @Test
  void deleteIsRefusedWhenTheProofListsTooFewPools() throws Exception {
    placeEverywhere("k", Map.of());
    DeleteProof thin =
        new DeleteProof(
            EPOCH, 2, Map.of("k", List.of(new VerifiedCopy("warm", CONTENT.length, sha))));

    TaskResult result = delete("k", thin);

    assertThat(result.failure().reason()).contains("1 verified copies").contains("2 are required");
    assertThat(onLanding("k")).isTrue();
  }

  @Test
  void deleteIsRefusedWhenTheLocalObjectWasRewrittenSinceTheProof() throws Exception {
    placeEverywhere("k", Map.of());
    pools.get("landing").put(Pools.DATASET, "k", CopyIT.content(3000, 10));

    TaskResult result = delete("k", proof(EPOCH, "k"));

    assertThat(result.keysWith(KeyStatus.REFUSED)).hasSize(1);
    assertThat(result.failure().reason()).contains("rewritten");
    assertThat(onLanding("k")).isTrue();
  }

  /** A runner that reaches {@code proxied} through {@code proxy}, the other pools directly. */
  TaskRunner runnerWith(String proxied, FaultyProxy proxy) {
    Map<String, PoolEndpoint> endpoints = new java.util.HashMap<>();
    for (String id : List.of("landing", "warm", "cold")) {
      LocalS3Pool pool = pools.get(id);
      endpoints.put(id, id.equals(proxied) ? pool.endpointVia(proxy.port()) : pool.endpoint());
    }
    return pools.runner(PoolRegistry.of(endpoints), Pools.settings(), NOW);
  }

  /**
   * Deletes {@code k} from landing with a valid proof, through a proxy in front of {@code proxied}
   * whose interceptor {@code make} builds, given the runner the task runs on.
   */
  TaskResult deleteThrough(
      String proxied, Function<Supplier<TaskRunner>, FaultyProxy.Interceptor> make)
      throws Exception {
    AtomicReference<TaskRunner> running = new AtomicReference<>();
    try (FaultyProxy proxy =
            FaultyProxy.intercepting(pools.get(proxied).port(), make.apply(running::get));
        TaskRunner viaProxy = runnerWith(proxied, proxy)) {
      running.set(viaProxy);
      return viaProxy.run(
          Task.deleteCopy("d", Pools.DATASET, KeyRange.ALL, "landing", EPOCH, proof(EPOCH, "k"))
              .withKeys(List.of("k")),
          EPOCH);
    }
  }

  static String header(String requestHead, String name) {
    for (String line : requestHead.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  static String errorAnswer(int status, String reason, String code) {
    String body = "<Error><Code>" + code + "</Code><Message>" + reason + "</Message></Error>";
    return "HTTP/1.1 "
        + status
        + " "
        + reason
        + "\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.length()
        + "\r\nConnection: close\r\n\r\n"
        + body;
  }

  @Test
  void anObjectRewrittenBetweenItsCheckAndItsDeleteIsKept() throws Exception {
    placeEverywhere("k", Map.of());
    LocalS3Pool landing = pools.get("landing");
    String checked = landing.head(Pools.DATASET, "k").etag();
    byte[] corrected = CopyIT.content(3000, 11);
    List<String> conditions = new java.util.concurrent.CopyOnWriteArrayList<>();
    // A pool that honours conditional deletes, as AWS S3 does, where a hospital re-uploads the
    // study just before the DELETE arrives.
    FaultyProxy.Interceptor rewriteFirst =
        head -> {
          if (!head.startsWith("DELETE ")) {
            return null;
          }
          String ifMatch = header(head, "If-Match");
          conditions.add(String.valueOf(ifMatch));
          landing.put(Pools.DATASET, "k", corrected);
          String now = landing.head(Pools.DATASET, "k").etag();
          return ifMatch != null && !PoolClient.stripQuotes(ifMatch).equals(now)
              ? errorAnswer(412, "Precondition Failed", "PreconditionFailed")
              : null;
        };
    TaskResult result = deleteThrough("landing", runner -> rewriteFirst);

    assertThat(conditions).containsExactly("\"" + PoolClient.stripQuotes(checked) + "\"");
    assertThat(result.keysWith(KeyStatus.REFUSED)).hasSize(1);
    assertThat(result.keysWith(KeyStatus.REFUSED).get(0).detail())
        .contains("rewritten after it was checked");
    assertThat(landing.read(Pools.DATASET, "k")).isEqualTo(corrected);
  }

  /**
   * The controller bumps the epoch (a rack failed), or stops answering for the agent's whole lease
   * (the agent then holds none), while the agent re-checks the copies.
   */
  @ParameterizedTest
  @CsvSource({
    "43, the cluster map moved on from epoch 42 to 43 while the task ran",
    "-1, the agent has not heard from the controller within its lease"
  })
  void nothingIsDeletedOnceTheAgentNoLongerHoldsTheTasksEpoch(long epochMeanwhile, String why)
      throws Exception {
    placeEverywhere("k", Map.of());

    TaskResult result =
        deleteThrough(
            "warm",
            runner ->
                head -> {
                  if (head.startsWith("HEAD ")) {
                    runner.get().epoch(epochMeanwhile);
                  }
                  return null;
                });

    assertThat(result.keysWith(KeyStatus.REFUSED))
        .singleElement()
        .extracting(KeyOutcome::detail)
        .asString()
        .contains(why);
    assertThat(onLanding("k")).isTrue();
  }

  @Test
  void aDeleteAnsweredNotFoundCountsAsAlreadyAbsent() throws Exception {
    placeEverywhere("k", Map.of());

    TaskResult result =
        deleteThrough(
            "landing",
            runner ->
                head ->
                    head.startsWith("DELETE ") ? errorAnswer(404, "Not Found", "NoSuchKey") : null);

    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.count(KeyStatus.ALREADY_ABSENT)).isEqualTo(1);
    assertThat(result.count(KeyStatus.FAILED)).isZero();
  }
}
