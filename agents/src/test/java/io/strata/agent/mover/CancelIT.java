package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.strata.agent.TaskRunner;
import io.strata.agent.task.TaskHandle;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling a copy part way, as the controller does when a task leaves its plan or an operator
 * cancels it: the task ends cancelled, nothing partial is visible on the target, and running it
 * again completes it.
 */
class CancelIT {
  static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  Pools pools;
  TaskRunner runner;
  LocalS3Pool a;
  LocalS3Pool b;
  final Map<String, byte[]> objects = new LinkedHashMap<>();

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "a", "b");
    a = pools.get("a");
    b = pools.get("b");
    // 1 MiB/s for the agent: the copy below would take a quarter of a minute, so it is cancelled
    // part way even on a machine so busy that seeing its upload start takes seconds.
    runner =
        pools.runner(
            pools.registry(), Pools.settings().withAgentBytesPerSecond(MIB), Clock.systemUTC());
    // A multipart object (three 5 MiB parts) and small ones.
    objects.put("a/big.dcm", CopyIT.content(12 * MIB, 0));
    for (int i = 0; i < 12; i++) {
      objects.put("s/%02d.dcm".formatted(i), CopyIT.content(256 * 1024, i + 1));
    }
    for (var e : objects.entrySet()) {
      a.put(Pools.DATASET, e.getKey(), e.getValue());
    }
  }

  @AfterEach
  void stop() throws Exception {
    runner.close();
    pools.close();
  }

  @Test
  void aCopyCancelledPartWayLeavesNoPartialObjectAndCompletesWhenRunAgain() throws Exception {
    Task task = Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1);
    TaskHandle handle = runner.submit(task, 1);
    await("the large object's upload under way")
        .atMost(Timeouts.base())
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(() -> !b.incompleteUploads(Pools.DATASET).isEmpty());

    assertThat(runner.cancel("c1")).isTrue();
    TaskResult cancelled = handle.result().get(Timeouts.base().toSeconds(), TimeUnit.SECONDS);

    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(runner.progress("c1")).as("no longer active").isEmpty();
    List<String> onTarget = keys(b);
    assertThat(onTarget).as("stopped before the end").hasSizeLessThan(objects.size());
    for (String key : onTarget) {
      assertThat(b.read(Pools.DATASET, key)).as(key + " is whole").isEqualTo(objects.get(key));
      assertThat(b.head(Pools.DATASET, key).userMetadata())
          .as(key)
          .containsEntry(StrataMetadata.SHA256, CopyIT.sha256(objects.get(key)));
    }

    assertThat(b.incompleteUploads(Pools.DATASET))
        .as("the cancelled upload aborted, not left holding its parts")
        .isEmpty();

    TaskResult again;
    try (TaskRunner unthrottled = pools.runner(Clock.systemUTC())) {
      again = unthrottled.run(task, 1);
    }

    assertThat(again.state()).as("%s", again.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(again.count(KeyStatus.COPIED) + again.count(KeyStatus.ALREADY_PRESENT))
        .isEqualTo(objects.size());
    assertThat(again.count(KeyStatus.ALREADY_PRESENT)).isEqualTo(onTarget.size());
    assertThat(keys(b)).containsExactlyElementsOf(objects.keySet());
    for (var e : objects.entrySet()) {
      assertThat(b.read(Pools.DATASET, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(b.incompleteUploads(Pools.DATASET)).as("no upload left open").isEmpty();
  }

  @Test
  void aTaskCancelledBeforeItStartsNeverRuns() throws Exception {
    // One task at a time: the second waits behind the first and is cancelled while it waits.
    MoverSettings throttled = Pools.settings().withAgentBytesPerSecond(4L * MIB);
    MoverSettings oneTask =
        new MoverSettings(
            throttled.maxConcurrentTransfers(),
            1,
            throttled.partSize(),
            throttled.bufferLimit(),
            throttled.agentBytesPerSecond(),
            throttled.poolBytesPerSecond(),
            throttled.retry(),
            throttled.connectTimeout(),
            throttled.ioTimeout());
    try (TaskRunner serial = pools.runner(pools.registry(), oneTask, Clock.systemUTC())) {
      TaskHandle first =
          serial.submit(Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1), 1);
      TaskHandle second = serial.submit(Task.scan("s1", Pools.DATASET, KeyRange.ALL, "b", 1), 1);

      assertThat(serial.cancel("s1")).isTrue();
      assertThat(serial.cancel("c1")).isTrue();

      TaskResult waited = second.result().get(Timeouts.base().toSeconds(), TimeUnit.SECONDS);
      assertThat(waited.state()).isEqualTo(TaskState.CANCELLED);
      assertThat(waited.scan()).as("it never listed the pool").isNull();
      assertThat(first.result().get(Timeouts.base().toSeconds(), TimeUnit.SECONDS).state())
          .isEqualTo(TaskState.CANCELLED);
      assertThat(serial.cancel("s1")).as("no longer active").isFalse();
    }
  }

  @Test
  void cancellingEndsATaskWaitingOnAPoolThatStoppedAnswering() throws Exception {
    Hold objectReads = new Hold("GET /" + Pools.DATASET + "/s/");
    try (FaultyProxy silent = FaultyProxy.intercepting(a.port(), objectReads);
        TaskRunner viaSilent =
            pools.runner(
                PoolRegistry.of(Map.of("a", a.endpointVia(silent.port()), "b", b.endpoint())),
                patient(),
                Clock.systemUTC())) {
      cancelWhileHeld(viaSilent, "c2", objectReads, 1);
    }
    assertThat(keys(b)).as("nothing copied from the silent pool").isEmpty();
  }

  @Test
  void cancellingEndsATaskWhoseTargetStoppedTakingItsWrites() throws Exception {
    // Beside the small objects, one of 4 MiB: still one PUT, and more than the sockets buffer, so
    // its body is cut part way.
    byte[] fourMib = CopyIT.content(4 * MIB, 99);
    a.put(Pools.DATASET, "s/large.dcm", fourMib);
    objects.put("s/large.dcm", fourMib);
    Hold objectWrites = new Hold("PUT /" + Pools.DATASET + "/s/");
    FaultyProxy stalled = FaultyProxy.intercepting(b.port(), objectWrites);
    try (stalled;
        TaskRunner viaStalled =
            pools.runner(
                PoolRegistry.of(Map.of("a", a.endpoint(), "b", b.endpointVia(stalled.port()))),
                patient(),
                Clock.systemUTC())) {
      cancelWhileHeld(viaStalled, "c3", objectWrites, Pools.settings().maxConcurrentTransfers());
      // The held PUTs go on to the pool now, each with the body its client sent before the cut.
      await("the held writes answered")
          .atMost(Timeouts.base())
          .until(() -> stalled.requestsInFlight() == 0);
    }

    List<String> onTarget = keys(b);
    for (String key : onTarget) {
      assertThat(b.read(Pools.DATASET, key)).as(key + " is whole").isEqualTo(objects.get(key));
    }
    TaskResult again;
    try (TaskRunner direct = pools.runner(Clock.systemUTC())) {
      again = direct.run(Task.copy("c3", Pools.DATASET, new KeyRange("s/", "s0"), "a", "b", 1), 1);
    }
    assertThat(again.state()).as("%s", again.failure()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(again.count(KeyStatus.ALREADY_PRESENT)).isEqualTo(onTarget.size());
    for (var e : objects.entrySet()) {
      if (e.getKey().startsWith("s/")) {
        assertThat(b.read(Pools.DATASET, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  /**
   * Runs a copy of the "s/" objects from a to b through {@code runner}, cancels it once {@code
   * held} requests wait in {@code hold}, and checks that the task ends cancelled while they still
   * wait; then releases them.
   */
  private static void cancelWhileHeld(TaskRunner runner, String id, Hold hold, int held)
      throws Exception {
    TaskHandle handle =
        runner.submit(Task.copy(id, Pools.DATASET, new KeyRange("s/", "s0"), "a", "b", 1), 1);
    try {
      await("requests waiting on the pool that stopped answering")
          .atMost(Timeouts.base())
          .until(() -> hold.held.get() >= held);

      assertThat(runner.cancel(id)).isTrue();

      TaskResult result = handle.result().get(Timeouts.base().toSeconds(), TimeUnit.SECONDS);
      assertThat(result.state()).isEqualTo(TaskState.CANCELLED);
    } finally {
      hold.released.countDown();
    }
  }

  /** A pool's side that holds each request whose head starts with a prefix, until released. */
  private static final class Hold implements FaultyProxy.Interceptor {
    final String prefix;
    final AtomicInteger held = new AtomicInteger();
    final CountDownLatch released = new CountDownLatch(1);

    Hold(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public String answer(String head) throws Exception {
      if (head.startsWith(prefix)) {
        held.incrementAndGet();
        released.await();
      }
      return null;
    }
  }

  /**
   * The test pools' settings, with an I/O timeout far beyond the tests' waits: only its
   * cancellation can end a task waiting on a pool that stopped answering.
   */
  private static MoverSettings patient() {
    MoverSettings defaults = Pools.settings();
    return new MoverSettings(
        defaults.maxConcurrentTransfers(),
        defaults.maxConcurrentTasks(),
        defaults.partSize(),
        defaults.bufferLimit(),
        defaults.agentBytesPerSecond(),
        defaults.poolBytesPerSecond(),
        defaults.retry(),
        defaults.connectTimeout(),
        java.time.Duration.ofHours(1));
  }

  private static List<String> keys(LocalS3Pool pool) throws Exception {
    List<String> out = new ArrayList<>();
    for (Result<Item> r :
        pool.client()
            .listObjects(ListObjectsArgs.builder().bucket(Pools.DATASET).recursive(true).build())) {
      if (!r.get().isDir()) {
        out.add(r.get().objectName());
      }
    }
    return out;
  }
}
