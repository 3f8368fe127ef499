package io.strata.controller.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.PoolAvailability;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The buckets the leader creates: with object lock enabled on a pool that locks its copies, as S3
 * asks it in the request that creates the bucket ({@code x-amz-bucket-object-lock-enabled: true}).
 * Each pool is an HTTP server that answers as S3 does a bucket that does not exist yet, and records
 * the requests.
 */
class BucketKeeperTest {

  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** A pool with no bucket: HEAD answers 404, PUT of a bucket 200. Records "METHOD path lock". */
  private HttpServer pool(List<String> requests) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String lock = exchange.getRequestHeaders().getFirst("x-amz-bucket-object-lock-enabled");
          requests.add(
              exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + lock);
          exchange.getRequestBody().readAllBytes();
          if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(404, -1);
          } else if (exchange.getRequestMethod().equals("GET")) {
            byte[] body =
                "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } else {
            exchange.sendResponseHeaders(200, -1);
          }
          exchange.close();
        });
    server.start();
    servers.add(server);
    return server;
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void aPoolThatLocksItsCopiesGetsBucketsWithObjectLockAndTheOthersWithout() throws Exception {
    List<String> plain = new CopyOnWriteArrayList<>();
    List<String> locking = new CopyOnWriteArrayList<>();
    int plainPort = pool(plain).getAddress().getPort();
    int lockingPort = pool(locking).getAddress().getPort();
    ClusterMap map =
        TopologyFile.parse(
            "test",
            """
            tiers: [{name: hot}]
            domains:
              - {id: r, level: region}
              - {id: rack-1, level: rack, parent: r}
            pools:
              - {id: p1, domain: rack-1, tier: hot, endpoint: "http://127.0.0.1:%d", capacity: 1GiB, credentials: "env:POOL"}
              - {id: p2, domain: rack-1, tier: hot, endpoint: "http://127.0.0.1:%d", capacity: 1GiB, credentials: "env:POOL", objectLock: governance}
            """
                .formatted(plainPort, lockingPort));
    S3ClientFactory clients =
        new S3ClientFactory(
            Path.of("/nonexistent"), Map.of("POOL_ACCESS_KEY", "ak", "POOL_SECRET_KEY", "sk"));
    try {
      new BucketKeeper(clients)
          .ensure(
              map,
              List.of(new Dataset("imaging", "", "p", List.of("p1"), false)),
              Map.of("p1", PoolAvailability.AVAILABLE, "p2", PoolAvailability.AVAILABLE));
    } finally {
      clients.stop();
    }

    assertThat(plain).contains("PUT /imaging null");
    assertThat(locking).contains("PUT /imaging true");
  }
}
