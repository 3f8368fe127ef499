package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.TaskRunner;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.RetainUntil;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.VerifiedCopy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies carry the retain-until their task gives each key ({@code strata-retain-until}), which a
 * scan reports and the agent's guard holds a deletion to, on real S3 servers (S3Proxy).
 */
class RetainedCopyIT {
  static final long EPOCH = 7;
  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  static final Instant PHASE_END = Instant.parse("2030-08-30T16:00:00Z");
  static final byte[] CONTENT = CopyIT.content(2000, 3);
  static final List<String> KEYS = List.of("s1/i1.dcm", "s1/i2.dcm", "s2/i1.dcm");

  @TempDir Path dir;
  Pools pools;
  TaskRunner runner;

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "landing", "hot", "warm", "cold");
    runner = pools.runner(Clock.fixed(NOW, ZoneOffset.UTC));
    for (String key : KEYS) {
      // The hospital's own markers: s1's end before the copies' dates, which replace them.
      land(key, key.startsWith("s1/") ? "2030-06-15" : "2099-01-01");
    }
  }

  void land(String key, String retainUntil) throws Exception {
    pools
        .get("landing")
        .put(
            Pools.DATASET,
            key,
            CONTENT,
            "application/dicom",
            Map.of(StrataMetadata.RETAIN_UNTIL, retainUntil));
  }

  @AfterEach
  void stop() throws Exception {
    runner.close();
    pools.close();
  }

  /** The two instances of s1 retained until {@code date}; s2's retention is not known. */
  Task copyTo(String target, Instant date) {
    Map<String, Instant> until = new HashMap<>();
    until.put("s1/i1.dcm", date);
    until.put("s1/i2.dcm", date);
    return Task.copy("c-" + target, Pools.DATASET, KeyRange.ALL, "landing", target, EPOCH)
        .withKeys(KEYS)
        .withRetainUntil(RetainUntil.of(KEYS, until));
  }

  String retainUntilOn(String pool, String key) throws Exception {
    return StrataMetadata.get(
        pools.get(pool).head(Pools.DATASET, key).userMetadata(), StrataMetadata.RETAIN_UNTIL);
  }

  TaskResult deleteFromHot(TaskRunner on, String key) throws Exception {
    String sha = CopyIT.sha256(CONTENT);
    DeleteProof proof =
        new DeleteProof(
            EPOCH,
            2,
            Map.of(
                key,
                List.of(
                    new VerifiedCopy("cold", CONTENT.length, sha),
                    new VerifiedCopy("warm", CONTENT.length, sha))));
    return on.run(
        Task.deleteCopy("d-" + key, Pools.DATASET, KeyRange.ALL, "hot", EPOCH, proof)
            .withKeys(List.of(key)),
        EPOCH);
  }

  @Test
  void eachCopyCarriesItsKeysDateInPlaceOfTheSourcesEarlierOneAndAScanReportsIt() throws Exception {
    TaskResult copy = runner.run(copyTo("hot", PHASE_END), EPOCH);

    assertThat(copy.state()).as("%s", copy.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(copy.count(KeyStatus.COPIED)).isEqualTo(3);
    assertThat(retainUntilOn("hot", "s1/i1.dcm")).isEqualTo("2030-08-30T16:00:00Z");
    assertThat(retainUntilOn("hot", "s1/i2.dcm")).isEqualTo("2030-08-30T16:00:00Z");
    // No date for it: the source's markers are carried as they are.
    assertThat(retainUntilOn("hot", "s2/i1.dcm")).isEqualTo("2099-01-01");
    assertThat(retainUntilOn("landing", "s1/i1.dcm")).isEqualTo("2030-06-15");

    TaskResult scan =
        runner.run(Task.scan("s", Pools.DATASET, KeyRange.ALL, "hot", EPOCH).withListing(), EPOCH);
    Map<String, String> listed =
        scan.scan().listing().stream()
            .collect(
                Collectors.toMap(
                    ListedObject::key,
                    o -> StrataMetadata.get(o.metadata(), StrataMetadata.RETAIN_UNTIL)));
    assertThat(listed).containsEntry("s1/i1.dcm", "2030-08-30T16:00:00Z");
  }

  @Test
  void aCopyKeepsTheSourcesLaterDateAndPassesItOnWhenItGoes() throws Exception {
    land("s1/i1.dcm", "2099-01-01");
    for (String target : List.of("hot", "warm", "cold")) {
      TaskResult copy = runner.run(copyTo(target, PHASE_END), EPOCH);
      assertThat(copy.state()).as("%s", copy.failure()).isEqualTo(TaskState.SUCCEEDED);
    }

    // The hospital's retention outlasts the phase: no copy shortens it.
    assertThat(retainUntilOn("hot", "s1/i1.dcm")).isEqualTo("2099-01-01");
    assertThat(retainUntilOn("cold", "s1/i1.dcm")).isEqualTo("2099-01-01");
    assertThat(retainUntilOn("hot", "s1/i2.dcm")).isEqualTo("2030-08-30T16:00:00Z");
    TaskResult moved = deleteFromHot(runner, "s1/i1.dcm");
    assertThat(moved.count(KeyStatus.DELETED)).as("%s", moved.failure()).isEqualTo(1);
  }

  @Test
  void aCopyIsNotDeletedBeforeItsDateWhileTheCopiesThatStayAreRetainedLessLong() throws Exception {
    Instant earlier = Instant.parse("2030-07-01T00:00:00Z");
    for (String target : List.of("hot", "warm", "cold")) {
      TaskResult copy =
          runner.run(copyTo(target, target.equals("hot") ? PHASE_END : earlier), EPOCH);
      assertThat(copy.state()).as("%s", copy.failure()).isEqualTo(TaskState.SUCCEEDED);
    }

    TaskResult early = deleteFromHot(runner, "s1/i1.dcm");
    assertThat(early.keysWith(KeyStatus.REFUSED)).hasSize(1);
    assertThat(early.failure().reason())
        .contains("retained until 2030-08-30T16:00:00Z")
        .contains("only 0 of the 2 copies that must stay are retained as long");
    assertThat(pools.get("hot").has(Pools.DATASET, "s1/i1.dcm")).isTrue();

    try (TaskRunner later = pools.runner(Clock.fixed(PHASE_END.plusSeconds(1), ZoneOffset.UTC))) {
      TaskResult after = deleteFromHot(later, "s1/i1.dcm");
      assertThat(after.count(KeyStatus.DELETED)).as("%s", after.failure()).isEqualTo(1);
    }
    assertThat(pools.get("hot").has(Pools.DATASET, "s1/i1.dcm")).isFalse();
  }

  @Test
  void aCopyMovedWithinItsPhaseGoesOnceTheCopiesThatStayCarryItsDate() throws Exception {
    for (String target : List.of("hot", "warm", "cold")) {
      TaskResult copy = runner.run(copyTo(target, PHASE_END), EPOCH);
      assertThat(copy.state()).as("%s", copy.failure()).isEqualTo(TaskState.SUCCEEDED);
    }

    TaskResult moved = deleteFromHot(runner, "s1/i1.dcm");

    assertThat(moved.count(KeyStatus.DELETED)).as("%s", moved.failure()).isEqualTo(1);
    assertThat(pools.get("hot").has(Pools.DATASET, "s1/i1.dcm")).isFalse();
  }

  @Test
  void aTaskWhoseDatesDoNotMatchItsKeysWritesNothing() throws Exception {
    Task copy = copyTo("hot", PHASE_END);
    Task mismatched =
        new Task(
            copy.id(),
            copy.type(),
            copy.dataset(),
            copy.range(),
            copy.sourcePool(),
            copy.targetPool(),
            copy.keys(),
            copy.epoch(),
            null,
            false,
            false,
            false,
            null,
            new RetainUntil(List.of(new RetainUntil.Run(2, PHASE_END.getEpochSecond()))));

    TaskResult result = runner.run(mismatched, EPOCH);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().kind()).isEqualTo(FailureKind.PERMANENT);
    assertThat(result.failure().reason()).contains("cover 2 of the task's 3 keys");
    for (String key : KEYS) {
      assertThat(pools.get("hot").has(Pools.DATASET, key)).as(key).isFalse();
    }
  }
}
