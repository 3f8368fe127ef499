package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyRange;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.ProgressTracker;
import io.strata.agent.task.Task;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-back of a batch of copies by one listing, against a real S3Proxy pool: copies the
 * listing does not show as written are read back by HEAD, which confirms them or fails their keys.
 */
class ReadBackIT {

  @TempDir Path dir;
  Pools pools;
  PoolClients clients;
  ExecutorService threads;
  ShardCopier copier;

  @BeforeEach
  void start() throws Exception {
    pools = new Pools(dir, "b");
    MoverSettings settings = Pools.settings();
    clients = new PoolClients(pools.registry(), settings);
    threads = Executors.newFixedThreadPool(2);
    MoverMetrics metrics = new MoverMetrics(new PrometheusRegistry());
    Retrier retrier = new Retrier(settings.retry(), metrics);
    copier =
        new ShardCopier(
            clients,
            new ShardLister(retrier),
            new ObjectCopier(retrier, new Bandwidth(0, Map.of()), metrics, settings),
            retrier,
            new Transfers(threads, 2),
            metrics);
  }

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    clients.close();
    pools.close();
  }

  @Test
  void copiesTheListingDoesNotShowAreReadBackByHeadAndFailWhenThatDoesNotShowThemEither()
      throws Exception {
    byte[] study = CopyIT.content(40_000, 7);
    PoolClient target = clients.get("b");
    CopyIT.putStudy(target, study, PoolClient.BodyCheck.sha256(CopyIT.sha256(study)), study);
    Task task = Task.copy("c1", Pools.DATASET, KeyRange.ALL, "a", "b", 1);
    TaskContext context =
        new TaskContext(
            task, 1, new ProgressTracker(task, Clock.systemUTC()), new CancellationToken());
    List<ObjectCopier.Written> written =
        List.of(
            // Listed with another ETag than the source's (as after a multipart source): the HEAD
            // still shows the size and marker.
            new ObjectCopier.Written("s/1.dcm", study.length, "0".repeat(32), CopyIT.sha256(study)),
            // Acknowledged, but gone by the time of the read-back.
            new ObjectCopier.Written("s/2.dcm", 10, "1".repeat(32), CopyIT.sha256(new byte[10])));
    List<KeyOutcome> provisional =
        List.of(
            KeyOutcome.of("s/1.dcm", KeyStatus.COPIED, study.length, CopyIT.sha256(study)),
            KeyOutcome.of("s/2.dcm", KeyStatus.COPIED, 10, CopyIT.sha256(new byte[10])));

    List<KeyOutcome> outcomes = copier.readBack(target, task, context, written, provisional);

    assertThat(outcomes.get(0)).isEqualTo(provisional.get(0));
    assertThat(outcomes.get(1).status()).isEqualTo(KeyStatus.FAILED);
    assertThat(outcomes.get(1).detail())
        .contains("read-back of the copy of " + Pools.DATASET + "/s/2.dcm on pool b");
  }
}
