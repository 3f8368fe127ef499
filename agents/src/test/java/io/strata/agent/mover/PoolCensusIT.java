package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.MinioClient;
import io.strata.agent.pool.PoolCensus;
import io.strata.protocol.heartbeat.PoolReport;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The census tells a pool that answered badly once from one that is down: the first is counted
 * again, the second reported unreachable.
 */
class PoolCensusIT {
  @TempDir Path dir;

  private static MinioClient via(int port) {
    return MinioClient.builder()
        .endpoint("http://127.0.0.1:" + port)
        .credentials("access", "secret-secret")
        .region("us-east-1")
        .build();
  }

  private static MinioClient clientOf(LocalS3Pool pool, int port) {
    var endpoint = pool.endpointVia(port);
    return MinioClient.builder()
        .endpoint(endpoint.endpoint().toString())
        .credentials(endpoint.accessKey(), endpoint.secretKey())
        .region("us-east-1")
        .build();
  }

  @Test
  void aPoolThatAnswersWithAnErrorIsCountedAgain() throws Exception {
    try (LocalS3Pool pool = LocalS3Pool.start("p", dir.resolve("p"));
        FaultyProxy faulty = new FaultyProxy(pool.port(), 2)) {
      pool.createBucket("scans");
      pool.putNumbered("scans", "k", 3);

      PoolReport report = new PoolCensus("p", clientOf(pool, faulty.port()), 1000).count();

      assertThat(faulty.failedRequests())
          .as("errors answered before the census got through")
          .isEqualTo(2);
      assertThat(report.reachable()).as(String.valueOf(report.error())).isTrue();
      assertThat(report.objects()).isEqualTo(3);
      assertThat(report.usedBytes()).isEqualTo(3);
    }
  }

  @Test
  void aPoolThatKeepsAnsweringWithErrorsIsUnreachable() throws Exception {
    try (LocalS3Pool pool = LocalS3Pool.start("p", dir.resolve("p"));
        FaultyProxy faulty = new FaultyProxy(pool.port(), 1000)) {
      pool.createBucket("scans");

      PoolReport report = new PoolCensus("p", clientOf(pool, faulty.port()), 1000).count();

      assertThat(report.reachable()).isFalse();
      assertThat(report.error()).contains("injected fault");
      assertThat(faulty.failedRequests()).as("listings tried").isEqualTo(3);
    }
  }

  @Test
  void aPoolNobodyAnswersForIsUnreachable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    PoolReport report = new PoolCensus("p", via(closed), 1000).count();

    assertThat(report.reachable()).isFalse();
    assertThat(report.error()).isNotBlank();
  }
}
