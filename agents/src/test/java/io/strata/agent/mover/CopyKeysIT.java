package io.strata.agent.mover;

import static io.strata.agent.mover.CopyIT.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.minio.errors.ErrorResponseException;
import io.strata.agent.TaskRunner;
import io.strata.agent.task.TaskHandle;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Copies between two local pools: which keys a copy covers (ranges over several listing pages,
 * named keys, keys XML cannot carry), and how it lists and plans them.
 */
class CopyKeysIT extends TwoPools {

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
  void whileARangeIsStillBeingListedItsProgressSaysSoAndGivesNoEta() throws Exception {
    int count = ShardLister.PAGE_SIZE + 10;
    for (int i = 0; i < count; i++) {
      a.put(Pools.DATASET, String.format("m/%05d", i), content(16, i));
    }
    Task task = Task.copy("c-listing", Pools.DATASET, new KeyRange("m/", "n/"), "a", "b", 1);
    try (FaultyProxy sourceHeld = FaultyProxy.holdingListings(a.port(), 1);
        TaskRunner held = pools.runnerBetween(a.endpointVia(sourceHeld.port()), b.endpoint())) {
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
            pools.runnerBetween(
                a.endpointVia(sourceSeen.port()), b.endpointVia(targetSeen.port()))) {

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
        TaskRunner seen = pools.runnerBetween(a.endpointVia(sourceSeen.port()), b.endpoint())) {

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
}
