package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.task.CancellationToken;
import io.strata.agent.task.ProgressTracker;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-back of a copy task's copies against a real S3Proxy pool: by one listing for a batch of
 * copies (size and the source's ETag), by HEAD (size and marker) for the copies the listing does
 * not show so and for batches of a few copies; and batch by batch while the task still copies.
 */
class ReadBackIT {

  @TempDir Path dir;
  Pools pools;
  PoolClients clients;
  ShardLister lister;
  Retrier retrier;
  PoolClient target;
  Task task = Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1);
  TaskContext context =
      new TaskContext(
          task, () -> 1, new ProgressTracker(task, Clock.systemUTC()), new CancellationToken());
  KeyTally tally = new KeyTally();

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "b");
    MoverSettings settings = Pools.settings();
    clients = new PoolClients(pools.registry(), settings);
    retrier = new Retrier(settings.retry(), new MoverMetrics(new PrometheusRegistry(), List::of));
    lister = new ShardLister(retrier);
    target = clients.get("b", new CancellationToken());
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    pools.close();
  }

  @Test
  void copiesTheListingDoesNotShowAreReadBackByHeadAndFailWhenThatDoesNotShowThemEither()
      throws Exception {
    byte[] study = CopyIT.content(40_000, 7);
    // Copied from a multipart source: marked with the source's ETag, which is not its own.
    target.put(
        Pools.DATASET,
        "s/1.dcm",
        study,
        PoolClient.BodyCheck.sha256(CopyIT.sha256(study)),
        "application/dicom",
        Map.of(
            StrataMetadata.SHA256,
            CopyIT.sha256(study),
            StrataMetadata.SOURCE_ETAG,
            "0".repeat(32)));
    CopyReadBack readBack = readBack(100);

    written(readBack, put("s/0.dcm", CopyIT.content(100, 0)));
    // Listed with another ETag than the source's (as after a multipart source): the HEAD still
    // shows the size and marker.
    written(
        readBack,
        new ObjectCopier.Written("s/1.dcm", study.length, "0".repeat(32), CopyIT.sha256(study)));
    // Acknowledged, but gone by the time of the read-back.
    written(
        readBack,
        new ObjectCopier.Written("s/2.dcm", 10, "1".repeat(32), CopyIT.sha256(new byte[10])));
    written(readBack, put("s/3.dcm", CopyIT.content(300, 3)));
    readBack.finish();

    assertThat(tally.counts())
        .containsOnly(
            entry(KeyStatus.COPIED, new KeyTally.Count(3, 100 + study.length + 300)),
            entry(KeyStatus.FAILED, new KeyTally.Count(1, 0)));
    assertThat(tally.named())
        .singleElement()
        .extracting(KeyOutcome::detail)
        .asString()
        .contains("read-back of the copy of " + Pools.DATASET + "/s/2.dcm on pool b");
  }

  @Test
  void aBatchOfAFewCopiesIsReadBackByHeadWhichAlsoChecksTheMarker() throws Exception {
    // Listed with the right size and ETag, but without a marker: a listing (which shows no user
    // metadata here) would take it for the copy, a HEAD does not.
    byte[] content = CopyIT.content(100, 5);
    ObjectCopier.Written copy = put("s/unmarked.dcm", content, Map.of());
    CopyReadBack readBack = readBack(100);

    written(readBack, copy);
    written(readBack, put("s/marked.dcm", CopyIT.content(200, 6)));
    readBack.finish();

    assertThat(tally.counts())
        .containsOnly(
            entry(KeyStatus.COPIED, new KeyTally.Count(1, 200)),
            entry(KeyStatus.FAILED, new KeyTally.Count(1, 0)));
    assertThat(tally.named()).extracting(KeyOutcome::key).containsExactly("s/unmarked.dcm");
  }

  @Test
  void aFullBatchIsReadBackWhenItsLastItemFinishesAndTheRestAtTheEnd() throws Exception {
    CopyReadBack readBack = readBack(3);

    for (int i = 0; i < 4; i++) {
      written(readBack, put("k" + i, CopyIT.content(10, i)));
      assertThat(tally.keys())
          .as("copies settled after item %d of batches of 3", i)
          .isEqualTo(i < 2 ? 0 : 3);
    }
    readBack.finish();

    assertThat(tally.counts()).containsOnly(entry(KeyStatus.COPIED, new KeyTally.Count(4, 40)));
  }

  private CopyReadBack readBack(int batchSize) {
    return new CopyReadBack(lister, retrier, target, null, context, tally::add, batchSize);
  }

  /** An item that wrote {@code copy}: entered, written and finished, as the copy task does. */
  private static void written(CopyReadBack readBack, ObjectCopier.Written copy) {
    CopyReadBack.Batch batch = readBack.enter();
    batch.written().add(copy);
    readBack.finished(batch);
  }

  /** Writes {@code content} to the target with its marker, as the mover writes a copy. */
  private ObjectCopier.Written put(String key, byte[] content) throws Exception {
    return put(key, content, Map.of(StrataMetadata.SHA256, CopyIT.sha256(content)));
  }

  private ObjectCopier.Written put(String key, byte[] content, Map<String, String> metadata)
      throws Exception {
    byte[] md5 = MessageDigest.getInstance("MD5").digest(content);
    target.put(
        Pools.DATASET,
        key,
        content,
        PoolClient.BodyCheck.md5(Base64.getEncoder().encodeToString(md5)),
        "application/octet-stream",
        metadata);
    return new ObjectCopier.Written(
        key, content.length, HexFormat.of().formatHex(md5), CopyIT.sha256(content));
  }
}
