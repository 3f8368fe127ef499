package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.TaskRunner;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.RetainUntil;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.VerifiedCopy;
import io.strata.topology.ObjectLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies written to, and deleted from, a pool that locks them (S3 object lock in governance or
 * compliance mode). No MinIO server can run here: the pool {@code hot} is an S3Proxy pool behind a
 * proxy that answers as a MinIO bucket with object lock enabled ({@link MinioObjectLocks}), and the
 * tests assert the requests the agent sends and how it takes MinIO's answers.
 */
class ObjectLockIT {
  static final long EPOCH = 7;

  /** The agent's time: the copies' dates are in force, and still to come in real time. */
  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

  static final Instant PHASE_END = Instant.parse("2030-08-30T16:00:00Z");
  static final byte[] SMALL = CopyIT.content(2000, 3);

  /** Above the part size of {@link Pools#settings}: written as a multipart upload. */
  static final byte[] LARGE = CopyIT.content(6 * 1024 * 1024 + 17, 5);

  static final String HELD = "s1/held.dcm";
  static final String DATED = "s1/i1.dcm";
  static final String BIG = "s1/big.dcm";
  static final List<String> KEYS = List.of(BIG, DATED, HELD);

  @TempDir Path dir;
  Pools pools;
  MinioObjectLocks minio;
  FaultyProxy proxy;

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "landing", "warm", "cold");
    // S3Proxy refuses the lock headers it does not know: the emulated MinIO in front answers them.
    LocalS3Pool hot = LocalS3Pool.startIgnoringUnknownHeaders("hot", dir.resolve("hot"));
    hot.createBucket(Pools.DATASET);
    pools.byId.put("hot", hot);
    LocalS3Pool landing = pools.get("landing");
    landing.put(Pools.DATASET, DATED, SMALL, "application/dicom", Map.of());
    landing.put(Pools.DATASET, BIG, LARGE, "application/dicom", Map.of());
    landing.put(
        Pools.DATASET, HELD, SMALL, "application/dicom", Map.of(StrataMetadata.LEGAL_HOLD, "true"));
    minio = new MinioObjectLocks(pools.get("hot"));
    proxy = FaultyProxy.intercepting(pools.get("hot").port(), minio);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    pools.close();
  }

  /** A runner at {@code now} that reaches {@code hot} through the emulated MinIO, locking so. */
  TaskRunner runner(ObjectLock lock, Instant now) {
    Map<String, PoolEndpoint> endpoints = new HashMap<>();
    pools.byId.forEach((id, pool) -> endpoints.put(id, pool.endpoint()));
    endpoints.put("hot", pools.get("hot").endpointVia(proxy.port()).locking(lock));
    return pools.runner(
        PoolRegistry.of(endpoints), Pools.settings(), Clock.fixed(now, ZoneOffset.UTC));
  }

  Task copyTo(String target) {
    Map<String, Instant> until = new HashMap<>();
    KEYS.forEach(k -> until.put(k, PHASE_END));
    return Task.copy("c-" + target, Pools.DATASET, KeyRange.ALL, "landing", target, EPOCH)
        .withKeys(KEYS)
        .withRetainUntil(RetainUntil.of(KEYS, until));
  }

  void copyEverywhere(TaskRunner runner) {
    for (String target : List.of("hot", "warm", "cold")) {
      TaskResult copy = runner.run(copyTo(target), EPOCH);
      assertThat(copy.state()).as("%s", copy.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(copy.count(KeyStatus.COPIED)).isEqualTo(KEYS.size());
    }
  }

  /** A move of {@code key} off {@code hot}: the proof names its copies on warm and cold. */
  TaskResult deleteFromHot(TaskRunner runner, String key, byte[] content) throws Exception {
    String sha = CopyIT.sha256(content);
    DeleteProof proof =
        new DeleteProof(
            EPOCH,
            2,
            Map.of(
                key,
                List.of(
                    new VerifiedCopy("cold", content.length, sha),
                    new VerifiedCopy("warm", content.length, sha))));
    return runner.run(
        Task.deleteCopy("d-" + key, Pools.DATASET, KeyRange.ALL, "hot", EPOCH, proof)
            .withKeys(List.of(key)),
        EPOCH);
  }

  /** The one request head whose request line starts with {@code start}. */
  Map<String, String> onlyRequest(String start) {
    List<String> heads = minio.requests(start);
    assertThat(heads).as("requests starting %s", start).hasSize(1);
    return MinioObjectLocks.headers(heads.get(0));
  }

  static String path(String key) {
    return "/" + Pools.DATASET + "/" + key;
  }

  @Test
  void aGovernancePoolGetsEachCopyLockedUntilItsDateWithItsLegalHoldInTheRequestThatWritesIt()
      throws Exception {
    try (TaskRunner runner = runner(ObjectLock.GOVERNANCE, NOW)) {
      copyEverywhere(runner);
    }

    Map<String, String> dated = onlyRequest("PUT " + path(DATED) + " ");
    assertThat(dated)
        .containsEntry("x-amz-object-lock-mode", "GOVERNANCE")
        .containsKey("content-md5")
        .doesNotContainKey("x-amz-object-lock-legal-hold");
    assertThat(Instant.parse(dated.get("x-amz-object-lock-retain-until-date")))
        .isEqualTo(PHASE_END);
    assertThat(dated.get("x-amz-meta-strata-retain-until")).isEqualTo("2030-08-30T16:00:00Z");
    Map<String, String> held = onlyRequest("PUT " + path(HELD) + " ");
    assertThat(held)
        .containsEntry("x-amz-object-lock-mode", "GOVERNANCE")
        .containsEntry("x-amz-object-lock-legal-hold", "ON");
    // The multipart upload is created locked; its parts carry no lock of their own.
    Map<String, String> big = onlyRequest("POST " + path(BIG) + "?uploads");
    assertThat(big).containsEntry("x-amz-object-lock-mode", "GOVERNANCE");
    assertThat(Instant.parse(big.get("x-amz-object-lock-retain-until-date"))).isEqualTo(PHASE_END);
    List<String> parts = minio.requests("PUT " + path(BIG) + "?");
    assertThat(parts).hasSizeGreaterThanOrEqualTo(2);
    assertThat(parts)
        .allMatch(h -> !MinioObjectLocks.headers(h).containsKey("x-amz-object-lock-mode"));
    assertThat(minio.lock(Pools.DATASET, BIG).retainUntil()).isEqualTo(PHASE_END);
    assertThat(pools.get("hot").read(Pools.DATASET, BIG)).isEqualTo(LARGE);
  }

  @Test
  void aGovernanceCopyMovedWithinItsPhaseGoesByItsVersionBypassingTheLockOnlyThen()
      throws Exception {
    try (TaskRunner runner = runner(ObjectLock.GOVERNANCE, NOW)) {
      copyEverywhere(runner);
      String version = minio.lock(Pools.DATASET, DATED).versionId();

      TaskResult moved = deleteFromHot(runner, DATED, SMALL);
      TaskResult held = deleteFromHot(runner, HELD, SMALL);

      assertThat(moved.count(KeyStatus.DELETED)).as("%s", moved.keys()).isEqualTo(1);
      Map<String, String> delete = onlyRequest("DELETE " + path(DATED) + "?");
      String line = minio.requests("DELETE " + path(DATED) + "?").get(0).split("\r\n")[0];
      assertThat(line).contains("versionId=" + version);
      assertThat(delete).containsEntry("x-amz-bypass-governance-retention", "true");
      assertThat(pools.get("hot").has(Pools.DATASET, DATED)).isFalse();
      // A legal hold refuses the deletion before any request.
      assertThat(held.count(KeyStatus.REFUSED)).isEqualTo(1);
      assertThat(minio.requests("DELETE " + path(HELD))).isEmpty();
    }
  }

  @Test
  void aLockTheAgentsRuleDoesNotBypassIsRefusedByThePoolAndReportedAsARefusal() throws Exception {
    try (TaskRunner writer = runner(ObjectLock.GOVERNANCE, NOW)) {
      copyEverywhere(writer);
    }
    // An agent whose clock is past the copy's date: its marker no longer retains it, so no bypass
    // is asked, and the pool, on its own clock, still keeps the version.
    try (TaskRunner late = runner(ObjectLock.GOVERNANCE, PHASE_END.plusSeconds(86_400))) {
      TaskResult refused = deleteFromHot(late, DATED, SMALL);

      assertThat(refused.count(KeyStatus.REFUSED)).as("%s", refused.keys()).isEqualTo(1);
      assertThat(refused.keysWith(KeyStatus.REFUSED).get(0).detail()).contains("object lock");
      Map<String, String> delete = onlyRequest("DELETE " + path(DATED) + "?");
      assertThat(delete).doesNotContainKey("x-amz-bypass-governance-retention");
      assertThat(pools.get("hot").has(Pools.DATASET, DATED)).isTrue();
    }
  }

  @Test
  void aCompliancePoolPinsACopyUntilItsDateWithoutAskingThePool() throws Exception {
    try (TaskRunner runner = runner(ObjectLock.COMPLIANCE, NOW)) {
      copyEverywhere(runner);
      assertThat(onlyRequest("PUT " + path(DATED) + " "))
          .containsEntry("x-amz-object-lock-mode", "COMPLIANCE");

      TaskResult moved = deleteFromHot(runner, DATED, SMALL);

      assertThat(moved.count(KeyStatus.REFUSED)).as("%s", moved.keys()).isEqualTo(1);
      assertThat(moved.keysWith(KeyStatus.REFUSED).get(0).detail()).contains("compliance mode");
      assertThat(minio.requests("DELETE ")).isEmpty();
      assertThat(pools.get("hot").has(Pools.DATASET, DATED)).isTrue();
    }
  }

  @Test
  void aPoolThatLocksNothingGetsNoLockAndPlainDeletes() throws Exception {
    try (TaskRunner runner = runner(ObjectLock.NONE, NOW)) {
      copyEverywhere(runner);

      TaskResult moved = deleteFromHot(runner, DATED, SMALL);

      assertThat(moved.count(KeyStatus.DELETED)).as("%s", moved.keys()).isEqualTo(1);
    }
    for (String head : minio.requests()) {
      assertThat(MinioObjectLocks.headers(head).keySet())
          .noneMatch(h -> h.startsWith("x-amz-object-lock-") || h.startsWith("x-amz-bypass"));
    }
    String line = minio.requests("DELETE " + path(DATED)).get(0).split("\r\n")[0];
    assertThat(line).doesNotContain("versionId");
  }
}
