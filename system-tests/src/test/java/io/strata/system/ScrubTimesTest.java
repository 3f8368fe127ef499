package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.strata.controller.s3.SystemDataset;
import io.strata.controller.s3.VerificationTimesStore;
import io.strata.fleet.reconcile.Scrubs;
import io.strata.fleet.reconcile.VerificationTimes;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When each copy was last verified, kept in the system dataset on a real S3 pool (S3Proxy), as a
 * leader writes it and the next one reads it.
 */
class ScrubTimesTest {
  private static final Duration INTERVAL = Duration.ofDays(20);
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @TempDir Path dir;
  private SystemDatasetPool pool;
  private MinioClient client;
  private SystemDataset dataset;

  @BeforeEach
  void startPool() throws Exception {
    pool = new SystemDatasetPool(dir.resolve("pool"));
    client = pool.client;
    dataset = pool.dataset;
  }

  @AfterEach
  void stopPool() throws Exception {
    pool.close();
  }

  private Scrubs leader() throws Exception {
    Scrubs scrubs =
        new Scrubs(
            INTERVAL,
            Scrubs.Journal.NONE,
            new VerificationTimes(new VerificationTimesStore(dataset)));
    scrubs.load();
    return scrubs;
  }

  private static TaskResult verifiedWhole(String pool) {
    return TaskResult.of(
        Task.verify("v", "ds", KeyRange.ALL, pool, 1), TaskState.SUCCEEDED, new KeyTally(), null);
  }

  private List<String> records() throws Exception {
    List<String> out = new ArrayList<>();
    for (Result<Item> r :
        client.listObjects(
            ListObjectsArgs.builder()
                .bucket("strata-system")
                .prefix(VerificationTimesStore.PREFIX)
                .recursive(true)
                .build())) {
      out.add(r.get().objectName());
    }
    return out;
  }

  @Test
  void verificationTimesSurviveANewLeaderInAFewRecords() throws Exception {
    Scrubs first = leader();
    for (int shard = 0; shard < 50; shard++) {
      for (String pool : List.of("p1", "p2", "p3")) {
        first.verified("ds:" + shard, pool, verifiedWhole(pool), NOW.plusSeconds(shard));
      }
    }
    first.verified("ds:old", "p1", verifiedWhole("p1"), NOW.minus(Duration.ofDays(31)));
    assertThat(first.flush()).isZero();

    Scrubs next = leader();

    assertThat(next.verifiedAt("ds:7", "p2")).isEqualTo(NOW.plusSeconds(7));
    assertThat(next.verifiedAt("ds:49", "p3")).isEqualTo(NOW.plusSeconds(49));
    assertThat(next.lastVerified("ds:old", "p1", NOW))
        .as("an overdue copy stays overdue for the new leader")
        .isEqualTo(NOW.minus(Duration.ofDays(31)));
    assertThat(next.due("ds:old", "p1", NOW)).isTrue();
    assertThat(next.due("ds:7", "p2", NOW.plus(Duration.ofDays(1)))).isFalse();
    assertThat(records())
        .as("a record per bucket of shards, not per shard and pool")
        .hasSizeLessThanOrEqualTo(51)
        .allMatch(k -> k.startsWith(VerificationTimesStore.PREFIX) && k.endsWith(".gz"));
  }

  @Test
  void aSplitShardsTimesAreGoneForTheNextLeader() throws Exception {
    Scrubs first = leader();
    first.verified("ds:0", "p1", verifiedWhole("p1"), NOW);
    first.flush();
    first.forgetShard("ds:0");
    first.flush();

    assertThat(leader().verifiedAt("ds:0", "p1")).isNull();
  }
}
