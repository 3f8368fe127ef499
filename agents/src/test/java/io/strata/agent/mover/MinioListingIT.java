package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.strata.agent.TaskRunner;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The copy task's MinIO-only path: listings asked with {@code metadata=true}, whose answers carry
 * each object's SHA-256 marker, so that a copy is planned and read back from listings alone. No
 * MinIO server can run here: both pools are S3Proxy pools behind a proxy that answers their
 * listings as MinIO's source writes them ({@link MinioListings}).
 */
class MinioListingIT extends TwoPools {

  private static final int OBJECTS = 5;

  @Test
  void aRangeIsCopiedAndReadBackFromMinioListingsWithoutAHeadAndASecondRunReadsNothing()
      throws Exception {
    // Marked as the copies Strata made are: the listings of both sides then prove a copy present.
    putStudies(true);
    MinioListings source = new MinioListings(a);
    MinioListings target = new MinioListings(b);
    try (FaultyProxy toA = FaultyProxy.intercepting(a.port(), source);
        FaultyProxy toB = FaultyProxy.intercepting(b.port(), target);
        TaskRunner viaMinio = runnerVia(toA, toB)) {

      TaskResult first = viaMinio.run(copy("c1"), 1);
      int headsFirst = source.heads() + target.heads();
      int readsFirst = source.objectGets();
      TaskResult again = viaMinio.run(copy("c2"), 1);

      assertThat(first.state()).as("%s", first.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(first.count(KeyStatus.COPIED)).isEqualTo(OBJECTS);
      assertThat(headsFirst).as("HEADs: each copy is proven by the target's listing").isZero();
      assertThat(readsFirst).isEqualTo(OBJECTS);
      assertThat(target.listings())
          .as("the target's listings: the plan's and the read-back's")
          .isGreaterThanOrEqualTo(2);
      assertThat(again.state()).as("%s", again.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(again.count(KeyStatus.ALREADY_PRESENT)).isEqualTo(OBJECTS);
      assertThat(source.heads() + target.heads() - headsFirst)
          .as("HEADs of a run whose listings show every copy with its marker")
          .isZero();
      assertThat(source.objectGets()).as("objects read by the second run").isEqualTo(readsFirst);
    }
    for (int i = 0; i < OBJECTS; i++) {
      assertThat(b.read(Pools.DATASET, key(i))).isEqualTo(study(i));
    }
  }

  @Test
  void aTargetListedWithAnotherMarkerIsCopiedAgainAndNotTakenAsPresent() throws Exception {
    putStudies(false);
    byte[] other = CopyIT.content(study(2).length, 99);
    b.put(
        Pools.DATASET,
        key(2),
        other,
        "application/dicom",
        Map.of(StrataMetadata.SHA256, CopyIT.sha256(other)));
    MinioListings source = new MinioListings(a);
    MinioListings target = new MinioListings(b);
    try (FaultyProxy toA = FaultyProxy.intercepting(a.port(), source);
        FaultyProxy toB = FaultyProxy.intercepting(b.port(), target);
        TaskRunner viaMinio = runnerVia(toA, toB)) {
      // The source's listing shows its marker as a copy Strata made would carry it.
      source.showSha256(key(2), CopyIT.sha256(study(2)));

      TaskResult result = viaMinio.run(copy("c1"), 1);

      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(result.counts())
          .containsExactly(
              entry(
                  KeyStatus.COPIED, new KeyTally.Count(OBJECTS, (long) OBJECTS * study(0).length)));
    }
    assertThat(b.read(Pools.DATASET, key(2))).isEqualTo(study(2));
  }

  @Test
  void aCopyWhoseListingShowsAnotherMarkerIsNotProvenByItAndIsReadBackByHead() throws Exception {
    putStudies(false);
    MinioListings source = new MinioListings(a);
    MinioListings target = new MinioListings(b);
    try (FaultyProxy toA = FaultyProxy.intercepting(a.port(), source);
        FaultyProxy toB = FaultyProxy.intercepting(b.port(), target);
        TaskRunner viaMinio = runnerVia(toA, toB)) {
      target.showSha256(key(3), "0".repeat(64));

      TaskResult result = viaMinio.run(copy("c1"), 1);

      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(result.count(KeyStatus.COPIED)).isEqualTo(OBJECTS);
      assertThat(target.heads())
          .as("HEADs: only of the copy the listing shows with another marker")
          .isEqualTo(1);
    }
  }

  @Test
  void theEmulatedAnswerNamesMetadataAsGoCanonicalizesHeaderNames() {
    assertThat(MinioListings.canonical("x-amz-meta-strata-sha256"))
        .isEqualTo("X-Amz-Meta-Strata-Sha256");
    assertThat(MinioListings.canonical("x-amz-meta-study-date")).isEqualTo("X-Amz-Meta-Study-Date");
  }

  private static Task copy(String id) {
    return Task.copy(id, Pools.DATASET, KeyRange.ALL, "a", "b", 1);
  }

  private void putStudies(boolean marked) throws Exception {
    for (int i = 0; i < OBJECTS; i++) {
      Map<String, String> metadata =
          marked
              ? Map.of("modality", "CT", StrataMetadata.SHA256, CopyIT.sha256(study(i)))
              : Map.of("modality", "CT");
      a.put(Pools.DATASET, key(i), study(i), "application/dicom", metadata);
    }
  }

  private static String key(int i) {
    return "s/" + i + ".dcm";
  }

  private static byte[] study(int i) {
    return CopyIT.content(30_000, i);
  }

  /** A runner that reaches pools {@code a} and {@code b} through their proxies. */
  private TaskRunner runnerVia(FaultyProxy toA, FaultyProxy toB) {
    return pools.runner(
        PoolRegistry.of(
            Map.of(
                "a", a.endpointVia(toA.port()),
                "b", b.endpointVia(toB.port()))),
        Pools.settings(),
        Clock.systemUTC());
  }
}
