package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifyIT extends TwoPools {

  @BeforeEach
  void copyThreeObjects() throws Exception {
    for (int i = 0; i < 3; i++) {
      pools.get("a").put(Pools.DATASET, "s/" + i, CopyIT.content(4096, i));
    }
    TaskResult copied = runner.run(Task.copy("c", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);
    assertThat(copied.count(KeyStatus.COPIED)).isEqualTo(3);
  }

  @Test
  void intactCopiesVerify() {
    TaskResult result = runner.run(Task.verify("v", Pools.DATASET, KeyRange.ALL, "b", 1), 1);

    assertThat(result.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.counts()).containsOnlyKeys(KeyStatus.VERIFIED);
    assertThat(result.count(KeyStatus.VERIFIED)).isEqualTo(3);
  }

  @Test
  void corruptedObjectOnDiskIsReportedAsMismatchAndLeftAlone() throws Exception {
    Path file = dir.resolve("b").resolve(Pools.DATASET).resolve("s").resolve("1");
    assertThat(file).exists();
    byte[] before = Files.readAllBytes(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(100);
      raf.write(before[100] ^ 0xff);
    }

    TaskResult result = runner.run(Task.verify("v", Pools.DATASET, KeyRange.ALL, "b", 1), 1);

    assertThat(result.keysWith(KeyStatus.MISMATCH))
        .extracting(KeyOutcome::key)
        .containsExactly("s/1");
    assertThat(result.count(KeyStatus.VERIFIED)).isEqualTo(2);
    assertThat(pools.get("b").read(Pools.DATASET, "s/1")[100])
        .isEqualTo((byte) (before[100] ^ 0xff));
  }

  @Test
  void rangeOfSeveralListingPagesIsVerifiedWholeAndItsFirstKeysAreNamed() throws Exception {
    LocalS3Pool a = pools.get("a");
    int count = ShardLister.PAGE_SIZE + 50;
    a.putNumbered(Pools.DATASET, "m/", count);
    a.put(Pools.DATASET, "n/outside", new byte[] {1});

    TaskResult result =
        runner.run(Task.verify("v", Pools.DATASET, new KeyRange("m/", "n/"), "a", 1), 1);

    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    // Written here without Strata's marker, so there is nothing to check them against.
    assertThat(result.counts())
        .containsExactly(entry(KeyStatus.NO_CHECKSUM, new KeyTally.Count(count, count)));
    // Named up to the cap, the first in key order, whatever order the checks finished in.
    assertThat(result.keys())
        .extracting(KeyOutcome::key)
        .hasSize(KeyTally.NAMED_PER_STATUS)
        .isSorted()
        .startsWith("m/00000")
        .endsWith(String.format("m/%05d", KeyTally.NAMED_PER_STATUS - 1));
  }

  @Test
  void objectsWithoutStoredChecksumAndMissingKeysAreReported() {
    TaskResult result =
        runner.run(
            Task.verify("v", Pools.DATASET, KeyRange.ALL, "a", 1).withKeys(List.of("s/0", "s/9")),
            1);

    assertThat(result.keys())
        .extracting(KeyOutcome::status)
        .containsExactly(KeyStatus.NO_CHECKSUM, KeyStatus.MISSING);
  }

  @Test
  void aMissingBucketFailsTheVerifyOnceWithItsName() {
    for (Task task :
        List.of(
            Task.verify("range", "no-such-dataset", KeyRange.ALL, "b", 1),
            Task.verify("keys", "no-such-dataset", KeyRange.ALL, "b", 1)
                .withKeys(List.of("k1", "k2")))) {
      TaskResult result = runner.run(task, 1);

      assertThat(result.state()).as(task.id()).isEqualTo(TaskState.FAILED);
      assertThat(result.failure().kind())
          .as(task.id())
          .isEqualTo(io.strata.protocol.task.FailureKind.PERMANENT);
      assertThat(result.failure().reason())
          .as(task.id())
          .contains("bucket no-such-dataset does not exist")
          .contains("pool b");
      assertThat(result.keys()).as(task.id()).isEmpty();
    }
  }
}
