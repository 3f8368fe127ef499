package io.strata.agent.mover;

import static io.strata.agent.mover.CopyIT.content;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.TaskRunner;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Copies between two local pools that fail: input the task cannot take, and permanent and transient
 * failures of the pools, retried within bounds and reported with a reason.
 */
class CopyFailureIT extends TwoPools {

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
            true,
            false,
            null,
            null);

    TaskResult result = runner.run(range, 1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().reason()).contains("only a copy of named keys");
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

  /** A runner that reaches pool b through {@code proxy}. */
  private TaskRunner runnerWithTargetBehind(FaultyProxy proxy) {
    return pools.runnerBetween(a.endpoint(), b.endpointVia(proxy.port()));
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
